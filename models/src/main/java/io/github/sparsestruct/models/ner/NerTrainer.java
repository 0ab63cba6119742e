package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.inference.loss.CrfChainLoss;
import io.github.sparsestruct.inference.loss.DpSurrogateLoss;
import io.github.sparsestruct.inference.loss.SparseMapLoss;
import io.github.sparsestruct.inference.loss.StructuredLoss;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.Encoder;
import io.github.sparsestruct.models.nn.EncoderBatch;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.nn.Network;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.nn.Vocabulary;
import io.github.sparsestruct.models.train.GraphTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training of a {@link NerModel}: new models from training data (vocabularies, tag set, transfer of a trained
 * encoder), and the training step with the configured structured loss ({@link NerConfig#loss()}: CRF, SparseMAP,
 * DP-ℓ2). Per sentence, the loss's gradient ∂ℓ/∂θ = prediction − target comes from the inference module and is fed
 * back as placeholders G of the objective Σ θ ⊙ G (divided by the batch's token count), whose SameDiff gradient is the
 * network's gradient of the total loss. Not thread-safe.
 */
public final class NerTrainer extends GraphTrainer<NerSentence> {
    private static final Logger LOG = LoggerFactory.getLogger(NerModel.class);
    private final NerModel model;
    /** Polytopes and losses per sentence length, one set per thread (they keep workspaces). */
    private final ThreadLocal<Map<Integer, Chain>> chains = ThreadLocal.withInitial(HashMap::new);

    NerTrainer(NerModel model, Adam adam) {
        super(model.network(), adam);
        this.model = model;
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
     * A new model as {@link NerModel#create(NerConfig, List, long)}, whose tag scores also take the match features of a
     * gazetteer (a weight per feature and tag, starting at 0); the gazetteer is saved with the model.
     *
     * @param gazetteer name lists, or null for none
     */
    public static NerModel create(NerConfig config, List<NerSentence> train, Gazetteer gazetteer, long seed) {
        return create(config, train, gazetteer, null, seed);
    }

    /**
     * A new model as {@link NerModel#create(NerConfig, List, Gazetteer, long)}, whose tag scores also take the window
     * features of pretrained word vectors ({@link WordVectors}); the vectors are saved with the model.
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
     * A new model as
     * {@link NerModel#createFrom(NerConfig, List, TokenFeaturizer, EncoderConfig, Map, Gazetteer, long)}, whose tag scores also take the window features of pretrained word vectors, or null for none.
     */
    public static NerModel createFrom(NerConfig config, List<NerSentence> train, TokenFeaturizer source,
                                      EncoderConfig sourceConfig, Map<String, INDArray> sourceParams,
                                      Gazetteer gazetteer, WordVectors vectors, long seed) {
        return createFrom(config, train, source, sourceConfig, sourceParams, gazetteer, vectors, 0, seed);
    }

    /**
     * A new model as {@link NerModel#createFrom(NerConfig, List, TokenFeaturizer, EncoderConfig, Map, Gazetteer,
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
        for (Map.Entry<String, INDArray> p : m.network().parameters().entrySet()) {
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

    @Override
    protected Pass pass(List<NerSentence> batch, Random rng, boolean wantGrads) {
        NerConfig config = model.config();
        TokenFeaturizer features = model.features();
        Network net = model.network();
        List<String[]> forms = new ArrayList<>(batch.size());
        for (NerSentence s : batch) {
            forms.add(s.forms());
        }
        EncoderBatch eb = features.featurize(forms, rng == null ? 0 : config.encoder().wordDropout(), rng);
        Map<String, INDArray> ph = new HashMap<>();
        Encoder.Encoded enc = net.encode(eb, rng, ph);
        model.putExtra(forms, eb.maxLength(), ph);
        double[] scores = net.outputSingle(ph, NerGraph.SCORES).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int b = eb.size();
        int t = eb.maxLength();
        int s = model.tags().size();
        double[] trans = model.transitions();
        double[] start = model.starts();
        double[] end = model.ends();
        double tokens = eb.tokens();
        double[] g = new double[b * t * s];
        double[] gTrans = new double[s * s];
        double[] gStart = new double[s];
        double[] gEnd = new double[s];
        double total = 0;
        for (int i = 0; i < b; i++) {
            NerSentence sent = batch.get(i);
            int n = sent.length();
            Chain c = chain(n, s, config);
            double[] etaU = Arrays.copyOfRange(scores, i * t * s, i * t * s + n * s);
            double[] etaV = c.poly.packExtra(trans, start, end);
            NerDistillation.Targets soft = model.distillation();
            NerDistillation.Target teacher = soft == null ? null : soft.bySentence().get(sent);
            if (teacher == null && sent.tags() == null) {
                throw new IllegalArgumentException("sentence '" + sent.id() + "' has neither tags nor a teacher "
                        + "target");
            }
            double[] gu = new double[etaU.length];
            double[] gv = new double[etaV.length];
            try {
                if (teacher == null) {
                    total += c.loss.loss(etaU, etaV, gold(c.poly, sent), gu, gv);
                } else {
                    double[][] mu = softTarget(c.poly, sent, teacher, sent.tags() == null ? 0 : soft.goldWeight(),
                            s);
                    total += c.loss.softLoss(etaU, etaV, mu[0], mu[1], gu, gv);
                }
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
            ph.put(NerGraph.G, Nd4j.create(g, new long[] {b, t, s}, 'c').castTo(dt));
            ph.put(NerGraph.G_TRANS, Nd4j.create(gTrans, new long[] {s, s}, 'c').castTo(dt));
            ph.put(NerGraph.G_START, Nd4j.create(gStart, new long[] {s}, 'c').castTo(dt));
            ph.put(NerGraph.G_END, Nd4j.create(gEnd, new long[] {s}, 'c').castTo(dt));
            grads = net.gradients(ph, enc, List.of(), new HashMap<>());
        }
        return new Pass(total, eb.tokens(), grads);
    }

    /** The gold tag sequence of a tagged sentence as a structure of {@code poly}. */
    private Structure gold(SequencePolytope poly, NerSentence sent) {
        int[] gold = new int[sent.length()];
        for (int k = 0; k < gold.length; k++) {
            gold[k] = model.tagIndex(sent.tags()[k]);
        }
        return poly.structure(gold);
    }

    /** goldWeight·(the gold indicators) + (1 − goldWeight)·(the teacher's marginals): a point of the polytope. */
    private double[][] softTarget(SequencePolytope poly, NerSentence sent, NerDistillation.Target teacher,
                                  double goldWeight, int s) {
        double[] u = teacher.u().clone();
        double[] v = teacher.v().clone();
        if (u.length != poly.unaryDim() || v.length != poly.extraDim()) {
            throw new IllegalArgumentException("the teacher target of sentence '" + sent.id() + "' does not fit its "
                    + sent.length() + " tokens and " + s + " tags");
        }
        if (goldWeight > 0) {
            for (int k = 0; k < u.length; k++) {
                u[k] *= 1 - goldWeight;
            }
            for (int k = 0; k < v.length; k++) {
                v[k] *= 1 - goldWeight;
            }
            Structure y = gold(poly, sent);
            for (int i : y.unary()) {
                u[i] += goldWeight;
            }
            for (int j : y.extra()) {
                v[j] += goldWeight;
            }
        }
        return new double[][] {u, v};
    }

    private static final class Chain {
        final SequencePolytope poly;
        final StructuredLoss loss;

        Chain(SequencePolytope poly, StructuredLoss loss) {
            this.poly = poly;
            this.loss = loss;
        }
    }

    private Chain chain(int n, int numTags, NerConfig config) {
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
}
