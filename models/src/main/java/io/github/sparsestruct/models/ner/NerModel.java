package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.inference.loss.CrfChainLoss;
import io.github.sparsestruct.inference.loss.DpSurrogateLoss;
import io.github.sparsestruct.inference.loss.SparseMapLoss;
import io.github.sparsestruct.inference.loss.StructuredLoss;
import io.github.sparsestruct.inference.map.TransitionMasks;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.decode.SequenceDecoder;
import io.github.sparsestruct.models.decode.SparseDistribution;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.Encoder;
import io.github.sparsestruct.models.nn.EncoderBatch;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.nn.PredictionMemo;
import io.github.sparsestruct.models.nn.Blas;
import io.github.sparsestruct.models.nn.EncoderInference;
import io.github.sparsestruct.models.nn.Json;
import io.github.sparsestruct.models.nn.LengthBuckets;
import io.github.sparsestruct.models.nn.NativeMemory;
import io.github.sparsestruct.models.nn.Network;
import io.github.sparsestruct.models.nn.ParameterStore;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.nn.Vocabulary;
import io.github.sparsestruct.models.train.BatchGradient;
import io.github.sparsestruct.models.train.StepResult;
import io.github.sparsestruct.models.train.TrainableModel;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class NerModel implements TrainableModel<NerSentence> {
    /**
     * SparseMAP options for decoding: the default iteration cap and a duality-gap tolerance of 1e-6 (relative to the
     * regulariser), which stops the active set once further structures would change the distribution by about 1e-6.
     */
    public static final SparseMapOptions DECODE_OPTIONS = SparseMapOptions.DEFAULT.withTolerance(1e-6);

    /** Metadata key of the model kind and version. */
    public static final String KIND_KEY = "model";
    private static final String KIND = "{\"kind\":\"ner\",\"version\":1}";
    private static final Logger LOG = LoggerFactory.getLogger(NerModel.class);
    private static final String SCORES = "ner/scores";
    private static final String TRANS = "ner/trans";
    private static final String START = "ner/start";
    private static final String END = "ner/end";
    private static final String G = "ner/G";
    private static final String G_TRANS = "ner/Gtrans";
    private static final String G_START = "ner/Gstart";
    private static final String G_END = "ner/Gend";
    private static final String GAZ = "ner/gaz";
    private static final String GAZ_W = "ner/gaz/W";
    private static final String GAZ_KEY = "ner/gazetteer";
    /** The optional hidden layer of the tag head ({@link NerConfig#headHidden()}). */
    private static final String HID = "ner/hid";
    private static final int PREDICT_SENTENCES = 64;
    private static final int PREDICT_TOKENS = 3000;

    private final NerConfig config;
    private final TokenFeaturizer features;
    /** Name lists whose match features add to the tag scores, or null. */
    private final Gazetteer gazetteer;
    /** Pretrained word vectors whose window features add to the tag scores, or null. */
    private final WordVectors vectors;
    /** Per-token features beside the encoder: gazetteer matches, then word vectors (0 when neither). */
    private final int extraCount;
    private final Vocabulary tags;
    private final String[] tagNames;
    private final int numTags;
    private final double[] transPenalty;
    private final double[] startPenalty;
    private final double[] endPenalty;
    private final Network net;
    private final Adam adam;
    /** Polytopes and losses per sentence length, one set per thread (they keep workspaces). */
    private final ThreadLocal<Map<Integer, Chain>> chains = ThreadLocal.withInitial(HashMap::new);
    private final SequenceDecoder decoder;

    private NerModel(NerConfig config, TokenFeaturizer features, Gazetteer gazetteer, WordVectors vectors,
                     Vocabulary tags, long seed) {
        this.config = config;
        this.features = features;
        this.gazetteer = gazetteer == null || gazetteer.featureCount() == 0 ? null : gazetteer;
        this.vectors = vectors;
        this.extraCount = (this.gazetteer == null ? 0 : this.gazetteer.featureCount())
                + (vectors == null ? 0 : vectors.featureCount());
        this.tags = tags;
        this.tagNames = tags.items().toArray(new String[0]);
        this.numTags = tagNames.length;
        TransitionMasks masks = TransitionMasks.bio(tagNames);
        this.transPenalty = masks.transitionPenalties();
        this.startPenalty = masks.startPenalties();
        this.endPenalty = masks.endPenalties();
        this.decoder = new SequenceDecoder(numTags, DECODE_OPTIONS);
        this.net = new Network(config.encoder(), features.words().size(), features.chars().size(), seed);
        buildHead();
        this.adam = new Adam(config.optimizer());
    }

    /**
     * A new model with vocabularies and tag set from the training sentences, parameters initialised from a seed.
     *
     * @throws IllegalArgumentException if the training data has no sentence
     */
    public static NerModel create(NerConfig config, List<NerSentence> train, long seed) {
        return create(config, train, null, seed);
    }

    /**
     * A new model as {@link #create(NerConfig, List, long)}, whose tag scores also take the match features of a
     * gazetteer (a weight per feature and tag, starting at 0); the gazetteer is saved with the model.
     *
     * @param gazetteer name lists, or null for none
     */
    public static NerModel create(NerConfig config, List<NerSentence> train, Gazetteer gazetteer, long seed) {
        return create(config, train, gazetteer, null, seed);
    }

    /**
     * A new model as {@link #create(NerConfig, List, Gazetteer, long)}, whose tag scores also take the window features
     * of pretrained word vectors ({@link WordVectors}); the vectors are saved with the model.
     *
     * @param gazetteer name lists, or null for none
     * @param vectors   word vectors, or null for none
     */
    public static NerModel create(NerConfig config, List<NerSentence> train, Gazetteer gazetteer,
                                  WordVectors vectors, long seed) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("cannot build a NER model from an empty training set");
        }
        List<String[]> forms = new ArrayList<>();
        for (NerSentence s : train) {
            forms.add(s.forms());
        }
        List<String> tagList = tagList(train);
        TokenFeaturizer f = TokenFeaturizer.build(forms, config.encoder().minWordCount(),
                config.encoder().maxChars());
        NerModel m = new NerModel(config, f, gazetteer, vectors, Vocabulary.closed(tagList), seed);
        LOG.info("NER model: {} words, {} characters, tags {}, {} parameters", f.words().size(),
                f.chars().size(), tagList, m.parameterCount());
        return m;
    }

    /**
     * A new model whose encoder starts from another model's trained encoder (transfer, e.g. from the dependency
     * parser trained on the same sentences): it takes that model's vocabularies and encoder sizes, copies every
     * encoder parameter ({@code enc/...}) and starts the tag head from the seed. Dropout rates come from
     * {@code config}.
     *
     * @param source      the source model's featurizer (vocabularies)
     * @param sourceConfig the source model's encoder configuration
     * @param sourceParams the source model's parameters (only {@code enc/...} are read)
     * @param gazetteer   name lists whose match features add to the tag scores, or null
     * @throws IllegalArgumentException if the training data is empty or an encoder parameter is missing
     */
    public static NerModel createFrom(NerConfig config, List<NerSentence> train, TokenFeaturizer source,
                                      EncoderConfig sourceConfig, Map<String, INDArray> sourceParams,
                                      Gazetteer gazetteer, long seed) {
        return createFrom(config, train, source, sourceConfig, sourceParams, gazetteer, null, seed);
    }

    /**
     * A new model as {@link #createFrom(NerConfig, List, TokenFeaturizer, EncoderConfig, Map, Gazetteer, long)},
     * whose tag scores also take the window features of pretrained word vectors, or null for none.
     */
    public static NerModel createFrom(NerConfig config, List<NerSentence> train, TokenFeaturizer source,
                                      EncoderConfig sourceConfig, Map<String, INDArray> sourceParams,
                                      Gazetteer gazetteer, WordVectors vectors, long seed) {
        return createFrom(config, train, source, sourceConfig, sourceParams, gazetteer, vectors, 0, seed);
    }

    /**
     * A new model as {@link #createFrom(NerConfig, List, TokenFeaturizer, EncoderConfig, Map, Gazetteer,
     * WordVectors, long)} whose word vocabulary is also expanded ({@link VocabularyExpansion}) with up to
     * {@code expandWords} words of the vectors that the source never saw, their embeddings mapped from their vectors.
     *
     * @param expandWords the most words to add (0: none)
     * @throws IllegalArgumentException also when {@code expandWords} is positive without vectors
     */
    public static NerModel createFrom(NerConfig config, List<NerSentence> train, TokenFeaturizer source,
                                      EncoderConfig sourceConfig, Map<String, INDArray> sourceParams,
                                      Gazetteer gazetteer, WordVectors vectors, int expandWords, long seed) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("cannot build a NER model from an empty training set");
        }
        VocabularyExpansion expansion = null;
        TokenFeaturizer features = source;
        if (expandWords > 0) {
            if (vectors == null) {
                throw new IllegalArgumentException("vocabulary expansion maps word vectors: give the vectors");
            }
            INDArray table = sourceParams.get(Encoder.WORD_EMB);
            if (table == null) {
                throw new IllegalArgumentException("source encoder has no parameter '" + Encoder.WORD_EMB + "'");
            }
            expansion = VocabularyExpansion.fit(source.words(),
                    table.castTo(DataType.FLOAT).dup('c').data().asFloat(), (int) table.size(1), vectors,
                    expandWords);
            features = new TokenFeaturizer(expansion.vocabulary(), source.chars(), source.maxChars());
            LOG.info("NER model: {} words added to the vocabulary, embeddings mapped from their vectors (fitted on {}"
                    + " source words, R² {})", expansion.added(), expansion.fitted(),
                    String.format(java.util.Locale.ROOT, "%.3f", expansion.r2()));
        }
        EncoderConfig e = config.encoder();
        EncoderConfig enc = new EncoderConfig(sourceConfig.wordDim(), sourceConfig.caseDim(), sourceConfig.charDim(),
                sourceConfig.charFilters(), sourceConfig.maxChars(), sourceConfig.lstmHidden(),
                sourceConfig.lstmLayers(), e.inputDropout(), e.lstmDropout(), e.wordDropout(),
                sourceConfig.minWordCount(), sourceConfig.dataType());
        NerModel m = new NerModel(config.withEncoder(enc), features, gazetteer, vectors,
                Vocabulary.closed(tagList(train)), seed);
        int copied = 0;
        for (Map.Entry<String, INDArray> p : m.net.parameters().entrySet()) {
            if (!p.getKey().startsWith("enc/")) {
                continue;
            }
            INDArray from = sourceParams.get(p.getKey());
            if (expansion != null && p.getKey().equals(Encoder.WORD_EMB) && from != null) {
                long known = from.size(0);
                INDArray to = p.getValue();
                to.get(NDArrayIndex.interval(0, known), NDArrayIndex.all()).assign(from.castTo(to.dataType()));
                if (expansion.added() > 0) {
                    to.get(NDArrayIndex.interval(known, to.size(0)), NDArrayIndex.all()).assign(
                            Nd4j.create(expansion.rows(), new long[] {expansion.added(), to.size(1)}, 'c')
                                    .castTo(to.dataType()));
                }
                copied++;
                continue;
            }
            if (from == null || !Arrays.equals(from.shape(), p.getValue().shape())) {
                throw new IllegalArgumentException("source encoder has no parameter '" + p.getKey() + "' of shape "
                        + Arrays.toString(p.getValue().shape()));
            }
            p.getValue().assign(from.castTo(p.getValue().dataType()));
            copied++;
        }
        LOG.info("NER model: encoder initialised from a trained encoder ({} arrays), {} words, {} parameters",
                copied, source.words().size(), m.parameterCount());
        return m;
    }

    private static List<String> tagList(List<NerSentence> train) {
        TreeSet<String> types = new TreeSet<>();
        for (NerSentence s : train) {
            for (String t : s.tags()) {
                if (!t.equals("O")) {
                    types.add(t.substring(2));
                }
            }
        }
        List<String> tagList = new ArrayList<>();
        tagList.add("O");
        for (String t : types) {
            tagList.add("B-" + t);
            tagList.add("I-" + t);
        }
        return tagList;
    }

    private void buildHead() {
        SameDiff sd = net.graph();
        DataType dt = net.type();
        int s = numTags;
        int d = config.encoder().outputDim();
        int f = extraCount;
        SDVariable gaz = f == 0 ? null : sd.placeHolder(GAZ, dt, -1, -1, f);
        SDVariable scores;
        int h = config.headHidden();
        if (h > 0) {
            SDVariable in = gaz == null ? net.encoded() : sd.concat(2, net.encoded(), gaz);
            SDVariable hidden = sd.math().tanh(net.dense(HID, in, d + f, h));
            scores = net.dense("ner/out", hidden, h, s);
        } else {
            scores = net.dense("ner/out", net.encoded(), d, s);
        }
        if (gaz != null) {
            SDVariable w = net.init().constant(GAZ_W, 0.0, f, s);
            scores = scores.add(net.reshapeLike(sd.reshape(gaz, -1, f).mmul(w), gaz, s));
        }
        scores = sd.identity(SCORES, scores);
        SDVariable trans = net.init().constant(TRANS, 0.0, s, s);
        SDVariable start = net.init().constant(START, 0.0, s);
        SDVariable end = net.init().constant(END, 0.0, s);
        SDVariable obj = scores.mul(sd.placeHolder(G, dt, -1, -1, s)).sum()
                .add(trans.mul(sd.placeHolder(G_TRANS, dt, s, s)).sum())
                .add(start.mul(sd.placeHolder(G_START, dt, s)).sum())
                .add(end.mul(sd.placeHolder(G_END, dt, s)).sum());
        sd.setLossVariables(obj.rename("ner/objective"));
    }

    /** The configuration. */
    public NerConfig config() {
        return config;
    }

    /** Tag names in score order ("O", then B-/I- per type). */
    public List<String> tags() {
        return tags.items();
    }

    /** The featurizer (vocabularies). */
    public TokenFeaturizer features() {
        return features;
    }

    /** The gazetteer whose match features add to the tag scores, or null. */
    public Gazetteer gazetteer() {
        return gazetteer;
    }

    /** The pretrained word vectors whose features add to the tag scores, or null. */
    public WordVectors vectors() {
        return vectors;
    }

    /** Number of scalar parameters. */
    public long parameterCount() {
        return net.parameterCount();
    }

    @Override
    public int length(NerSentence sentence) {
        return sentence.length();
    }

    @Override
    public Adam optimizer() {
        return adam;
    }

    @Override
    public Map<String, INDArray> parameters() {
        return net.parameters();
    }

    /** The network (graph, encoder, parameters). */
    public Network network() {
        return net;
    }

    @Override
    public StepResult trainStep(List<NerSentence> batch, Random rng) {
        Pass p = pass(batch, rng, true);
        double norm = adam.update(net.parameters(), p.grads);
        NativeMemory.step();
        return new StepResult(p.loss, p.tokens, batch.size(), norm);
    }

    @Override
    public BatchGradient gradient(List<NerSentence> batch, Random rng) {
        Pass p = pass(batch, rng, true);
        return new BatchGradient(p.loss, p.tokens, p.grads);
    }

    @Override
    public NerModel replica() {
        NerModel r = new NerModel(config, features, gazetteer, vectors, tags, 0);
        net.copyParametersTo(r.net);
        return r;
    }

    /** The total loss of a batch (no dropout), as in {@link #lossGradients}: Σ per-sentence losses. */
    public double loss(List<NerSentence> batch) {
        return pass(batch, null, false).loss;
    }

    /**
     * Gradients, with respect to every parameter, of the batch objective (Σ per-sentence losses) / tokens, without
     * dropout: for checks against finite differences of {@link #loss}.
     */
    public Map<String, INDArray> lossGradients(List<NerSentence> batch) {
        return pass(batch, null, true).grads;
    }

    private record Pass(double loss, int tokens, Map<String, INDArray> grads) {
    }

    private Pass pass(List<NerSentence> batch, Random rng, boolean wantGrads) {
        List<String[]> forms = new ArrayList<>(batch.size());
        for (NerSentence s : batch) {
            forms.add(s.forms());
        }
        EncoderBatch eb = features.featurize(forms, rng == null ? 0 : config.encoder().wordDropout(), rng);
        Map<String, INDArray> ph = new HashMap<>();
        Encoder.Encoded enc = net.encode(eb, rng, ph);
        putExtra(forms, eb.maxLength(), ph);
        double[] scores = net.outputSingle(ph, SCORES).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int b = eb.size();
        int t = eb.maxLength();
        int s = numTags;
        double[] trans = masked(TRANS, transPenalty);
        double[] start = masked(START, startPenalty);
        double[] end = masked(END, endPenalty);
        double tokens = eb.tokens();
        double[] g = new double[b * t * s];
        double[] gTrans = new double[s * s];
        double[] gStart = new double[s];
        double[] gEnd = new double[s];
        double total = 0;
        for (int i = 0; i < b; i++) {
            NerSentence sent = batch.get(i);
            int n = sent.length();
            Chain c = chain(n);
            double[] etaU = Arrays.copyOfRange(scores, i * t * s, i * t * s + n * s);
            double[] etaV = c.poly.packExtra(trans, start, end);
            int[] gold = new int[n];
            for (int k = 0; k < n; k++) {
                gold[k] = tags.indexOf(sent.tags()[k]);
            }
            Structure target = c.poly.structure(gold);
            double[] gu = new double[etaU.length];
            double[] gv = new double[etaV.length];
            try {
                total += c.loss.loss(etaU, etaV, target, gu, gv);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("NER loss failed on sentence '" + sent.id() + "': "
                        + e.getMessage(), e);
            }
            for (int k = 0; k < n * s; k++) {
                g[i * t * s + k] = gu[k] / tokens;
            }
            for (int k = 0; k + 1 < n; k++) {
                for (int q = 0; q < s * s; q++) {
                    gTrans[q] += gv[k * s * s + q] / tokens;
                }
            }
            for (int q = 0; q < s; q++) {
                gStart[q] += gv[c.poly.startOffset() + q] / tokens;
                gEnd[q] += gv[c.poly.endOffset() + q] / tokens;
            }
        }
        Map<String, INDArray> grads = null;
        if (wantGrads) {
            DataType dt = net.type();
            ph.put(G, Nd4j.create(g, new long[] {b, t, s}, 'c').castTo(dt));
            ph.put(G_TRANS, Nd4j.create(gTrans, new long[] {s, s}, 'c').castTo(dt));
            ph.put(G_START, Nd4j.create(gStart, new long[] {s}, 'c').castTo(dt));
            ph.put(G_END, Nd4j.create(gEnd, new long[] {s}, 'c').castTo(dt));
            grads = net.gradients(ph, enc, List.of(), new HashMap<>());
        }
        return new Pass(total, eb.tokens(), grads);
    }

    private double[] masked(String var, double[] penalty) {
        double[] v = net.graph().getVariable(var).getArr().castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) {
            v[i] += penalty[i];
        }
        return v;
    }

    private static final class Chain {
        final SequencePolytope poly;
        final StructuredLoss loss;

        Chain(SequencePolytope poly, StructuredLoss loss) {
            this.poly = poly;
            this.loss = loss;
        }
    }

    private Chain chain(int n) {
        return chains.get().computeIfAbsent(n, len -> {
            SequencePolytope p = new SequencePolytope(len, numTags);
            StructuredLoss l = switch (config.loss()) {
                case CRF -> new CrfChainLoss(p, 1.0);
                case SPARSEMAP -> new SparseMapLoss(p, config.costAugmented());
                case DP_L2 -> DpSurrogateLoss.sequence(p, SmoothedMax.squaredL2(1.0), config.costAugmented());
            };
            return new Chain(p, l);
        });
    }

    /**
     * Tags sentences (each at least one token).
     *
     * @param sentences word forms per sentence
     * @param mode      how to decode
     * @return one prediction per sentence, in input order
     */
    public List<NerPrediction> predict(List<String[]> sentences, Decoding mode) {
        return predict(sentences, mode, null);
    }

    /**
     * The k-best baseline: for sentence i, its {@code k[i]} highest-scoring tag sequences (Lawler–Murty with the
     * Viterbi oracle), weighted by the model's Gibbs distribution restricted to the list (softmax of their scores);
     * marginals and spans are those of the weighted list.
     */
    public List<NerPrediction> predictKBest(List<String[]> sentences, int[] k) {
        if (k.length != sentences.size()) {
            throw new IllegalArgumentException("need one k per sentence: " + k.length + " for " + sentences.size());
        }
        return predict(sentences, Decoding.MAP, k);
    }

    private List<NerPrediction> predict(List<String[]> sentences, Decoding mode, int[] kBest) {
        return PredictionMemo.serve(this, sentences, mode.name(), kBest, (sub, k) -> predictBatched(sub, mode, k));
    }

    private List<NerPrediction> predictBatched(List<String[]> sentences, Decoding mode, int[] kBest) {
        for (int i = 0; i < sentences.size(); i++) {
            if (sentences.get(i).length == 0) {
                throw new IllegalArgumentException("sentence " + i + " is empty: the model needs at least one token "
                        + "(analysis.NerAnalyzer / ParseAnalyzer give empty sentences an empty analysis)");
            }
        }
        NerPrediction[] out = new NerPrediction[sentences.size()];
        int[] lengths = new int[sentences.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = sentences.get(i).length;
        }
        double[] trans = masked(TRANS, transPenalty);
        double[] start = masked(START, startPenalty);
        double[] end = masked(END, endPenalty);
        for (int[] idx : LengthBuckets.batches(lengths, PREDICT_SENTENCES, PREDICT_TOKENS, null)) {
            if (net.inference() == null) {
                NativeMemory.step(); // the graph allocates native arrays per batch; the prediction path does not
            }
            List<String[]> forms = new ArrayList<>(idx.length);
            for (int i : idx) {
                forms.add(sentences.get(i));
            }
            double[] scores = scores(forms);
            int t = 0;
            for (String[] f : forms) {
                t = Math.max(t, f.length);
            }
            for (int j = 0; j < idx.length; j++) {
                int n = forms.get(j).length;
                int off = j * t * numTags;
                double[] etaU = Arrays.copyOfRange(scores, off, off + n * numTags);
                SequencePolytope poly = chain(n).poly;
                double[] etaV = poly.packExtra(trans, start, end);
                out[idx[j]] = prediction(kBest == null ? decoder.decode(poly, etaU, etaV, mode)
                        : decoder.kBest(poly, etaU, etaV, kBest[idx[j]]), n);
            }
        }
        return Arrays.asList(out);
    }

    /** The tag scores [B·T·S] (row-major, no dropout) of a batch of sentences. */
    double[] scores(List<String[]> forms) {
        EncoderBatch eb = features.featurize(forms, 0, null);
        EncoderInference fast = net.inference();
        if (fast != null) {
            Head head = net.derived(Head::new);
            float[] extra = extraCount == 0 ? null : extraFeatures(forms, eb.maxLength());
            double[] out = head.scores(fast.encode(eb), head.hidW == null ? null : extra, eb.size() * eb.maxLength());
            if (extra != null) {
                addExtraScores(forms, eb.maxLength(), extra, out);
            }
            return out;
        }
        Map<String, INDArray> ph = new HashMap<>();
        net.encodeForPrediction(eb, ph);
        putExtra(forms, eb.maxLength(), ph);
        return net.outputSingle(ph, SCORES).castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** The extra features [B, T, F] of a batch, zero on padding (the graph's {@code ner/gaz}). */
    private void putExtra(List<String[]> forms, int t, Map<String, INDArray> ph) {
        if (extraCount == 0) {
            return;
        }
        float[] all = extraFeatures(forms, t);
        ph.put(GAZ, Nd4j.create(all, new long[] {forms.size(), t, extraCount}, 'c').castTo(net.type()));
    }

    /** The extra features of a batch, row-major [B, T, F], zero on padding. */
    private float[] extraFeatures(List<String[]> forms, int t) {
        int f = extraCount;
        float[] all = new float[forms.size() * t * f];
        for (int i = 0; i < forms.size(); i++) {
            float[] g = extraFeatures(forms.get(i));
            System.arraycopy(g, 0, all, i * t * f, g.length);
        }
        return all;
    }

    /**
     * The extra features of one sentence, row-major [n, F]: per token, the gazetteer's match features, then the word
     * vectors' window features.
     */
    private float[] extraFeatures(String[] forms) {
        if (vectors == null) {
            return gazetteer.features(forms);
        }
        if (gazetteer == null) {
            return vectors.features(forms);
        }
        int n = forms.length;
        int fg = gazetteer.featureCount();
        int fv = vectors.featureCount();
        float[] g = gazetteer.features(forms);
        float[] v = vectors.features(forms);
        float[] out = new float[n * extraCount];
        for (int k = 0; k < n; k++) {
            System.arraycopy(g, k * fg, out, k * extraCount, fg);
            System.arraycopy(v, k * fv, out, k * extraCount + fg, fv);
        }
        return out;
    }

    /**
     * Adds extra features · {@code ner/gaz/W} to prediction scores [B·T·S] (the graph's linear extra term).
     *
     * @param extra the batch's extra features [B, T, F] ({@link #extraFeatures(List, int)})
     */
    private void addExtraScores(List<String[]> forms, int t, float[] extra, double[] scores) {
        float[] w = net.derived(Head::new).gazW;
        int f = extraCount;
        int s = numTags;
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

    /**
     * The tag-score layer for prediction on a float snapshot of its parameters, the graph's {@code ner/out} without a
     * graph call: (encoded + bias) · W + b, or, with a hidden layer, tanh([encoded + bias; extra features] · W_h + b_h) · W
     * + b (one OpenBLAS product per batch).
     */
    private static final class Head {
        private final float[] encBias;
        private final float[] w;
        private final float[] b;
        /** The linear weights [F, S] of the extra features (gazetteer, word vectors), or null. */
        private final float[] gazW;
        /** The hidden layer's weights [D + F, H] and bias [H], or null for a linear head. */
        private final FloatBuffer hidW;
        private final float[] hidB;
        /** The hidden layer's input width D + F. */
        private final int hidIn;
        /** Per-thread input and pre-activation buffers of the hidden layer (grown as batches need). */
        private final ThreadLocal<FloatBuffer[]> work = ThreadLocal.withInitial(
                () -> new FloatBuffer[] {Blas.allocate(1), Blas.allocate(1)});

        Head(Network net) {
            this.encBias = Blas.floats(net.variable("net/encoded/bias"));
            this.w = Blas.floats(net.variable("ner/out/W"));
            this.b = Blas.floats(net.variable("ner/out/b"));
            this.gazW = net.graph().getVariable(GAZ_W) == null ? null : Blas.floats(net.variable(GAZ_W));
            boolean hidden = net.graph().getVariable(HID + "/W") != null;
            this.hidW = hidden ? Blas.direct(Blas.floats(net.variable(HID + "/W"))) : null;
            this.hidB = hidden ? Blas.floats(net.variable(HID + "/b")) : null;
            this.hidIn = hidden ? (int) net.variable(HID + "/W").size(0) : 0;
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
        return new NerPrediction(alts.get(0).tags(), List.copyOf(alts), m, spans);
    }

    /**
     * Whether {@link #predict} may run on several threads at once: true where predictions take the prediction path
     * ({@link Network#inference()}, per-thread workspaces); the graph path is not thread-safe.
     */
    public boolean concurrentPrediction() {
        return net.inference() != null;
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

    @Override
    public void save(ParameterStore store) {
        store.putMetadata(KIND_KEY, KIND);
        store.putMetadata("ner/config", Json.write(config));
        features.save(store, "ner");
        if (gazetteer != null) {
            store.putMetadata(GAZ_KEY, Json.write(gazetteer.text()));
        }
        if (vectors != null) {
            vectors.save(store, "ner");
        }
        store.putMetadata("ner/tags", tags.toJson());
        net.save(store);
    }

    @Override
    public void loadParameters(ParameterStore store) {
        net.load(store);
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @throws IllegalArgumentException when the store holds no NER model or misses parameters
     */
    public static NerModel load(ParameterStore store) {
        String kind = store.requireMetadata(KIND_KEY);
        if (!kind.contains("\"ner\"")) {
            throw new IllegalArgumentException("parameter store holds " + kind + ", not a NER model");
        }
        NerConfig cfg = Json.read(store.requireMetadata("ner/config"), NerConfig.class);
        TokenFeaturizer f = TokenFeaturizer.load(store, "ner");
        String gaz = store.getMetadata(GAZ_KEY);
        Gazetteer g = gaz == null ? null : Gazetteer.parse(Json.read(gaz, String.class));
        WordVectors v = WordVectors.load(store, "ner");
        NerModel m = new NerModel(cfg, f, g, v, Vocabulary.fromJson(store.requireMetadata("ner/tags")), 0);
        m.loadParameters(store);
        return m;
    }
}
