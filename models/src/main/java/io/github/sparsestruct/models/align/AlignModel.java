package io.github.sparsestruct.models.align;

import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.decode.AlignmentDecoder;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.decode.SparseDistribution;
import io.github.sparsestruct.models.format.ModelHeader;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.Encoder;
import io.github.sparsestruct.models.nn.EncoderBatch;
import io.github.sparsestruct.models.nn.EncoderInference;
import io.github.sparsestruct.models.nn.LengthBuckets;
import io.github.sparsestruct.models.nn.NativeMemory;
import io.github.sparsestruct.models.nn.ParameterStore;
import io.github.sparsestruct.models.nn.PretrainedInput;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.train.BatchGradient;
import io.github.sparsestruct.models.train.NetworkModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 *
 * <p>This class holds the scoring (graph, prediction path, label maps) and decodes with
 * {@link io.github.sparsestruct.models.decode}; training (loss and step) is {@link AlignTrainer}, the model file {@link AlignModelCodec}.
 */
public final class AlignModel extends NetworkModel<AlignPair, AlignConfig> {
    /** Metadata key of the model kind and version. */
    public static final String KIND_KEY = ModelHeader.KIND_KEY;
    /** Pairs whose sequential chain is larger than this (m·(n+1)² potentials) are decoded by matching instead. */
    public static final long SEQUENTIAL_LIMIT = 3_000_000L;
    private static final int PREDICT_PAIRS = 32;
    private static final int PREDICT_TOKENS = 1500;

    private final AlignmentDecoder decoder = new AlignmentDecoder(SparseMapOptions.DEFAULT);

    AlignModel(AlignConfig config, TokenFeaturizer features, long seed) {
               super(config, config.encoder(), features, seed);
        buildHead();
        trainWith(new AlignTrainer(this, new Adam(config.optimizer())));
    }

    /** A new model from training pairs: see {@link AlignTrainer#create}. */
    public static AlignModel create(AlignConfig config, List<AlignPair> train, long seed) {
        return AlignTrainer.create(config, train, seed);
    }

    private void buildHead() {
        SameDiff sd = net.graph();
        DataType dt = net.type();
        int h = config.encoder().outputDim();
        int k = pairFeatures();
        int d = config.pairDim();
        int hid = config.lexHidden();
        int kn = LexicalFeatures.TOKEN;
        SDVariable x = net.encoded();
        SDVariable shapeBtd = sd.placeHolder(AlignGraph.SHAPE_BTD, DataType.LONG, 3);
        SDVariable shapeBtt = sd.placeHolder(AlignGraph.SHAPE_BTT, DataType.LONG, 3);
        SDVariable shape2bt = sd.placeHolder(AlignGraph.SHAPE_2BT, DataType.LONG, 2);
        SDVariable proj = sd.math().tanh(net.dense("align/proj", x, h, d));
        SDVariable halves = sd.reshape(proj, 2, -1, d);
        SDVariable src = sd.reshape(halves.get(SDIndex.interval(0, 1), SDIndex.all(), SDIndex.all()), -1, d);
        SDVariable tgt = sd.reshape(halves.get(SDIndex.interval(1, 2), SDIndex.all(), SDIndex.all()), shapeBtd);
        SDVariable u = net.init().glorot("align/U", d, d, d, d);
        SDVariable neural = sd.mmul(sd.reshape(src.mmul(u), shapeBtd), tgt, false, true, false);

        SDVariable lex = sd.placeHolder(AlignGraph.LEX, dt, -1, k);
        SDVariable w1 = net.init().glorot("align/lex/W1", k, hid, k, hid);
        SDVariable b1 = net.init().constant("align/lex/b1", 0.0, hid);
        SDVariable w2 = net.init().glorot("align/lex/W2", hid, 1, hid, 1);
        // a linear term started from sensible priors, so that training starts near a lexical baseline
        double[] prior = Arrays.copyOf(new double[] {1.0, 1.5, 0.7, 1.0, -3.0, 0.5, 0.5, 1.0, 0.0, 0.0}, k);
        if (k > LexicalFeatures.PAIR) { // the similarity features: the row and column gaps, ArgMax, attention
            System.arraycopy(new double[] {0.0, 3.0, 3.0, 1.0, 2.0}, 0, prior, LexicalFeatures.PAIR,
                    EmbeddingSimilarity.FEATURES);
        }
        SDVariable wl = net.init().of("align/lex/Wl", Nd4j.create(prior, new long[] {k, 1}, 'c').castTo(dt));
        SDVariable lexScore = sd.math().tanh(lex.mmul(w1).add(b1)).mmul(w2).add(lex.mmul(wl));
        sd.identity(AlignGraph.PAIRS, neural.add(sd.reshape(lexScore, shapeBtt)));

        SDVariable nullNeural = net.dense("align/null", x, h, 1);
        SDVariable tokLex = sd.placeHolder(AlignGraph.TOKLEX, dt, -1, kn);
        double[] nullPrior = {-1.0, -1.0, 0.0, 0.0};
        SDVariable wn = net.init().of("align/null/lexW", Nd4j.create(nullPrior, new long[] {kn, 1}, 'c').castTo(dt));
        sd.identity(AlignGraph.NULLS, sd.reshape(nullNeural, shape2bt).add(sd.reshape(tokLex.mmul(wn), shape2bt)));

        double[] transInit = new double[SequentialChain.TRANS];
        transInit[3] = 1.0;
        SDVariable trans = net.init().of(AlignGraph.TRANS,
                Nd4j.create(transInit, new long[] {SequentialChain.TRANS}, 'c').castTo(dt));
        SDVariable start = net.init().constant(AlignGraph.START, 0.0, SequentialChain.START);
        SDVariable end = net.init().constant(AlignGraph.END, 0.0, SequentialChain.END);
        SDVariable obj = sd.getVariable(AlignGraph.PAIRS).mul(sd.placeHolder(AlignGraph.G_PAIRS, dt, -1, -1, -1)).sum()
                .add(sd.getVariable(AlignGraph.NULLS).mul(sd.placeHolder(AlignGraph.G_NULLS, dt, -1, -1)).sum())
                .add(trans.mul(sd.placeHolder(AlignGraph.G_TRANS, dt, SequentialChain.TRANS)).sum())
                .add(start.mul(sd.placeHolder(AlignGraph.G_START, dt, SequentialChain.START)).sum())
                .add(end.mul(sd.placeHolder(AlignGraph.G_END, dt, SequentialChain.END)).sum());
        sd.setLossVariables(obj.rename("align/objective"));
    }

    @Override
    public int length(AlignPair pair) {
        return Math.max(pair.source().length, pair.target().length);
    }

    /** Not available: the aligner trains on one thread only (no {@link #replica()} either). */
    @Override
    public BatchGradient gradient(List<AlignPair> batch, Random rng) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " trains on one thread only");
    }

    /** Scores of one pair: θ (m·n, row-major), source null scores ν (m), target null scores ν' (n). */
    public record PairScores(int m, int n, double[] pairs, double[] nullSource, double[] nullTarget) {
    }

    /** The binned transition, start and end scores of the sequential decoder. */
    public record ChainScores(double[] trans, double[] start, double[] end) {
    }

    /** The current chain scores. */
    public ChainScores chainScores() {
        return new ChainScores(variable(AlignGraph.TRANS), variable(AlignGraph.START), variable(AlignGraph.END));
    }

    private double[] variable(String name) {
        return net.graph().getVariable(name).getArr().castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    record Forward(Encoder.Encoded encoded, Map<String, INDArray> ph, double[] pairs, double[] nulls, int b,
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

    Forward forward(List<TokenPair> pairs, Random rng) {
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
        int k = pairFeatures();
        float[] lex = new float[b * t * t * k];
        float[] tok = new float[2 * b * t * LexicalFeatures.TOKEN];
        for (int i = 0; i < b; i++) {
            TokenPair p = pairs.get(i);
            LexicalFeatures.pairs(p.source(), p.target(), lex, i * t * t * k, t, k);
            if (k > LexicalFeatures.PAIR) {
                double[] c = cosines(eb.pretrained(), i, b + i, t, p.source().length, p.target().length);
                EmbeddingSimilarity.features(c, p.source().length, p.target().length, lex, i * t * t * k, t, k,
                        LexicalFeatures.PAIR);
            }
            LexicalFeatures.tokens(p.source(), p.target(), tok, i * t * LexicalFeatures.TOKEN);
            LexicalFeatures.tokens(p.target(), p.source(), tok, (b + i) * t * LexicalFeatures.TOKEN);
        }
        EncoderInference fast = predictOnly ? net.inference() : null;
        if (fast != null) {
            AlignHead head = net.derived(AlignHead::new);
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
        ph.put(AlignGraph.LEX, Nd4j.create(lex, new long[] {(long) b * t * t, k}, 'c').castTo(dt));
        ph.put(AlignGraph.TOKLEX, Nd4j.create(tok, new long[] {2L * b * t, LexicalFeatures.TOKEN}, 'c').castTo(dt));
        ph.put(AlignGraph.SHAPE_BTD, Nd4j.createFromArray((long) b, t, config.pairDim()));
        ph.put(AlignGraph.SHAPE_BTT, Nd4j.createFromArray((long) b, t, t));
        ph.put(AlignGraph.SHAPE_2BT, Nd4j.createFromArray(2L * b, t));
        Map<String, INDArray> out = net.output(ph, AlignGraph.PAIRS, AlignGraph.NULLS);
        double[] pairScores = out.get(AlignGraph.PAIRS).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] nullScores = out.get(AlignGraph.NULLS).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        return new Forward(enc, ph, pairScores, nullScores, b, t);
    }

    /**
     * Floats per word pair of the pair features: the {@link LexicalFeatures}, and, when the encoder reads a pretrained
     * encoder, the {@link EmbeddingSimilarity} features of its first layer.
     */
    int pairFeatures() {
        return LexicalFeatures.PAIR + (config.encoder().pretrained() == null ? 0 : EmbeddingSimilarity.FEATURES);
    }

    /** The cosines of the first pretrained layer between rows {@code src} and {@code tgt} of a batch's vectors. */
    private double[] cosines(float[] vectors, int src, int tgt, int t, int m, int n) {
        int w = config.encoder().pretrained().width();
        return EmbeddingSimilarity.cosines(vectors, src * t * w, m, vectors, tgt * t * w, n, w,
                config.encoder().pretrained().dim());
    }

    /**
     * The m×n cosine matrices of the pretrained encoder's first layer for pairs (the SimAlign baseline's input), or
     * null when this model reads no pretrained encoder.
     */
    public List<double[]> similarities(List<TokenPair> pairs) {
        if (config.encoder().pretrained() == null) {
            return null;
        }
        List<double[]> out = new ArrayList<>(pairs.size());
        for (TokenPair p : pairs) {
            if (p.source().length == 0 || p.target().length == 0) {
                out.add(new double[0]);
                continue;
            }
            int t = Math.max(p.source().length, p.target().length);
            float[] v = features.vectors().batch(List.of(p.source(), p.target()), t);
            out.add(cosines(v, 0, 1, t, p.source().length, p.target().length));
        }
        return out;
    }

    /**
     * Sentence-alignment costs of two documents from the pretrained encoder (null when this model reads none):
     * C[a][b] = 1 − 2 Σ cos(i, j) / (m + n) over the ArgMax links i–j of the two sentences, so a translation (many
     * mutual best words of high similarity) is cheap whatever the languages; an empty sentence costs 1.
     */
    public double[] sentenceCosts(List<String[]> a, List<String[]> b) {
        PretrainedInput pre = config.encoder().pretrained();
        if (pre == null) {
            return null;
        }
        List<float[]> va = new ArrayList<>(a.size());
        for (String[] s : a) {
            va.add(s.length == 0 ? new float[0] : features.vectors().batch(List.<String[]>of(s), s.length));
        }
        List<float[]> vb = new ArrayList<>(b.size());
        for (String[] s : b) {
            vb.add(s.length == 0 ? new float[0] : features.vectors().batch(List.<String[]>of(s), s.length));
        }
        double[] out = new double[a.size() * b.size()];
        for (int x = 0; x < a.size(); x++) {
            for (int y = 0; y < b.size(); y++) {
                int m = a.get(x).length;
                int n = b.get(y).length;
                if (m == 0 || n == 0) {
                    out[x * b.size() + y] = 1;
                    continue;
                }
                double[] c = EmbeddingSimilarity.cosines(va.get(x), 0, m, vb.get(y), 0, n, pre.width(), pre.dim());
                double sum = 0;
                for (int[] l : EmbeddingSimilarity.mutualArgmax(c, m, n)) {
                    sum += Math.max(0, c[l[0] * n + l[1]]);
                }
                out[x * b.size() + y] = 1 - 2 * sum / (m + n);
            }
        }
        return out;
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
        AlignModelCodec.save(this, store);
    }

    /**
     * Reads a model written by {@link #save} ({@link AlignModelCodec}).
     *
     * @throws IllegalArgumentException when the store holds no alignment model or misses parameters
     */
    public static AlignModel load(ParameterStore store) {
        return AlignModelCodec.load(store);
    }
}
