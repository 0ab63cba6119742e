package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.decode.Decoding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.nn.EncoderInference;
import io.github.sparsestruct.models.testing.GradientCheck;
import io.github.sparsestruct.models.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The NER model with pretrained word-vector features in its tag scores. */
class NerWordVectorsTest {
    /** Random 3-dimensional vectors for some of the tiny data's words (others have none). */
    static WordVectors randomVectors(long seed) {
        List<String> words = List.of("alice", "carol", "paris", "rome", "york", "initech", "visited", "met", ".");
        Random r = new Random(seed);
        float[] v = new float[words.size() * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return WordVectors.of(words, v, 3);
    }

    @ParameterizedTest
    @EnumSource(NerLoss.class)
    void gradientsThroughTheVectorFeaturesMatchFiniteDifferences(NerLoss loss) {
        for (int hidden : new int[] {0, 3}) {
            List<NerSentence> data = TinyModels.nerData(4, 3);
            NerConfig cfg = new NerConfig(EncoderConfig.tiny().withLstm(4, 1).withDataType("double"), loss, false,
                    Adam.Config.defaults(), hidden);
            NerModel m = NerModel.create(cfg, data, null, randomVectors(5), 11);
            assertThat(m.parameters().get("ner/gaz/W").shape()).as("linear weights of 3 x 3 + 1 vector features")
                    .containsExactly(10L, (long) m.tags().size());
            GradientCheck.perturb(m.parameters(), 5);
            Map<String, INDArray> grads = m.lossGradients(data);
            int tokens = data.stream().mapToInt(NerSentence::length).sum();
            List<String> names = hidden > 0 ? List.of("ner/gaz/W", "ner/hid/W", "ner/out/W", "enc/lstm0b/Wx")
                    : List.of("ner/gaz/W", "ner/out/W", "enc/lstm0b/Wx");
            assertThat(GradientCheck.check(m.parameters(), grads, names, () -> m.loss(data), tokens, loss))
                    .isEqualTo(3 * names.size());
        }
    }

    @ParameterizedTest(name = "seed {0}, hidden {1}, gazetteer {2}")
    @CsvSource({"1,0,false", "2,5,false", "3,5,true", "4,0,true"})
    void predictionPathAddsTheVectorTermsLikeTheGraph(int seed, int hidden, boolean gazetteer) {
        assumeTrue(EncoderInference.available(DataType.FLOAT));
        List<NerSentence> data = TinyModels.nerData(20, seed);
        NerModel m = NerModel.create(NerModelTest.tinyConfig(NerLoss.CRF).withHeadHidden(hidden), data,
                gazetteer ? NerGazetteerTest.GAZ : null, randomVectors(seed), seed);
        NerModelTest.train(m, data, 2, seed);
        TinyModels.perturb(m.parameters(), new Random(seed), 0.5);
        List<String[]> forms = new ArrayList<>(data.subList(0, 6).stream().map(NerSentence::forms).toList());
        forms.add(new String[] {"Rome"});
        forms.add(new String[] {"Carol", "met", "𝔸lice", "in", "new", "york", "!"});
        NerPredictionPathTest.assertScoresAgree(m, forms);
    }

    @Test
    void overfitsThenSaveAndLoadKeepTheVectorsAndGiveIdenticalPredictions() {
        List<NerSentence> data = TinyModels.nerData(20, 1);
        NerModel m = NerModel.create(NerModelTest.tinyConfig(NerLoss.CRF).withHeadHidden(8), data,
                NerGazetteerTest.GAZ, randomVectors(9), 42);
        NerModelTest.train(m, data, 40, 7);
        assertThat(NerModelTest.accuracy(m, data, Decoding.MAP)).isGreaterThanOrEqualTo(0.99);
        NerModel back = NerGazetteerTest.reloadWithSamePredictions(m, data);
        assertThat(back.vectors().size()).isEqualTo(9);
        assertThat(back.vectors().vector("Rome")).containsExactly(m.vectors().vector("rome"));
        assertThat(back.gazetteer().text()).isEqualTo(NerGazetteerTest.GAZ.text());
        assertThat(NerGazetteerTest.reloadedPlain(data).vectors()).as("a model without vectors loads without them")
                .isNull();
    }

    /** Vectors near (2, −2) for people and (−2, 2) for places, with a little noise (GloVe's values reach ±3). */
    private static WordVectors typedVectors(String[] per, String[] loc, long seed) {
        Random r = new Random(seed);
        List<String> words = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        for (String[] pool : new String[][] {per, loc}) {
            for (String w : pool) {
                words.add(w);
                values.add((pool == per ? 2f : -2f) + 0.2f * (float) r.nextGaussian());
                values.add((pool == per ? -2f : 2f) + 0.2f * (float) r.nextGaussian());
            }
        }
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return WordVectors.of(words, v, 2);
    }

    @Test
    void namesNeverSeenInTrainingGetTheTypeTheirVectorsSuggest() {
        String[] trainPer = {"Alice", "Carol", "Eve", "Mallory"};
        String[] trainLoc = {"Paris", "Lyon", "Oslo", "Quito"};
        String[] newPer = {"Trent", "Peggy", "Victor", "Walter"};
        String[] newLoc = {"Lima", "Riga", "Bern", "Minsk"};
        WordVectors v = typedVectors(concat(trainPer, newPer), concat(trainLoc, newLoc), 3);
        List<NerSentence> train = NerGazetteerTest.ambiguousContext(trainPer, trainLoc, 40, 1);
        List<NerSentence> test = NerGazetteerTest.ambiguousContext(newPer, newLoc, 40, 2);
        NerConfig cfg = NerModelTest.tinyConfig(NerLoss.CRF);
        NerModel with = NerModel.create(cfg, train, null, v, 42);
        NerModel without = NerModel.create(cfg, train, 42);
        NerModelTest.train(with, train, 30, 7);
        NerModelTest.train(without, train, 30, 7);
        assertThat(NerModelTest.accuracy(with, train, Decoding.MAP)).isGreaterThanOrEqualTo(0.99);
        double withNew = NerGazetteerTest.entityTypeAccuracy(with, test);
        double withoutNew = NerGazetteerTest.entityTypeAccuracy(without, test);
        assertThat(withNew).as("unseen names, with vectors (without: %s)", withoutNew)
                .isGreaterThanOrEqualTo(0.85).isGreaterThanOrEqualTo(withoutNew + 0.25);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
