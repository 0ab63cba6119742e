package io.github.sparsestruct.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.ner.NerConfig;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.ner.NerLoss;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.ner.NerPrediction;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.nn.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainerTest {
    /** A small tagging task: capitalised words after "meet" are people, after "in" places. */
    static List<NerSentence> data(int count, long seed) {
        String[] names = {"Ann", "Bo", "Cy", "Di"};
        String[] places = {"Rome", "Oslo", "Lima"};
        Random r = new Random(seed);
        List<NerSentence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String n = names[r.nextInt(names.length)];
            String p = places[r.nextInt(places.length)];
            out.add(new NerSentence("d" + i, new String[] {"we", "meet", n, "in", p},
                    new String[] {"O", "O", "B-PER", "O", "B-LOC"}));
        }
        return out;
    }

    static NerModel model(List<NerSentence> train) {
        return NerModel.create(new NerConfig(EncoderConfig.tiny(), NerLoss.CRF, false,
                Adam.Config.defaults().withLearningRate(0.02), 0), train, 3);
    }

    static double accuracy(NerModel m, List<NerSentence> data) {
        List<NerPrediction> p = m.predict(data.stream().map(NerSentence::forms).toList(), Decoding.MAP);
        int ok = 0;
        int all = 0;
        for (int i = 0; i < data.size(); i++) {
            for (int k = 0; k < data.get(i).length(); k++) {
                ok += p.get(i).tags()[k].equals(data.get(i).tags()[k]) ? 1 : 0;
                all++;
            }
        }
        return ok / (double) all;
    }

    @Test
    void trainsWithDevEvaluationCallbacksAndThroughput() {
        List<NerSentence> train = data(16, 1);
        List<NerSentence> dev = data(8, 2);
        NerModel m = model(train);
        AtomicInteger batches = new AtomicInteger();
        List<EpochStats> seen = new ArrayList<>();
        TrainingStats stats = new Trainer<>(m, new TrainerConfig(6, 4, 100, 5, 0))
                .devEvaluator(epoch -> accuracy(m, dev))
                .listener(new TrainingListener() {
                    @Override
                    public void onBatch(int epoch, int batch, int count, StepResult step) {
                        batches.incrementAndGet();
                        assertThat(batch).isLessThan(count);
                    }

                    @Override
                    public void onEpoch(EpochStats s) {
                        seen.add(s);
                    }
                })
                .train(train);
        assertThat(stats.epochs()).hasSize(6).isEqualTo(seen);
        assertThat(batches.get()).isEqualTo(6 * 4);
        assertThat(stats.tokensPerSecond()).isPositive();
        assertThat(stats.epochs().get(0).tokens()).isEqualTo(16 * 5);
        assertThat(stats.bestScore()).isEqualTo(1.0);
        assertThat(stats.stoppedEarly()).isFalse();
        // the best epoch's parameters are restored
        assertThat(accuracy(m, dev)).isEqualTo(stats.bestScore());
    }

    @Test
    void stopsEarlyWhenTheDevScoreStopsImproving() {
        List<NerSentence> train = data(8, 1);
        NerModel m = model(train);
        TrainingStats stats = new Trainer<>(m, new TrainerConfig(20, 4, 100, 5, 2))
                .devEvaluator(epoch -> epoch == 2 ? 0.9 : 0.5)
                .train(train);
        assertThat(stats.epochs()).hasSize(4);
        assertThat(stats.bestEpoch()).isEqualTo(2);
        assertThat(stats.stoppedEarly()).isTrue();
    }

    @Test
    void resumingFromACheckpointRepeatsTheUninterruptedRun() throws Exception {
        List<NerSentence> train = data(12, 1);
        TrainerConfig cfg = new TrainerConfig(4, 4, 100, 9, 0);

        NerModel straight = model(train);
        new Trainer<>(straight, cfg).train(train);

        NerModel first = model(train);
        List<ParameterStore> checkpoints = new ArrayList<>();
        new Trainer<>(first, cfg.withMaxEpochs(2)).checkpointSink(checkpoints::add).train(train);
        assertThat(checkpoints).hasSize(2);
        ParameterStore ckpt = checkpoints.get(1);
        // a checkpoint from before schedules existed (no schedule in its loop state) resumes at a constant rate only
        ParameterStore old = checkpoints.get(0);
        com.fasterxml.jackson.databind.node.ObjectNode state = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(old.getMetadata("trainer/state"));
        state.remove("schedule");
        state.remove("maxEpochs");
        old.putMetadata("trainer/state", state.toString());
        new Trainer<>(NerModel.load(old), cfg).resume(old);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Trainer<>(NerModel.load(old),
                cfg.withSchedule(LearningRateSchedule.LINEAR)).resume(old))
                .hasMessageContaining("constant learning-rate schedule");

        NerModel resumed = NerModel.load(ckpt);
        Trainer<NerSentence> t = new Trainer<>(resumed, cfg);
        t.resume(ckpt);
        assertThat(t.completedEpochs()).isEqualTo(2);
        TrainingStats stats = t.train(train);
        assertThat(stats.epochs()).hasSize(4);
        assertThat(resumed.optimizer().steps()).isEqualTo(straight.optimizer().steps());
        for (Map.Entry<String, INDArray> e : straight.parameters().entrySet()) {
            INDArray other = resumed.parameters().get(e.getKey());
            assertThat(e.getValue().sub(other).amaxNumber().doubleValue()).as(e.getKey()).isLessThan(1e-5);
        }
    }

    @Test
    void theScheduleSetsTheRateOfEveryStepAndAResumedRunContinuesIt() {
        List<NerSentence> train = data(12, 1);
        TrainerConfig cfg = new TrainerConfig(4, 4, 100, 9, 0).withSchedule(LearningRateSchedule.LINEAR);
        NerModel straight = model(train);
        List<Double> rates = new ArrayList<>();
        List<ParameterStore> checkpoints = new ArrayList<>();
        new Trainer<>(straight, cfg).checkpointSink(checkpoints::add).listener(new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int count, StepResult step) {
                assertThat(straight.optimizer().rateScale())
                        .isEqualTo(LearningRateSchedule.LINEAR.factor(epoch, batch, count, 4));
                rates.add(straight.optimizer().rateScale());
            }
        }).train(train);
        // 3 batches per epoch: the rate falls by 1/12 of the initial rate at every step
        assertThat(rates).hasSize(12);
        for (int i = 0; i < rates.size(); i++) {
            assertThat(rates.get(i)).isCloseTo(1.0 - i / 12.0, org.assertj.core.data.Offset.offset(1e-12));
        }

        // resumed after epoch 2 of the same 4-epoch run: the same steps at the same rates
        ParameterStore ckpt = checkpoints.get(1);
        NerModel resumed = NerModel.load(ckpt);
        Trainer<NerSentence> t = new Trainer<>(resumed, cfg);
        t.resume(ckpt);
        t.train(train);
        assertThat(resumed.optimizer().steps()).isEqualTo(straight.optimizer().steps());
        for (Map.Entry<String, INDArray> e : straight.parameters().entrySet()) {
            INDArray other = resumed.parameters().get(e.getKey());
            assertThat(e.getValue().sub(other).amaxNumber().doubleValue()).as(e.getKey()).isLessThan(1e-5);
        }

        // resuming it with another schedule or, for the decay, another number of epochs would make the rate jump
        for (TrainerConfig other : List.of(cfg.withSchedule(LearningRateSchedule.CONSTANT), cfg.withMaxEpochs(6))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Trainer<>(NerModel.load(ckpt), other)
                    .resume(ckpt)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("linear learning-rate schedule over 4 epochs");
        }

        // and the decayed run did not take the constant-rate run's steps
        NerModel constant = model(train);
        new Trainer<>(constant, cfg.withSchedule(LearningRateSchedule.CONSTANT)).train(train);
        double diff = 0;
        for (Map.Entry<String, INDArray> e : straight.parameters().entrySet()) {
            diff = Math.max(diff, e.getValue().sub(constant.parameters().get(e.getKey())).amaxNumber().doubleValue());
        }
        assertThat(diff).isGreaterThan(1e-4);
    }

    static Map<String, INDArray> copy(Map<String, INDArray> params) {
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    static double maxDiff(Map<String, INDArray> a, Map<String, INDArray> b) {
        double d = 0;
        for (Map.Entry<String, INDArray> e : a.entrySet()) {
            d = Math.max(d, e.getValue().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                    .sub(b.get(e.getKey()).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE))
                    .amaxNumber().doubleValue());
        }
        return d;
    }

    @Test
    void parameterAveragingScoresTheMovingAverageWithoutChangingTheStepsTaken() {
        List<NerSentence> train = data(12, 1);
        TrainerConfig cfg = new TrainerConfig(3, 4, 100, 9, 0);
        double decay = 0.8;

        // the same run without averaging: its parameters after every step
        NerModel plain = model(train);
        List<Map<String, INDArray>> plainSteps = new ArrayList<>();
        new Trainer<>(plain, cfg).devEvaluator(epoch -> epoch).listener(new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int count, StepResult step) {
                plainSteps.add(copy(plain.parameters()));
            }
        }).train(train);

        NerModel m = model(train);
        Map<String, INDArray> initial = copy(m.parameters());
        List<Map<String, INDArray>> steps = new ArrayList<>();
        List<Map<String, INDArray>> scored = new ArrayList<>();
        new Trainer<>(m, cfg.withAverageDecay(decay)).devEvaluator(epoch -> {
            scored.add(copy(m.parameters()));
            return epoch == 2 ? 1.0 : 0.5;
        }).listener(new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int count, StepResult step) {
                steps.add(copy(m.parameters()));
            }
        }).train(train);

        // the optimizer's path is the plain run's: averaging only reads the parameters
        assertThat(steps).hasSize(9).hasSameSizeAs(plainSteps);
        for (int t = 0; t < steps.size(); t++) {
            assertThat(maxDiff(steps.get(t), plainSteps.get(t))).as("step " + t).isLessThan(1e-6);
        }
        // the average by its definition, from the initial parameters and the parameters after every step
        Map<String, INDArray> avg = copy(initial);
        List<Map<String, INDArray>> expectedAtEpochEnd = new ArrayList<>();
        for (int t = 1; t <= steps.size(); t++) {
            double d = Math.min(decay, (1.0 + t) / (10.0 + t));
            for (Map.Entry<String, INDArray> e : avg.entrySet()) {
                INDArray p = steps.get(t - 1).get(e.getKey());
                e.setValue(e.getValue().mul(d).add(p.mul(1 - d)));
            }
            if (t % 3 == 0) {
                expectedAtEpochEnd.add(copy(avg));
            }
        }
        assertThat(scored).hasSize(3);
        for (int e = 0; e < 3; e++) {
            assertThat(maxDiff(scored.get(e), expectedAtEpochEnd.get(e))).as("epoch " + (e + 1)).isLessThan(1e-5);
            // and it is not the live parameters
            assertThat(maxDiff(scored.get(e), steps.get(3 * e + 2))).isGreaterThan(1e-4);
        }
        // the model ends with the best epoch's (the second's) average
        assertThat(maxDiff(m.parameters(), expectedAtEpochEnd.get(1))).isLessThan(1e-5);

        // without a dev set it ends with the last average
        NerModel noDev = model(train);
        new Trainer<>(noDev, cfg.withAverageDecay(decay)).train(train);
        assertThat(maxDiff(noDev.parameters(), expectedAtEpochEnd.get(2))).isLessThan(1e-5);
    }

    @Test
    void aResumedRunContinuesTheAverageAndAMismatchedDecayIsRefused() throws Exception {
        List<NerSentence> train = data(12, 1);
        TrainerConfig cfg = new TrainerConfig(4, 4, 100, 9, 0).withAverageDecay(0.9);
        NerModel straight = model(train);
        List<ParameterStore> checkpoints = new ArrayList<>();
        new Trainer<>(straight, cfg).checkpointSink(checkpoints::add).train(train);

        ParameterStore ckpt = checkpoints.get(1);
        NerModel resumed = NerModel.load(ckpt);
        Trainer<NerSentence> t = new Trainer<>(resumed, cfg);
        t.resume(ckpt);
        t.train(train);
        assertThat(maxDiff(resumed.parameters(), straight.parameters())).isLessThan(1e-5);

        for (TrainerConfig other : List.of(cfg.withAverageDecay(0), cfg.withAverageDecay(0.99))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Trainer<>(NerModel.load(ckpt), other)
                    .resume(ckpt)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("with parameter averaging at decay 0.9");
        }
        // a checkpoint without averaging (or from before it existed) is not continued with it
        List<ParameterStore> plain = new ArrayList<>();
        new Trainer<>(model(train), cfg.withAverageDecay(0).withMaxEpochs(1)).checkpointSink(plain::add).train(train);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Trainer<>(NerModel.load(plain.get(0)), cfg)
                .resume(plain.get(0))).hasMessageContaining("without parameter averaging");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cfg.withAverageDecay(1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1)");
    }
}
