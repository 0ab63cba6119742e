package io.github.sparsestruct.models.align;

import io.github.sparsestruct.inference.dp.ViterbiOmega;
import io.github.sparsestruct.inference.map.LinearAssignment;
import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.decode.AlignmentDecoder;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.decode.SparseDistribution;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.Encoder;
import io.github.sparsestruct.models.nn.EncoderBatch;
import io.github.sparsestruct.models.nn.EncoderInference;
import io.github.sparsestruct.models.nn.Blas;
import io.github.sparsestruct.models.nn.Json;
import io.github.sparsestruct.models.nn.LengthBuckets;
import io.github.sparsestruct.models.nn.NativeMemory;
import io.github.sparsestruct.models.nn.Network;
import io.github.sparsestruct.models.nn.ParameterStore;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.train.StepResult;
import io.github.sparsestruct.models.train.TrainableModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Word aligner between two sentences on the shared encoder, with structured decoders and Fenchel-Young losses from
 * the inference module (the SparseMAP paper's matching and sequential alignments).
 *
 * <p>Scores. Both sentences of a pair are encoded (BiLSTM, one batch: the B sources then the B targets). The pair
 * score θ_ij = tanh(W h_i)ᵀ U tanh(W h'_j) + MLP(φ_ij) + wᵀφ_ij, where φ_ij are the {@link LexicalFeatures} (identical
 * form, lower-case and prefix match, character-trigram Dice, relative position, neighbour matches, ...); the null
 * score of a word (it stays unaligned) is ν_i = aᵀh_i + b + cᵀψ_i with token features ψ_i.
 *
 * <p>Decoders: {@link NullMatchingPolytope} (partial one-to-one matchings, nulls in the unary part) and
 * {@link SequentialChain} (each source word picks a target position or null; distance-binned transitions).
 *
 * <p>Training targets. The gold sure links may be one-to-many, which neither decoder can reproduce. The target is a
 * uniform mixture of at most two structures: A, a maximum-cardinality one-to-one sub-matching of the gold links
 * (ties broken towards the relative-position diagonal), and B, a maximum sub-matching preferring the gold links A
 * left out; for the sequential decoder each source word additionally takes a gold target when its matching leaves it
 * unaligned (many-to-one is allowed there). The losses are Fenchel-Young losses with that mixture ȳ as target
 * (SparseMAP: ℓ = max_μ(⟨η, μ⟩ − ½‖μ_u‖²) − (⟨η, ȳ⟩ − ½‖ȳ_u‖²), gradient μ* − ȳ; DP-ℓ2: Vit_Ω(θ) − ⟨η, ȳ⟩, gradient
 * ∇Vit_Ω − ȳ). Gradients return to the graph as placeholders of the objective Σ θ ⊙ G, divided by the batch's source
 * tokens. Not thread-safe.
 */
public final class AlignModel implements TrainableModel<AlignPair> {
    /** Metadata key of the model kind and version. */
    public static final String KIND_KEY = "model";
    /** Pairs whose sequential chain is larger than this (m·(n+1)² potentials) are decoded by matching instead. */
    public static final long SEQUENTIAL_LIMIT = 3_000_000L;
    private static final String KIND = "{\"kind\":\"align\",\"version\":1}";
    private static final Logger LOG = LoggerFactory.getLogger(AlignModel.class);
    private static final String PAIRS = "align/pairs";
    private static final String NULLS = "align/nulls";
    private static final String LEX = "align/lex";
    private static final String TOKLEX = "align/tokLex";
    private static final String SHAPE_BTD = "align/shapeBTd";
    private static final String SHAPE_BTT = "align/shapeBTT";
    private static final String SHAPE_2BT = "align/shape2BT";
    private static final String TRANS = "align/trans";
    private static final String START = "align/start";
    private static final String END = "align/end";
    private static final String G_PAIRS = "align/Gpairs";
    private static final String G_NULLS = "align/Gnulls";
    private static final String G_TRANS = "align/Gtrans";
    private static final String G_START = "align/Gstart";
    private static final String G_END = "align/Gend";
    private static final int PREDICT_PAIRS = 32;
    private static final int PREDICT_TOKENS = 1500;

    private final AlignConfig config;
    private final TokenFeaturizer features;
    private final Network net;
    private final Adam adam;
    private final ActiveSetSolver solver = new ActiveSetSolver();
    private final Map<AlignPair, Targets> targetCache = new IdentityHashMap<>();
    private final Map<Integer, ViterbiOmega> vitL2 = new HashMap<>();
    private final AlignmentDecoder decoder = new AlignmentDecoder(SparseMapOptions.DEFAULT);

    private AlignModel(AlignConfig config, TokenFeaturizer features, long seed) {
        this.config = config;
        this.features = features;
        this.net = new Network(config.encoder(), features.words().size(), features.chars().size(), seed);
        buildHead();
        this.adam = new Adam(config.optimizer());
    }

    /**
     * A new model with vocabularies from the training pairs (both sides).
     *
     * @throws IllegalArgumentException if there is no training pair
     */
    public static AlignModel create(AlignConfig config, List<AlignPair> train, long seed) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("cannot build an alignment model from an empty training set");
        }
        List<String[]> forms = new ArrayList<>();
        for (AlignPair p : train) {
            forms.add(p.source());
            forms.add(p.target());
        }
        TokenFeaturizer f = TokenFeaturizer.build(forms, config.encoder().minWordCount(),
                config.encoder().maxChars());
        AlignModel m = new AlignModel(config, f, seed);
        LOG.info("alignment model: {} words, {} characters, {} parameters, loss {}, decoder {}", f.words().size(),
                f.chars().size(), m.parameterCount(), config.loss(), config.decoder());
        return m;
    }

    private void buildHead() {
        SameDiff sd = net.graph();
        DataType dt = net.type();
        int h = config.encoder().outputDim();
        int d = config.pairDim();
        int hid = config.lexHidden();
        int k = LexicalFeatures.PAIR;
        int kn = LexicalFeatures.TOKEN;
        SDVariable x = net.encoded();
        SDVariable shapeBtd = sd.placeHolder(SHAPE_BTD, DataType.LONG, 3);
        SDVariable shapeBtt = sd.placeHolder(SHAPE_BTT, DataType.LONG, 3);
        SDVariable shape2bt = sd.placeHolder(SHAPE_2BT, DataType.LONG, 2);
        SDVariable proj = sd.math().tanh(net.dense("align/proj", x, h, d));
        SDVariable halves = sd.reshape(proj, 2, -1, d);
        SDVariable src = sd.reshape(halves.get(SDIndex.interval(0, 1), SDIndex.all(), SDIndex.all()), -1, d);
        SDVariable tgt = sd.reshape(halves.get(SDIndex.interval(1, 2), SDIndex.all(), SDIndex.all()), shapeBtd);
        SDVariable u = net.init().glorot("align/U", d, d, d, d);
        SDVariable neural = sd.mmul(sd.reshape(src.mmul(u), shapeBtd), tgt, false, true, false);

        SDVariable lex = sd.placeHolder(LEX, dt, -1, k);
        SDVariable w1 = net.init().glorot("align/lex/W1", k, hid, k, hid);
        SDVariable b1 = net.init().constant("align/lex/b1", 0.0, hid);
        SDVariable w2 = net.init().glorot("align/lex/W2", hid, 1, hid, 1);
        // a linear term started from sensible priors, so that training starts near a lexical baseline
        double[] prior = {1.0, 1.5, 0.7, 1.0, -3.0, 0.5, 0.5, 1.0, 0.0, 0.0};
        SDVariable wl = net.init().of("align/lex/Wl", Nd4j.create(prior, new long[] {k, 1}, 'c').castTo(dt));
        SDVariable lexScore = sd.math().tanh(lex.mmul(w1).add(b1)).mmul(w2).add(lex.mmul(wl));
        sd.identity(PAIRS, neural.add(sd.reshape(lexScore, shapeBtt)));

        SDVariable nullNeural = net.dense("align/null", x, h, 1);
        SDVariable tokLex = sd.placeHolder(TOKLEX, dt, -1, kn);
        double[] nullPrior = {-1.0, -1.0, 0.0, 0.0};
        SDVariable wn = net.init().of("align/null/lexW", Nd4j.create(nullPrior, new long[] {kn, 1}, 'c').castTo(dt));
        sd.identity(NULLS, sd.reshape(nullNeural, shape2bt).add(sd.reshape(tokLex.mmul(wn), shape2bt)));

        double[] transInit = new double[SequentialChain.TRANS];
        transInit[3] = 1.0;
        SDVariable trans = net.init().of(TRANS, Nd4j.create(transInit, new long[] {SequentialChain.TRANS}, 'c')
                .castTo(dt));
        SDVariable start = net.init().constant(START, 0.0, SequentialChain.START);
        SDVariable end = net.init().constant(END, 0.0, SequentialChain.END);
        SDVariable obj = sd.getVariable(PAIRS).mul(sd.placeHolder(G_PAIRS, dt, -1, -1, -1)).sum()
                .add(sd.getVariable(NULLS).mul(sd.placeHolder(G_NULLS, dt, -1, -1)).sum())
                .add(trans.mul(sd.placeHolder(G_TRANS, dt, SequentialChain.TRANS)).sum())
                .add(start.mul(sd.placeHolder(G_START, dt, SequentialChain.START)).sum())
                .add(end.mul(sd.placeHolder(G_END, dt, SequentialChain.END)).sum());
        sd.setLossVariables(obj.rename("align/objective"));
    }

    /** The configuration. */
    public AlignConfig config() {
        return config;
    }

    /** The featurizer (vocabularies). */
    public TokenFeaturizer features() {
        return features;
    }

    /** The network (graph, encoder, parameters). */
    public Network network() {
        return net;
    }

    /** Number of scalar parameters. */
    public long parameterCount() {
        return net.parameterCount();
    }

    @Override
    public int length(AlignPair pair) {
        return Math.max(pair.source().length, pair.target().length);
    }

    @Override
    public Adam optimizer() {
        return adam;
    }

    @Override
    public Map<String, INDArray> parameters() {
        return net.parameters();
    }

    /** Scores of one pair: θ (m·n, row-major), source null scores ν (m), target null scores ν' (n). */
    public record PairScores(int m, int n, double[] pairs, double[] nullSource, double[] nullTarget) {
    }

    /** The binned transition, start and end scores of the sequential decoder. */
    public record ChainScores(double[] trans, double[] start, double[] end) {
    }

    /** The current chain scores. */
    public ChainScores chainScores() {
        return new ChainScores(variable(TRANS), variable(START), variable(END));
    }

    private double[] variable(String name) {
        return net.graph().getVariable(name).getArr().castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    // ---------------------------------------------------------------- training

    @Override
    public StepResult trainStep(List<AlignPair> batch, Random rng) {
        Pass p = pass(batch, rng, true);
        double norm = adam.update(net.parameters(), p.grads);
        NativeMemory.step();
        return new StepResult(p.loss, p.tokens, batch.size(), norm);
    }

    /** The total loss of a batch (no dropout): Σ per-pair losses. */
    public double loss(List<AlignPair> batch) {
        return pass(batch, null, false).loss;
    }

    /** Gradients of (Σ per-pair losses) / source tokens without dropout (for finite-difference checks). */
    public Map<String, INDArray> lossGradients(List<AlignPair> batch) {
        return pass(batch, null, true).grads;
    }

    private record Pass(double loss, int tokens, Map<String, INDArray> grads) {
    }

    private record Forward(Encoder.Encoded encoded, Map<String, INDArray> ph, double[] pairs, double[] nulls, int b,
                           int t) {
        PairScores scores(int i, int m, int n) {
            double[] p = new double[m * n];
            for (int a = 0; a < m; a++) {
                System.arraycopy(pairs, (i * t + a) * t, p, a * n, n);
            }
            return new PairScores(m, n, p, Arrays.copyOfRange(nulls, i * t, i * t + m),
                    Arrays.copyOfRange(nulls, (b + i) * t, (b + i) * t + n));
        }
    }

    private Forward forward(List<TokenPair> pairs, Random rng) {
        return forward(pairs, rng, false);
    }

    /** The pair and null scores of a batch; {@code predictOnly}: no dropout and no backward pass (encoded is null). */
    private Forward forward(List<TokenPair> pairs, Random rng, boolean predictOnly) {
        int b = pairs.size();
        List<String[]> forms = new ArrayList<>(2 * b);
        for (TokenPair p : pairs) {
            forms.add(p.source());
        }
        for (TokenPair p : pairs) {
            forms.add(p.target());
        }
        EncoderBatch eb = features.featurize(forms, rng == null ? 0 : config.encoder().wordDropout(), rng);
        int t = eb.maxLength();
        float[] lex = new float[b * t * t * LexicalFeatures.PAIR];
        float[] tok = new float[2 * b * t * LexicalFeatures.TOKEN];
        for (int i = 0; i < b; i++) {
            TokenPair p = pairs.get(i);
            LexicalFeatures.pairs(p.source(), p.target(), lex, i * t * t * LexicalFeatures.PAIR, t);
            LexicalFeatures.tokens(p.source(), p.target(), tok, i * t * LexicalFeatures.TOKEN);
            LexicalFeatures.tokens(p.target(), p.source(), tok, (b + i) * t * LexicalFeatures.TOKEN);
        }
        EncoderInference fast = predictOnly ? net.inference() : null;
        if (fast != null) {
            Head head = net.derived(Head::new);
            float[] enc = fast.encode(eb);
            return new Forward(null, null, head.pairs(enc, lex, b, t), head.nulls(enc, tok, b, t), b, t);
        }
        Map<String, INDArray> ph = new HashMap<>();
        Encoder.Encoded enc = null;
        if (predictOnly) {
            net.encodeForPrediction(eb, ph);
        } else {
            enc = net.encode(eb, rng, ph);
        }
        DataType dt = net.type();
        ph.put(LEX, Nd4j.create(lex, new long[] {(long) b * t * t, LexicalFeatures.PAIR}, 'c').castTo(dt));
        ph.put(TOKLEX, Nd4j.create(tok, new long[] {2L * b * t, LexicalFeatures.TOKEN}, 'c').castTo(dt));
        ph.put(SHAPE_BTD, Nd4j.createFromArray((long) b, t, config.pairDim()));
        ph.put(SHAPE_BTT, Nd4j.createFromArray((long) b, t, t));
        ph.put(SHAPE_2BT, Nd4j.createFromArray(2L * b, t));
        Map<String, INDArray> out = net.output(ph, PAIRS, NULLS);
        double[] pairScores = out.get(PAIRS).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] nullScores = out.get(NULLS).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        return new Forward(enc, ph, pairScores, nullScores, b, t);
    }

    /**
     * The pair and null scorers for prediction on a float snapshot of their parameters (the graph's
     * {@code align/pairs} and {@code align/nulls} without a graph call): with x = encoded + bias and
     * p = tanh(x·W_p + b_p), pair(s, t) = (p_s·U)·p_t + tanh(lex·W1 + b1)·W2 + lex·W_l and
     * null(i) = x_i·W_n + b_n + tokLex_i·w_n.
     */
    private static final class Head {
        private final float[] encBias;
        private final float[] projW;
        private final float[] projB;
        private final float[] u;
        private final float[] w1;
        private final float[] b1;
        private final float[] w2;
        private final float[] wl;
        private final float[] nullW;
        private final float[] nullB;
        private final float[] nullLex;

        Head(Network net) {
            this.encBias = Blas.floats(net.variable("net/encoded/bias"));
            this.projW = Blas.floats(net.variable("align/proj/W"));
            this.projB = Blas.floats(net.variable("align/proj/b"));
            this.u = Blas.floats(net.variable("align/U"));
            this.w1 = Blas.floats(net.variable("align/lex/W1"));
            this.b1 = Blas.floats(net.variable("align/lex/b1"));
            this.w2 = Blas.floats(net.variable("align/lex/W2"));
            this.wl = Blas.floats(net.variable("align/lex/Wl"));
            this.nullW = Blas.floats(net.variable("align/null/W"));
            this.nullB = Blas.floats(net.variable("align/null/b"));
            this.nullLex = Blas.floats(net.variable("align/null/lexW"));
        }

        /** Pair scores [b, t, t] from encoder rows [2b, t, h] (sources, then targets) and pair features. */
        double[] pairs(float[] enc, float[] lex, int b, int t) {
            int h = encBias.length;
            int d = projB.length;
            float[] proj = new float[2 * b * t * d];
            for (int r = 0; r < 2 * b * t; r++) {
                for (int j = 0; j < d; j++) {
                    proj[r * d + j] = projB[j];
                }
                for (int k = 0; k < h; k++) {
                    float x = enc[r * h + k] + encBias[k];
                    for (int j = 0; j < d; j++) {
                        proj[r * d + j] += x * projW[k * d + j];
                    }
                }
                for (int j = 0; j < d; j++) {
                    proj[r * d + j] = (float) Math.tanh(proj[r * d + j]);
                }
            }
            int kp = LexicalFeatures.PAIR;
            int hid = b1.length;
            double[] out = new double[b * t * t];
            float[] su = new float[d];
            float[] hidden = new float[hid];
            for (int i = 0; i < b; i++) {
                for (int a = 0; a < t; a++) {
                    int src = (i * t + a) * d;
                    java.util.Arrays.fill(su, 0f);
                    for (int k = 0; k < d; k++) {
                        float x = proj[src + k];
                        for (int j = 0; j < d; j++) {
                            su[j] += x * u[k * d + j];
                        }
                    }
                    for (int c = 0; c < t; c++) {
                        int tgt = ((b + i) * t + c) * d;
                        float neural = 0;
                        for (int j = 0; j < d; j++) {
                            neural += su[j] * proj[tgt + j];
                        }
                        int lo = ((i * t + a) * t + c) * kp;
                        System.arraycopy(b1, 0, hidden, 0, hid);
                        float linear = 0;
                        for (int f = 0; f < kp; f++) {
                            float v = lex[lo + f];
                            if (v != 0) {
                                linear += v * wl[f];
                                for (int j = 0; j < hid; j++) {
                                    hidden[j] += v * w1[f * hid + j];
                                }
                            }
                        }
                        float mlp = 0;
                        for (int j = 0; j < hid; j++) {
                            mlp += (float) Math.tanh(hidden[j]) * w2[j];
                        }
                        out[(i * t + a) * t + c] = neural + (mlp + linear);
                    }
                }
            }
            return out;
        }

        /** Null scores [2b, t] (sources, then targets) from encoder rows and token features. */
        double[] nulls(float[] enc, float[] tok, int b, int t) {
            int h = encBias.length;
            int kn = LexicalFeatures.TOKEN;
            double[] out = new double[2 * b * t];
            for (int r = 0; r < 2 * b * t; r++) {
                float dense = nullB[0];
                for (int k = 0; k < h; k++) {
                    dense += (enc[r * h + k] + encBias[k]) * nullW[k];
                }
                float lexical = 0;
                for (int f = 0; f < kn; f++) {
                    lexical += tok[r * kn + f] * nullLex[f];
                }
                out[r] = dense + lexical;
            }
            return out;
        }
    }

    private Pass pass(List<AlignPair> batch, Random rng, boolean wantGrads) {
        List<TokenPair> pairs = new ArrayList<>(batch.size());
        int tokens = 0;
        for (AlignPair p : batch) {
            pairs.add(new TokenPair(p.source(), p.target()));
            tokens += p.source().length;
        }
        Forward fw = forward(pairs, rng);
        int b = fw.b;
        int t = fw.t;
        ChainScores chain = chainScores();
        double[] gPairs = new double[b * t * t];
        double[] gNulls = new double[2 * b * t];
        double[] gTrans = new double[SequentialChain.TRANS];
        double[] gStart = new double[SequentialChain.START];
        double[] gEnd = new double[SequentialChain.END];
        double total = 0;
        for (int i = 0; i < b; i++) {
            AlignPair pair = batch.get(i);
            int m = pair.source().length;
            int n = pair.target().length;
            PairScores s = fw.scores(i, m, n);
            Targets tg = targetCache.computeIfAbsent(pair, AlignModel::targets);
            double[] gp = new double[m * n];
            double[] gns = new double[m];
            double[] gnt = new double[n];
            try {
                if (config.decoder() != AlignDecoder.SEQUENTIAL) {
                    total += matchingLoss(s, tg, gp, gns, gnt);
                }
                if (config.decoder() != AlignDecoder.MATCHING) {
                    total += sequentialLoss(s, chain, tg, gp, gns, gTrans, gStart, gEnd);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("alignment loss failed on pair '" + pair.id() + "': "
                        + e.getMessage(), e);
            }
            for (int a = 0; a < m; a++) {
                for (int c = 0; c < n; c++) {
                    gPairs[(i * t + a) * t + c] = gp[a * n + c] / tokens;
                }
                gNulls[i * t + a] = gns[a] / tokens;
            }
            for (int c = 0; c < n; c++) {
                gNulls[(b + i) * t + c] = gnt[c] / tokens;
            }
        }
        for (double[] g : new double[][] {gTrans, gStart, gEnd}) {
            for (int q = 0; q < g.length; q++) {
                g[q] /= tokens;
            }
        }
        Map<String, INDArray> grads = null;
        if (wantGrads) {
            DataType dt = net.type();
            Map<String, INDArray> ph = fw.ph;
            ph.put(G_PAIRS, Nd4j.create(gPairs, new long[] {b, t, t}, 'c').castTo(dt));
            ph.put(G_NULLS, Nd4j.create(gNulls, new long[] {2L * b, t}, 'c').castTo(dt));
            ph.put(G_TRANS, Nd4j.create(gTrans, new long[] {gTrans.length}, 'c').castTo(dt));
            ph.put(G_START, Nd4j.create(gStart, new long[] {gStart.length}, 'c').castTo(dt));
            ph.put(G_END, Nd4j.create(gEnd, new long[] {gEnd.length}, 'c').castTo(dt));
            grads = net.gradients(ph, fw.encoded, List.of(), new HashMap<>());
        }
        return new Pass(total, tokens, grads);
    }

    /** Training targets of a pair: one or two matchings and one or two sequences (each source word's target). */
    record Targets(List<int[]> matchings, List<int[]> sequences) {
    }

    /** The training targets of a gold pair (see the class comment). */
    static Targets targets(AlignPair p) {
        int m = p.source().length;
        int n = p.target().length;
        boolean[] gold = p.sureMatrix();
        double[] s = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                s[i * n + j] = gold[i * n + j] ? 1 + 0.01 * (1 - Math.abs((i + 0.5) / m - (j + 0.5) / n)) : 0;
            }
        }
        int[] a = subMatching(m, n, s, gold);
        for (int i = 0; i < m; i++) {
            if (a[i] >= 0) {
                s[i * n + a[i]] -= 0.5;
            }
        }
        int[] bm = subMatching(m, n, s, gold);
        List<int[]> matchings = Arrays.equals(a, bm) ? List.of(a) : List.of(a, bm);
        List<int[]> seqs = new ArrayList<>();
        for (int[] mt : matchings) {
            int[] seq = mt.clone();
            for (int i = 0; i < m; i++) {
                if (seq[i] < 0) {
                    double best = -1;
                    for (int j = 0; j < n; j++) {
                        if (gold[i * n + j] && s[i * n + j] > best) {
                            best = s[i * n + j];
                            seq[i] = j;
                        }
                    }
                }
            }
            if (seqs.isEmpty() || !Arrays.equals(seqs.get(0), seq)) {
                seqs.add(seq);
            }
        }
        return new Targets(matchings, seqs);
    }

    private static int[] subMatching(int m, int n, double[] scores, boolean[] gold) {
        int[] r = new int[m];
        LinearAssignment.solve(m, n, scores, r);
        for (int i = 0; i < m; i++) {
            if (r[i] >= 0 && !gold[i * n + r[i]]) {
                r[i] = -1;
            }
        }
        return r;
    }

    private double matchingLoss(PairScores s, Targets tg, double[] gp, double[] gns, double[] gnt) {
        int m = s.m;
        int n = s.n;
        NullMatchingPolytope poly = new NullMatchingPolytope(m, n);
        double[] eta = poly.pack(s.pairs, s.nullSource, s.nullTarget);
        List<Structure> target = new ArrayList<>();
        for (int[] c : tg.matchings) {
            target.add(poly.structure(c));
        }
        double[] gu = new double[eta.length];
        double loss = sparseMapLoss(poly, eta, null, target, gu, null);
        for (int k = 0; k < m * n; k++) {
            gp[k] += gu[k];
        }
        for (int i = 0; i < m; i++) {
            gns[i] += gu[m * n + i];
        }
        for (int j = 0; j < n; j++) {
            gnt[j] += gu[m * n + m + j];
        }
        return loss;
    }

    private double sequentialLoss(PairScores s, ChainScores cs, Targets tg, double[] gp, double[] gns,
                                  double[] gTrans, double[] gStart, double[] gEnd) {
        SequentialChain chain = new SequentialChain(s.m, s.n);
        double[] etaU = chain.unary(s.pairs, s.nullSource);
        double[] etaV = chain.extra(cs.trans, cs.start, cs.end);
        List<Structure> target = new ArrayList<>();
        for (int[] seq : tg.sequences) {
            target.add(chain.structure(seq));
        }
        double[] gu = new double[etaU.length];
        double[] gv = new double[etaV.length];
        double loss;
        if (config.loss() == AlignLoss.DP_L2) {
            ViterbiOmega vit = viterbi(vitL2, s.n + 1, SmoothedMax.squaredL2(1.0));
            double[] theta = chain.polytope().viterbiPotentials(etaU, etaV);
            double[] grad = new double[theta.length];
            double value = vit.gradient(theta, 0, s.m, grad, 0);
            chain.polytope().fromViterbiGradient(grad, gu, gv);
            double w = 1.0 / target.size();
            loss = value;
            for (Structure y : target) {
                loss -= w * y.score(etaU, etaV);
                for (int q : y.unary()) {
                    gu[q] -= w;
                }
                for (int q : y.extra()) {
                    gv[q] -= w;
                }
            }
        } else {
            loss = sparseMapLoss(chain.polytope(), etaU, etaV, target, gu, gv);
        }
        chain.foldGradients(gu, gv, gp, gns, gTrans, gStart, gEnd);
        return loss;
    }

    /**
     * The SparseMAP loss with a uniform mixture target: ℓ = f(μ*) − f(ȳ) with f(μ) = ⟨η, μ⟩ − ½‖μ_u‖²; gradients
     * μ* − ȳ into gu (and gv when there is an additional part).
     */
    private double sparseMapLoss(StructuredPolytope poly, double[] etaU, double[] etaV, List<Structure> target,
                                 double[] gu, double[] gv) {
        SparseMapResult r = solver.solve(poly, etaU, etaV);
        double[] yu = new double[etaU.length];
        double[] yv = etaV == null ? null : new double[etaV.length];
        double w = 1.0 / target.size();
        for (Structure y : target) {
            for (int q : y.unary()) {
                yu[q] += w;
            }
            if (yv != null) {
                for (int q : y.extra()) {
                    yv[q] += w;
                }
            }
        }
        double fMu = 0;
        double fY = 0;
        for (int q = 0; q < etaU.length; q++) {
            double mu = r.u()[q];
            fMu += etaU[q] * mu - 0.5 * mu * mu;
            fY += etaU[q] * yu[q] - 0.5 * yu[q] * yu[q];
            gu[q] = mu - yu[q];
        }
        if (yv != null) {
            for (int q = 0; q < etaV.length; q++) {
                double mu = r.v()[q];
                if (mu != 0) {
                    fMu += etaV[q] * mu;
                }
                if (yv[q] != 0) {
                    fY += etaV[q] * yv[q];
                }
                gv[q] = mu - yv[q];
            }
        }
        return Math.max(0, fMu - fY);
    }

    private static ViterbiOmega viterbi(Map<Integer, ViterbiOmega> cache, int tags, SmoothedMax op) {
        return cache.computeIfAbsent(tags, s -> new ViterbiOmega(op, s, 64));
    }

    // ---------------------------------------------------------------- prediction

    /** Scores of pairs (no dropout); empty sentences get empty scores. */
    public List<PairScores> scores(List<TokenPair> pairs) {
        PairScores[] out = new PairScores[pairs.size()];
        List<Integer> work = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            TokenPair p = pairs.get(i);
            if (p.source().length == 0 || p.target().length == 0) {
                out[i] = new PairScores(p.source().length, p.target().length, new double[0],
                        new double[p.source().length], new double[p.target().length]);
            } else {
                work.add(i);
            }
        }
        int[] lengths = new int[work.size()];
        for (int k = 0; k < lengths.length; k++) {
            TokenPair p = pairs.get(work.get(k));
            lengths[k] = Math.max(p.source().length, p.target().length);
        }
        for (int[] idx : LengthBuckets.batches(lengths, PREDICT_PAIRS, PREDICT_TOKENS, null)) {
            if (net.inference() == null) {
                NativeMemory.step(); // the graph allocates native arrays per batch; the prediction path does not
            }
            List<TokenPair> batch = new ArrayList<>(idx.length);
            for (int k : idx) {
                batch.add(pairs.get(work.get(k)));
            }
            Forward fw = forward(batch, null, true);
            for (int q = 0; q < idx.length; q++) {
                TokenPair p = batch.get(q);
                out[work.get(idx[q])] = fw.scores(q, p.source().length, p.target().length);
            }
        }
        return Arrays.asList(out);
    }

    /**
     * Whether {@link #predict} may be called from several threads at once: true on the prediction path
     * ({@link Network#inference()}, per-thread workspaces); the graph path is not thread-safe.
     */
    public boolean concurrentPrediction() {
        return net.inference() != null;
    }

    /** {@link #predict(List, AlignDecoder, Decoding, int)} without a length limit. */
    public List<AlignPrediction> predict(List<TokenPair> pairs, AlignDecoder decoder, Decoding mode) {
        return predict(pairs, decoder, mode, Integer.MAX_VALUE);
    }

    /**
     * Aligns pairs.
     *
     * @param decoder  matching or sequential (both: matching)
     * @param mode     how to decode
     * @param maxWords pairs with a sentence longer than this are decoded with the matching MAP ({@code fallback});
     *                 so are sequential pairs whose chain exceeds {@link #SEQUENTIAL_LIMIT}
     */
    public List<AlignPrediction> predict(List<TokenPair> pairs, AlignDecoder decoder, Decoding mode,
                                         int maxWords) {
        List<PairScores> scores = scores(pairs);
        ChainScores chain = chainScores();
        List<AlignPrediction> out = new ArrayList<>(pairs.size());
        for (PairScores s : scores) {
            out.add(decode(s, chain, decoder, mode, maxWords));
        }
        return out;
    }

    /** Decodes one pair's scores (see {@link #predict(List, AlignDecoder, Decoding, int)}). */
    public AlignPrediction decode(PairScores s, ChainScores chain, AlignDecoder decoder, Decoding mode,
                                  int maxWords) {
        int m = s.m;
        int n = s.n;
        AlignDecoder dec = decoder == AlignDecoder.BOTH ? AlignDecoder.MATCHING : decoder;
        if (m == 0 || n == 0) {
            int[] none = new int[m];
            Arrays.fill(none, -1);
            return new AlignPrediction(m, n, none, List.of(new AlignPrediction.WeightedAlignment(1.0, none)),
                    new double[m * n], dec, mode, false);
        }
        boolean tooLong = Math.max(m, n) > maxWords
                || (dec == AlignDecoder.SEQUENTIAL && SequentialChain.size(m, n) > SEQUENTIAL_LIMIT);
        if (tooLong) {
            return withFallback(decodeMatching(s, Decoding.MAP));
        }
        return dec == AlignDecoder.SEQUENTIAL ? decodeSequential(s, chain, mode) : decodeMatching(s, mode);
    }

    private static AlignPrediction withFallback(AlignPrediction p) {
        return new AlignPrediction(p.m(), p.n(), p.best(), p.alternatives(), p.marginals(), p.decoder(), p.decode(),
                true);
    }

    private AlignPrediction decodeMatching(PairScores s, Decoding mode) {
        SparseDistribution d = decoder.matching(s.m, s.n, s.pairs, s.nullSource, s.nullTarget, mode);
        return prediction(s, d, AlignDecoder.MATCHING, mode);
    }

    private AlignPrediction decodeSequential(PairScores s, ChainScores cs, Decoding mode) {
        SparseDistribution d = decoder.sequential(s.m, s.n, s.pairs, s.nullSource, cs.trans, cs.start, cs.end, mode);
        return prediction(s, d, AlignDecoder.SEQUENTIAL, mode);
    }

    private static AlignPrediction prediction(PairScores s, SparseDistribution d, AlignDecoder dec, Decoding mode) {
        List<AlignPrediction.WeightedAlignment> alts = new ArrayList<>(d.size());
        for (int i = 0; i < d.size(); i++) {
            alts.add(new AlignPrediction.WeightedAlignment(d.weights()[i], d.structures().get(i)));
        }
        return new AlignPrediction(s.m, s.n, d.best(), List.copyOf(alts), d.marginals(), dec, mode, false);
    }

    // ---------------------------------------------------------------- persistence

    @Override
    public void save(ParameterStore store) {
        store.putMetadata(KIND_KEY, KIND);
        store.putMetadata("align/config", Json.write(config));
        features.save(store, "align");
        net.save(store);
    }

    @Override
    public void loadParameters(ParameterStore store) {
        net.load(store);
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @throws IllegalArgumentException when the store holds no alignment model or misses parameters
     */
    public static AlignModel load(ParameterStore store) {
        String kind = store.requireMetadata(KIND_KEY);
        if (!kind.contains("\"align\"")) {
            throw new IllegalArgumentException("parameter store holds " + kind + ", not an alignment model");
        }
        AlignConfig cfg = Json.read(store.requireMetadata("align/config"), AlignConfig.class);
        TokenFeaturizer f = TokenFeaturizer.load(store, "align");
        AlignModel m = new AlignModel(cfg, f, 0);
        m.loadParameters(store);
        return m;
    }
}
