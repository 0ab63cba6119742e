package io.github.sparsestruct.models.depparse;

import io.github.sparsestruct.inference.map.MaxArborescence;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.decode.Calibration;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.decode.SparseDistribution;
import io.github.sparsestruct.models.decode.TreeDecoder;
import io.github.sparsestruct.models.format.ModelHeader;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.Encoder;
import io.github.sparsestruct.models.nn.EncoderBatch;
import io.github.sparsestruct.models.nn.SentenceBatches;
import io.github.sparsestruct.models.nn.EncoderInference;
import io.github.sparsestruct.models.nn.ParameterStore;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.nn.Vocabulary;
import io.github.sparsestruct.models.train.SentenceModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Biaffine dependency parser (Dozat &amp; Manning 2017) on the shared encoder, with structured arc losses from the
 * inference module, a biaffine relation classifier and a UPOS tagger (so no gold POS is needed).
 *
 * <p>Each sentence gets an artificial first token {@link TokenFeaturizer#ROOT}, encoded like a word. Arc scores
 * s[h][m] = MLP_head(h)ᵀ U MLP_dep(m) + MLP_head(h)·u for every pair of positions; per sentence they are the unary
 * scores of {@link TreePolytope} (non-projective, single root). The arc loss (SparseMAP by default, tree CRF,
 * structured hinge) and its gradient come from the inference module and are fed back as a placeholder G of the
 * objective Σ s ⊙ G; relation and UPOS losses are softmax cross-entropies inside the graph. Relation scores use gold
 * heads in training and the decoded heads at prediction (a second, encoder-free pass over the same label scorer).
 * All losses are divided by the batch's word count. Not thread-safe.
 *
 * <p>This class holds the scoring (graph, prediction path, label maps) and decodes with
 * {@link io.github.sparsestruct.models.decode}; training (loss and step) is {@link ParserTrainer}, the model file {@link ParserModelCodec}.
 */
public final class ParserModel extends SentenceModel<DepSentence, ParserConfig, ParsePrediction> {
    /**
     * SparseMAP options for decoding: a duality-gap tolerance of 1e-6 (relative to the regulariser), which stops the
     * active set once further structures would change the distribution by about 1e-6, and at most 100 oracle calls.
     * The cap binds only on long sentences, whose exact support runs to hundreds of trees (800 for a 211-token one)
     * at a cost that grows with its square, while the analyzers keep at most a handful; on EWT dev it leaves UAS,
     * oracle UAS and arc ECE unchanged and the mean support almost so (BENCHMARKS.md, measured with the benchmarks
     * module's {@code DecodeTolerance}). {@link #decodeOptions} sets other values.
     */
    public static final SparseMapOptions DECODE_OPTIONS = SparseMapOptions.DEFAULT.withTolerance(1e-6)
            .withMaxIterations(100);

    /** Metadata key of the model kind and version. */
    public static final String KIND_KEY = ModelHeader.KIND_KEY;
    static final String ARCS = "dep/arcs";
    private static final String LAB_HEAD = "dep/labHeadOut";
    private static final String LAB_DEP = "dep/labDepOut";
    private static final String UPOS_SCORES = "dep/uposScores";
    static final String LAB_LOSS = "dep/labelLoss";
    static final String POS_LOSS = "dep/uposLoss";
    private static final String LAB_PRED = "dep/labelScoresPred";
    static final String G_ARC = "dep/Garc";
    static final String HEAD_SEL = "dep/headSelect";
    static final String LAB_TARGET = "dep/labelTarget";
    static final String POS_TARGET = "dep/uposTarget";
    private static final String LAB_HEAD_IN = "dep/labHeadIn";
    private static final String LAB_DEP_IN = "dep/labDepIn";
    private static final String[] DROPS = {"dep/dropArcHead", "dep/dropArcDep", "dep/dropLabHead", "dep/dropLabDep"};
    private static final int PREDICT_SENTENCES = 64;
    private static final int PREDICT_TOKENS = 3000;

    private final Vocabulary deprels;
    private final Vocabulary upos;
    private final int rootLabel;
    private final TreeDecoder decoder = new TreeDecoder(DECODE_OPTIONS);
    private volatile ParserDistillation.Targets distillation;

    ParserModel(ParserConfig config, TokenFeaturizer features, Vocabulary deprels, Vocabulary upos,
                long seed) {
        super(config, config.encoder(), features, seed);
        this.deprels = deprels;
        this.upos = upos;
        this.rootLabel = deprels.contains("root") ? deprels.indexOf("root") : -1;
        buildHeads();
        trainWith(new ParserTrainer(this, new Adam(config.optimizer())));
    }

    /** A new parser from training data: see {@link ParserTrainer#create}. */
    public static ParserModel create(ParserConfig config, List<DepSentence> train, long seed) {
        return ParserTrainer.create(config, train, seed);
    }

    /** Checks a training sentence's tree: see {@link ParserTrainer#checkTree}. */
    public static void checkTree(DepSentence s) {
        ParserTrainer.checkTree(s);
    }

    private void buildHeads() {
        SameDiff sd = net.graph();
        DataType dt = net.type();
        int in = config.encoder().outputDim();
        int da = config.arcDim();
        int dl = config.labelDim();
        int nl = deprels.size();
        int np = upos.size();
        SDVariable x = net.encoded();
        SDVariable arcH = mlp("dep/arcHead", x, in, da, DROPS[0]);
        SDVariable arcD = mlp("dep/arcDep", x, in, da, DROPS[1]);
        SDVariable labH = sd.identity(LAB_HEAD, mlp("dep/labHead", x, in, dl, DROPS[2]));
        SDVariable labD = sd.identity(LAB_DEP, mlp("dep/labDep", x, in, dl, DROPS[3]));

        SDVariable u = net.init().glorot("dep/arcU", da, da, da, da);
        SDVariable hb = net.init().constant("dep/arcHeadBias", 0.0, da, 1);
        SDVariable flatH = sd.reshape(arcH, -1, da);
        SDVariable hu = net.reshapeLike(flatH.mmul(u), arcH, da);
        SDVariable arcs = sd.mmul(hu, arcD, false, true, false).add(net.reshapeLike(flatH.mmul(hb), arcH, 1));
        arcs = sd.identity(ARCS, arcs);

        SDVariable lu = net.init().glorot("dep/labU", dl, (long) nl * dl, dl, (long) nl * dl);
        SDVariable lwh = net.init().glorot("dep/labWh", dl, nl, dl, nl);
        SDVariable lwd = net.init().glorot("dep/labWd", dl, nl, dl, nl);
        SDVariable lb = net.init().constant("dep/labB", 0.0, nl);
        SDVariable[] lab = {lu, lwh, lwd, lb};

        SDVariable headSel = sd.placeHolder(HEAD_SEL, dt, -1, -1, -1);
        SDVariable headRep = sd.mmul(headSel, labH);
        SDVariable labScores = labelScores(lab, sd.reshape(headRep, -1, dl), sd.reshape(labD, -1, dl), nl, dl);
        SDVariable labLoss = net.logSoftmax(labScores, 2).mul(sd.placeHolder(LAB_TARGET, dt, -1, nl)).sum().neg();
        labLoss = sd.identity(LAB_LOSS, labLoss);

        SDVariable pos = sd.identity(UPOS_SCORES, sd.reshape(net.dense("dep/upos", x, in, np), -1, np));
        SDVariable posLoss = net.logSoftmax(pos, 2).mul(sd.placeHolder(POS_TARGET, dt, -1, np)).sum().neg();
        posLoss = sd.identity(POS_LOSS, posLoss);

        SDVariable obj = arcs.mul(sd.placeHolder(G_ARC, dt, -1, -1, -1)).sum().add(labLoss).add(posLoss);
        sd.setLossVariables(obj.rename("dep/objective"));

        SDVariable hin = sd.placeHolder(LAB_HEAD_IN, dt, -1, dl);
        SDVariable din = sd.placeHolder(LAB_DEP_IN, dt, -1, dl);
        sd.identity(LAB_PRED, labelScores(lab, hin, din, nl, dl));
    }

    /** LeakyReLU(x·W + b) ⊙ dropout mask, [B, T, out]. */
    private SDVariable mlp(String name, SDVariable x, int in, int out, String drop) {
        SDVariable h = net.graph().nn().leakyRelu(net.dense(name, x, in, out), 0.1);
        return h.mul(net.graph().placeHolder(drop, net.type(), -1, -1, out));
    }

    /** Biaffine relation scores [N, L] of N (head, dependent) representation pairs. */
    private SDVariable labelScores(SDVariable[] lab, SDVariable hr, SDVariable dr, int nl, int dl) {
        SameDiff sd = net.graph();
        // Σ_ij hr_i U_lij dr_j as a batched product [N, L, dl] × [N, dl, 1] (a broadcast multiply has a slow backward)
        SDVariable bil = sd.reshape(sd.mmul(sd.reshape(hr.mmul(lab[0]), -1, nl, dl), sd.expandDims(dr, 2)), -1, nl);
        return bil.add(hr.mmul(lab[1])).add(dr.mmul(lab[2])).add(lab[3]);
    }

    /** Relation labels in score order. */
    public List<String> deprels() {
        return deprels.items();
    }

    /** UPOS tags in score order. */
    public List<String> uposTags() {
        return upos.items();
    }

    @Override
    public ParserModel replica() {
        ParserModel r = new ParserModel(config, features, deprels, upos, 0);
        net.copyParametersTo(r.net);
        r.calibrate(calibration());
        // a data-parallel worker trains on the same sentences: it needs their soft targets too
        r.distill(distillation);
        return r;
    }

    /**
     * Sets the soft arc targets that training steps use (distillation: {@link ParserDistillation}); null for none.
     * Not saved with the model.
     */
    public void distill(ParserDistillation.Targets targets) {
        this.distillation = targets;
    }

    /** The soft targets training uses, or null. */
    ParserDistillation.Targets distillation() {
        return distillation;
    }

    /**
     * A parser to train further from this one's parameters, vocabularies and calibration, with another optimizer
     * configuration (e.g. a lower learning rate for distillation): {@code train --init-from}.
     */
    public ParserModel continueWith(Adam.Config optimizer) {
        ParserModel r = new ParserModel(config.withOptimizer(optimizer), features, deprels, upos, 0);
        net.copyParametersTo(r.net);
        r.calibrate(calibration());
        return r;
    }

    @Override
    public int length(DepSentence sentence) {
        return sentence.length();
    }

    /** The relation vocabulary. */
    Vocabulary deprelVocabulary() {
        return deprels;
    }

    /** The UPOS vocabulary. */
    Vocabulary uposVocabulary() {
        return upos;
    }

    static List<String[]> withRoot(List<String[]> sentences) {
        List<String[]> out = new ArrayList<>(sentences.size());
        for (String[] s : sentences) {
            if (s.length == 0) {
                throw new IllegalArgumentException("cannot parse an empty sentence");
            }
            String[] f = new String[s.length + 1];
            f[0] = TokenFeaturizer.ROOT;
            System.arraycopy(s, 0, f, 1, s.length);
            out.add(f);
        }
        return out;
    }

    /** Encodes a batch for prediction (no dropout, no backward pass) into the heads' placeholders. */
    private void encodeForPrediction(EncoderBatch eb, Map<String, INDArray> ph) {
        net.encodeForPrediction(eb, ph);
        putDropMasks(eb, null, ph);
    }

    void putDropMasks(EncoderBatch eb, Random rng, Map<String, INDArray> ph) {
        int b = eb.size();
        int t = eb.maxLength();
        for (int i = 0; i < DROPS.length; i++) {
            int d = i < 2 ? config.arcDim() : config.labelDim();
            ph.put(DROPS[i], Encoder.dropoutMask(new long[] {b, t, d}, config.mlpDropout(), rng, net.type()));
        }
    }

    /** The (n+1)² arc scores of sentence i from the batch's [B, T, T] scores. */
    static double[] sentenceArcs(double[] arcs, int i, int t, int n) {
        int nn = n + 1;
        double[] eta = new double[nn * nn];
        int base = i * t * t;
        for (int h = 0; h < nn; h++) {
            System.arraycopy(arcs, base + h * t, eta, h * nn, nn);
        }
        return eta;
    }

    @Override
    protected List<ParsePrediction> predictBatched(List<String[]> sentences, Decoding mode, int[] kBest) {
        return SentenceBatches.predict(sentences, kBest, 1, PREDICT_SENTENCES, PREDICT_TOKENS, net,
                (forms, ks, idx) -> predictBatch(forms, mode, ks, null, idx));
    }

    /**
     * Parses sentences under constraints: {@code masks.get(i)} is added to sentence i's arc scores [(n+1), (n+1)]
     * (row = head, column = dependent, 0 the root; 0 keeps an arc, −∞ forbids it; null: no constraint), so that every
     * decoding keeps only the trees the constraints allow. Nothing is memoised.
     *
     * @throws IllegalArgumentException when a mask has the wrong length, or forbids every tree of its sentence
     */
    public List<ParsePrediction> predictConstrained(List<String[]> sentences, Decoding mode, List<double[]> masks) {
        if (masks.size() != sentences.size()) {
            throw new IllegalArgumentException("need one mask per sentence: " + masks.size() + " for "
                    + sentences.size());
        }
        for (int i = 0; i < masks.size(); i++) {
            int nn = sentences.get(i).length + 1;
            if (masks.get(i) != null && masks.get(i).length != nn * nn) {
                throw new IllegalArgumentException("the mask of sentence " + i + " has " + masks.get(i).length
                        + " entries; its " + (nn - 1) + " words need (n+1)^2 = " + nn * nn);
            }
        }
        return SentenceBatches.predict(sentences, null, 1, PREDICT_SENTENCES, PREDICT_TOKENS, net,
                (forms, ks, idx) -> predictBatch(forms, mode, ks, masks, idx));
    }

    /** The arc scores [(n+1), (n+1)] of sentences (each at least one word), kept to decode them again (calibration). */
    List<double[]> arcScores(List<String[]> sentences) {
        return SentenceBatches.predict(sentences, null, 1, PREDICT_SENTENCES, PREDICT_TOKENS, net, (forms, ks, idx) -> {
            EncoderBatch eb = features.featurize(withRoot(forms), 0, null);
            double[] arcs = headOutputs(eb).arcs();
            List<double[]> out = new ArrayList<>(forms.size());
            for (int i = 0; i < forms.size(); i++) {
                out.add(sentenceArcs(arcs, i, eb.maxLength(), forms.get(i).length));
            }
            return out;
        });
    }

    /** Decodes the arc scores of an n-word sentence with this model's calibration (heads and arc marginals only). */
    SparseDistribution decodeArcs(int n, double[] eta, Decoding mode) {
        return decoder.decode(n, eta, mode);
    }

    /** The k best trees of an n-word sentence's arc scores (Gibbs weights at the calibrated marginals temperature). */
    SparseDistribution kBestArcs(int n, double[] eta, int k) {
        return decoder.kBest(n, eta, k);
    }

    private List<ParsePrediction> predictBatch(List<String[]> forms, Decoding mode, int[] ks, List<double[]> masks,
                                               int[] idx) {
        EncoderBatch eb = features.featurize(withRoot(forms), 0, null);
        ParserHeads.Outputs o = headOutputs(eb);
        double[] arcs = o.arcs();
        double[] labH = o.labH();
        double[] labD = o.labD();
        double[] pos = o.pos();
        int b = eb.size();
        int t = eb.maxLength();
        int dl = config.labelDim();
        int np = upos.size();
        SparseDistribution[] dec = new SparseDistribution[b];
        double[][] eta = new double[b][];
        for (int i = 0; i < b; i++) {
            int n = forms.get(i).length;
            eta[i] = sentenceArcs(arcs, i, t, n);
            double[] mask = masks == null ? null : masks.get(idx[i]);
            if (mask != null) {
                for (int q = 0; q < mask.length; q++) {
                    eta[i][q] += mask[q];
                }
                if (MaxArborescence.decode(n, eta[i], true, new int[n + 1]) == Double.NEGATIVE_INFINITY) {
                    throw new IllegalArgumentException("the constraints of sentence " + idx[i]
                            + " allow no tree (a cycle, two roots, or every head of a word forbidden?)");
                }
            }
        }
        IntStream.range(0, b).parallel().forEach(i -> dec[i] = ks == null
                ? decoder.decode(forms.get(i).length, eta[i], mode)
                : decoder.kBest(forms.get(i).length, eta[i], ks[i]));
        // arcs (sentence, head, dependent) that need a relation label, in first-seen order
        Map<Long, Integer> arcRow = new LinkedHashMap<>();
        for (int i = 0; i < b; i++) {
            int nn = forms.get(i).length + 1;
            for (int[] h : dec[i].structures()) {
                for (int m = 1; m < nn; m++) {
                    arcRow.putIfAbsent(arcKey(i, h[m - 1], m), arcRow.size());
                }
            }
        }
        int[] labels = labelArcs(arcRow, labH, labD, t, dl);
        List<ParsePrediction> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            int n = forms.get(i).length;
            List<ParsePrediction.WeightedTree> wt = new ArrayList<>();
            for (int k = 0; k < dec[i].structures().size(); k++) {
                int[] h = dec[i].structures().get(k);
                String[] rel = new String[n];
                for (int m = 1; m <= n; m++) {
                    rel[m - 1] = deprels.get(labels[arcRow.get(arcKey(i, h[m - 1], m))]);
                }
                wt.add(new ParsePrediction.WeightedTree(h, rel, dec[i].weights()[k]));
            }
            String[] tags = new String[n];
            for (int m = 1; m <= n; m++) {
                int off = (i * t + m) * np;
                int best = 0;
                for (int p = 1; p < np; p++) {
                    if (pos[off + p] > pos[off + best]) {
                        best = p;
                    }
                }
                tags[m - 1] = upos.get(best);
            }
            ParsePrediction.WeightedTree top = wt.get(0);
            out.add(new ParsePrediction(top.heads(), top.deprels(), tags, List.copyOf(wt), square(dec[i].marginals(),
                    n + 1), dec[i].bestProbability()));
        }
        return out;
    }

    /** Rows of a row-major nn × nn matrix. */
    private static double[][] square(double[] flat, int nn) {
        double[][] mm = new double[nn][];
        for (int h = 0; h < nn; h++) {
            mm[h] = Arrays.copyOfRange(flat, h * nn, (h + 1) * nn);
        }
        return mm;
    }

    /**
     * The heads' outputs for a batch without dropout: by the prediction path ({@link EncoderInference} and
     * {@link ParserHeads}) where it applies, by the graph otherwise.
     */
    ParserHeads.Outputs headOutputs(EncoderBatch eb) {
        EncoderInference fast = net.inference();
        if (fast != null) {
            return heads().compute(fast.encode(eb), eb.lengths(), eb.maxLength());
        }
        Map<String, INDArray> ph = new HashMap<>();
        encodeForPrediction(eb, ph);
        Map<String, INDArray> o = net.output(ph, ARCS, LAB_HEAD, LAB_DEP, UPOS_SCORES);
        return new ParserHeads.Outputs(doubles(o.get(ARCS)), doubles(o.get(LAB_HEAD)), doubles(o.get(LAB_DEP)),
                doubles(o.get(UPOS_SCORES)));
    }

    private ParserHeads heads() {
        return net.derived(nw -> ParserHeads.of(nw, config, deprels.size(), upos.size()));
    }

    private static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static long arcKey(int sentence, int head, int dep) {
        return ((long) sentence << 40) | ((long) head << 20) | dep;
    }

    /** Relation of each listed arc: argmax of the label scorer, "root" exactly for arcs from the root. */
    private int[] labelArcs(Map<Long, Integer> arcRow, double[] labH, double[] labD, int t, int dl) {
        int n = arcRow.size();
        double[] hr = new double[n * dl];
        double[] dr = new double[n * dl];
        for (Map.Entry<Long, Integer> e : arcRow.entrySet()) {
            long key = e.getKey();
            int i = (int) (key >>> 40);
            int h = (int) ((key >>> 20) & 0xFFFFF);
            int m = (int) (key & 0xFFFFF);
            int row = e.getValue();
            System.arraycopy(labH, (i * t + h) * dl, hr, row * dl, dl);
            System.arraycopy(labD, (i * t + m) * dl, dr, row * dl, dl);
        }
        double[] s = labelScores(hr, dr, n, dl);
        int nl = deprels.size();
        int[] out = new int[n];
        for (Map.Entry<Long, Integer> e : arcRow.entrySet()) {
            boolean fromRoot = ((e.getKey() >>> 20) & 0xFFFFF) == 0;
            int row = e.getValue();
            if (rootLabel >= 0 && fromRoot) {
                out[row] = rootLabel;
                continue;
            }
            int best = -1;
            for (int l = 0; l < nl; l++) {
                if (l != rootLabel && (best < 0 || s[row * nl + l] > s[row * nl + best])) {
                    best = l;
                }
            }
            out[row] = best < 0 ? 0 : best;
        }
        return out;
    }

    /** Relation scores [n, L] of n (head, dependent) label-representation pairs (prediction path or graph). */
    double[] labelScores(double[] hr, double[] dr, int n, int dl) {
        if (net.inference() != null) {
            return heads().labelScores(hr, dr, n);
        }
        DataType dt = net.type();
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(LAB_HEAD_IN, Nd4j.create(hr, new long[] {n, dl}, 'c').castTo(dt));
        ph.put(LAB_DEP_IN, Nd4j.create(dr, new long[] {n, dl}, 'c').castTo(dt));
        return doubles(net.outputSingle(ph, LAB_PRED));
    }

    /** Replaces the SparseMAP options used for decoding (not for training). */
    public void decodeOptions(SparseMapOptions options) {
        decoder.options(options);
    }

    /**
     * Sets the calibration (a temperature per decoding, fitted on dev data) that {@code predict} applies; saved with
     * the model.
     */
    public void calibrate(Calibration calibration) {
        decoder.calibration(calibration);
    }

    /** The calibration {@code predict} applies ({@link Calibration#NONE} for an uncalibrated model). */
    public Calibration calibration() {
        return decoder.calibration();
    }

    /**
     * Reads a parser written by {@link #save} ({@link ParserModelCodec}).
     *
     * @throws IllegalArgumentException when the store holds no parser or misses parameters
     */
    public static ParserModel load(ParameterStore store) {
        return ParserModelCodec.load(store);
    }

    @Override
    public void save(ParameterStore store) {
        ParserModelCodec.save(this, store);
    }
}
