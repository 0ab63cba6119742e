package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.decode.Decoding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.inference.map.TransitionMasks;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.testing.GradientCheck;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.nn.LengthBuckets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class NerModelTest {
    /** Sentences from templates with entity slots filled at random (the test's own tiny data set). */
    static List<NerSentence> synthetic(int count, long seed) {
        return io.github.sparsestruct.models.testing.TinyModels.nerData(count, seed);
    }

    static NerConfig tinyConfig(NerLoss loss) {
        return new NerConfig(EncoderConfig.tiny(), loss, false, Adam.Config.defaults().withLearningRate(0.02), 0);
    }

    static double accuracy(NerModel m, List<NerSentence> data, Decoding mode) {
        List<String[]> forms = new ArrayList<>();
        for (NerSentence s : data) {
            forms.add(s.forms());
        }
        List<NerPrediction> preds = m.predict(forms, mode);
        int ok = 0;
        int all = 0;
        for (int i = 0; i < data.size(); i++) {
            for (int k = 0; k < data.get(i).length(); k++) {
                ok += data.get(i).tags()[k].equals(preds.get(i).tags()[k]) ? 1 : 0;
                all++;
            }
        }
        return ok / (double) all;
    }

    static void train(NerModel m, List<NerSentence> data, int epochs, long seed) {
        Random rng = new Random(seed);
        int[] lengths = data.stream().mapToInt(NerSentence::length).toArray();
        for (int e = 0; e < epochs; e++) {
            for (int[] idx : LengthBuckets.batches(lengths, 5, 1000, rng)) {
                List<NerSentence> batch = new ArrayList<>();
                for (int i : idx) {
                    batch.add(data.get(i));
                }
                m.trainStep(batch, rng);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(NerLoss.class)
    void overfitsATinySyntheticDataSet(NerLoss loss) {
        List<NerSentence> data = synthetic(20, 1);
        long t0 = System.nanoTime();
        NerModel m = NerModel.create(tinyConfig(loss), data, 42);
        double before = accuracy(m, data, Decoding.MAP);
        train(m, data, 40, 7);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double after = accuracy(m, data, Decoding.MAP);
        assertThat(after).as("token accuracy after training with %s (before: %s)", loss, before)
                .isGreaterThanOrEqualTo(0.99);
    }

    @ParameterizedTest
    @EnumSource(NerLoss.class)
    void lossGradientsMatchFiniteDifferences(NerLoss loss) {
        List<NerSentence> data = synthetic(4, 3);
        NerConfig cfg = new NerConfig(EncoderConfig.tiny().withLstm(4, 1).withDataType("double"), loss, false,
                Adam.Config.defaults(), 0);
        NerModel m = NerModel.create(cfg, data, 11);
        // move away from the symmetric initial transitions
        GradientCheck.perturb(m.parameters(), 5);
        Map<String, INDArray> grads = m.lossGradients(data);
        int tokens = data.stream().mapToInt(NerSentence::length).sum();
        int checked = GradientCheck.check(m.parameters(), grads, List.of("ner/trans", "ner/start", "ner/end", "ner/out/W", "ner/out/b", "enc/lstm0b/Wx",
                "enc/charConv/W", "enc/wordEmb", "enc/charEmb"), () -> m.loss(data), tokens, loss);
        assertThat(checked).isEqualTo(27);
    }

    @Test
    void decodingModesGiveLegalTagsAndDistributions() {
        List<NerSentence> data = synthetic(20, 1);
        NerModel m = NerModel.create(tinyConfig(NerLoss.SPARSEMAP), data, 42);
        train(m, data, 3, 7);
        TransitionMasks masks = TransitionMasks.bio(m.tags().toArray(new String[0]));
        List<String[]> forms = data.stream().map(NerSentence::forms).toList();
        for (Decoding mode : Decoding.Task.NER.decodings()) {
            List<NerPrediction> preds = m.predict(forms, mode);
            for (int i = 0; i < preds.size(); i++) {
                NerPrediction p = preds.get(i);
                assertThat(p.tags()).hasSize(forms.get(i).length);
                assertThat(masks.isLegal(ids(m, p.tags()))).as("%s legal", mode).isTrue();
                double sum = p.alternatives().stream().mapToDouble(NerPrediction.WeightedTags::weight).sum();
                assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
                assertThat(p.alternatives().get(0).tags()).isEqualTo(p.tags());
                for (double[] row : p.marginals()) {
                    double rs = 0;
                    for (double x : row) {
                        assertThat(x).isBetween(-1e-9, 1 + 1e-9);
                        rs += x;
                    }
                    assertThat(rs).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
                }
                if (mode != Decoding.SPARSEMAP) {
                    assertThat(p.alternatives()).hasSize(1);
                }
            }
        }
    }

    private static int[] ids(NerModel m, String[] tags) {
        int[] out = new int[tags.length];
        for (int i = 0; i < tags.length; i++) {
            out[i] = m.tags().indexOf(tags[i]);
        }
        return out;
    }

    @Test
    void saveThenLoadGivesIdenticalPredictions() {
        List<NerSentence> data = synthetic(20, 1);
        NerModel m = NerModel.create(tinyConfig(NerLoss.CRF), data, 42);
        train(m, data, 2, 7);
        InMemoryParameterStore store = new InMemoryParameterStore();
        m.save(store);
        NerModel back = NerModel.load(store);
        assertThat(back.tags()).isEqualTo(m.tags());
        List<String[]> forms = new ArrayList<>(data.stream().map(NerSentence::forms).toList());
        forms.add(new String[] {"Zorro", "visited", "Atlantis", "!"});
        assertSamePredictions(m, back, forms);
    }

    /** Every decoding mode gives {@code b} the same tags, marginals and alternatives as {@code a}. */
    static void assertSamePredictions(NerModel a, NerModel b, List<String[]> forms) {
        for (Decoding mode : Decoding.Task.NER.decodings()) {
            List<NerPrediction> pa = a.predict(forms, mode);
            List<NerPrediction> pb = b.predict(forms, mode);
            for (int i = 0; i < pa.size(); i++) {
                assertThat(pb.get(i).tags()).isEqualTo(pa.get(i).tags());
                assertThat(pb.get(i).marginals()).isDeepEqualTo(pa.get(i).marginals());
                assertThat(pb.get(i).alternatives()).usingRecursiveComparison().isEqualTo(pa.get(i).alternatives());
            }
        }
    }

    @Test
    void encoderFromAParserStartsWithItsEncoderAndVocabulariesAndStillLearns() {
        io.github.sparsestruct.models.depparse.ParserModel parser =
                io.github.sparsestruct.models.testing.TinyModels.parser(8, 3);
        List<NerSentence> data = synthetic(20, 1);
        NerModel m = NerModel.createFrom(tinyConfig(NerLoss.CRF), data, parser.features(),
                parser.config().encoder(), parser.network().parameters(), null, 42);
        assertThat(m.features()).isSameAs(parser.features());
        Map<String, INDArray> source = parser.network().parameters();
        int copied = 0;
        for (Map.Entry<String, INDArray> p : m.parameters().entrySet()) {
            if (p.getKey().startsWith("enc/")) {
                assertThat(p.getValue()).as(p.getKey()).isEqualTo(source.get(p.getKey()));
                assertThat(p.getValue()).as("a copy, not the parser's array").isNotSameAs(source.get(p.getKey()));
                copied++;
            } else {
                assertThat(p.getKey()).matches("(ner|net)/.*");
            }
        }
        assertThat(copied).isEqualTo((int) source.keySet().stream().filter(k -> k.startsWith("enc/")).count());
        double before = m.loss(data);
        train(m, data, 25, 7);
        assertThat(m.loss(data)).isLessThan(before / 4);
        assertThat(accuracy(m, data, Decoding.MAP)).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void encoderFromAModelLackingAnEncoderParameterIsRefusedByName() {
        io.github.sparsestruct.models.depparse.ParserModel parser =
                io.github.sparsestruct.models.testing.TinyModels.parser(0, 3);
        Map<String, INDArray> params = new java.util.LinkedHashMap<>(parser.network().parameters());
        params.remove(io.github.sparsestruct.models.nn.Encoder.WORD_EMB);
        assertThatThrownBy(() -> NerModel.createFrom(tinyConfig(NerLoss.CRF), synthetic(5, 1), parser.features(),
                parser.config().encoder(), params, null, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(io.github.sparsestruct.models.nn.Encoder.WORD_EMB);
    }
}
