package io.github.sparsestruct.models.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A stack of bidirectional LSTM layers computed with plain ND4J array operations (one GEMM for the input
 * projection of all time steps, then one GEMM and a few element-wise operations per step), with its own
 * backpropagation through time.
 *
 * <p>Why not SameDiff's {@code lstmLayer} op: in ND4J 1.0.0-M2.1 its native implementation leaks memory in
 * proportion to T·B·H on every call (about 13 arrays of that size per forward + backward pass, not reclaimed by
 * garbage collection; {@code reverseSequence} and {@code gru} leak the same way), so a training run exhausts the
 * machine's memory within an epoch. Its bidirectional mode with sequence lengths also computes wrong gradients for
 * the backward direction.
 *
 * <p>Layout: inputs and outputs are time-major, [T, B, d]. Sentences are padded at the end; the backward direction
 * runs on each sentence reversed within its length, so padding never reaches a real position (outputs at padded
 * positions are meaningless and must get zero gradient). Gate order i, f, o, g; forget-gate bias initialised to 1.
 * Parameters {@code enc/lstm<l><f|b>/Wx} [in, 4H], {@code /Wr} [H, 4H], {@code /b} [4H]. Not thread-safe.
 */
public final class BiLstmStack {
    private final int layers;
    private final int hidden;
    private final DataType type;
    private final Map<String, INDArray> params = new LinkedHashMap<>();

    /**
     * @param inputDim size of the input features
     * @param hidden   hidden size per direction
     * @param layers   number of bidirectional layers
     * @param init     source of the initial values (Glorot uniform)
     */
    public BiLstmStack(int inputDim, int hidden, int layers, ParamInit init) {
        this.layers = layers;
        this.hidden = hidden;
        this.type = init.type();
        int in = inputDim;
        for (int l = 0; l < layers; l++) {
            for (String d : new String[] {"f", "b"}) {
                String p = prefix(l, d);
                params.put(p + "Wx", init.uniformArray(Math.sqrt(6.0 / (in + hidden)), in, 4L * hidden));
                params.put(p + "Wr", init.uniformArray(Math.sqrt(6.0 / (2 * hidden)), hidden, 4L * hidden));
                INDArray b = Nd4j.zeros(type, 4L * hidden);
                b.get(NDArrayIndex.interval(hidden, 2 * hidden)).assign(1.0);
                params.put(p + "b", b);
            }
            in = 2 * hidden;
        }
    }

    private static String prefix(int layer, String dir) {
        return "enc/lstm" + layer + dir + "/";
    }

    /** The parameters (live arrays). */
    public Map<String, INDArray> parameters() {
        return params;
    }

    /** Output size (both directions). */
    public int outputDim() {
        return 2 * hidden;
    }

    /** What the forward pass keeps for the backward pass. */
    public static final class Cache {
        private final int[] reverse;
        private final INDArray[] inputs;
        private final Direction[][] dirs;
        private final INDArray[] masks;
        private final INDArray output;

        private Cache(int[] reverse, INDArray[] inputs, Direction[][] dirs, INDArray[] masks, INDArray output) {
            this.reverse = reverse;
            this.inputs = inputs;
            this.dirs = dirs;
            this.masks = masks;
            this.output = output;
        }

        /** The output [T, B, 2H] of the last layer (dropout applied). */
        public INDArray output() {
            return output;
        }
    }

    /** Activations of one direction of one layer over all steps. */
    private static final class Direction {
        INDArray x2d;
        INDArray a;
        INDArray c;
        INDArray tc;
        INDArray h;
    }

    /**
     * Runs the stack.
     *
     * @param x          [T, B, in] input (time-major)
     * @param lengths    the B sentence lengths
     * @param dropout    dropout rate on each layer's output
     * @param dropoutRng randomness for the dropout masks, or null for none
     */
    public Cache forward(INDArray x, int[] lengths, double dropout, Random dropoutRng) {
        int t = (int) x.size(0);
        int b = (int) x.size(1);
        int[] rev = reversal(lengths, t);
        INDArray[] inputs = new INDArray[layers];
        Direction[][] dirs = new Direction[layers][2];
        INDArray[] masks = new INDArray[layers];
        INDArray in = x;
        for (int l = 0; l < layers; l++) {
            inputs[l] = in;
            long d = in.size(2);
            INDArray x2d = in.reshape('c', (long) t * b, d);
            Direction fw = run(x2d, t, b, prefix(l, "f"));
            Direction bw = run(Nd4j.pullRows(x2d, 1, rev), t, b, prefix(l, "b"));
            INDArray hb = Nd4j.pullRows(bw.h.reshape('c', (long) t * b, hidden), 1, rev).reshape('c', t, b, hidden);
            INDArray out = Nd4j.concat(2, fw.h, hb);
            masks[l] = Encoder.dropoutMask(new long[] {t, b, 2L * hidden}, dropout, dropoutRng, type);
            if (dropoutRng != null && dropout > 0) {
                out.muli(masks[l]);
            }
            dirs[l][0] = fw;
            dirs[l][1] = bw;
            in = out;
        }
        return new Cache(rev, inputs, dirs, masks, in);
    }

    /** Row permutation of a [T·B, d] time-major matrix reversing each sentence within its length. */
    private static int[] reversal(int[] lengths, int t) {
        int b = lengths.length;
        int[] rev = new int[t * b];
        for (int s = 0; s < b; s++) {
            for (int k = 0; k < t; k++) {
                int src = k < lengths[s] ? lengths[s] - 1 - k : k;
                rev[k * b + s] = src * b + s;
            }
        }
        return rev;
    }

    private Direction run(INDArray x2d, int t, int b, String p) {
        INDArray wx = params.get(p + "Wx");
        INDArray wr = params.get(p + "Wr");
        int h = hidden;
        Direction d = new Direction();
        d.x2d = x2d;
        d.a = x2d.mmul(wx).addiRowVector(params.get(p + "b")).reshape('c', t, b, 4L * h);
        d.c = Nd4j.create(type, t, b, h);
        d.tc = Nd4j.create(type, t, b, h);
        d.h = Nd4j.create(type, t, b, h);
        for (int s = 0; s < t; s++) {
            INDArray a = d.a.slice(s);
            if (s > 0) {
                a.addi(d.h.slice(s - 1).mmul(wr));
            }
            INDArray ifo = a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3 * h));
            INDArray g = a.get(NDArrayIndex.all(), NDArrayIndex.interval(3 * h, 4 * h));
            Transforms.sigmoid(ifo, false);
            Transforms.tanh(g, false);
            INDArray i = a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h));
            INDArray o = a.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * h, 3 * h));
            INDArray c = d.c.slice(s);
            c.assign(i).muli(g);
            if (s > 0) {
                INDArray f = a.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 2 * h));
                c.addi(f.mul(d.c.slice(s - 1)));
            }
            INDArray tc = d.tc.slice(s);
            tc.assign(c);
            Transforms.tanh(tc, false);
            d.h.slice(s).assign(o).muli(tc);
        }
        return d;
    }

    /**
     * Backpropagates through the stack.
     *
     * @param cache  the forward pass
     * @param dOut   gradient with respect to the output [T, B, 2H]
     * @param grads  receives the parameter gradients (by parameter name)
     * @return the gradient with respect to the input [T, B, in]
     */
    public INDArray backward(Cache cache, INDArray dOut, Map<String, INDArray> grads) {
        INDArray d = dOut;
        for (int l = layers - 1; l >= 0; l--) {
            INDArray in = cache.inputs[l];
            int t = (int) in.size(0);
            int b = (int) in.size(1);
            INDArray dc = d.mul(cache.masks[l]);
            INDArray dhf = dc.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, hidden)).dup('c');
            INDArray dhb = dc.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(hidden, 2 * hidden))
                    .dup('c');
            INDArray dhbRev = Nd4j.pullRows(dhb.reshape('c', (long) t * b, hidden), 1, cache.reverse)
                    .reshape('c', t, b, hidden);
            INDArray dxf = back(cache.dirs[l][0], dhf, t, b, prefix(l, "f"), grads);
            INDArray dxbRev = back(cache.dirs[l][1], dhbRev, t, b, prefix(l, "b"), grads);
            INDArray dx = dxf.addi(Nd4j.pullRows(dxbRev, 1, cache.reverse));
            d = dx.reshape('c', t, b, in.size(2));
        }
        return d;
    }

    /** BPTT of one direction; returns dX [T·B, in]. */
    private INDArray back(Direction d, INDArray dH, int t, int b, String p, Map<String, INDArray> grads) {
        int h = hidden;
        INDArray wx = params.get(p + "Wx");
        INDArray wr = params.get(p + "Wr");
        INDArray dz = Nd4j.create(type, t, b, 4L * h);
        INDArray dhNext = null;
        INDArray dcNext = null;
        for (int s = t - 1; s >= 0; s--) {
            INDArray a = d.a.slice(s);
            INDArray i = a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h));
            INDArray f = a.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 2 * h));
            INDArray o = a.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * h, 3 * h));
            INDArray g = a.get(NDArrayIndex.all(), NDArrayIndex.interval(3 * h, 4 * h));
            INDArray tc = d.tc.slice(s);
            INDArray dh = dhNext == null ? dH.slice(s).dup() : dhNext.addi(dH.slice(s));
            INDArray z = dz.slice(s);
            INDArray dzi = z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h));
            INDArray dzf = z.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 2 * h));
            INDArray dzo = z.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * h, 3 * h));
            INDArray dzg = z.get(NDArrayIndex.all(), NDArrayIndex.interval(3 * h, 4 * h));
            // h = o * tanh(c)
            dzo.assign(dh).muli(tc).muli(o).muli(o.rsub(1.0));
            INDArray dcs = dh.muli(o).muli(tc.mul(tc).rsubi(1.0));
            if (dcNext != null) {
                dcs.addi(dcNext);
            }
            // c = f * c_prev + i * g
            dzi.assign(dcs).muli(g).muli(i).muli(i.rsub(1.0));
            dzg.assign(dcs).muli(i).muli(g.mul(g).rsubi(1.0));
            if (s > 0) {
                dzf.assign(dcs).muli(d.c.slice(s - 1)).muli(f).muli(f.rsub(1.0));
                dcNext = dcs.muli(f);
                dhNext = z.mmul(wr.transpose());
            }
        }
        INDArray dz2d = dz.reshape('c', (long) t * b, 4L * h);
        add(grads, p + "Wx", d.x2d.transpose().mmul(dz2d));
        add(grads, p + "b", dz2d.sum(0));
        if (t > 1) {
            INDArray hPrev = d.h.get(NDArrayIndex.interval(0, t - 1)).reshape('c', (long) (t - 1) * b, h);
            INDArray dzNext = dz.get(NDArrayIndex.interval(1, t)).reshape('c', (long) (t - 1) * b, 4L * h);
            add(grads, p + "Wr", hPrev.transpose().mmul(dzNext));
        } else {
            add(grads, p + "Wr", wr.ulike().assign(0));
        }
        return dz2d.mmul(wx.transpose());
    }

    private static void add(Map<String, INDArray> grads, String name, INDArray g) {
        grads.merge(name, g, INDArray::addi);
    }

    /** Names of the parameters, in order. */
    public List<String> names() {
        return List.copyOf(params.keySet());
    }
}
