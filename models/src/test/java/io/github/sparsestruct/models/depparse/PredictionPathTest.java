package io.github.sparsestruct.models.depparse;

import io.github.sparsestruct.models.decode.Decoding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.nn.EncoderBatch;
import io.github.sparsestruct.models.nn.EncoderInference;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The parser's prediction path (EncoderInference + ParserHeads) against its graph: the same arc, label, UPOS and
 * relation scores on random batches of a trained tiny parser with perturbed parameters, and the same predictions.
 */
class PredictionPathTest {
    static <T> T viaGraph(Supplier<T> f) {
        System.setProperty(EncoderInference.PROPERTY, "nd4j");
        try {
            return f.get();
        } finally {
            System.clearProperty(EncoderInference.PROPERTY);
        }
    }

    static void close(double[] fast, double[] graph, String what) {
        assertThat(fast).as(what).hasSize(graph.length);
        for (int i = 0; i < fast.length; i++) {
            assertThat(fast[i]).as("%s[%d]", what, i).isCloseTo(graph[i],
                    org.assertj.core.data.Offset.offset(1e-4 + 1e-4 * Math.abs(graph[i])));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void headsAgreeWithTheGraph(int seed) {
        assumeTrue(EncoderInference.available(DataType.FLOAT));
        ParserModel m = TinyModels.parser(4, seed);
        Random r = new Random(seed);
        TinyModels.perturb(m.parameters(), r, 0.2);
        List<DepSentence> data = TinyModels.parseData(12, seed + 100);
        List<String[]> forms = new ArrayList<>();
        for (int i = 0; i < 1 + r.nextInt(8); i++) {
            DepSentence s = data.get(r.nextInt(data.size()));
            String[] f = new String[s.forms().length + 1];
            f[0] = TokenFeaturizer.ROOT;
            System.arraycopy(s.forms(), 0, f, 1, s.forms().length);
            forms.add(f);
        }
        EncoderBatch eb = m.features().featurize(forms, 0, null);
        ParserHeads.Outputs fast = m.headOutputs(eb);
        ParserHeads.Outputs graph = viaGraph(() -> m.headOutputs(eb));
        int t = eb.maxLength();
        int dl = m.config().labelDim();
        int np = m.uposTags().size();
        // compare at real positions (the graph leaves values at padding, the path zeros)
        for (int i = 0; i < eb.size(); i++) {
            int n = eb.lengths()[i];
            for (int h = 0; h < n; h++) {
                close(java.util.Arrays.copyOfRange(fast.arcs(), (i * t + h) * t, (i * t + h) * t + n),
                        java.util.Arrays.copyOfRange(graph.arcs(), (i * t + h) * t, (i * t + h) * t + n), "arcs");
                close(java.util.Arrays.copyOfRange(fast.labH(), (i * t + h) * dl, (i * t + h + 1) * dl),
                        java.util.Arrays.copyOfRange(graph.labH(), (i * t + h) * dl, (i * t + h + 1) * dl), "labH");
                close(java.util.Arrays.copyOfRange(fast.labD(), (i * t + h) * dl, (i * t + h + 1) * dl),
                        java.util.Arrays.copyOfRange(graph.labD(), (i * t + h) * dl, (i * t + h + 1) * dl), "labD");
                close(java.util.Arrays.copyOfRange(fast.pos(), (i * t + h) * np, (i * t + h + 1) * np),
                        java.util.Arrays.copyOfRange(graph.pos(), (i * t + h) * np, (i * t + h + 1) * np), "upos");
            }
        }
        int pairs = 1 + r.nextInt(20);
        double[] hr = new double[pairs * dl];
        double[] dr = new double[pairs * dl];
        for (int i = 0; i < hr.length; i++) {
            hr[i] = r.nextGaussian();
            dr[i] = r.nextGaussian();
        }
        close(m.labelScores(hr, dr, pairs, dl), viaGraph(() -> m.labelScores(hr, dr, pairs, dl)), "relations");
        List<String[]> plain = new ArrayList<>();
        for (String[] f : forms) {
            plain.add(java.util.Arrays.copyOfRange(f, 1, f.length));
        }
        for (Decoding mode : Decoding.Task.PARSE.decodings()) {
            List<ParsePrediction> a = m.predict(plain, mode);
            List<ParsePrediction> b = viaGraph(() -> m.predict(plain, mode));
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.get(i).heads()).as("%s heads", mode).isEqualTo(b.get(i).heads());
                assertThat(a.get(i).deprels()).as("%s relations", mode).isEqualTo(b.get(i).deprels());
                assertThat(a.get(i).upos()).as("%s upos", mode).isEqualTo(b.get(i).upos());
            }
        }
    }
}
