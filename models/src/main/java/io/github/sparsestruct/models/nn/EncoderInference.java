package io.github.sparsestruct.models.nn;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward pass of an {@link Encoder} for prediction: the same function as {@code Encoder.encode(batch, null)}
 * (no dropout), computed on float arrays with OpenBLAS {@code sgemm} called directly (through JavaCPP) and the
 * LSTM gates in plain Java, instead of a SameDiff graph and a dozen ND4J operations per time step.
 *
 * <p>Why: at prediction time the per-operation overhead of ND4J (array views, strided element-wise kernels, one
 * JNI call per operation) dominated the encoder; this path runs the same arithmetic several times faster on one
 * core (BENCHMARKS.md, "The prediction path"). It also skips work the graph does: sentences are processed longest first, so each time step
 * multiplies only the rows of the sentences still running, and characters are pooled per distinct form.
 *
 * <p>The instance is an immutable snapshot of the parameters taken by {@link #snapshot}; it is safe to call from
 * several threads at once (each thread has its own work buffers). Outputs agree with the graph to float rounding
 * ({@code EncoderInferenceTest}); outputs at padded positions are zero.
 */
public final class EncoderInference {
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);
    /** System property: {@code nd4j} turns this path off (predictions then run the encoder's graph). */
    public static final String PROPERTY = "sparsestruct.encoder";
    private static final boolean PLATFORM_OK = platformOk();
    /** Up to this many running sentences (measured crossover on a 200 × 800 matrix), a time step uses one sgemv per sentence instead of one sgemm. */
    private static final int GEMV_ROWS = 16;

    private final int wordDim;
    private final int caseDim;
    private final int charDim;
    private final int filters;
    private final int maxChars;
    private final int hidden;
    private final int layers;
    private final int inputDim;
    private final float[] wordEmb;
    private final float[] caseEmb;
    private final float[] charEmb;
    private final FloatBuffer charW;
    private final float[] charB;
    private final FloatBuffer[] wx;
    private final FloatBuffer[] wr;
    private final float[][] bias;
    /** Pretrained layers mixed per token, their width, and the mix weights γ·softmax(w) (null: no pretrained input). */
    private final int preLayers;
    private final int preDim;
    private final float[] preMix;

    private EncoderInference(EncoderConfig c, Map<String, INDArray> p) {
        this.wordDim = c.wordDim();
        this.caseDim = c.caseDim();
        this.charDim = c.charDim();
        this.filters = c.charFilters();
        this.maxChars = c.maxChars();
        this.hidden = c.lstmHidden();
        this.layers = c.lstmLayers();
        this.inputDim = c.inputDim();
        this.wordEmb = withBias(p.get(Encoder.WORD_EMB), p.get(Encoder.WORD_VECS + "/bias"));
        this.caseEmb = caseDim > 0 ? withBias(p.get(Encoder.CASE_EMB), p.get(Encoder.CASE_VECS + "/bias")) : null;
        if (filters > 0) {
            this.charEmb = withBias(p.get(Encoder.CHAR_EMB), p.get(Encoder.CHAR_VECS + "/bias"));
            this.charW = Blas.direct(Blas.floats(p.get("enc/charConv/W")));
            this.charB = Blas.floats(p.get("enc/charConv/b"));
        } else {
            this.charEmb = null;
            this.charW = null;
            this.charB = null;
        }
        PretrainedInput pin = c.pretrained();
        this.preLayers = pin == null ? 0 : pin.layers();
        this.preDim = pin == null ? 0 : pin.dim();
        this.preMix = pin == null ? null : mixWeights(p.get(Encoder.PRETRAINED_MIX), p.get(Encoder.PRETRAINED_SCALE));
        this.wx = new FloatBuffer[2 * layers];
        this.wr = new FloatBuffer[2 * layers];
        this.bias = new float[2 * layers][];
        for (int l = 0; l < layers; l++) {
            for (int d = 0; d < 2; d++) {
                String pre = "enc/lstm" + l + (d == 0 ? "f" : "b") + "/";
                wx[2 * l + d] = Blas.direct(Blas.floats(p.get(pre + "Wx")));
                wr[2 * l + d] = Blas.direct(Blas.floats(p.get(pre + "Wr")));
                bias[2 * l + d] = Blas.floats(p.get(pre + "b"));
            }
        }
    }

    /** γ · softmax(w), computed in double and rounded once. */
    private static float[] mixWeights(INDArray logits, INDArray scale) {
        double[] w = logits.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double g = scale.getDouble(0);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : w) {
            max = Math.max(max, v);
        }
        double z = 0;
        for (double v : w) {
            z += Math.exp(v - max);
        }
        float[] out = new float[w.length];
        for (int l = 0; l < w.length; l++) {
            out[l] = (float) (g * Math.exp(w[l] - max) / z);
        }
        return out;
    }

    /**
     * Whether this path applies to networks of the given type on this machine: float parameters, ND4J's CPU
     * backend, OpenBLAS loadable, and not turned off with {@code -Dsparsestruct.encoder=nd4j}.
     */
    public static boolean available(DataType type) {
        return type == DataType.FLOAT && PLATFORM_OK && !"nd4j".equals(System.getProperty(PROPERTY));
    }

    private static boolean platformOk() {
        try {
            if (!org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getName().contains("Cpu")) {
                return false;
            }
            org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /**
     * A snapshot of an encoder's current parameters.
     *
     * @throws IllegalArgumentException when a parameter is missing
     */
    public static EncoderInference snapshot(Encoder encoder) {
        return new EncoderInference(encoder.config(), encoder.parameters());
    }

    /** Output size per position (both directions of the last layer). */
    public int outputDim() {
        return 2 * hidden;
    }

    /**
     * Encodes a batch.
     *
     * @return the output [B, T, 2H] row-major (T the batch's longest sentence), zero at padded positions
     */
    public float[] encode(EncoderBatch batch) {
        Layout lay = new Layout(batch.lengths(), batch.maxLength());
        Workspace ws = WORKSPACE.get();
        int rows = lay.total;
        ws.ensure(rows, Math.max(inputDim, 2 * hidden), hidden, batch.types() * maxChars, 3 * charDim, filters);
        features(batch, lay, ws);
        FloatBuffer x = ws.x;
        FloatBuffer next = ws.out;
        int d = inputDim;
        for (int l = 0; l < layers; l++) {
            // forward direction on x as it is; backward direction on each sentence reversed within its length
            direction(x, d, lay, 2 * l, ws.hf, ws);
            reverse(x, ws.xrev, d, lay, ws);
            direction(ws.xrev, d, lay, 2 * l + 1, ws.hbr, ws);
            join(ws.hf, ws.hbr, next, lay, ws);
            FloatBuffer tmp = x;
            x = next;
            next = tmp;
            d = 2 * hidden;
        }
        int o = 2 * hidden;
        int b = lay.order.length;
        int t = batch.maxLength();
        float[] out = new float[b * t * o];
        for (int j = 0; j < b; j++) {
            int src = lay.order[j];
            for (int s = 0; s < lay.len[j]; s++) {
                x.get(lay.row(s, j) * o, out, (src * t + s) * o, o);
            }
        }
        return out;
    }

    /**
     * Packed time-major layout: sentences sorted longest first; the rows of time step s are the sentences still
     * running at s, stored together from {@code start[s]}; so there are exactly as many rows as tokens.
     */
    private static final class Layout {
        final int[] order;
        final int[] len;
        final int[] active;
        final int[] start;
        final int total;

        Layout(int[] lengths, int t) {
            int b = lengths.length;
            Integer[] boxed = new Integer[b];
            for (int i = 0; i < b; i++) {
                boxed[i] = i;
            }
            Arrays.sort(boxed, (x, y) -> Integer.compare(lengths[y], lengths[x]));
            order = new int[b];
            len = new int[b];
            for (int j = 0; j < b; j++) {
                order[j] = boxed[j];
                len[j] = lengths[order[j]];
            }
            active = new int[t];
            start = new int[t + 1];
            for (int s = 0; s < t; s++) {
                int n = 0;
                while (n < b && len[n] > s) {
                    n++;
                }
                active[s] = n;
                start[s + 1] = start[s] + n;
            }
            total = start[t];
        }

        int row(int s, int j) {
            return start[s] + j;
        }
    }

    /** Fills ws.x [rows, inputDim] with word, case and pooled character features. */
    private void features(EncoderBatch batch, Layout lay, Workspace ws) {
        int t = batch.maxLength();
        float[] pooled = filters > 0 ? charPool(batch, ws) : null;
        float[] row = ws.row(inputDim);
        int[] words = batch.words();
        int[] cases = batch.cases();
        int[] types = batch.typeIndex();
        for (int j = 0; j < lay.order.length; j++) {
            int src = lay.order[j];
            for (int s = 0; s < lay.len[j]; s++) {
                int pos = src * t + s;
                System.arraycopy(wordEmb, words[pos] * wordDim, row, 0, wordDim);
                int k = wordDim;
                if (caseDim > 0) {
                    System.arraycopy(caseEmb, cases[pos] * caseDim, row, k, caseDim);
                    k += caseDim;
                }
                if (filters > 0) {
                    System.arraycopy(pooled, types[pos] * filters, row, k, filters);
                    k += filters;
                }
                if (preMix != null) {
                    mixPretrained(batch.pretrained(), pos, row, k);
                }
                ws.x.put(lay.row(s, j) * inputDim, row, 0, inputDim);
            }
        }
    }

    /** row[k, k + dim) = Σ_l mix_l · vecs[pos, l, :]. */
    private void mixPretrained(float[] vecs, int pos, float[] row, int k) {
        if (vecs == null) {
            throw new IllegalStateException("this encoder reads pretrained vectors, but the batch has none");
        }
        int base = pos * preLayers * preDim;
        java.util.Arrays.fill(row, k, k + preDim, 0f);
        for (int l = 0; l < preLayers; l++) {
            float m = preMix[l];
            int src = base + l * preDim;
            for (int d = 0; d < preDim; d++) {
                row[k + d] += m * vecs[src + d];
            }
        }
    }

    /** Character CNN of each distinct form: width-3 windows → tanh → max over the windows (penalised outside). */
    private float[] charPool(EncoderBatch batch, Workspace ws) {
        int u = batch.types();
        int w = maxChars;
        int lc = w + 2;
        int k = 3 * charDim;
        int[] ids = batch.chars();
        float[] win = ws.row(k);
        for (int a = 0; a < u; a++) {
            for (int j = 0; j < w; j++) {
                for (int q = 0; q < 3; q++) {
                    System.arraycopy(charEmb, ids[a * lc + j + q] * charDim, win, q * charDim, charDim);
                }
                ws.win.put((a * w + j) * k, win, 0, k);
            }
        }
        Blas.gemm(u * w, filters, k, ws.win, 0, charW, 0f, ws.conv, 0);
        float[] conv = ws.heap(u * w * filters);
        ws.conv.get(0, conv, 0, u * w * filters);
        float[] penalty = batch.charPenalty();
        float[] pooled = new float[u * filters];
        Arrays.fill(pooled, Float.NEGATIVE_INFINITY);
        for (int a = 0; a < u; a++) {
            for (int j = 0; j < w; j++) {
                float pen = penalty[a * w + j];
                int c0 = (a * w + j) * filters;
                for (int f = 0; f < filters; f++) {
                    float v = Activations.tanh(conv[c0 + f] + charB[f]) + pen;
                    if (v > pooled[a * filters + f]) {
                        pooled[a * filters + f] = v;
                    }
                }
            }
        }
        return pooled;
    }

    /** One LSTM direction over x [rows, d] (packed layout), writing h [rows, H]. */
    private void direction(FloatBuffer x, int d, Layout lay, int which, FloatBuffer h, Workspace ws) {
        int g4 = 4 * hidden;
        int hh = hidden;
        Blas.gemm(lay.total, g4, d, x, 0, wx[which], 0f, ws.a, 0);
        FloatBuffer rec = wr[which];
        float[] bi = bias[which];
        int b = lay.order.length;
        float[] c = ws.cell(b * hh);
        float[] gates = ws.heap(b * g4);
        float[] hv = ws.row(b * hh);
        for (int s = 0; s < lay.active.length; s++) {
            int n = lay.active[s];
            int r0 = lay.start[s];
            if (s > 0) {
                FloatBuffer prev = Blas.at(h, lay.start[s - 1] * hh);
                if (n <= GEMV_ROWS) {
                    // sgemm re-packs the whole recurrent matrix on every call, whatever the row count; a
                    // matrix-vector product per row streams it (timings: BENCHMARKS.md, "The prediction path")
                    int p0 = lay.start[s - 1] * hh;
                    for (int r = 0; r < n; r++) {
                        cblas_sgemv(CblasRowMajor, CblasTrans, hh, g4, 1f, rec, g4, Blas.at(h, p0 + r * hh), 1, 1f,
                                Blas.at(ws.a, (r0 + r) * g4), 1);
                    }
                } else {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, g4, hh, 1f, prev, hh, rec, g4, 1f,
                            Blas.at(ws.a, r0 * g4), g4);
                }
            }
            ws.a.get(r0 * g4, gates, 0, n * g4);
            for (int r = 0; r < n; r++) {
                int go = r * g4;
                int co = r * hh;
                for (int q = 0; q < hh; q++) {
                    float i = Activations.sigmoid(gates[go + q] + bi[q]);
                    float f = Activations.sigmoid(gates[go + hh + q] + bi[hh + q]);
                    float o = Activations.sigmoid(gates[go + 2 * hh + q] + bi[2 * hh + q]);
                    float g = Activations.tanh(gates[go + 3 * hh + q] + bi[3 * hh + q]);
                    float cv = s == 0 ? i * g : i * g + f * c[co + q];
                    c[co + q] = cv;
                    hv[co + q] = o * Activations.tanh(cv);
                }
            }
            h.put(r0 * hh, hv, 0, n * hh);
        }
    }

    /** Row (k, j) of xrev is row (len_j − 1 − k, j) of x. */
    private static void reverse(FloatBuffer x, FloatBuffer xrev, int d, Layout lay, Workspace ws) {
        float[] row = ws.row(d);
        for (int j = 0; j < lay.order.length; j++) {
            int n = lay.len[j];
            for (int k = 0; k < n; k++) {
                x.get(lay.row(n - 1 - k, j) * d, row, 0, d);
                xrev.put(lay.row(k, j) * d, row, 0, d);
            }
        }
    }

    /** Row (s, j) of out is [row (s, j) of hf, row (len_j − 1 − s, j) of hbr]. */
    private void join(FloatBuffer hf, FloatBuffer hbr, FloatBuffer out, Layout lay, Workspace ws) {
        int hh = hidden;
        float[] row = ws.row(2 * hh);
        for (int j = 0; j < lay.order.length; j++) {
            int n = lay.len[j];
            for (int s = 0; s < n; s++) {
                hf.get(lay.row(s, j) * hh, row, 0, hh);
                hbr.get(lay.row(n - 1 - s, j) * hh, row, hh, hh);
                out.put(lay.row(s, j) * 2 * hh, row, 0, 2 * hh);
            }
        }
    }

    private static float[] withBias(INDArray table, INDArray bias) {
        float[] t = Blas.floats(table);
        float[] bv = Blas.floats(bias);
        int d = bv.length;
        for (int i = 0; i < t.length; i++) {
            t[i] += bv[i % d];
        }
        return t;
    }

    /** Work buffers of one thread, grown on demand and reused across calls. */
    private static final class Workspace {
        FloatBuffer x = Blas.allocate(0);
        FloatBuffer xrev = Blas.allocate(0);
        FloatBuffer out = Blas.allocate(0);
        FloatBuffer a = Blas.allocate(0);
        FloatBuffer hf = Blas.allocate(0);
        FloatBuffer hbr = Blas.allocate(0);
        FloatBuffer win = Blas.allocate(0);
        FloatBuffer conv = Blas.allocate(0);
        private float[] heap = new float[0];
        private float[] row = new float[0];
        private float[] cell = new float[0];

        void ensure(int rows, int dMax, int hidden, int windows, int winDim, int filters) {
            x = Blas.grow(x, rows * dMax);
            xrev = Blas.grow(xrev, rows * dMax);
            out = Blas.grow(out, rows * dMax);
            a = Blas.grow(a, rows * 4 * hidden);
            hf = Blas.grow(hf, rows * hidden);
            hbr = Blas.grow(hbr, rows * hidden);
            win = Blas.grow(win, windows * winDim);
            conv = Blas.grow(conv, windows * filters);
        }


        float[] heap(int n) {
            heap = Blas.grow(heap, n);
            return heap;
        }

        float[] row(int n) {
            row = Blas.grow(row, n);
            return row;
        }

        float[] cell(int n) {
            cell = Blas.grow(cell, n);
            return cell;
        }
    }
}
