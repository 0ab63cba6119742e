package io.github.sparsestruct.models.depparse;

import io.github.sparsestruct.models.decode.Decoding;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.testing.GradientCheck;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.nn.LengthBuckets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

class ParserModelTest {
    private static final String[] NOUN = {"dog", "cat", "man", "bird"};
    private static final String[] VERB = {"chased", "saw", "liked"};
    private static final String[] PROPN = {"Paris", "London", "Anna"};
    private static final String[] ADJ = {"big", "red", "small"};
    /** Templates: word (or slot), head, relation, UPOS. */
    private static final String[][][] TEMPLATES = {
        {{"the", "2", "det", "DET"}, {"NOUN", "3", "nsubj", "NOUN"}, {"VERB", "0", "root", "VERB"},
            {"the", "5", "det", "DET"}, {"NOUN", "3", "obj", "NOUN"}, {".", "3", "punct", "PUNCT"}},
        {{"PROPN", "2", "nsubj", "PROPN"}, {"VERB", "0", "root", "VERB"}, {"in", "4", "case", "ADP"},
            {"PROPN", "2", "obl", "PROPN"}, {".", "2", "punct", "PUNCT"}},
        {{"a", "3", "det", "DET"}, {"ADJ", "3", "amod", "ADJ"}, {"NOUN", "4", "nsubj", "NOUN"},
            {"VERB", "0", "root", "VERB"}, {".", "4", "punct", "PUNCT"}},
        {{"she", "2", "nsubj", "PRON"}, {"VERB", "0", "root", "VERB"}, {"the", "5", "det", "DET"},
            {"ADJ", "5", "amod", "ADJ"}, {"NOUN", "2", "obj", "NOUN"}, {"quickly", "2", "advmod", "ADV"},
            {".", "2", "punct", "PUNCT"}},
    };

    /** A tiny treebank from templates with random fillers (the test's own data). */
    static List<DepSentence> synthetic(int count, long seed) {
        Random r = new Random(seed);
        List<DepSentence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[][] tpl = TEMPLATES[i % TEMPLATES.length];
            int n = tpl.length;
            String[] forms = new String[n];
            String[] upos = new String[n];
            int[] heads = new int[n];
            String[] rels = new String[n];
            for (int k = 0; k < n; k++) {
                String[] pool = switch (tpl[k][0]) {
                    case "NOUN" -> NOUN;
                    case "VERB" -> VERB;
                    case "PROPN" -> PROPN;
                    case "ADJ" -> ADJ;
                    default -> null;
                };
                forms[k] = pool == null ? tpl[k][0] : pool[r.nextInt(pool.length)];
                heads[k] = Integer.parseInt(tpl[k][1]);
                rels[k] = tpl[k][2];
                upos[k] = tpl[k][3];
            }
            out.add(new DepSentence("t" + i, forms, upos, heads, rels));
        }
        return out;
    }

    static ParserConfig tinyConfig(ArcLoss loss) {
        return new ParserConfig(EncoderConfig.tiny(), 16, 8, 0.0, loss, false, 50,
                Adam.Config.defaults().withLearningRate(0.02));
    }

    static void train(ParserModel m, List<DepSentence> data, int epochs, long seed) {
        Random rng = new Random(seed);
        int[] lengths = data.stream().mapToInt(DepSentence::length).toArray();
        for (int e = 0; e < epochs; e++) {
            for (int[] idx : LengthBuckets.batches(lengths, 5, 1000, rng)) {
                List<DepSentence> batch = new ArrayList<>();
                for (int i : idx) {
                    batch.add(data.get(i));
                }
                m.trainStep(batch, rng);
            }
        }
    }

    /** UAS, LAS and UPOS accuracy. */
    static double[] scores(ParserModel m, List<DepSentence> data, Decoding mode) {
        List<ParsePrediction> preds = m.predict(data.stream().map(DepSentence::forms).toList(), mode);
        int words = 0;
        int uas = 0;
        int las = 0;
        int pos = 0;
        for (int i = 0; i < data.size(); i++) {
            DepSentence s = data.get(i);
            ParsePrediction p = preds.get(i);
            for (int k = 0; k < s.length(); k++) {
                words++;
                boolean head = p.heads()[k] == s.heads()[k];
                uas += head ? 1 : 0;
                las += head && p.deprels()[k].equals(s.deprels()[k]) ? 1 : 0;
                pos += p.upos()[k].equals(s.upos()[k]) ? 1 : 0;
            }
        }
        return new double[] {uas / (double) words, las / (double) words, pos / (double) words};
    }

    @ParameterizedTest
    @EnumSource(ArcLoss.class)
    void overfitsATinySyntheticTreebank(ArcLoss loss) {
        List<DepSentence> data = synthetic(20, 1);
        long t0 = System.nanoTime();
        ParserModel m = ParserModel.create(tinyConfig(loss), data, 42);
        train(m, data, 60, 7);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] s = scores(m, data, Decoding.MAP);
        assertThat(s[0]).as("UAS with %s", loss).isGreaterThanOrEqualTo(0.99);
        assertThat(s[1]).as("LAS with %s", loss).isGreaterThanOrEqualTo(0.99);
        assertThat(s[2]).as("UPOS with %s", loss).isGreaterThanOrEqualTo(0.99);
    }

    @ParameterizedTest
    @EnumSource(ArcLoss.class)
    void lossGradientsMatchFiniteDifferences(ArcLoss loss) {
        List<DepSentence> data = synthetic(4, 3);
        ParserConfig cfg = new ParserConfig(EncoderConfig.tiny().withLstm(4, 1).withDataType("double"), 5, 4, 0.0,
                loss, false, 1000, Adam.Config.defaults());
        ParserModel m = ParserModel.create(cfg, data, 11);
        GradientCheck.perturb(m.parameters(), 5);
        Map<String, INDArray> grads = m.lossGradients(data);
        int words = data.stream().mapToInt(DepSentence::length).sum();
        int checked = GradientCheck.check(m.parameters(), grads, List.of("dep/arcU", "dep/arcHeadBias", "dep/arcDep/W", "dep/labU", "dep/labB",
                "dep/upos/W", "enc/lstm0f/Wr", "enc/wordEmb"), () -> m.loss(data), words, loss);
        assertThat(checked).isEqualTo(24);
    }

    @Test
    void decodingModesGiveSingleRootTreesAndDistributions() {
        List<DepSentence> data = synthetic(20, 1);
        ParserModel m = ParserModel.create(tinyConfig(ArcLoss.SPARSEMAP), data, 42);
        train(m, data, 3, 7);
        List<String[]> forms = new ArrayList<>(data.stream().map(DepSentence::forms).toList());
        forms.add(new String[] {"Zorro"});
        for (Decoding mode : Decoding.Task.PARSE.decodings()) {
            List<ParsePrediction> preds = m.predict(forms, mode);
            for (int i = 0; i < preds.size(); i++) {
                ParsePrediction p = preds.get(i);
                int n = forms.get(i).length;
                double sum = 0;
                for (ParsePrediction.WeightedTree t : p.trees()) {
                    DepSentence asTree = new DepSentence("p", forms.get(i), p.upos(), t.heads(), t.deprels());
                    ParserModel.checkTree(asTree);
                    for (int k = 0; k < n; k++) {
                        assertThat(t.deprels()[k].equals("root")).isEqualTo(t.heads()[k] == 0);
                    }
                    sum += t.weight();
                }
                assertThat(sum).isCloseTo(1.0, Offset.offset(1e-9));
                assertThat(p.trees().get(0).heads()).isEqualTo(p.heads());
                assertThat(p.arcMarginals()).hasNumberOfRows(n + 1);
                for (int dep = 1; dep <= n; dep++) {
                    double col = 0;
                    for (int h = 0; h <= n; h++) {
                        col += p.arcMarginals()[h][dep];
                    }
                    assertThat(col).as("%s column %d", mode, dep).isCloseTo(1.0, Offset.offset(1e-6));
                }
                if (mode != Decoding.SPARSEMAP) {
                    assertThat(p.trees()).hasSize(1);
                }
            }
        }
    }

    @Test
    void saveThenLoadGivesIdenticalParses() {
        List<DepSentence> data = synthetic(20, 1);
        ParserModel m = ParserModel.create(tinyConfig(ArcLoss.CRF), data, 42);
        train(m, data, 2, 7);
        InMemoryParameterStore store = new InMemoryParameterStore();
        m.save(store);
        ParserModel back = ParserModel.load(store);
        List<String[]> forms = new ArrayList<>(data.stream().map(DepSentence::forms).toList());
        forms.add(new String[] {"Zorro", "saw", "Atlantis", "!"});
        for (Decoding mode : Decoding.Task.PARSE.decodings()) {
            List<ParsePrediction> a = m.predict(forms, mode);
            List<ParsePrediction> b = back.predict(forms, mode);
            assertThat(b).usingRecursiveComparison().isEqualTo(a);
        }
    }
}
