package io.github.sparsestruct.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.models.align.AlignModel;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.depparse.ArcLoss;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.depparse.ParsePrediction;
import io.github.sparsestruct.models.depparse.ParserConfig;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.ner.NerConfig;
import io.github.sparsestruct.models.ner.NerLoss;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.testing.TinyModels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

class DataParallelTest {
    /** Parser sentences of lengths 6, 3 and 1, so shares have different token counts. */
    private static List<DepSentence> mixedTrees() {
        List<DepSentence> out = new ArrayList<>(TinyModels.parseData(5, 4));
        out.add(new DepSentence("short", new String[] {"dogs", "bark", "."}, new String[] {"NOUN", "VERB", "PUNCT"},
                new int[] {2, 0, 2}, new String[] {"nsubj", "root", "punct"}));
        out.add(new DepSentence("one", new String[] {"run"}, new String[] {"VERB"}, new int[] {0},
                new String[] {"root"}));
        return out;
    }

    private static ParserModel doubleParser(List<DepSentence> data) {
        ParserConfig cfg = new ParserConfig(EncoderConfig.tiny().withLstm(4, 1).withDataType("double"), 5, 4, 0.0,
                ArcLoss.SPARSEMAP, false, 1000, Adam.Config.defaults());
        return ParserModel.create(cfg, data, 11);
    }

    private static NerModel doubleNer(List<NerSentence> data) {
        NerConfig cfg = new NerConfig(EncoderConfig.tiny().withLstm(4, 1).withDataType("double"), NerLoss.CRF, false,
                Adam.Config.defaults(), 0);
        return NerModel.create(cfg, data, 11);
    }

    /** The oracle: the model's own gradient of the whole batch's objective, without dropout. */
    private static <S> void assertCombinedEqualsWhole(TrainableModel<S> m, List<S> batch, Map<String, INDArray> whole,
                                                      int workers) {
        try (DataParallel<S> dp = new DataParallel<>(m, workers)) {
            List<List<S>> shares = dp.split(batch, workers);
            List<BatchGradient> parts = new ArrayList<>();
            long tokens = 0;
            for (List<S> share : shares) {
                BatchGradient g = m.gradient(share, null);
                parts.add(g);
                tokens += g.tokens();
            }
            Map<String, INDArray> combined = DataParallel.combine(parts, tokens);
            assertThat(combined.keySet()).containsExactlyInAnyOrderElementsOf(whole.keySet());
            for (Map.Entry<String, INDArray> e : whole.entrySet()) {
                double scale = Math.max(1e-8, e.getValue().amaxNumber().doubleValue());
                double diff = combined.get(e.getKey()).sub(e.getValue()).amaxNumber().doubleValue();
                assertThat(diff / scale).as("%s with %d shares", e.getKey(), workers).isLessThan(1e-9);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 7})
    void parserShareGradientsCombineIntoTheWholeBatchGradient(int workers) {
        List<DepSentence> data = mixedTrees();
        ParserModel m = doubleParser(data);
        assertCombinedEqualsWhole(m, data, m.lossGradients(data), workers);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void nerShareGradientsCombineIntoTheWholeBatchGradient(int workers) {
        List<NerSentence> data = TinyModels.nerData(7, 5);
        NerModel m = doubleNer(data);
        assertCombinedEqualsWhole(m, data, m.lossGradients(data), workers);
    }

    @Test
    void sharesAreBalancedByTokensAndKeepEverySentenceOnce() {
        List<DepSentence> data = mixedTrees();
        ParserModel m = doubleParser(data);
        try (DataParallel<DepSentence> dp = new DataParallel<>(m, 2)) {
            for (int k = 1; k <= data.size(); k++) {
                List<List<DepSentence>> shares = dp.split(data, k);
                assertThat(shares).hasSize(k).allSatisfy(s -> assertThat(s).isNotEmpty());
                List<DepSentence> all = new ArrayList<>();
                int max = 0;
                int min = Integer.MAX_VALUE;
                for (List<DepSentence> s : shares) {
                    all.addAll(s);
                    int tokens = s.stream().mapToInt(DepSentence::length).sum();
                    max = Math.max(max, tokens);
                    min = Math.min(min, tokens);
                    // batch order is kept within a share
                    assertThat(s).isSortedAccordingTo((a, b) -> Integer.compare(data.indexOf(a), data.indexOf(b)));
                }
                assertThat(all).hasSize(data.size());
                assertThat(new HashSet<>(all)).isEqualTo(new HashSet<>(data));
                if (k == 2) {
                    // 33 tokens: 6+6+6 against 6+6+3+1, not 30 against 3
                    assertThat(max - min).isLessThanOrEqualTo(6);
                }
            }
        }
    }

    /** Training with two workers fits the tiny treebank, and the workers' copies follow the model. */
    @Test
    void twoWorkersOverfitATinyTreebankAndKeepTheCopiesInStep() {
        List<DepSentence> data = TinyModels.parseData(20, 1);
        ParserModel m = ParserModel.create(new ParserConfig(EncoderConfig.tiny(), 16, 8, 0.0, ArcLoss.SPARSEMAP,
                false, 50, Adam.Config.defaults().withLearningRate(0.02)), data, 42);
        Trainer<DepSentence> trainer = new Trainer<>(m, new TrainerConfig(40, 6, 1000, 7, 0)).workers(2);
        TrainingStats stats = trainer.train(data);
        List<ParsePrediction> preds = m.predict(data.stream().map(DepSentence::forms).toList(), Decoding.MAP);
        int right = 0;
        int words = 0;
        for (int i = 0; i < data.size(); i++) {
            for (int k = 0; k < data.get(i).length(); k++) {
                words++;
                right += preds.get(i).heads()[k] == data.get(i).heads()[k]
                        && preds.get(i).deprels()[k].equals(data.get(i).deprels()[k]) ? 1 : 0;
            }
        }
        assertThat(right / (double) words).as("LAS after training on two workers").isGreaterThanOrEqualTo(0.99);
        assertThat(m.optimizer().steps()).as("one update per batch")
                .isEqualTo(stats.epochs().stream().mapToLong(EpochStats::batches).sum());
    }

    @Test
    void aRunDoesNotDependOnTheThreadsTimingAndCopiesFollowTheModel() {
        List<NerSentence> data = TinyModels.nerData(12, 2);
        NerConfig cfg = new NerConfig(EncoderConfig.tiny(), NerLoss.CRF, false,
                Adam.Config.defaults().withLearningRate(0.02), 0);
        List<Map<String, INDArray>> finals = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            NerModel m = NerModel.create(cfg, data, 3);
            try (DataParallel<NerSentence> dp = new DataParallel<>(m, 3)) {
                Random rng = new Random(9);
                for (int s = 0; s < 6; s++) {
                    StepResult r = dp.step(data.subList(s % 2 * 6, s % 2 * 6 + 6), rng);
                    assertThat(r.sentences()).isEqualTo(6);
                    assertThat(r.tokens()).isPositive();
                    assertThat(r.gradientNorm()).isFinite();
                }
                for (TrainableModel<NerSentence> copy : dp.replicas()) {
                    for (Map.Entry<String, INDArray> e : copy.parameters().entrySet()) {
                        assertThat(e.getValue()).as(e.getKey()).isEqualTo(m.parameters().get(e.getKey()));
                    }
                }
            }
            finals.add(m.parameters());
        }
        for (Map.Entry<String, INDArray> e : finals.get(0).entrySet()) {
            assertThat(finals.get(1).get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void badSettingsGetClearErrors() {
        ParserModel m = TinyModels.parser(0, 1);
        assertThatThrownBy(() -> new DataParallel<>(m, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 workers");
        assertThatThrownBy(() -> new Trainer<>(m, TrainerConfig.defaults()).workers(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one worker");
        AlignModel align = TinyModels.align(0, 1);
        assertThatThrownBy(() -> new DataParallel<>(align, 2)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("AlignModel trains on one thread only");
    }
}
