package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.decode.Decoding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.nn.EncoderInference;
import io.github.sparsestruct.models.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/** NER tag scores by the prediction path against the graph, on a trained tiny model with perturbed parameters. */
class NerPredictionPathTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void scoresAgreeWithTheGraph(int seed) {
        assumeTrue(EncoderInference.available(DataType.FLOAT));
        NerModel m = TinyModels.ner(4, seed);
        Random r = new Random(seed);
        TinyModels.perturb(m.parameters(), r, 0.2);
        List<NerSentence> data = TinyModels.nerData(10, seed + 7);
        List<String[]> forms = new ArrayList<>();
        for (int i = 0; i < 1 + r.nextInt(8); i++) {
            forms.add(data.get(r.nextInt(data.size())).forms());
        }
        assertScoresAgree(m, forms);
        System.setProperty(EncoderInference.PROPERTY, "nd4j");
        List<NerPrediction> viaGraph;
        try {
            viaGraph = m.predict(forms, Decoding.SPARSEMAP);
        } finally {
            System.clearProperty(EncoderInference.PROPERTY);
        }
        List<NerPrediction> viaPath = m.predict(forms, Decoding.SPARSEMAP);
        for (int i = 0; i < forms.size(); i++) {
            assertThat(viaPath.get(i).tags()).isEqualTo(viaGraph.get(i).tags());
        }
    }

    /** The prediction path's tag scores equal the graph's (to float rounding) on every real token. */
    static void assertScoresAgree(NerModel m, List<String[]> forms) {
        double[] fast = m.scores(forms);
        System.setProperty(EncoderInference.PROPERTY, "nd4j");
        double[] graph;
        try {
            graph = m.scores(forms);
        } finally {
            System.clearProperty(EncoderInference.PROPERTY);
        }
        int t = forms.stream().mapToInt(f -> f.length).max().orElseThrow();
        int s = m.tags().size();
        for (int i = 0; i < forms.size(); i++) {
            for (int p = 0; p < forms.get(i).length; p++) {
                for (int k = 0; k < s; k++) {
                    int idx = (i * t + p) * s + k;
                    assertThat(fast[idx]).isCloseTo(graph[idx], org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
    }
}
