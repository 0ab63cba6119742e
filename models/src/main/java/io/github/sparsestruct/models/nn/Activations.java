package io.github.sparsestruct.models.nn;

/**
 * Logistic sigmoid and tanh for the LSTM gates of {@link EncoderInference}: linear interpolation in a table of the
 * sigmoid on [−16, 16] with step 1/256 (8,193 floats, 32 KB), faster than {@code Math.exp} per call (BENCHMARKS.md).
 * Absolute error below 5e-7 for the sigmoid and 1e-6 for tanh (ActivationsTest, against the exact functions);
 * beyond ±16 the sigmoid is clamped to its value there (off by at most 1.2e-7); NaN stays NaN.
 */
final class Activations {
    private static final float RANGE = 16f;
    private static final float SCALE = 256f;
    private static final int SIZE = (int) (2 * RANGE * SCALE) + 1;
    private static final float LAST = SIZE - 1;
    private static final float[] TABLE = new float[SIZE + 1];

    static {
        for (int i = 0; i < SIZE; i++) {
            double x = i / (double) SCALE - RANGE;
            TABLE[i] = (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        TABLE[SIZE] = TABLE[SIZE - 1];
    }

    private Activations() {
    }

    /** 1 / (1 + exp(−x)). */
    static float sigmoid(float x) {
        float u = x * SCALE + RANGE * SCALE;
        if (!(u > 0f)) {
            return x != x ? x : TABLE[0];
        }
        if (u >= LAST) {
            return TABLE[SIZE - 1];
        }
        int i = (int) u;
        float lo = TABLE[i];
        return lo + (u - i) * (TABLE[i + 1] - lo);
    }

    /** tanh(x) = 2 σ(2x) − 1. */
    static float tanh(float x) {
        return 2f * sigmoid(2f * x) - 1f;
    }
}
