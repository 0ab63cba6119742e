package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.nn.Blas;
import io.github.sparsestruct.models.nn.Network;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The tag-score layer for prediction on a float snapshot of its parameters, the graph's {@code ner/out} without a
 * graph call: (encoded + bias) · W + b, or, with a hidden layer, tanh([encoded + bias; extra features] · W_h + b_h) · W
 * + b (one OpenBLAS product per batch).
 */
final class NerHead {
    private final float[] encBias;
    private final float[] w;
    private final float[] b;
    /** The linear weights [F, S] of the extra features (gazetteer, word vectors), or null. */
    final float[] gazW;
    /** The hidden layer's weights [D + F, H] and bias [H], or null for a linear head. */
    final FloatBuffer hidW;
    private final float[] hidB;
    /** The hidden layer's input width D + F. */
    private final int hidIn;
    /** Per-thread input and pre-activation buffers of the hidden layer (grown as batches need). */
    private final ThreadLocal<FloatBuffer[]> work = ThreadLocal.withInitial(
            () -> new FloatBuffer[] {Blas.allocate(1), Blas.allocate(1)});

    NerHead(Network net) {
        this.encBias = Blas.floats(net.variable("net/encoded/bias"));
        this.w = Blas.floats(net.variable("ner/out/W"));
        this.b = Blas.floats(net.variable("ner/out/b"));
        this.gazW = net.graph().getVariable(NerGraph.GAZ_W) == null ? null : Blas.floats(net.variable(NerGraph.GAZ_W));
        boolean hidden = net.graph().getVariable(NerGraph.HID + "/W") != null;
        this.hidW = hidden ? Blas.direct(Blas.floats(net.variable(NerGraph.HID + "/W"))) : null;
        this.hidB = hidden ? Blas.floats(net.variable(NerGraph.HID + "/b")) : null;
        this.hidIn = hidden ? (int) net.variable(NerGraph.HID + "/W").size(0) : 0;
    }

    /**
     * Scores [rows, S] (double) of encoder rows [rows, D].
     *
     * @param gaz the extra features [rows, F] for a hidden layer that reads them, else null
     */
    double[] scores(float[] enc, float[] gaz, int rows) {
        if (hidW != null) {
            return hiddenScores(enc, gaz, rows);
        }
        return linear(enc, encBias, encBias.length, rows);
    }

    private double[] hiddenScores(float[] enc, float[] gaz, int rows) {
        int d = encBias.length;
        int h = hidB.length;
        int in = hidIn;
        int f = in - d;
        FloatBuffer[] buf = work.get();
        buf[0] = Blas.grow(buf[0], rows * in);
        buf[1] = Blas.grow(buf[1], rows * h);
        FloatBuffer x = buf[0];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < d; k++) {
                x.put(r * in + k, enc[r * d + k] + encBias[k]);
            }
            for (int k = 0; k < f; k++) {
                x.put(r * in + d + k, gaz[r * f + k]);
            }
        }
        FloatBuffer y = buf[1];
        Blas.gemm(rows, h, in, x, 0, hidW, 0f, y, 0);
        float[] hidden = new float[rows * h];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < h; k++) {
                hidden[r * h + k] = (float) Math.tanh(y.get(r * h + k) + hidB[k]);
            }
        }
        return linear(hidden, null, h, rows);
    }

    /** (x + bias) · W + b for rows of width d; bias may be null. */
    private double[] linear(float[] x, float[] bias, int d, int rows) {
        int s = b.length;
        double[] out = new double[rows * s];
        float[] acc = new float[s];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(b, 0, acc, 0, s);
            for (int k = 0; k < d; k++) {
                float v = x[r * d + k] + (bias == null ? 0f : bias[k]);
                for (int j = 0; j < s; j++) {
                    acc[j] += v * w[k * s + j];
                }
            }
            for (int j = 0; j < s; j++) {
                out[r * s + j] = acc[j];
            }
        }
        return out;
    }

    /**
     * Adds extra features · {@code ner/gaz/W} to prediction scores [B·T·S] (the graph's linear extra term).
     *
     * @param extra the batch's extra features [B, T, F] ({@link ExtraFeatures#batch})
     */
    void addExtraScores(List<String[]> forms, int t, float[] extra, double[] scores) {
        float[] w = gazW;
        int f = gazW.length / b.length;
        int s = b.length;
        for (int i = 0; i < forms.size(); i++) {
            for (int k = 0; k < forms.get(i).length; k++) {
                int row = (i * t + k) * s;
                int in = (i * t + k) * f;
                for (int q = 0; q < f; q++) {
                    float g = extra[in + q];
                    if (g != 0) {
                        for (int j = 0; j < s; j++) {
                            scores[row + j] += g * w[q * s + j];
                        }
                    }
                }
            }
        }
    }
}
