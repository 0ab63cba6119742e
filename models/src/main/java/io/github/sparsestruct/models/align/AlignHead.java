package io.github.sparsestruct.models.align;

import io.github.sparsestruct.models.nn.Blas;
import io.github.sparsestruct.models.nn.Network;

/**
 * The pair and null scorers for prediction on a float snapshot of their parameters (the graph's
 * {@code align/pairs} and {@code align/nulls} without a graph call): with x = encoded + bias and
 * p = tanh(x·W_p + b_p), pair(s, t) = (p_s·U)·p_t + tanh(lex·W1 + b1)·W2 + lex·W_l and
 * null(i) = x_i·W_n + b_n + tokLex_i·w_n.
 */
final class AlignHead {
    private final float[] encBias;
    private final float[] projW;
    private final float[] projB;
    private final float[] u;
    private final float[] w1;
    private final float[] b1;
    private final float[] w2;
    private final float[] wl;
    private final float[] nullW;
    private final float[] nullB;
    private final float[] nullLex;

    AlignHead(Network net) {
        this.encBias = Blas.floats(net.variable("net/encoded/bias"));
        this.projW = Blas.floats(net.variable("align/proj/W"));
        this.projB = Blas.floats(net.variable("align/proj/b"));
        this.u = Blas.floats(net.variable("align/U"));
        this.w1 = Blas.floats(net.variable("align/lex/W1"));
        this.b1 = Blas.floats(net.variable("align/lex/b1"));
        this.w2 = Blas.floats(net.variable("align/lex/W2"));
        this.wl = Blas.floats(net.variable("align/lex/Wl"));
        this.nullW = Blas.floats(net.variable("align/null/W"));
        this.nullB = Blas.floats(net.variable("align/null/b"));
        this.nullLex = Blas.floats(net.variable("align/null/lexW"));
    }

    /** Pair scores [b, t, t] from encoder rows [2b, t, h] (sources, then targets) and pair features. */
    double[] pairs(float[] enc, float[] lex, int b, int t) {
        int h = encBias.length;
        int d = projB.length;
        float[] proj = new float[2 * b * t * d];
        for (int r = 0; r < 2 * b * t; r++) {
            for (int j = 0; j < d; j++) {
                proj[r * d + j] = projB[j];
            }
            for (int k = 0; k < h; k++) {
                float x = enc[r * h + k] + encBias[k];
                for (int j = 0; j < d; j++) {
                    proj[r * d + j] += x * projW[k * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                proj[r * d + j] = (float) Math.tanh(proj[r * d + j]);
            }
        }
        int kp = wl.length;
        int hid = b1.length;
        double[] out = new double[b * t * t];
        float[] su = new float[d];
        float[] hidden = new float[hid];
        for (int i = 0; i < b; i++) {
            for (int a = 0; a < t; a++) {
                int src = (i * t + a) * d;
                java.util.Arrays.fill(su, 0f);
                for (int k = 0; k < d; k++) {
                    float x = proj[src + k];
                    for (int j = 0; j < d; j++) {
                        su[j] += x * u[k * d + j];
                    }
                }
                for (int c = 0; c < t; c++) {
                    int tgt = ((b + i) * t + c) * d;
                    float neural = 0;
                    for (int j = 0; j < d; j++) {
                        neural += su[j] * proj[tgt + j];
                    }
                    int lo = ((i * t + a) * t + c) * kp;
                    System.arraycopy(b1, 0, hidden, 0, hid);
                    float linear = 0;
                    for (int f = 0; f < kp; f++) {
                        float v = lex[lo + f];
                        if (v != 0) {
                            linear += v * wl[f];
                            for (int j = 0; j < hid; j++) {
                                hidden[j] += v * w1[f * hid + j];
                            }
                        }
                    }
                    float mlp = 0;
                    for (int j = 0; j < hid; j++) {
                        mlp += (float) Math.tanh(hidden[j]) * w2[j];
                    }
                    out[(i * t + a) * t + c] = neural + (mlp + linear);
                }
            }
        }
        return out;
    }

    /** Null scores [2b, t] (sources, then targets) from encoder rows and token features. */
    double[] nulls(float[] enc, float[] tok, int b, int t) {
        int h = encBias.length;
        int kn = LexicalFeatures.TOKEN;
        double[] out = new double[2 * b * t];
        for (int r = 0; r < 2 * b * t; r++) {
            float dense = nullB[0];
            for (int k = 0; k < h; k++) {
                dense += (enc[r * h + k] + encBias[k]) * nullW[k];
            }
            float lexical = 0;
            for (int f = 0; f < kn; f++) {
                lexical += tok[r * kn + f] * nullLex[f];
            }
            out[r] = dense + lexical;
        }
        return out;
    }
}
