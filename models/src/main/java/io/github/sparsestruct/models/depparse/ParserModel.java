package io.github.sparsestruct.models.depparse;

import io.github.sparsestruct.inference.loss.CrfTreeLoss;
import io.github.sparsestruct.inference.loss.PerceptronLoss;
import io.github.sparsestruct.inference.loss.SparseMapLoss;
import io.github.sparsestruct.inference.loss.StructuredLoss;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.decode.SparseDistribution;
import io.github.sparsestruct.models.decode.TreeDecoder;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.Encoder;
import io.github.sparsestruct.models.nn.EncoderBatch;
import io.github.sparsestruct.models.nn.PredictionMemo;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class ParserModel implements TrainableModel<DepSentence> {
    /**
     * SparseMAP options for decoding: a duality-gap tolerance of 1e-6 (relative to the regulariser), which stops the
     * active set once further structures would change the distribution by about 1e-6, and at most 100 oracle calls.
     * The cap binds only on long sentences, whose exact support runs to hundreds of trees (800 for a 211-token one)
     * at a cost that grows with its square, while the analyzers keep at most a handful; on EWT dev it leaves UAS,
     * oracle UAS and arc ECE unchanged and mean support 7.41 → 7.37 ({@code bench/DecodeTolerance.java},
     * BENCHMARKS.md). {@link #decodeOptions} sets other values.
     */
    public static final SparseMapOptions DECODE_OPTIONS = SparseMapOptions.DEFAULT.withTolerance(1e-6)
            .withMaxIterations(100);

    /** Metadata key of the model kind and version. */
    public static final String KIND_KEY = "model";
    private static final String KIND = "{\"kind\":\"depparse\",\"version\":1}";
    private static final Logger LOG = LoggerFactory.getLogger(ParserModel.class);
    private static final String ARCS = "dep/arcs";
    private static final String LAB_HEAD = "dep/labHeadOut";
    private static final String LAB_DEP = "dep/labDepOut";
    private static final String UPOS_SCORES = "dep/uposScores";
    private static final String LAB_LOSS = "dep/labelLoss";
    private static final String POS_LOSS = "dep/uposLoss";
    private static final String LAB_PRED = "dep/labelScoresPred";
    private static final String G_ARC = "dep/Garc";
    private static final String HEAD_SEL = "dep/headSelect";
    private static final String LAB_TARGET = "dep/labelTarget";
    private static final String POS_TARGET = "dep/uposTarget";
    private static final String LAB_HEAD_IN = "dep/labHeadIn";
    private static final String LAB_DEP_IN = "dep/labDepIn";
    private static final String[] DROPS = {"dep/dropArcHead", "dep/dropArcDep", "dep/dropLabHead", "dep/dropLabDep"};
    private static final int PREDICT_SENTENCES = 64;
    private static final int PREDICT_TOKENS = 3000;

    private final ParserConfig config;
    private final TokenFeaturizer features;
    private final Vocabulary deprels;
    private final Vocabulary upos;
    private final int rootLabel;
    private final Network net;
    private final Adam adam;
    /** Polytopes and losses per sentence length, one set per thread (they keep workspaces). */
    private final ThreadLocal<Map<Integer, Trees>> trees = ThreadLocal.withInitial(HashMap::new);
    private final TreeDecoder decoder = new TreeDecoder(DECODE_OPTIONS);

    private ParserModel(ParserConfig config, TokenFeaturizer features, Vocabulary deprels, Vocabulary upos,
                        long seed) {
        this.config = config;
        this.features = features;
        this.deprels = deprels;
        this.upos = upos;
        this.rootLabel = deprels.contains("root") ? deprels.indexOf("root") : -1;
        this.net = new Network(config.encoder(), features.words().size(), features.chars().size(), seed);
        buildHeads();
        this.adam = new Adam(config.optimizer());
    }

    /**
     * A new parser with vocabularies, relations and UPOS tags from the training sentences.
     *
     * @throws IllegalArgumentException if the training data is empty or a sentence has no valid tree
     */
    public static ParserModel create(ParserConfig config, List<DepSentence> train, long seed) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("cannot build a parser from an empty training set");
        }
        List<String[]> forms = new ArrayList<>();
        TreeSet<String> rels = new TreeSet<>();
        TreeSet<String> tags = new TreeSet<>();
        for (DepSentence s : train) {
            checkTree(s);
            forms.add(s.forms());
            rels.addAll(Arrays.asList(s.deprels()));
            tags.addAll(Arrays.asList(s.upos()));
        }
        TokenFeaturizer f = TokenFeaturizer.build(forms, config.encoder().minWordCount(),
                config.encoder().maxChars());
        ParserModel m = new ParserModel(config, f, Vocabulary.closed(new ArrayList<>(rels)),
                Vocabulary.closed(new ArrayList<>(tags)), seed);
        LOG.info("parser: {} words, {} characters, {} relations, {} UPOS tags, {} parameters", f.words().size(),
                f.chars().size(), rels.size(), tags.size(), m.parameterCount());
        return m;
    }

    /**
     * Checks that a sentence's heads form a tree with exactly one word attached to the root.
     *
     * @throws IllegalArgumentException naming the sentence otherwise
     */
    public static void checkTree(DepSentence s) {
        int n = s.length();
        int roots = 0;
        for (int m = 1; m <= n; m++) {
            int h = s.heads()[m - 1];
            if (h < 0 || h > n || h == m) {
                throw new IllegalArgumentException("sentence '" + s.id() + "': word " + m + " has head " + h
                        + "; a training sentence needs a head in 0.." + n + " for every word");
            }
            roots += h == 0 ? 1 : 0;
            int cur = m;
            for (int step = 0; step <= n && cur != 0; step++) {
                cur = s.heads()[cur - 1];
            }
            if (cur != 0) {
                throw new IllegalArgumentException("sentence '" + s.id() + "': the heads of word " + m
                        + " form a cycle");
            }
        }
        if (roots != 1) {
            throw new IllegalArgumentException("sentence '" + s.id() + "' has " + roots
                    + " words attached to the root; the parser is trained on single-root trees");
        }
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

    /** The configuration. */
    public ParserConfig config() {
        return config;
    }

    /** Relation labels in score order. */
    public List<String> deprels() {
        return deprels.items();
    }

    /** UPOS tags in score order. */
    public List<String> uposTags() {
        return upos.items();
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
    public int length(DepSentence sentence) {
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

    @Override
    public StepResult trainStep(List<DepSentence> batch, Random rng) {
        Pass p = pass(batch, rng, true);
        double norm = adam.update(net.parameters(), p.grads);
        NativeMemory.step();
        return new StepResult(p.loss, p.tokens, batch.size(), norm);
    }

    @Override
    public BatchGradient gradient(List<DepSentence> batch, Random rng) {
        Pass p = pass(batch, rng, true);
        return new BatchGradient(p.loss, p.tokens, p.grads);
    }

    @Override
    public ParserModel replica() {
        ParserModel r = new ParserModel(config, features, deprels, upos, 0);
        net.copyParametersTo(r.net);
        return r;
    }

    /** The total loss of a batch without dropout: Σ arc losses + Σ relation and UPOS cross-entropies. */
    public double loss(List<DepSentence> batch) {
        return pass(batch, null, false).loss;
    }

    /**
     * Gradients, with respect to every parameter, of the batch objective (total loss / words), without dropout: for
     * checks against finite differences of {@link #loss}.
     */
    public Map<String, INDArray> lossGradients(List<DepSentence> batch) {
        return pass(batch, null, true).grads;
    }

    private record Pass(double loss, int tokens, Map<String, INDArray> grads) {
    }

    private static List<String[]> withRoot(List<String[]> sentences) {
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

    /** Encodes a batch into the heads' placeholders and adds the MLP dropout masks. */
    private Encoder.Encoded encode(EncoderBatch eb, Random rng, Map<String, INDArray> ph) {
        Encoder.Encoded enc = net.encode(eb, rng, ph);
        putDropMasks(eb, rng, ph);
        return enc;
    }

    /** Encodes a batch for prediction (no dropout, no backward pass) into the heads' placeholders. */
    private void encodeForPrediction(EncoderBatch eb, Map<String, INDArray> ph) {
        net.encodeForPrediction(eb, ph);
        putDropMasks(eb, null, ph);
    }

    private void putDropMasks(EncoderBatch eb, Random rng, Map<String, INDArray> ph) {
        int b = eb.size();
        int t = eb.maxLength();
        for (int i = 0; i < DROPS.length; i++) {
            int d = i < 2 ? config.arcDim() : config.labelDim();
            ph.put(DROPS[i], Encoder.dropoutMask(new long[] {b, t, d}, config.mlpDropout(), rng, net.type()));
        }
    }

    private Pass pass(List<DepSentence> batch, Random rng, boolean wantGrads) {
        List<String[]> forms = new ArrayList<>(batch.size());
        for (DepSentence s : batch) {
            forms.add(s.forms());
        }
        EncoderBatch eb = features.featurize(withRoot(forms), rng == null ? 0 : config.encoder().wordDropout(), rng);
        Map<String, INDArray> ph = new HashMap<>();
        Encoder.Encoded enc = encode(eb, rng, ph);
        double[] arcs = net.outputSingle(ph, ARCS).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int b = eb.size();
        int t = eb.maxLength();
        int nl = deprels.size();
        int np = upos.size();
        int words = eb.tokens() - b;
        double[] g = new double[b * t * t];
        double[] sel = new double[b * t * t];
        double[] labT = new double[b * t * nl];
        double[] posT = new double[b * t * np];
        for (DepSentence sent : batch) {
            checkTree(sent);
        }
        // the per-sentence losses run on the Java side, in parallel (ND4J's threads are idle meanwhile)
        double[] arcLoss = new double[b];
        IntStream.range(0, b).parallel().forEach(i -> {
            DepSentence s = batch.get(i);
            int n = s.length();
            int nn = n + 1;
            Trees tr = trees(n);
            double[] eta = sentenceArcs(arcs, i, t, n);
            double[] gu = new double[nn * nn];
            try {
                arcLoss[i] = tr.loss.loss(eta, null, tr.poly.structure(s.heads()), gu, null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("arc loss failed on sentence '" + s.id() + "': " + e.getMessage(),
                        e);
            }
            int base = i * t * t;
            for (int h = 0; h < nn; h++) {
                for (int m = 1; m < nn; m++) {
                    g[base + h * t + m] = gu[h * nn + m] / words;
                }
            }
        });
        double arcTotal = 0;
        for (int i = 0; i < b; i++) {
            DepSentence s = batch.get(i);
            arcTotal += arcLoss[i];
            int base = i * t * t;
            for (int m = 1; m <= s.length(); m++) {
                sel[base + m * t + s.heads()[m - 1]] = 1;
                labT[(i * t + m) * nl + deprels.indexOf(s.deprels()[m - 1])] = 1.0 / words;
                posT[(i * t + m) * np + upos.indexOf(s.upos()[m - 1])] = 1.0 / words;
            }
        }
        DataType dt = net.type();
        ph.put(HEAD_SEL, Nd4j.create(sel, new long[] {b, t, t}, 'c').castTo(dt));
        ph.put(LAB_TARGET, Nd4j.create(labT, new long[] {(long) b * t, nl}, 'c').castTo(dt));
        ph.put(POS_TARGET, Nd4j.create(posT, new long[] {(long) b * t, np}, 'c').castTo(dt));
        ph.put(G_ARC, Nd4j.create(g, new long[] {b, t, t}, 'c').castTo(dt));
        Map<String, INDArray> outs = new HashMap<>();
        Map<String, INDArray> grads = null;
        if (wantGrads) {
            grads = net.gradients(ph, enc, List.of(LAB_LOSS, POS_LOSS), outs);
        } else {
            outs = net.output(ph, LAB_LOSS, POS_LOSS);
        }
        double ce = outs.get(LAB_LOSS).getDouble(0) + outs.get(POS_LOSS).getDouble(0);
        return new Pass(arcTotal + ce * words, words, grads);
    }

    /** The (n+1)² arc scores of sentence i from the batch's [B, T, T] scores. */
    private static double[] sentenceArcs(double[] arcs, int i, int t, int n) {
        int nn = n + 1;
        double[] eta = new double[nn * nn];
        int base = i * t * t;
        for (int h = 0; h < nn; h++) {
            System.arraycopy(arcs, base + h * t, eta, h * nn, nn);
        }
        return eta;
    }

    private static final class Trees {
        final TreePolytope poly;
        final StructuredLoss loss;

        Trees(TreePolytope poly, StructuredLoss loss) {
            this.poly = poly;
            this.loss = loss;
        }
    }

    private Trees trees(int n) {
        return trees.get().computeIfAbsent(n, len -> {
            TreePolytope p = new TreePolytope(len, false, true);
            StructuredLoss l = switch (config.loss()) {
                case SPARSEMAP -> new SparseMapLoss(p, new ActiveSetSolver(SparseMapOptions.DEFAULT
                        .withMaxIterations(config.sparseMapIterations())), config.costAugmented());
                case CRF -> new CrfTreeLoss(p, 1.0);
                case HINGE -> new PerceptronLoss(p, true);
            };
            return new Trees(p, l);
        });
    }

    /**
     * Parses sentences (each at least one word).
     *
     * @param sentences word forms per sentence
     * @param mode      how to decode the arcs
     * @return one parse per sentence, in input order
     */
    public List<ParsePrediction> predict(List<String[]> sentences, Decoding mode) {
        return predict(sentences, mode, null);
    }

    /**
     * The k-best baseline: for sentence i, its {@code k[i]} highest-scoring trees (Lawler–Murty with the single-root
     * arborescence oracle), weighted by the model's Gibbs distribution restricted to the list (softmax of their arc
     * scores); arc marginals are those of the weighted list.
     */
    public List<ParsePrediction> predictKBest(List<String[]> sentences, int[] k) {
        if (k.length != sentences.size()) {
            throw new IllegalArgumentException("need one k per sentence: " + k.length + " for " + sentences.size());
        }
        return predict(sentences, Decoding.MAP, k);
    }

    private List<ParsePrediction> predict(List<String[]> sentences, Decoding mode, int[] kBest) {
        return PredictionMemo.serve(this, sentences, mode.name(), kBest, (sub, k) -> predictBatched(sub, mode, k));
    }

    private List<ParsePrediction> predictBatched(List<String[]> sentences, Decoding mode, int[] kBest) {
        for (int i = 0; i < sentences.size(); i++) {
            if (sentences.get(i).length == 0) {
                throw new IllegalArgumentException("sentence " + i + " is empty: the model needs at least one token "
                        + "(analysis.NerAnalyzer / ParseAnalyzer give empty sentences an empty analysis)");
            }
        }
        ParsePrediction[] out = new ParsePrediction[sentences.size()];
        int[] lengths = new int[sentences.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = sentences.get(i).length + 1;
        }
        for (int[] idx : LengthBuckets.batches(lengths, PREDICT_SENTENCES, PREDICT_TOKENS, null)) {
            if (net.inference() == null) {
                NativeMemory.step(); // the graph allocates native arrays per batch; the prediction path does not
            }
            List<String[]> forms = new ArrayList<>(idx.length);
            for (int i : idx) {
                forms.add(sentences.get(i));
            }
            int[] ks = null;
            if (kBest != null) {
                ks = new int[idx.length];
                for (int j = 0; j < idx.length; j++) {
                    ks[j] = kBest[idx[j]];
                }
            }
            List<ParsePrediction> p = predictBatch(forms, mode, ks);
            for (int j = 0; j < idx.length; j++) {
                out[idx[j]] = p.get(j);
            }
        }
        return Arrays.asList(out);
    }

    private List<ParsePrediction> predictBatch(List<String[]> forms, Decoding mode, int[] ks) {
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
        IntStream.range(0, b).parallel().forEach(i -> dec[i] = ks == null
                ? decoder.decode(forms.get(i).length, sentenceArcs(arcs, i, t, forms.get(i).length), mode)
                : decoder.kBest(forms.get(i).length, sentenceArcs(arcs, i, t, forms.get(i).length), ks[i]));
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
                    n + 1)));
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

    /**
     * Whether {@link #predict} may run on several threads at once: true where predictions take the prediction path
     * ({@link Network#inference()} and {@link ParserHeads}, per-thread workspaces); the graph path is not thread-safe.
     */
    public boolean concurrentPrediction() {
        return net.inference() != null;
    }

    /** Replaces the SparseMAP options used for decoding (not for training). */
    public void decodeOptions(SparseMapOptions options) {
        decoder.options(options);
    }

    @Override
    public void save(ParameterStore store) {
        store.putMetadata(KIND_KEY, KIND);
        store.putMetadata("dep/config", Json.write(config));
        features.save(store, "dep");
        store.putMetadata("dep/deprels", deprels.toJson());
        store.putMetadata("dep/upos", upos.toJson());
        net.save(store);
    }

    @Override
    public void loadParameters(ParameterStore store) {
        net.load(store);
    }

    /**
     * Reads a parser written by {@link #save}.
     *
     * @throws IllegalArgumentException when the store holds no parser or misses parameters
     */
    public static ParserModel load(ParameterStore store) {
        String kind = store.requireMetadata(KIND_KEY);
        if (!kind.contains("\"depparse\"")) {
            throw new IllegalArgumentException("parameter store holds " + kind + ", not a dependency parser");
        }
        ParserConfig cfg = Json.read(store.requireMetadata("dep/config"), ParserConfig.class);
        TokenFeaturizer f = TokenFeaturizer.load(store, "dep");
        ParserModel m = new ParserModel(cfg, f, Vocabulary.fromJson(store.requireMetadata("dep/deprels")),
                Vocabulary.fromJson(store.requireMetadata("dep/upos")), 0);
        m.loadParameters(store);
        return m;
    }
}
