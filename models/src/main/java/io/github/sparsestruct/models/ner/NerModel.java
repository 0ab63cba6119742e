package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.inference.map.TransitionMasks;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.decode.Calibration;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.decode.SequenceDecoder;
import io.github.sparsestruct.models.decode.SparseDistribution;
import io.github.sparsestruct.models.format.ModelHeader;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.EncoderBatch;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.nn.SentenceBatches;
import io.github.sparsestruct.models.nn.EncoderInference;
import io.github.sparsestruct.models.nn.ParameterStore;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.nn.Vocabulary;
import io.github.sparsestruct.models.train.SentenceModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BiLSTM named-entity tagger with structured losses from the inference module.
 *
 * <p>The graph maps a batch to tag scores [B, T, S] (a dense layer on the encoder, optionally through a tanh hidden
 * layer, with optional per-token extra features beside the encoder output: {@link Gazetteer} matches and
 * {@link WordVectors} windows); a transition matrix S×S and start / end scores S are variables of the graph. Per
 * sentence, the potentials θ are the tag scores plus the transitions, with −∞ on BIO-illegal transitions and starts
 * ({@link TransitionMasks#bio}); the loss (CRF, SparseMAP, DP-ℓ2) and its gradient ∂ℓ/∂θ = prediction − target come
 * from the inference module. The gradients are fed back as placeholders G of the objective Σ θ ⊙ G (divided by the
 * batch's token count), whose SameDiff gradient is the network's gradient of the total loss. Not thread-safe.
 *
 * <p>This class holds the scoring (graph, prediction path, label maps) and decodes with
 * {@link io.github.sparsestruct.models.decode}; training (loss and step) is {@link NerTrainer}, the model file {@link NerModelCodec}.
 */
public final class NerModel extends SentenceModel<NerSentence, NerConfig, NerPrediction> {
    /**
     * SparseMAP options for decoding: the default iteration cap and a duality-gap tolerance of 1e-6 (relative to the
     * regulariser), which stops the active set once further structures would change the distribution by about 1e-6.
     */
    public static final SparseMapOptions DECODE_OPTIONS = SparseMapOptions.DEFAULT.withTolerance(1e-6);

    /** Metadata key of the model kind and version. */
    public static final String KIND_KEY = ModelHeader.KIND_KEY;
    static final String GAZ_KEY = "ner/gazetteer";
    private static final int PREDICT_SENTENCES = 64;
    private static final int PREDICT_TOKENS = 3000;

    /** Name lists whose match features add to the tag scores, or null. */
    private final Gazetteer gazetteer;
    /** Pretrained word vectors whose window features add to the tag scores, or null. */
    private final WordVectors vectors;
    /** Per-token features beside the encoder: gazetteer matches, then word vectors (0 when neither). */
    private final int extraCount;
    private final ExtraFeatures extras;
    private final Vocabulary tags;
    private final String[] tagNames;
    private final int numTags;
    private final double[] transPenalty;
    private volatile NerDistillation.Targets distillation;
    private final double[] startPenalty;
    private final double[] endPenalty;
    /** Polytopes per sentence length, one set per thread (they keep workspaces). */
    private final ThreadLocal<Map<Integer, SequencePolytope>> polytopes = ThreadLocal.withInitial(HashMap::new);
    private final SequenceDecoder decoder;

    NerModel(NerConfig config, TokenFeaturizer features, Gazetteer gazetteer, WordVectors vectors,
             Vocabulary tags, long seed) {
        super(config, config.encoder(), features, seed);
        this.gazetteer = gazetteer == null || gazetteer.featureCount() == 0 ? null : gazetteer;
        this.vectors = vectors;
        this.extras = new ExtraFeatures(this.gazetteer, vectors);
        this.extraCount = extras.count();
        this.tags = tags;
        this.tagNames = tags.items().toArray(new String[0]);
        this.numTags = tagNames.length;
        TransitionMasks masks = TransitionMasks.bio(tagNames);
        this.transPenalty = masks.transitionPenalties();
        this.startPenalty = masks.startPenalties();
        this.endPenalty = masks.endPenalties();
        this.decoder = new SequenceDecoder(numTags, DECODE_OPTIONS);
        buildHead();
        trainWith(new NerTrainer(this, new Adam(config.optimizer())));
    }

    /** A new model from training data: see {@link NerTrainer#create(NerConfig, List, long)}. */
    public static NerModel create(NerConfig config, List<NerSentence> train, long seed) {
        return NerTrainer.create(config, train, seed);
    }

    /** See {@link NerTrainer#create(NerConfig, List, Gazetteer, long)}. */
    public static NerModel create(NerConfig config, List<NerSentence> train, Gazetteer gazetteer, long seed) {
        return NerTrainer.create(config, train, gazetteer, seed);
    }

    /** See {@link NerTrainer#create(NerConfig, List, Gazetteer, WordVectors, long)}. */
    public static NerModel create(NerConfig config, List<NerSentence> train, Gazetteer gazetteer,
                                  WordVectors vectors, long seed) {
        return NerTrainer.create(config, train, gazetteer, vectors, seed);
    }

    /** See {@link NerTrainer#createFrom(NerConfig, List, TokenFeaturizer, EncoderConfig, Map, Gazetteer, long)}. */
    public static NerModel createFrom(NerConfig config, List<NerSentence> train, TokenFeaturizer source,
                                      EncoderConfig sourceConfig, Map<String, INDArray> sourceParams,
                                      Gazetteer gazetteer, long seed) {
        return NerTrainer.createFrom(config, train, source, sourceConfig, sourceParams, gazetteer, seed);
    }

    /** See {@link NerTrainer#createFrom(NerConfig, List, TokenFeaturizer, EncoderConfig, Map, Gazetteer, WordVectors,
     * long)}. */
    public static NerModel createFrom(NerConfig config, List<NerSentence> train, TokenFeaturizer source,
                                      EncoderConfig sourceConfig, Map<String, INDArray> sourceParams,
                                      Gazetteer gazetteer, WordVectors vectors, long seed) {
        return NerTrainer.createFrom(config, train, source, sourceConfig, sourceParams, gazetteer, vectors, seed);
    }

    /** See {@link NerTrainer#createFrom(NerConfig, List, TokenFeaturizer, EncoderConfig, Map, Gazetteer, WordVectors,
     * int, long)}. */
    public static NerModel createFrom(NerConfig config, List<NerSentence> train, TokenFeaturizer source,
                                      EncoderConfig sourceConfig, Map<String, INDArray> sourceParams,
                                      Gazetteer gazetteer, WordVectors vectors, int expandWords, long seed) {
        return NerTrainer.createFrom(config, train, source, sourceConfig, sourceParams, gazetteer, vectors,
                expandWords, seed);
    }

    private void buildHead() {
        SameDiff sd = net.graph();
        DataType dt = net.type();
        int s = numTags;
        int d = config.encoder().outputDim();
        int f = extraCount;
        SDVariable gaz = f == 0 ? null : sd.placeHolder(NerGraph.GAZ, dt, -1, -1, f);
        SDVariable scores;
        int h = config.headHidden();
        if (h > 0) {
            SDVariable in = gaz == null ? net.encoded() : sd.concat(2, net.encoded(), gaz);
            SDVariable hidden = sd.math().tanh(net.dense(NerGraph.HID, in, d + f, h));
            scores = net.dense("ner/out", hidden, h, s);
        } else {
            scores = net.dense("ner/out", net.encoded(), d, s);
        }
        if (gaz != null) {
            SDVariable w = net.init().constant(NerGraph.GAZ_W, 0.0, f, s);
            scores = scores.add(net.reshapeLike(sd.reshape(gaz, -1, f).mmul(w), gaz, s));
        }
        scores = sd.identity(NerGraph.SCORES, scores);
        SDVariable trans = net.init().constant(NerGraph.TRANS, 0.0, s, s);
        SDVariable start = net.init().constant(NerGraph.START, 0.0, s);
        SDVariable end = net.init().constant(NerGraph.END, 0.0, s);
        SDVariable obj = scores.mul(sd.placeHolder(NerGraph.G, dt, -1, -1, s)).sum()
                .add(trans.mul(sd.placeHolder(NerGraph.G_TRANS, dt, s, s)).sum())
                .add(start.mul(sd.placeHolder(NerGraph.G_START, dt, s)).sum())
                .add(end.mul(sd.placeHolder(NerGraph.G_END, dt, s)).sum());
        sd.setLossVariables(obj.rename("ner/objective"));
    }

    /** Tag names in score order ("O", then B-/I- per type). */
    public List<String> tags() {
        return tags.items();
    }

    /** The tag vocabulary. */
    Vocabulary tagVocabulary() {
        return tags;
    }

    /** The gazetteer whose match features add to the tag scores, or null. */
    public Gazetteer gazetteer() {
        return gazetteer;
    }

    /** The pretrained word vectors whose features add to the tag scores, or null. */
    public WordVectors vectors() {
        return vectors;
    }

    @Override
    public int length(NerSentence sentence) {
        return sentence.length();
    }

    @Override
    public NerModel replica() {
        NerModel r = copy(config);
        // a data-parallel worker trains on the same sentences: it needs their soft targets too
        r.distill(distillation);
        return r;
    }

    /**
     * A model to train further from this one's parameters, vocabularies, gazetteer, vectors and calibration, with
     * another optimizer configuration (e.g. a lower learning rate): {@code train --init-from}.
     */
    public NerModel continueWith(Adam.Config optimizer) {
        return copy(config.withOptimizer(optimizer));
    }

    /** This model's vocabularies, gazetteer, vectors, parameters and calibration under configuration {@code c}. */
    private NerModel copy(NerConfig c) {
        NerModel r = new NerModel(c, features, gazetteer, vectors, tags, 0);
        net.copyParametersTo(r.net);
        r.calibrate(calibration());
        return r;
    }

    /** The transition scores S×S with −∞ on BIO-illegal transitions. */
    double[] transitions() {
        return masked(NerGraph.TRANS, transPenalty);
    }

    /** The start scores S with −∞ on BIO-illegal starts. */
    double[] starts() {
        return masked(NerGraph.START, startPenalty);
    }

    /** The end scores S. */
    double[] ends() {
        return masked(NerGraph.END, endPenalty);
    }

    /** The score index of a tag. */
    int tagIndex(String tag) {
        return tags.indexOf(tag);
    }

    private double[] masked(String var, double[] penalty) {
        double[] v = net.graph().getVariable(var).getArr().castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) {
            v[i] += penalty[i];
        }
        return v;
    }

    private SequencePolytope polytope(int n) {
        return polytopes.get().computeIfAbsent(n, len -> new SequencePolytope(len, numTags));
    }

    @Override
    protected List<NerPrediction> predictBatched(List<String[]> sentences, Decoding mode, int[] kBest) {
        return predictMasked(sentences, mode, kBest, null);
    }

    /**
     * Predicts sentences under constraints: {@code masks.get(i)} is added to sentence i's tag scores [n, S] (row-major,
     * the order of {@link #tags()}; 0 keeps a tag, −∞ forbids it; null: no constraint), so that every decoding keeps
     * only the tag sequences the constraints allow. Nothing is memoised.
     *
     * @throws IllegalArgumentException when a mask has the wrong length, or forbids every tag sequence of its sentence
     */
    public List<NerPrediction> predictConstrained(List<String[]> sentences, Decoding mode, List<double[]> masks) {
        if (masks.size() != sentences.size()) {
            throw new IllegalArgumentException("need one mask per sentence: " + masks.size() + " for "
                    + sentences.size());
        }
        for (int i = 0; i < masks.size(); i++) {
            if (masks.get(i) != null && masks.get(i).length != sentences.get(i).length * numTags) {
                throw new IllegalArgumentException("the mask of sentence " + i + " has " + masks.get(i).length
                        + " entries; its " + sentences.get(i).length + " tokens x " + numTags + " tags need "
                        + sentences.get(i).length * numTags);
            }
        }
        return predictMasked(sentences, mode, null, masks);
    }

    private List<NerPrediction> predictMasked(List<String[]> sentences, Decoding mode, int[] kBest,
                                              List<double[]> masks) {
        double[] trans = transitions();
        double[] start = starts();
        double[] end = ends();
        return SentenceBatches.predict(sentences, kBest, 0, PREDICT_SENTENCES, PREDICT_TOKENS, net,
                (forms, ks, idx) -> {
            List<SentenceScores> scored = batchScores(forms, trans, start, end);
            List<NerPrediction> out = new ArrayList<>(forms.size());
            for (int j = 0; j < forms.size(); j++) {
                SentenceScores sc = scored.get(j);
                double[] mask = masks == null ? null : masks.get(idx[j]);
                if (mask != null) {
                    for (int q = 0; q < sc.etaU().length; q++) {
                        sc.etaU()[q] += mask[q];
                    }
                    if (polytope(sc.n()).decode(sc.etaU(), sc.etaV(), new int[sc.n()]) == Double.NEGATIVE_INFINITY) {
                        throw new IllegalArgumentException("the constraints of sentence " + idx[j]
                                + " allow no tag sequence (conflicting or overlapping spans?)");
                    }
                }
                out.add(ks == null ? decode(sc, mode) : decodeKBest(sc, ks[j]));
            }
            return out;
        });
    }

    /**
     * The scores of one sentence, kept to decode it again (calibration fits temperatures on them).
     *
     * @param n    tokens
     * @param etaU tag scores [n, S]
     * @param etaV the polytope's packed transition, start and end scores
     */
    record SentenceScores(int n, double[] etaU, double[] etaV) {
    }

    /** The scores of sentences (each at least one token), in input order. */
    List<SentenceScores> sentenceScores(List<String[]> sentences) {
        double[] trans = transitions();
        double[] start = starts();
        double[] end = ends();
        return SentenceBatches.predict(sentences, null, 0, PREDICT_SENTENCES, PREDICT_TOKENS, net,
                (forms, ks, idx) -> batchScores(forms, trans, start, end));
    }

    /** Decodes a scored sentence with this model's calibration. */
    NerPrediction decode(SentenceScores s, Decoding mode) {
        return prediction(distribution(s, mode), s.n());
    }

    /** The decoded distribution of a scored sentence (unary and per-position transition marginals). */
    SparseDistribution distribution(SentenceScores s, Decoding mode) {
        return decoder.decode(polytope(s.n()), s.etaU(), s.etaV(), mode);
    }

    /**
     * Sets the soft targets that training steps use (distillation: {@link NerDistillation}); null for none. Not
     * saved with the model.
     */
    public void distill(NerDistillation.Targets targets) {
        this.distillation = targets;
    }

    /** The soft targets training uses, or null. */
    NerDistillation.Targets distillation() {
        return distillation;
    }

    /** The k best tag sequences of a scored sentence (Gibbs weights at the calibrated marginals temperature). */
    NerPrediction decodeKBest(SentenceScores s, int k) {
        return prediction(decoder.kBest(polytope(s.n()), s.etaU(), s.etaV(), k), s.n());
    }

    private List<SentenceScores> batchScores(List<String[]> forms, double[] trans, double[] start, double[] end) {
        double[] scores = scores(forms);
        int t = 0;
        for (String[] f : forms) {
            t = Math.max(t, f.length);
        }
        List<SentenceScores> out = new ArrayList<>(forms.size());
        for (int j = 0; j < forms.size(); j++) {
            int n = forms.get(j).length;
            int off = j * t * numTags;
            out.add(new SentenceScores(n, Arrays.copyOfRange(scores, off, off + n * numTags),
                    polytope(n).packExtra(trans, start, end)));
        }
        return out;
    }

    /** The tag scores [B·T·S] (row-major, no dropout) of a batch of sentences. */
    double[] scores(List<String[]> forms) {
        EncoderBatch eb = features.featurize(forms, 0, null);
        EncoderInference fast = net.inference();
        if (fast != null) {
            NerHead head = net.derived(NerHead::new);
            float[] extra = extraCount == 0 ? null : extras.batch(forms, eb.maxLength());
            double[] out = head.scores(fast.encode(eb), head.hidW == null ? null : extra, eb.size() * eb.maxLength());
            if (extra != null) {
                head.addExtraScores(forms, eb.maxLength(), extra, out);
            }
            return out;
        }
        Map<String, INDArray> ph = new HashMap<>();
        net.encodeForPrediction(eb, ph);
        putExtra(forms, eb.maxLength(), ph);
        return net.outputSingle(ph, NerGraph.SCORES).castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** The extra features [B, T, F] of a batch, zero on padding (the graph's {@code ner/gaz}). */
    void putExtra(List<String[]> forms, int t, Map<String, INDArray> ph) {
        if (extraCount == 0) {
            return;
        }
        float[] all = extras.batch(forms, t);
        ph.put(NerGraph.GAZ, Nd4j.create(all, new long[] {forms.size(), t, extraCount}, 'c').castTo(net.type()));
    }

    /** One sentence's prediction: the decoded distribution in tag names, its tag marginals and span weights. */
    private NerPrediction prediction(SparseDistribution d, int n) {
        int s = numTags;
        List<NerPrediction.WeightedTags> alts = new ArrayList<>(d.size());
        for (int i = 0; i < d.size(); i++) {
            alts.add(new NerPrediction.WeightedTags(names(d.structures().get(i)), d.weights()[i]));
        }
        List<NerPrediction.WeightedSpan> spans = d.extraMarginals() == null ? SpanMarginals.fromAlternatives(alts)
                : SpanMarginals.fromMarkov(tagNames, n, d.marginals(), d.extraMarginals());
        double[][] m = new double[n][];
        for (int k = 0; k < n; k++) {
            m[k] = Arrays.copyOfRange(d.marginals(), k * s, (k + 1) * s);
        }
        return new NerPrediction(alts.get(0).tags(), List.copyOf(alts), m, spans, d.bestProbability());
    }

    private String[] names(int[] ids) {
        String[] out = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = tagNames[ids[i]];
        }
        return out;
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

    @Override
    public void save(ParameterStore store) {
        NerModelCodec.save(this, store);
    }

    /** Reads a model written by {@link #save}; see {@link NerModelCodec#load}. */
    public static NerModel load(ParameterStore store) {
        return NerModelCodec.load(store);
    }
}
