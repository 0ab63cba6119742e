package io.github.sparsestruct.models.align;

import java.util.ArrayList;
import java.util.List;

/**
 * Word-pair similarities from a frozen pretrained encoder's token vectors (its first returned layer: for multilingual
 * BERT, layer 8 counting the embeddings as 0, each token's first word piece), the cross-lingual part of the aligner's
 * pair features, and the SimAlign "ArgMax" baseline over the same vectors (Jalili Sabet et al. 2020: link i–j iff j
 * is i's most similar word and i is j's).
 *
 * <p>Pair features (k = 0..{@value #FEATURES}−1) of source word i and target word j, with c the cosine matrix:
 * <ol start="0">
 *   <li>c_ij;</li>
 *   <li>c_ij − max_j' c_ij' (0 for i's most similar word, negative otherwise);</li>
 *   <li>c_ij − max_i' c_i'j;</li>
 *   <li>the ArgMax link indicator (mutual best);</li>
 *   <li>√(softmax_j(c_i·/τ) · softmax_i(c_·j/τ)) with τ = {@value #TEMPERATURE}: both directions' attention.</li>
 * </ol>
 */
public final class EmbeddingSimilarity {
    /** Number of pair features. */
    public static final int FEATURES = 5;
    /** Temperature of the softmax feature. */
    public static final double TEMPERATURE = 0.05;

    private EmbeddingSimilarity() {
    }

    /**
     * The m×n cosine matrix (row-major) of two sentences' vectors.
     *
     * @param a      source vectors: token i's vector at {@code aOff + i·stride}
     * @param b      target vectors: token j's at {@code bOff + j·stride}
     * @param stride floats from one token to the next
     * @param dim    the vector width (the first {@code dim} floats of each token are read)
     */
    public static double[] cosines(float[] a, int aOff, int m, float[] b, int bOff, int n, int stride, int dim) {
        double[] na = norms(a, aOff, m, stride, dim);
        double[] nb = norms(b, bOff, n, stride, dim);
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            int oa = aOff + i * stride;
            for (int j = 0; j < n; j++) {
                int ob = bOff + j * stride;
                double dot = 0;
                for (int k = 0; k < dim; k++) {
                    dot += a[oa + k] * b[ob + k];
                }
                double d = na[i] * nb[j];
                c[i * n + j] = d > 0 ? dot / d : 0;
            }
        }
        return c;
    }

    private static double[] norms(float[] v, int off, int len, int stride, int dim) {
        double[] out = new double[len];
        for (int i = 0; i < len; i++) {
            double s = 0;
            for (int k = 0; k < dim; k++) {
                double x = v[off + i * stride + k];
                s += x * x;
            }
            out[i] = Math.sqrt(s);
        }
        return out;
    }

    /** The ArgMax links {i, j} of an m×n similarity matrix: j is row i's maximum and i is column j's (first wins). */
    public static List<int[]> mutualArgmax(double[] sim, int m, int n) {
        int[] colBest = new int[n];
        for (int j = 0; j < n; j++) {
            int best = 0;
            for (int i = 1; i < m; i++) {
                if (sim[i * n + j] > sim[best * n + j]) {
                    best = i;
                }
            }
            colBest[j] = best;
        }
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            int best = 0;
            for (int j = 1; j < n; j++) {
                if (sim[i * n + j] > sim[i * n + best]) {
                    best = j;
                }
            }
            if (n > 0 && colBest[best] == i) {
                out.add(new int[] {i, best});
            }
        }
        return out;
    }

    /**
     * Writes the pair features of an m×n cosine matrix into {@code out} at
     * {@code off + (i·stride + j)·width + first + k}.
     */
    public static void features(double[] c, int m, int n, float[] out, int off, int stride, int width, int first) {
        double[] rowMax = new double[m];
        double[] colMax = new double[n];
        java.util.Arrays.fill(rowMax, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(colMax, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                rowMax[i] = Math.max(rowMax[i], c[i * n + j]);
                colMax[j] = Math.max(colMax[j], c[i * n + j]);
            }
        }
        double[] rowSum = new double[m];
        double[] colSum = new double[n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                rowSum[i] += Math.exp((c[i * n + j] - rowMax[i]) / TEMPERATURE);
                colSum[j] += Math.exp((c[i * n + j] - colMax[j]) / TEMPERATURE);
            }
        }
        boolean[] argmax = new boolean[m * n];
        for (int[] l : mutualArgmax(c, m, n)) {
            argmax[l[0] * n + l[1]] = true;
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = c[i * n + j];
                int o = off + (i * stride + j) * width + first;
                out[o] = (float) x;
                out[o + 1] = (float) (x - rowMax[i]);
                out[o + 2] = (float) (x - colMax[j]);
                out[o + 3] = argmax[i * n + j] ? 1f : 0f;
                double pr = Math.exp((x - rowMax[i]) / TEMPERATURE) / rowSum[i];
                double pc = Math.exp((x - colMax[j]) / TEMPERATURE) / colSum[j];
                out[o + 4] = (float) Math.sqrt(pr * pc);
            }
        }
    }
}
