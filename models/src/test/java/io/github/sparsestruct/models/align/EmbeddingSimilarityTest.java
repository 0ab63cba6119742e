package io.github.sparsestruct.models.align;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class EmbeddingSimilarityTest {
    @Test
    void cosinesReadTheFirstDimFloatsOfEachToken() {
        // stride 3, dim 2: the third float of each token is another layer and must be ignored
        float[] a = {1, 0, 99, 0, 2, 99};
        float[] b = {3, 3, -99, 0, -1, 5};
        double[] c = EmbeddingSimilarity.cosines(a, 0, 2, b, 0, 2, 3, 2);
        double h = Math.sqrt(0.5);
        assertThat(c).containsExactly(new double[] {h, 0, h, -1}, Offset.offset(1e-9));
    }

    @Test
    void argmaxLinksOnlyMutualBestPairs() {
        // row 0 prefers column 0, row 1 prefers column 0 too (but column 0 prefers row 0), row 2 prefers column 1,
        // and column 1 prefers row 2
        double[] sim = {
            0.9, 0.1,
            0.8, 0.7,
            0.2, 0.75,
        };
        List<int[]> links = EmbeddingSimilarity.mutualArgmax(sim, 3, 2);
        assertThat(links).containsExactly(new int[] {0, 0}, new int[] {2, 1});
    }

    @Test
    void featuresMarkGapsArgmaxAndAttention() {
        double[] sim = {0.9, 0.1, 0.8, 0.7};
        int width = 7;
        float[] out = new float[2 * 2 * width];
        EmbeddingSimilarity.features(sim, 2, 2, out, 0, 2, width, 2);
        int p01 = (0 * 2 + 1) * width + 2;
        int p11 = (1 * 2 + 1) * width + 2;
        assertThat(out[p01]).isCloseTo(0.1f, Offset.offset(1e-6f));
        assertThat(out[p01 + 1]).isCloseTo(-0.8f, Offset.offset(1e-6f)); // row 0's best is 0.9
        assertThat(out[p01 + 2]).isCloseTo(-0.6f, Offset.offset(1e-6f)); // column 1's best is 0.7
        assertThat(out[p11 + 3]).isEqualTo(0f); // row 1's best is column 0
        assertThat(out[2 + 3]).isEqualTo(1f); // 0-0 is mutual best
        assertThat(out[0]).isZero(); // the lexical features' slots are left alone
        assertThat(out[1]).isZero();
        // attention: √(softmax over row · softmax over column), both ≈ 1 for the dominant 0-0 pair at τ = 0.05
        assertThat(out[4 + 2]).isGreaterThan(0.8f);
    }
}
