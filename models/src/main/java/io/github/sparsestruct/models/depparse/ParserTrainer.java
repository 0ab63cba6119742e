package io.github.sparsestruct.models.depparse;

import io.github.sparsestruct.inference.loss.CrfTreeLoss;
import io.github.sparsestruct.inference.loss.PerceptronLoss;
import io.github.sparsestruct.inference.loss.SparseMapLoss;
import io.github.sparsestruct.inference.loss.StructuredLoss;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.Encoder;
import io.github.sparsestruct.models.nn.EncoderBatch;
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
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training of a {@link ParserModel}: new parsers from training data (vocabularies, relations, UPOS tags), the check of
 * training trees, and the training step with the configured arc loss ({@link ParserConfig#loss()}: SparseMAP, tree
 * CRF, structured hinge), fed back as a placeholder G of the objective Σ s ⊙ G, plus the relation and UPOS
 * cross-entropies of the graph; all divided by the batch's word count. Not thread-safe.
 */
public final class ParserTrainer extends GraphTrainer<DepSentence> {
    private static final Logger LOG = LoggerFactory.getLogger(ParserModel.class);
    private final ParserModel model;
    /** Polytopes and losses per sentence length, one set per thread (they keep workspaces). */
    private final ThreadLocal<Map<Integer, Trees>> trees = ThreadLocal.withInitial(HashMap::new);

    ParserTrainer(ParserModel model, Adam adam) {
        super(model.network(), adam);
        this.model = model;
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

    /** Encodes a batch into the heads' placeholders and adds the MLP dropout masks. */
    private Encoder.Encoded encode(EncoderBatch eb, Random rng, Map<String, INDArray> ph) {
        Encoder.Encoded enc = model.network().encode(eb, rng, ph);
        model.putDropMasks(eb, rng, ph);
        return enc;
    }

    @Override
    protected Pass pass(List<DepSentence> batch, Random rng, boolean wantGrads) {
        ParserConfig config = model.config();
        Network net = model.network();
        Vocabulary deprels = model.deprelVocabulary();
        Vocabulary upos = model.uposVocabulary();
        List<String[]> forms = new ArrayList<>(batch.size());
        for (DepSentence s : batch) {
            forms.add(s.forms());
        }
        EncoderBatch eb = model.features().featurize(ParserModel.withRoot(forms),
                rng == null ? 0 : config.encoder().wordDropout(), rng);
        Map<String, INDArray> ph = new HashMap<>();
        Encoder.Encoded enc = encode(eb, rng, ph);
        double[] arcs = net.outputSingle(ph, ParserModel.ARCS).castTo(DataType.DOUBLE).dup('c').data().asDouble();
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
        ParserDistillation.Targets soft = model.distillation();
        IntStream.range(0, b).parallel().forEach(i -> {
            DepSentence s = batch.get(i);
            int n = s.length();
            int nn = n + 1;
            Trees tr = trees(n, config);
            double[] eta = ParserModel.sentenceArcs(arcs, i, t, n);
            double[] gu = new double[nn * nn];
            try {
                arcLoss[i] = soft == null || !soft.bySentence().containsKey(s)
                        ? tr.loss.loss(eta, null, tr.poly.structure(s.heads()), gu, null)
                        : tr.loss.softLoss(eta, null, soft.mix(s), null, gu, null);
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
        ph.put(ParserModel.HEAD_SEL, Nd4j.create(sel, new long[] {b, t, t}, 'c').castTo(dt));
        ph.put(ParserModel.LAB_TARGET, Nd4j.create(labT, new long[] {(long) b * t, nl}, 'c').castTo(dt));
        ph.put(ParserModel.POS_TARGET, Nd4j.create(posT, new long[] {(long) b * t, np}, 'c').castTo(dt));
        ph.put(ParserModel.G_ARC, Nd4j.create(g, new long[] {b, t, t}, 'c').castTo(dt));
        Map<String, INDArray> outs = new HashMap<>();
        Map<String, INDArray> grads = null;
        if (wantGrads) {
            grads = net.gradients(ph, enc, List.of(ParserModel.LAB_LOSS, ParserModel.POS_LOSS), outs);
        } else {
            outs = net.output(ph, ParserModel.LAB_LOSS, ParserModel.POS_LOSS);
        }
        double ce = outs.get(ParserModel.LAB_LOSS).getDouble(0) + outs.get(ParserModel.POS_LOSS).getDouble(0);
        return new Pass(arcTotal + ce * words, words, grads);
    }

    private static final class Trees {
        final TreePolytope poly;
        final StructuredLoss loss;

        Trees(TreePolytope poly, StructuredLoss loss) {
            this.poly = poly;
            this.loss = loss;
        }
    }

    private Trees trees(int n, ParserConfig config) {
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
}
