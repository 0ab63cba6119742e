package io.github.sparsestruct.models.align;

import io.github.sparsestruct.models.decode.Decoding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.nn.EncoderInference;
import io.github.sparsestruct.models.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/** Alignments by the encoder's prediction path against the graph: same best alignments and link marginals. */
class AlignPredictionPathTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3})
    void predictionsAgreeWithTheGraph(int seed) {
        assumeTrue(EncoderInference.available(DataType.FLOAT));
        AlignModel m = TinyModels.align(6, seed);
        List<TokenPair> pairs = new ArrayList<>();
        for (AlignPair p : TinyModels.alignData(7, seed + 50)) {
            pairs.add(new TokenPair(p.source(), p.target()));
        }
        for (AlignDecoder decoder : AlignDecoder.values()) {
            List<AlignPrediction> fast = m.predict(pairs, decoder, Decoding.SPARSEMAP);
            List<AlignPrediction> graph;
            System.setProperty(EncoderInference.PROPERTY, "nd4j");
            try {
                graph = m.predict(pairs, decoder, Decoding.SPARSEMAP);
            } finally {
                System.clearProperty(EncoderInference.PROPERTY);
            }
            for (int i = 0; i < pairs.size(); i++) {
                assertThat(fast.get(i).best()).as("%s pair %d", decoder, i).isEqualTo(graph.get(i).best());
                double[] a = fast.get(i).marginals();
                double[] b = graph.get(i).marginals();
                assertThat(a).hasSize(b.length);
                for (int k = 0; k < a.length; k++) {
                    assertThat(a[k]).isCloseTo(b[k], org.assertj.core.data.Offset.offset(1e-3));
                }
            }
        }
    }

    /**
     * The Java pair and null scorers against the graph's, with every parameter moved off its initial value (so a
     * dropped bias, a transposed matrix or a missed feature shows), on pairs of mixed lengths, one of them a single
     * token against one.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void pairAndNullScoresAgreeWithTheGraphWithPerturbedParameters(int seed) {
        assumeTrue(EncoderInference.available(DataType.FLOAT));
        AlignModel m = TinyModels.align(2, seed);
        TinyModels.perturb(m.parameters(), new java.util.Random(seed), 0.3);
        List<TokenPair> pairs = new ArrayList<>();
        for (AlignPair p : TinyModels.alignData(6, seed + 70)) {
            pairs.add(new TokenPair(p.source(), p.target()));
        }
        pairs.add(new TokenPair(new String[] {"cat"}, new String[] {"cat"}));
        List<AlignModel.PairScores> fast = m.scores(pairs);
        List<AlignModel.PairScores> graph;
        System.setProperty(EncoderInference.PROPERTY, "nd4j");
        try {
            graph = m.scores(pairs);
        } finally {
            System.clearProperty(EncoderInference.PROPERTY);
        }
        for (int i = 0; i < pairs.size(); i++) {
            close(fast.get(i).pairs(), graph.get(i).pairs(), "pairs of pair " + i);
            close(fast.get(i).nullSource(), graph.get(i).nullSource(), "source nulls of pair " + i);
            close(fast.get(i).nullTarget(), graph.get(i).nullTarget(), "target nulls of pair " + i);
        }
    }

    private static void close(double[] a, double[] b, String what) {
        assertThat(a).as(what).hasSize(b.length);
        double scale = 0;
        for (double v : b) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertThat(scale).as(what + ": scores should not all be zero").isPositive();
        for (int k = 0; k < a.length; k++) {
            assertThat(a[k]).as(what + " [" + k + "]").isCloseTo(b[k],
                    org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, scale)));
        }
    }
}
