package io.github.sparsestruct.models.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The shared sentence encoder: word, case and character-CNN features (a SameDiff graph) → a stack of
 * bidirectional LSTMs ({@link BiLstmStack}, plain ND4J operations), output [B, T, 2H].
 *
 * <p>Design notes (ND4J 1.0.0-M2.1):
 * <ul>
 *   <li>The embedding tables (word, case, character) live outside the graph: rows are looked up on the Java side and
 *   fed as placeholders, and their gradients (SameDiff's gradients with respect to the looked-up vectors) are
 *   scatter-added back into dense table gradients. SameDiff's {@code gather} builds its gradient from a
 *   control-flow loop that fails when a graph has several gathers.</li>
 *   <li>The LSTMs are not SameDiff's {@code lstmLayer} op, whose native code leaks memory on every call (see
 *   {@link BiLstmStack}).</li>
 *   <li>Dropout masks are drawn on the Java side, so a training step's forward and backward passes see the same
 *   masks.</li>
 * </ul>
 * The feature graph's variables are named {@code enc/...}; the tables {@code enc/wordEmb}, {@code enc/caseEmb},
 * {@code enc/charEmb}; the LSTM parameters {@code enc/lstm...}. Not thread-safe.
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
    /** Placeholder: [B, T, layers · dim] the pretrained encoder's token vectors ({@link EncoderConfig#pretrained()}). */
    public static final String PRETRAINED_VECS = "enc/pretrainedVecs";
    /** Name of the pretrained layers' mixing logits [layers] (softmax-normalised). */
    public static final String PRETRAINED_MIX = "enc/pretrained/mix";
    /** Name of the pretrained mix's scale γ [1]. */
    public static final String PRETRAINED_SCALE = "enc/pretrained/scale";
    /** Placeholder: [B, T, inputDim] dropout mask of the token features. */
    public static final String DROP_INPUT = "enc/dropInput";
    /** Name of the word embedding table. */
    public static final String WORD_EMB = "enc/wordEmb";
    /** Name of the case embedding table. */
    public static final String CASE_EMB = "enc/caseEmb";
    /** Name of the character embedding table. */
    public static final String CHAR_EMB = "enc/charEmb";
    private static final String FEATURES = "enc/features";
    private static final String FEATURES_GRAD = "enc/featuresGrad";

    private final EncoderConfig config;
    private final int wordVocab;
    private final int charVocab;
    private final DataType type;
    private final Map<String, INDArray> tables = new LinkedHashMap<>();
    private final SameDiff sd;
    private final BiLstmStack lstm;

    /** An encoder of the given configuration over vocabularies of the given sizes, initialised from a seed. */
    public Encoder(EncoderConfig config, int wordVocab, int charVocab, long seed) {
        this.config = config;
        this.wordVocab = wordVocab;
        this.charVocab = charVocab;
        this.type = config.type();
        this.sd = SameDiff.create();
        ParamInit init = new ParamInit(sd, type, seed);
        SDVariable features = buildFeatures(init);
        sd.setLossVariables(features.mul(sd.placeHolder(FEATURES_GRAD, type, -1, -1, config.inputDim())).sum()
                .rename("enc/objective"));
        this.lstm = new BiLstmStack(config.inputDim(), config.lstmHidden(), config.lstmLayers(), init);
    }

    /** The configuration. */
    public EncoderConfig config() {
        return config;
    }

    /** The embedding tables (live arrays: updating them updates the encoder). */
    public Map<String, INDArray> embeddings() {
        return tables;
    }

    /** All parameters: feature-graph variables, LSTM parameters, embedding tables (live arrays). */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new LinkedHashMap<>(GraphParameters.arrays(sd));
        out.putAll(lstm.parameters());
        out.putAll(tables);
        return out;
    }

    /**
     * Graph variables whose gradients feed the embedding gradients: the looked-up vector placeholders plus a
     * trainable bias each. SameDiff 1.0.0-M2.1 returns no gradient for placeholders, nor for values computed only
     * from placeholders; the bias (a learned shift shared by all vectors of a table) puts them on a trainable path.
     */
    private List<String> inputGradientNames() {
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

    private SDVariable input(ParamInit init, String name, long... shape) {
        SDVariable bias = init.constant(name + "/bias", 0.0, shape[shape.length - 1]);
        return sd.math().add(grad(name), sd.placeHolder(name, type, shape), bias);
    }

    /** The token features [B, T, inputDim] (input dropout applied). */
    private SDVariable buildFeatures(ParamInit init) {
        EncoderConfig c = config;
        tables.put(WORD_EMB, init.uniformArray(Math.sqrt(3.0 / c.wordDim()), wordVocab, c.wordDim()));
        SDVariable x = input(init, WORD_VECS, -1, -1, c.wordDim());
        if (c.caseDim() > 0) {
            tables.put(CASE_EMB, init.uniformArray(Math.sqrt(3.0 / c.caseDim()), CaseFeature.COUNT, c.caseDim()));
            x = sd.concat(2, x, input(init, CASE_VECS, -1, -1, c.caseDim()));
        }
        if (c.charFilters() > 0) {
            tables.put(CHAR_EMB, init.uniformArray(Math.sqrt(3.0 / c.charDim()), charVocab, c.charDim()));
            SDVariable chars = charFeatures(init);
            SDVariable shape = sd.concat(0, sd.shape(x).get(SDIndex.interval(0, 2)).castTo(DataType.LONG),
                    sd.constant(Nd4j.createFromArray((long) c.charFilters())));
            x = sd.concat(2, x, sd.reshape(chars, shape));
        }
        PretrainedInput pre = c.pretrained();
        if (pre != null) {
            x = sd.concat(2, x, pretrainedMix(init, pre, x));
        }
        return sd.identity(FEATURES, x.mul(sd.placeHolder(DROP_INPUT, type, -1, -1, c.inputDim())));
    }

    /** γ · Σ_l softmax(w)_l · h_l over the pretrained layers: [B, T, dim]. */
    private SDVariable pretrainedMix(ParamInit init, PretrainedInput pre, SDVariable like) {
        SDVariable vecs = sd.placeHolder(PRETRAINED_VECS, type, -1, -1, pre.width());
        SDVariable logits = init.constant(PRETRAINED_MIX, 0.0, 1, pre.layers());
        SDVariable scale = init.constant(PRETRAINED_SCALE, 1.0, 1);
        SDVariable weights = sd.reshape(sd.nn().softmax(logits, 1), 1, 1, pre.layers(), 1).mul(scale);
        SDVariable shape = sd.concat(0, sd.shape(like).get(SDIndex.interval(0, 2)).castTo(DataType.LONG),
                sd.constant(Nd4j.createFromArray((long) pre.layers(), (long) pre.dim())));
        return sd.reshape(vecs, shape).mul(weights).sum(2);
    }

    /** Character CNN: width-3 windows → tanh → max over the windows inside the form; returns [B·T, F]. */
    private SDVariable charFeatures(ParamInit init) {
        EncoderConfig c = config;
        int w = c.maxChars();
        int lc = w + 2;
        SDVariable e = input(init, CHAR_VECS, -1, lc, c.charDim());
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
     * The encoding of a batch, with what its backward pass needs.
     *
     * @param batch    the featurized batch
     * @param inputs   the feature graph's placeholders
     * @param cache    the LSTM forward pass
     * @param output   the encoder output [B, T, 2H]
     */
    public record Encoded(EncoderBatch batch, Map<String, INDArray> inputs, BiLstmStack.Cache cache,
                          INDArray output) {
    }

    /**
     * Encodes a batch.
     *
     * @param dropoutRng randomness for the dropout masks, or null for evaluation
     */
    public Encoded encode(EncoderBatch batch, Random dropoutRng) {
        Map<String, INDArray> ph = new HashMap<>();
        putInputs(batch, dropoutRng, ph);
        INDArray feats = sd.outputSingle(ph, FEATURES);
        INDArray timeMajor = feats.permute(1, 0, 2).dup('c');
        BiLstmStack.Cache cache = lstm.forward(timeMajor, batch.lengths(), config.lstmDropout(), dropoutRng);
        INDArray out = cache.output().permute(1, 0, 2).dup('c');
        return new Encoded(batch, ph, cache, out);
    }

    /**
     * Gradients of every encoder parameter given the gradient of the objective with respect to the output.
     *
     * @param encoded the forward pass
     * @param dOutput gradient with respect to {@link Encoded#output()}, [B, T, 2H] (zero at padded positions)
     */
    public Map<String, INDArray> backward(Encoded encoded, INDArray dOutput) {
        Map<String, INDArray> grads = new LinkedHashMap<>();
        INDArray dTime = dOutput.permute(1, 0, 2).dup('c');
        INDArray dFeats = lstm.backward(encoded.cache(), dTime, grads).permute(1, 0, 2).dup('c');
        Map<String, INDArray> ph = new HashMap<>(encoded.inputs());
        ph.put(FEATURES_GRAD, dFeats);
        List<String> names = new ArrayList<>(GraphParameters.names(sd));
        names.addAll(inputGradientNames());
        Map<String, INDArray> raw = sd.calculateGradients(ph, names);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String n : GraphParameters.names(sd)) {
            INDArray g = raw.get(n);
            out.put(n, g != null ? g : sd.getVariable(n).getArr().ulike().assign(0));
        }
        out.putAll(grads);
        out.putAll(embeddingGradients(encoded.batch(), raw));
        return out;
    }

    /** Fills the feature graph's placeholders for a batch (dropout masks all ones when {@code dropoutRng} is null). */
    private void putInputs(EncoderBatch batch, Random dropoutRng, Map<String, INDArray> ph) {
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
        PretrainedInput pre = config.pretrained();
        if (pre != null) {
            if (batch.pretrained() == null) {
                throw new IllegalStateException("this encoder reads the pretrained encoder '" + pre.encoder()
                        + "', but the batch has no pretrained vectors (no source attached to the featurizer)");
            }
            ph.put(PRETRAINED_VECS, Nd4j.create(batch.pretrained(), new long[] {b, t, pre.width()}, 'c')
                    .castTo(type));
        }
        ph.put(DROP_INPUT, dropoutMask(new long[] {b, t, config.inputDim()}, config.inputDropout(), dropoutRng, type));
    }

    private static INDArray lookup(INDArray table, int[] ids) {
        return Nd4j.pullRows(table, 1, ids);
    }

    /**
     * Dense gradients of the embedding tables: the gradients with respect to the looked-up vectors added into the
     * rows they came from.
     */
    private Map<String, INDArray> embeddingGradients(EncoderBatch batch, Map<String, INDArray> grads) {
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
        // one seed from the caller's generator, then a fast unsynchronised one (java.util.Random per element cost a
        // noticeable share of a training step; BENCHMARKS.md, Training)
        java.util.SplittableRandom fast = new java.util.SplittableRandom(rng.nextLong());
        for (int i = 0; i < m.length; i++) {
            m[i] = fast.nextDouble() < p ? 0f : keep;
        }
        return Nd4j.create(m, shape, 'c').castTo(type);
    }
}
