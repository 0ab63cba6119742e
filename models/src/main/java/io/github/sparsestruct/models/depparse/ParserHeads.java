package io.github.sparsestruct.models.depparse;

import io.github.sparsestruct.models.nn.Blas;
import io.github.sparsestruct.models.nn.Network;
import java.nio.FloatBuffer;

/**
 * The parser's heads for prediction, computed with {@link Blas} on a float snapshot of their parameters instead of
 * the heads graph: the same functions as the graph's {@code dep/arcs}, {@code dep/labHeadOut},
 * {@code dep/labDepOut}, {@code dep/uposScores} and {@code dep/labelScoresPred} without dropout (agreement checked
 * by {@code ParserHeadsTest}), on the real tokens only, and without a graph call per batch. Immutable; thread-safe.
 */
final class ParserHeads {
    /** Heads outputs of a batch, in the graph's layouts ([B, T, T] arcs, [B, T, d] the rest; zero at padding). */
    record Outputs(double[] arcs, double[] labH, double[] labD, double[] pos) {
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);
    private final int in;
    private final int da;
    private final int dl;
    private final int nl;
    private final int np;
    /** Column blocks of the first product: arc head, arc dependent, label head, label dependent, UPOS. */
    private final int width;
    private final float[] encBias;
    private final FloatBuffer wcat;
    private final float[] bcat;
    /** [U | head bias] [da, da + 1]. */
    private final FloatBuffer uh;
    private final FloatBuffer lu;
    /** [labWh; labWd] [2·dl, nl]. */
    private final FloatBuffer lw;
    private final float[] lb;

    private ParserHeads(Network net, ParserConfig config, int labels, int tags) {
        this.in = config.encoder().outputDim();
        this.da = config.arcDim();
        this.dl = config.labelDim();
        this.nl = labels;
        this.np = tags;
        this.width = 2 * da + 2 * dl + np;
        this.encBias = Blas.floats(net.variable("net/encoded/bias"));
        String[] blocks = {"dep/arcHead", "dep/arcDep", "dep/labHead", "dep/labDep", "dep/upos"};
        int[] sizes = {da, da, dl, dl, np};
        float[] w = new float[in * width];
        float[] b = new float[width];
        int col = 0;
        for (int k = 0; k < blocks.length; k++) {
            float[] wk = Blas.floats(net.variable(blocks[k] + "/W"));
            float[] bk = Blas.floats(net.variable(blocks[k] + "/b"));
            for (int r = 0; r < in; r++) {
                System.arraycopy(wk, r * sizes[k], w, r * width + col, sizes[k]);
            }
            System.arraycopy(bk, 0, b, col, sizes[k]);
            col += sizes[k];
        }
        this.wcat = Blas.direct(w);
        this.bcat = b;
        float[] u = Blas.floats(net.variable("dep/arcU"));
        float[] hb = Blas.floats(net.variable("dep/arcHeadBias"));
        float[] uhv = new float[da * (da + 1)];
        for (int r = 0; r < da; r++) {
            System.arraycopy(u, r * da, uhv, r * (da + 1), da);
            uhv[r * (da + 1) + da] = hb[r];
        }
        this.uh = Blas.direct(uhv);
        this.lu = Blas.direct(Blas.floats(net.variable("dep/labU")));
        float[] wh = Blas.floats(net.variable("dep/labWh"));
        float[] wd = Blas.floats(net.variable("dep/labWd"));
        float[] lwv = new float[2 * dl * nl];
        System.arraycopy(wh, 0, lwv, 0, dl * nl);
        System.arraycopy(wd, 0, lwv, dl * nl, dl * nl);
        this.lw = Blas.direct(lwv);
        this.lb = Blas.floats(net.variable("dep/labB"));
    }

    /** The snapshot of a network's current parser heads. */
    static ParserHeads of(Network net, ParserConfig config, int labels, int tags) {
        return new ParserHeads(net, config, labels, tags);
    }

    /**
     * Heads outputs of a batch.
     *
     * @param enc     encoder output [B, T, in]
     * @param lengths sentence lengths (root included)
     * @param t       T
     */
    Outputs compute(float[] enc, int[] lengths, int t) {
        int b = lengths.length;
        int total = 0;
        for (int n : lengths) {
            total += n;
        }
        int longest = 0;
        for (int n : lengths) {
            longest = Math.max(longest, n);
        }
        Work w = WORK.get();
        w.ensure(total, in, width, da, longest);
        float[] row = w.row(Math.max(in, width));
        int r = 0;
        for (int i = 0; i < b; i++) {
            for (int p = 0; p < lengths[i]; p++) {
                int src = (i * t + p) * in;
                for (int k = 0; k < in; k++) {
                    row[k] = enc[src + k] + encBias[k];
                }
                w.x.put(r++ * in, row, 0, in);
            }
        }
        Blas.gemm(total, width, in, w.x, 0, wcat, 0f, w.y, 0);
        double[] labH = new double[b * t * dl];
        double[] labD = new double[b * t * dl];
        double[] pos = new double[b * t * np];
        int mlp = 2 * da + 2 * dl;
        r = 0;
        for (int i = 0; i < b; i++) {
            for (int p = 0; p < lengths[i]; p++) {
                w.y.get(r * width, row, 0, width);
                for (int k = 0; k < width; k++) {
                    float v = row[k] + bcat[k];
                    row[k] = k < mlp && v < 0 ? 0.1f * v : v;
                }
                w.ah.put(r * da, row, 0, da);
                w.ad.put(r * da, row, da, da);
                int o = (i * t + p) * dl;
                for (int k = 0; k < dl; k++) {
                    labH[o + k] = row[2 * da + k];
                    labD[o + k] = row[2 * da + dl + k];
                }
                int po = (i * t + p) * np;
                for (int k = 0; k < np; k++) {
                    pos[po + k] = row[mlp + k];
                }
                r++;
            }
        }
        // HU = arcH · [U | hb]: column da is each head's bias
        Blas.gemm(total, da + 1, da, w.ah, 0, uh, 0f, w.hu, 0);
        double[] arcs = new double[b * t * t];
        r = 0;
        for (int i = 0; i < b; i++) {
            int n = lengths[i];
            Blas.gemm(false, true, n, n, da, 1f, w.hu, r * (da + 1), da + 1, w.ad, r * da, da, 0f, w.s, 0, n);
            float[] s = w.heap(n * n);
            w.s.get(0, s, 0, n * n);
            for (int h = 0; h < n; h++) {
                float hb = w.hu.get((r + h) * (da + 1) + da);
                int o = (i * t + h) * t;
                for (int m = 0; m < n; m++) {
                    arcs[o + m] = s[h * n + m] + hb;
                }
            }
            r += n;
        }
        return new Outputs(arcs, labH, labD, pos);
    }

    /** Relation scores [N, L] of N (head, dependent) label-representation pairs, each [N, dl]. */
    double[] labelScores(double[] hr, double[] dr, int count) {
        Work w = WORK.get();
        w.ensureLabels(count, dl, nl);
        float[] row = w.row(2 * dl);
        for (int r = 0; r < count; r++) {
            for (int k = 0; k < dl; k++) {
                row[k] = (float) hr[r * dl + k];
                row[dl + k] = (float) dr[r * dl + k];
            }
            w.hd.put(r * 2 * dl, row, 0, 2 * dl);
        }
        // hr · labU [N, nl·dl] and [hr | dr] · [labWh; labWd] [N, nl]
        Blas.gemm(false, false, count, nl * dl, dl, 1f, w.hd, 0, 2 * dl, lu, 0, nl * dl, 0f, w.hru, 0, nl * dl);
        Blas.gemm(count, nl, 2 * dl, w.hd, 0, lw, 0f, w.lin, 0);
        float[] hru = w.heap(nl * dl);
        float[] lin = new float[nl];
        double[] out = new double[count * nl];
        for (int r = 0; r < count; r++) {
            w.hru.get(r * nl * dl, hru, 0, nl * dl);
            w.lin.get(r * nl, lin, 0, nl);
            for (int l = 0; l < nl; l++) {
                float acc = 0f;
                for (int k = 0; k < dl; k++) {
                    acc += hru[l * dl + k] * (float) dr[r * dl + k];
                }
                out[r * nl + l] = acc + lin[l] + lb[l];
            }
        }
        return out;
    }

    /** Work buffers of one thread. */
    private static final class Work {
        FloatBuffer x = Blas.allocate(0);
        FloatBuffer y = Blas.allocate(0);
        FloatBuffer ah = Blas.allocate(0);
        FloatBuffer ad = Blas.allocate(0);
        FloatBuffer hu = Blas.allocate(0);
        FloatBuffer s = Blas.allocate(0);
        FloatBuffer hd = Blas.allocate(0);
        FloatBuffer hru = Blas.allocate(0);
        FloatBuffer lin = Blas.allocate(0);
        private float[] row = new float[0];
        private float[] heap = new float[0];

        void ensure(int total, int in, int width, int da, int longest) {
            x = Blas.grow(x, total * in);
            y = Blas.grow(y, total * width);
            ah = Blas.grow(ah, total * da);
            ad = Blas.grow(ad, total * da);
            hu = Blas.grow(hu, total * (da + 1));
            s = Blas.grow(s, longest * longest);
        }

        void ensureLabels(int count, int dl, int nl) {
            hd = Blas.grow(hd, count * 2 * dl);
            hru = Blas.grow(hru, count * nl * dl);
            lin = Blas.grow(lin, count * nl);
        }

        float[] row(int n) {
            row = Blas.grow(row, n);
            return row;
        }

        float[] heap(int n) {
            heap = Blas.grow(heap, n);
            return heap;
        }
    }
}
