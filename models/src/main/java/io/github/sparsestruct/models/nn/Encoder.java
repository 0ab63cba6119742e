package io.github.sparsestruct.models.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMActivations;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDataFormat;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDirectionMode;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMLayerConfig;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.weights.LSTMLayerWeights;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The shared sentence encoder: word, case and character-CNN features → a stack of bidirectional LSTMs, output
 * [B, T, 2H].
 *
 * <p>Design notes (ND4J 1.0.0-M2.1):
 * <ul>
 *   <li>The embedding tables (word, case, character) live outside the graph: rows are looked up on the Java side and
 *   fed as placeholders, and their gradients (SameDiff's gradients with respect to those placeholders) are
 *   scatter-added back into dense table gradients ({@link #embeddingGradients}). SameDiff's {@code gather} builds its
 *   gradient from a control-flow loop that fails when a graph has several gathers.</li>
 *   <li>Each LSTM direction is the built-in {@code lstmLayer} op run forwards; the backward direction runs on the
 *   sentences reversed within their lengths ({@code reverseSequence}) and is reversed back. The op's own
 *   bidirectional mode with sequence lengths computes wrong gradients for its backward direction; padding at the end
 *   never reaches a forward LSTM's real positions, so no lengths are passed to the op.</li>
 *   <li>Dropout masks are placeholders filled on the Java side, so the forward pass that produces the potentials and
 *   the gradient pass of one training step see the same masks.</li>
 * </ul>
 * Graph variables are named {@code enc/...}; the tables {@code enc/wordEmb}, {@code enc/caseEmb},
 * {@code enc/charEmb}. Not thread-safe.
 */
public final class Encoder {
    /** Placeholder: [B, T, wordDim] word vectors. */
    public static final String WORD_VECS = "enc/wordVecs";
    /** Placeholder: [B, T, caseDim] case vectors. */
    public static final String CASE_VECS = "enc/caseVecs";
    /** Placeholder: [U, maxChars + 2, charDim] character vectors of the distinct forms. */
    public static final String CHAR_VECS = "enc/charVecs";
    /** Placeholder: [U, maxChars] penalties of the character windows outside each form. */
    public static final String CHAR_PENALTY = "enc/charPenalty";
    /** Placeholder: [B·T, U] one-hot selection of each position's form (zero rows at padding). */
    public static final String TYPE_SELECT = "enc/typeSelect";
    /** Placeholder: [B] int32 sentence lengths. */
    public static final String LENGTHS = "enc/lengths";
    /** Placeholder: [B, T, inputDim] dropout mask of the token features. */
    public static final String DROP_INPUT = "enc/dropInput";
    /** Name of the word embedding table. */
    public static final String WORD_EMB = "enc/wordEmb";
    /** Name of the case embedding table. */
    public static final String CASE_EMB = "enc/caseEmb";
    /** Name of the character embedding table. */
    public static final String CHAR_EMB = "enc/charEmb";

    private final EncoderConfig config;
    private final int wordVocab;
    private final int charVocab;
    private final DataType type;
    private final Map<String, INDArray> tables = new LinkedHashMap<>();

    /** An encoder of the given configuration over vocabularies of the given sizes. */
    public Encoder(EncoderConfig config, int wordVocab, int charVocab) {
        this.config = config;
        this.wordVocab = wordVocab;
        this.charVocab = charVocab;
        this.type = config.type();
    }

    /** The configuration. */
    public EncoderConfig config() {
        return config;
    }

    /** Placeholder name of the dropout mask of LSTM layer {@code l}'s output. */
    public static String dropLayer(int l) {
        return "enc/dropLstm" + l;
    }

    /** The embedding tables (live arrays: updating them updates the encoder). */
    public Map<String, INDArray> embeddings() {
        return tables;
    }

    /**
     * Graph variables whose gradients feed {@link #embeddingGradients}: the looked-up vector placeholders plus a
     * trainable bias each. SameDiff 1.0.0-M2.1 returns no gradient for placeholders, nor for values computed only
     * from placeholders; the bias (a learned shift shared by all vectors of a table) puts them on a trainable path.
     */
    public List<String> inputGradientNames() {
        List<String> out = new ArrayList<>();
        out.add(grad(WORD_VECS));
        if (config.caseDim() > 0) {
            out.add(grad(CASE_VECS));
        }
        if (config.charFilters() > 0) {
            out.add(grad(CHAR_VECS));
        }
        return out;
    }

    private static String grad(String placeholder) {
        return placeholder + "/in";
    }

    private SDVariable input(SameDiff sd, ParamInit init, String name, long... shape) {
        SDVariable bias = init.constant(name + "/bias", 0.0, shape[shape.length - 1]);
        return sd.math().add(grad(name), sd.placeHolder(name, type, shape), bias);
    }

    /**
     * Creates the embedding tables and adds the encoder's placeholders, variables and ops to a graph.
     *
     * @return the encoder output [B, T, 2H] (dropout masks applied)
     */
    public SDVariable build(SameDiff sd, ParamInit init) {
        if (init.type() != type) {
            throw new IllegalArgumentException("initialiser type " + init.type() + " differs from " + type);
        }
        EncoderConfig c = config;
        tables.put(WORD_EMB, init.uniformArray(Math.sqrt(3.0 / c.wordDim()), wordVocab, c.wordDim()));
        SDVariable x = input(sd, init, WORD_VECS, -1, -1, c.wordDim());
        if (c.caseDim() > 0) {
            tables.put(CASE_EMB, init.uniformArray(Math.sqrt(3.0 / c.caseDim()), CaseFeature.COUNT, c.caseDim()));
            x = sd.concat(2, x, input(sd, init, CASE_VECS, -1, -1, c.caseDim()));
        }
        if (c.charFilters() > 0) {
            tables.put(CHAR_EMB, init.uniformArray(Math.sqrt(3.0 / c.charDim()), charVocab, c.charDim()));
            SDVariable chars = charFeatures(sd, init);
            SDVariable shape = sd.concat(0, sd.shape(x).get(SDIndex.interval(0, 2)).castTo(DataType.LONG),
                    sd.constant(Nd4j.createFromArray((long) c.charFilters())));
            x = sd.concat(2, x, sd.reshape(chars, shape));
        }
        SDVariable lengths = sd.placeHolder(LENGTHS, DataType.INT32, -1);
        x = x.mul(sd.placeHolder(DROP_INPUT, type, -1, -1, c.inputDim()));

        LSTMLayerConfig fwd = LSTMLayerConfig.builder().lstmdataformat(LSTMDataFormat.NTS)
                .directionMode(LSTMDirectionMode.FWD).gateAct(LSTMActivations.SIGMOID)
                .cellAct(LSTMActivations.TANH).outAct(LSTMActivations.TANH)
                .retFullSequence(true).retLastH(false).retLastC(false).build();
        int in = c.inputDim();
        int h = c.lstmHidden();
        for (int l = 0; l < c.lstmLayers(); l++) {
            SDVariable[] dirs = new SDVariable[2];
            for (int d = 0; d < 2; d++) {
                String p = "enc/lstm" + l + (d == 0 ? "f" : "b");
                SDVariable wx = init.glorot(p + "/Wx", in, h, in, 4L * h);
                SDVariable wr = init.glorot(p + "/Wr", h, h, h, 4L * h);
                // gate order i, f, c, o: forget-gate bias 1
                INDArray b0 = Nd4j.zeros(type, 4L * h);
                b0.get(NDArrayIndex.interval(h, 2 * h)).assign(1.0);
                SDVariable b = init.of(p + "/b", b0);
                LSTMLayerWeights w = LSTMLayerWeights.builder().weights(wx).rWeights(wr).bias(b).build();
                SDVariable xin = d == 0 ? x : sd.reverseSequence(x, lengths, 1, 0);
                SDVariable out = sd.rnn().lstmLayer(xin, w, fwd)[0];
                dirs[d] = d == 0 ? out : sd.reverseSequence(out, lengths, 1, 0);
            }
            SDVariable drop = sd.placeHolder(dropLayer(l), type, -1, -1, 2L * h);
            x = sd.concat(2, dirs[0], dirs[1]).mul(drop);
            in = 2 * h;
        }
        return x;
    }

    /** Character CNN: width-3 windows → tanh → max over the windows inside the form; returns [B·T, F]. */
    private SDVariable charFeatures(SameDiff sd, ParamInit init) {
        EncoderConfig c = config;
        int w = c.maxChars();
        int lc = w + 2;
        SDVariable e = input(sd, init, CHAR_VECS, -1, lc, c.charDim());
        SDVariable penalty = sd.placeHolder(CHAR_PENALTY, type, -1, w);
        SDVariable select = sd.placeHolder(TYPE_SELECT, type, -1, -1);
        SDVariable windows = sd.concat(2,
                e.get(SDIndex.all(), SDIndex.interval(0, w), SDIndex.all()),
                e.get(SDIndex.all(), SDIndex.interval(1, w + 1), SDIndex.all()),
                e.get(SDIndex.all(), SDIndex.interval(2, w + 2), SDIndex.all()));
        int k = 3 * c.charDim();
        SDVariable wc = init.glorot("enc/charConv/W", k, c.charFilters(), k, c.charFilters());
        SDVariable bc = init.constant("enc/charConv/b", 0.0, c.charFilters());
        SDVariable conv = sd.math().tanh(sd.reshape(windows, -1, k).mmul(wc).add(bc));
        SDVariable pooled = sd.reshape(conv, -1, w, c.charFilters()).add(sd.expandDims(penalty, 2)).max(1);
        return select.mmul(pooled);
    }

    /**
     * Fills the encoder's placeholders for a batch.
     *
     * @param dropoutRng randomness for the dropout masks, or null for evaluation (all-ones masks)
     */
    public void putInputs(EncoderBatch batch, Random dropoutRng, Map<String, INDArray> ph) {
        int b = batch.size();
        int t = batch.maxLength();
        ph.put(WORD_VECS, lookup(tables.get(WORD_EMB), batch.words()).reshape(b, t, config.wordDim()));
        if (config.caseDim() > 0) {
            ph.put(CASE_VECS, lookup(tables.get(CASE_EMB), batch.cases()).reshape(b, t, config.caseDim()));
        }
        if (config.charFilters() > 0) {
            int u = batch.types();
            int w = config.maxChars();
            ph.put(CHAR_VECS, lookup(tables.get(CHAR_EMB), batch.chars()).reshape(u, w + 2, config.charDim()));
            ph.put(CHAR_PENALTY, Nd4j.create(batch.charPenalty(), new long[] {u, w}, 'c').castTo(type));
            float[] sel = new float[b * t * u];
            int[] ti = batch.typeIndex();
            for (int i = 0; i < ti.length; i++) {
                if (ti[i] >= 0) {
                    sel[i * u + ti[i]] = 1f;
                }
            }
            ph.put(TYPE_SELECT, Nd4j.create(sel, new long[] {(long) b * t, u}, 'c').castTo(type));
        }
        ph.put(LENGTHS, Nd4j.createFromArray(batch.lengths()));
        ph.put(DROP_INPUT, dropoutMask(new long[] {b, t, config.inputDim()}, config.inputDropout(), dropoutRng, type));
        for (int l = 0; l < config.lstmLayers(); l++) {
            ph.put(dropLayer(l), dropoutMask(new long[] {b, t, config.outputDim()}, config.lstmDropout(), dropoutRng,
                    type));
        }
    }

    private static INDArray lookup(INDArray table, int[] ids) {
        return Nd4j.pullRows(table, 1, ids);
    }

    /**
     * Dense gradients of the embedding tables: the gradients with respect to the looked-up vectors (from
     * {@code grads}, keyed by {@link #inputGradientNames()}) added into the rows they came from.
     */
    public Map<String, INDArray> embeddingGradients(EncoderBatch batch, Map<String, INDArray> grads) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(WORD_EMB, scatter(tables.get(WORD_EMB), batch.words(), grads.get(grad(WORD_VECS))));
        if (config.caseDim() > 0) {
            out.put(CASE_EMB, scatter(tables.get(CASE_EMB), batch.cases(), grads.get(grad(CASE_VECS))));
        }
        if (config.charFilters() > 0) {
            out.put(CHAR_EMB, scatter(tables.get(CHAR_EMB), batch.chars(), grads.get(grad(CHAR_VECS))));
        }
        return out;
    }

    private INDArray scatter(INDArray table, int[] ids, INDArray rowGrads) {
        if (rowGrads == null) {
            throw new IllegalArgumentException("missing gradient of the looked-up embedding vectors");
        }
        int d = (int) table.size(1);
        double[] g = rowGrads.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] acc = new double[Math.toIntExact(table.length())];
        for (int i = 0; i < ids.length; i++) {
            int row = ids[i] * d;
            int src = i * d;
            for (int k = 0; k < d; k++) {
                acc[row + k] += g[src + k];
            }
        }
        return Nd4j.create(acc, table.shape(), 'c').castTo(type);
    }

    /**
     * An inverted-dropout mask: entries 0 with probability p and 1/(1−p) otherwise; all ones when {@code rng} is
     * null or p is 0.
     */
    public static INDArray dropoutMask(long[] shape, double p, Random rng, DataType type) {
        if (rng == null || p == 0) {
            return Nd4j.ones(type, shape);
        }
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float keep = (float) (1.0 / (1.0 - p));
        float[] m = new float[Math.toIntExact(n)];
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextDouble() < p ? 0f : keep;
        }
        return Nd4j.create(m, shape, 'c').castTo(type);
    }
}
