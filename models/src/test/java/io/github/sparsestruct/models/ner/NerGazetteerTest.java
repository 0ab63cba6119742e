package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.decode.Decoding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.nn.EncoderInference;
import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.testing.GradientCheck;
import io.github.sparsestruct.models.testing.TinyModels;
import io.github.sparsestruct.models.nn.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The NER model with gazetteer match features in its tag scores. */
class NerGazetteerTest {
    /** Lists the tiny data's names (TinyModels) and a few more; "Rome" is listed as both a place and a person. */
    static final Gazetteer GAZ = Gazetteer.parse("""
            PER\talice
            PER\tbob smith
            PER\tdan brown
            PER\trome
            LOC\tparis
            LOC\tnew york
            LOC\trome
            ORG\tacme corp
            ORG\tglobex inc
            """);

    @ParameterizedTest
    @EnumSource(NerLoss.class)
    void lossGradientsIncludingTheGazetteerWeightsMatchFiniteDifferences(NerLoss loss) {
        assertThat(checkGradients(loss, 0, List.of("ner/gaz/W", "ner/out/W", "ner/trans", "enc/lstm0b/Wx")))
                .isEqualTo(12);
    }

    /** Checks the named parameters' gradients on 4 tiny sentences; returns how many entries were checked. */
    private static int checkGradients(NerLoss loss, int headHidden, List<String> names) {
        List<NerSentence> data = TinyModels.nerData(4, 3);
        NerConfig cfg = new NerConfig(EncoderConfig.tiny().withLstm(4, 1).withDataType("double"), loss, false,
                Adam.Config.defaults(), headHidden);
        NerModel m = NerModel.create(cfg, data, GAZ, 11);
        if (headHidden > 0) {
            assertThat(m.parameters().get("ner/hid/W").shape())
                    .as("hidden layer reads the encoder output (8) and the gazetteer features")
                    .containsExactly(8L + GAZ.featureCount(), headHidden);
        }
        GradientCheck.perturb(m.parameters(), 5);
        Map<String, INDArray> grads = m.lossGradients(data);
        int tokens = data.stream().mapToInt(NerSentence::length).sum();
        return GradientCheck.check(m.parameters(), grads, names, () -> m.loss(data), tokens, loss);
    }

    /** "I like X ." where X is a person or a place at random: only the name itself tells which. */
    static List<NerSentence> ambiguousContext(String[] per, String[] loc, int count, long seed) {
        Random r = new Random(seed);
        List<NerSentence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean isPer = r.nextBoolean();
            String[] pool = isPer ? per : loc;
            String name = pool[r.nextInt(pool.length)];
            out.add(new NerSentence("s" + i, new String[] {"I", "like", name, "."},
                    new String[] {"O", "O", isPer ? "B-PER" : "B-LOC", "O"}));
        }
        return out;
    }

    @Test
    void listedNamesNeverSeenInTrainingMostlyGetTheirListedType() {
        String[] trainPer = {"Alice", "Carol", "Eve", "Mallory"};
        String[] trainLoc = {"Paris", "Lyon", "Oslo", "Quito"};
        String[] newPer = {"Trent", "Peggy", "Victor", "Walter"};
        String[] newLoc = {"Lima", "Riga", "Bern", "Minsk"};
        StringBuilder text = new StringBuilder();
        for (String[] pool : List.of(trainPer, newPer)) {
            for (String n : pool) {
                text.append("PER\t").append(n).append('\n');
            }
        }
        for (String[] pool : List.of(trainLoc, newLoc)) {
            for (String n : pool) {
                text.append("LOC\t").append(n).append('\n');
            }
        }
        List<NerSentence> train = ambiguousContext(trainPer, trainLoc, 40, 1);
        List<NerSentence> test = ambiguousContext(newPer, newLoc, 40, 2);
        NerConfig cfg = NerModelTest.tinyConfig(NerLoss.CRF);
        NerModel with = NerModel.create(cfg, train, Gazetteer.parse(text.toString()), 42);
        NerModel without = NerModel.create(cfg, train, 42);
        NerModelTest.train(with, train, 30, 7);
        NerModelTest.train(without, train, 30, 7);
        assertThat(NerModelTest.accuracy(with, train, Decoding.MAP)).isGreaterThanOrEqualTo(0.99);
        double withNew = entityTypeAccuracy(with, test);
        double withoutNew = entityTypeAccuracy(without, test);
        assertThat(withNew).as("unseen listed names, with the gazetteer (without: %s)", withoutNew)
                .isGreaterThanOrEqualTo(0.85).isGreaterThanOrEqualTo(withoutNew + 0.25);
        assertThat(withoutNew).as("unseen names without the gazetteer: about a coin toss").isLessThan(0.7);
    }

    static double entityTypeAccuracy(NerModel m, List<NerSentence> data) {
        List<NerPrediction> preds = m.predict(data.stream().map(NerSentence::forms).toList(), Decoding.MAP);
        int ok = 0;
        for (int i = 0; i < data.size(); i++) {
            ok += preds.get(i).tags()[2].equals(data.get(i).tags()[2]) ? 1 : 0;
        }
        return ok / (double) data.size();
    }

    @Test
    void saveThenLoadKeepsTheGazetteerAndGivesIdenticalPredictions() {
        List<NerSentence> data = TinyModels.nerData(20, 1);
        NerModel m = NerModel.create(NerModelTest.tinyConfig(NerLoss.CRF), data, GAZ, 42);
        NerModelTest.train(m, data, 3, 7);
        NerModel back = reloadWithSamePredictions(m, data);
        assertThat(back.gazetteer().text()).isEqualTo(GAZ.text());
        assertThat(back.parameters().get("ner/gaz/W")).isEqualTo(m.parameters().get("ner/gaz/W"));
        assertThat(m.parameters().get("ner/gaz/W").sumNumber().doubleValue()).as("trained weights").isNotZero();
        assertThat(reloadedPlain(data).gazetteer()).as("a model without a gazetteer loads without one").isNull();
    }

    /**
     * Saves and loads a model, checks that the loaded one predicts as the original on the data and on a sentence
     * with listed and unlisted names, and returns it.
     */
    static NerModel reloadWithSamePredictions(NerModel m, List<NerSentence> data) {
        InMemoryParameterStore store = new InMemoryParameterStore();
        m.save(store);
        NerModel back = NerModel.load(store);
        List<String[]> forms = new ArrayList<>(data.stream().map(NerSentence::forms).toList());
        forms.add(new String[] {"Rome", "met", "Dan", "Brown", "in", "new", "york", "!"});
        NerModelTest.assertSamePredictions(m, back, forms);
        return back;
    }

    /** A tiny model with neither gazetteer nor word vectors, saved and loaded again. */
    static NerModel reloadedPlain(List<NerSentence> data) {
        NerModel plain = NerModel.create(NerModelTest.tinyConfig(NerLoss.CRF), data, 42);
        InMemoryParameterStore store = new InMemoryParameterStore();
        plain.save(store);
        return NerModel.load(store);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3})
    void predictionPathAddsTheGazetteerTermLikeTheGraph(int seed) {
        assumeTrue(EncoderInference.available(DataType.FLOAT));
        List<NerSentence> data = TinyModels.nerData(20, seed);
        NerModel m = NerModel.create(NerModelTest.tinyConfig(NerLoss.CRF), data, GAZ, seed);
        NerModelTest.train(m, data, 2, seed);
        TinyModels.perturb(m.parameters(), new Random(seed), 0.5);
        List<String[]> forms = data.subList(0, 6).stream().map(NerSentence::forms).toList();
        NerPredictionPathTest.assertScoresAgree(m, forms);
    }

    @ParameterizedTest
    @EnumSource(NerLoss.class)
    void withAHiddenLayerOverEncoderAndGazetteerTheGradientsMatchFiniteDifferences(NerLoss loss) {
        assertThat(checkGradients(loss, 3, List.of("ner/hid/W", "ner/hid/b", "ner/out/W", "ner/gaz/W",
                "enc/lstm0b/Wx"))).isEqualTo(15);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3})
    void predictionPathComputesTheHiddenLayerLikeTheGraph(int seed) {
        assumeTrue(EncoderInference.available(DataType.FLOAT));
        List<NerSentence> data = TinyModels.nerData(20, seed);
        NerModel m = NerModel.create(NerModelTest.tinyConfig(NerLoss.CRF).withHeadHidden(5), data, GAZ, seed);
        NerModelTest.train(m, data, 2, seed);
        TinyModels.perturb(m.parameters(), new Random(seed), 0.5);
        List<String[]> forms = new ArrayList<>(data.subList(0, 6).stream().map(NerSentence::forms).toList());
        forms.add(new String[] {"Rome", "met", "Dan", "Brown", "in", "new", "york", "!"});
        NerPredictionPathTest.assertScoresAgree(m, forms);
        NerModel noGaz = NerModel.create(NerModelTest.tinyConfig(NerLoss.CRF).withHeadHidden(5), data, seed);
        TinyModels.perturb(noGaz.parameters(), new Random(seed), 0.5);
        NerPredictionPathTest.assertScoresAgree(noGaz, forms);
    }

    @Test
    void aHiddenHeadOverfitsSavesAndLoadsAndOlderConfigsReadAsLinear() {
        List<NerSentence> data = TinyModels.nerData(20, 1);
        NerModel m = NerModel.create(NerModelTest.tinyConfig(NerLoss.CRF).withHeadHidden(8), data, GAZ, 42);
        NerModelTest.train(m, data, 40, 7);
        assertThat(NerModelTest.accuracy(m, data, Decoding.MAP)).isGreaterThanOrEqualTo(0.99);
        InMemoryParameterStore store = new InMemoryParameterStore();
        m.save(store);
        NerModel back = NerModel.load(store);
        assertThat(back.config().headHidden()).isEqualTo(8);
        NerModelTest.assertSamePredictions(m, back, data.stream().map(NerSentence::forms).toList());

        NerModel linear = NerModel.create(NerModelTest.tinyConfig(NerLoss.CRF), data, GAZ, 42);
        InMemoryParameterStore old = new InMemoryParameterStore();
        linear.save(old);
        String cfg = old.getMetadata("ner/config");
        assertThat(cfg).contains(",\"headHidden\":0");
        old.putMetadata("ner/config", cfg.replace(",\"headHidden\":0", ""));
        NerModel oldBack = NerModel.load(old);
        assertThat(oldBack.config().headHidden()).as("a config written before the setting existed").isZero();
        assertThat(oldBack.parameters()).doesNotContainKey("ner/hid/W");
        NerModelTest.assertSamePredictions(linear, oldBack, data.stream().map(NerSentence::forms).toList());
    }

    @Test
    void aNegativeHiddenWidthIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NerModelTest.tinyConfig(NerLoss.CRF).withHeadHidden(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
}
