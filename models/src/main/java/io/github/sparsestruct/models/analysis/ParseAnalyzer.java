package io.github.sparsestruct.models.analysis;

import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.decode.SparseDistribution;
import io.github.sparsestruct.models.depparse.ParsePrediction;
import io.github.sparsestruct.models.depparse.ParserModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link ParserModel} over the sentences of a document and shapes the result for the adapters: kept trees with
 * renormalised weights and ranks, candidate arcs with marginal weights, and the defined treatment of empty and
 * over-long sentences (see {@link AnalysisOptions}). Thread-safe: calls on one model are serialised.
 */
public final class ParseAnalyzer {
    private static final Logger LOG = LoggerFactory.getLogger(ParseAnalyzer.class);
    private final ParserModel model;
    private final AnalysisOptions options;
    private final Decoding mode;

    /** An analyzer; throws when {@code options.decode()} is not a parser decoding (the message lists them). */
    public ParseAnalyzer(ParserModel model, AnalysisOptions options) {
        this.model = model;
        this.options = options;
        this.mode = options.decoding(Decoding.Task.PARSE);
    }

    /** The options. */
    public AnalysisOptions options() {
        return options;
    }

    /** The model. */
    public ParserModel model() {
        return model;
    }

    /**
     * Parses sentences given as word forms; an empty sentence gets an empty tree of weight 1.
     *
     * @param sentences word forms per sentence
     * @return one analysis per sentence, in order
     */
    public List<ParseAnalysis> analyze(List<String[]> sentences) {
        return analyzeMasked(sentences, null);
    }

    /** {@link NerAnalyzer#analyze(List, List)} for dependency arcs ({@link ParseConstraints}). */
    public List<ParseAnalysis> analyze(List<String[]> sentences, List<ParseConstraints> constraints) {
        List<double[]> masks = ConstraintMasks.of(sentences, constraints, ParseConstraints::isEmpty, (c, n) -> c.mask(n),
                options.maxSentenceLength());
        return masks == null ? analyze(sentences) : analyzeMasked(sentences, masks);
    }

    /** {@link #analyze(List)}, with a mask per sentence added to its scores when {@code masks} is not null. */
    private List<ParseAnalysis> analyzeMasked(List<String[]> sentences, List<double[]> masks) {
        int max = options.maxSentenceLength();
        List<String[]> whole = new ArrayList<>();
        List<double[]> wholeMasks = new ArrayList<>();
        List<String[]> chunks = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            String[] s = sentences.get(i);
            if (s.length > max) {
                LOG.warn("sentence of {} words is longer than maxSentenceLength={}: parsed in chunks with map decoding,"
                        + " one root per chunk", s.length, max);
                for (int a = 0; a < s.length; a += max) {
                    chunks.add(Arrays.copyOfRange(s, a, Math.min(s.length, a + max)));
                }
            } else if (s.length > 0) {
                whole.add(s);
                wholeMasks.add(masks == null ? null : masks.get(i));
            }
        }
        List<ParsePrediction> wp;
        List<ParsePrediction> cp;
        // the prediction path runs concurrently; the graph path needs one caller at a time
        Object lock = model.concurrentPrediction() ? new Object() : model;
        synchronized (lock) {
            wp = whole.isEmpty() ? List.of() : masks == null ? PredictionMemo.predict(model, whole, mode)
                    : model.predictConstrained(whole, mode, wholeMasks);
            cp = chunks.isEmpty() ? List.of() : PredictionMemo.predict(model, chunks, Decoding.MAP);
        }
        List<ParseAnalysis> out = new ArrayList<>(sentences.size());
        int wi = 0;
        int ci = 0;
        String name = mode.name().toLowerCase(Locale.ROOT);
        for (String[] s : sentences) {
            if (s.length == 0) {
                out.add(new ParseAnalysis(new int[0], new String[0], new String[0],
                        List.of(new ParseAnalysis.Tree(1, 1.0, new int[0], new String[0])), List.of(), name, false,
                        Uncertainty.NONE));
            } else if (s.length <= max) {
                out.add(shape(wp.get(wi++), name));
            } else {
                List<ParsePrediction> parts = new ArrayList<>();
                for (int a = 0; a < s.length; a += max) {
                    parts.add(cp.get(ci++));
                }
                out.add(joinChunks(parts, s.length));
            }
        }
        return out;
    }

    /**
     * The MAP trees of a long sentence's chunks joined into one analysis: one tree of weight 1 (one root per chunk)
     * and its arcs, each of marginal weight 1. Built without an (n+1)×(n+1) marginal matrix, so memory grows with the
     * sentence length, not its square.
     */
    private static ParseAnalysis joinChunks(List<ParsePrediction> parts, int n) {
        int[] heads = new int[n];
        String[] rels = new String[n];
        String[] upos = new String[n];
        int off = 0;
        for (ParsePrediction p : parts) {
            int k = p.heads().length;
            for (int i = 0; i < k; i++) {
                int h = p.heads()[i];
                heads[off + i] = h == 0 ? 0 : h + off;
                rels[off + i] = p.deprels()[i];
                upos[off + i] = p.upos()[i];
            }
            off += k;
        }
        List<ParseAnalysis.Arc> arcs = new ArrayList<>(n);
        for (int m = 1; m <= n; m++) {
            arcs.add(new ParseAnalysis.Arc(heads[m - 1], m, rels[m - 1], 1.0));
        }
        return new ParseAnalysis(heads, rels, upos, List.of(new ParseAnalysis.Tree(1, 1.0, heads, rels)),
                List.copyOf(arcs), "map", true, Uncertainty.UNDEFINED);
    }

    private ParseAnalysis shape(ParsePrediction p, String decode) {
        SparseDistribution.Kept k = SparseDistribution.keepHeaviest(
                p.trees().stream().mapToDouble(ParsePrediction.WeightedTree::weight).toArray(),
                options.maxAlternatives(), options.minWeight());
        List<ParsePrediction.WeightedTree> kept = new ArrayList<>(k.indices().length);
        List<ParseAnalysis.Tree> trees = new ArrayList<>();
        for (int q = 0; q < k.indices().length; q++) {
            ParsePrediction.WeightedTree t = p.trees().get(k.indices()[q]);
            kept.add(t);
            trees.add(new ParseAnalysis.Tree(trees.size() + 1, k.weights()[q], t.heads(), t.deprels()));
        }
        int n = p.heads().length;
        List<ParseAnalysis.Arc> arcs = new ArrayList<>();
        for (int m = 1; m <= n; m++) {
            List<ParseAnalysis.Arc> forM = new ArrayList<>();
            for (int h = 0; h <= n; h++) {
                double w = p.arcMarginals()[h][m];
                if (h != m && w >= options.minWeight() && w > 0) {
                    forM.add(new ParseAnalysis.Arc(h, m, relation(p, kept, h, m), w));
                }
            }
            forM.sort(Comparator.comparingDouble(ParseAnalysis.Arc::weight).reversed()
                    .thenComparingInt(ParseAnalysis.Arc::head));
            arcs.addAll(forM);
        }
        return new ParseAnalysis(p.heads(), p.deprels(), p.upos(), List.copyOf(trees), List.copyOf(arcs), decode,
                false, Uncertainty.of(p, decode));
    }

    private static String relation(ParsePrediction p, List<ParsePrediction.WeightedTree> kept, int h, int m) {
        if (p.heads()[m - 1] == h) {
            return p.deprels()[m - 1];
        }
        for (ParsePrediction.WeightedTree t : kept) {
            if (t.heads()[m - 1] == h) {
                return t.deprels()[m - 1];
            }
        }
        return null;
    }
}
