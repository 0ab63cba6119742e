package io.github.sparsestruct.models.analysis;

import io.github.sparsestruct.models.eval.NerEvaluator;
import io.github.sparsestruct.models.eval.Span;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.decode.SparseDistribution;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.ner.NerPrediction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link NerModel} over the sentences of a document and shapes the result for the adapters: kept alternatives
 * with renormalised weights and ranks, candidate entities with marginal weights, the tag distribution, and the
 * defined treatment of empty and over-long sentences (see {@link AnalysisOptions}). Thread-safe: calls on one model
 * are serialised (the model's workspaces are not shared between threads).
 */
public final class NerAnalyzer {
    private static final Logger LOG = LoggerFactory.getLogger(NerAnalyzer.class);
    private final NerModel model;
    private final AnalysisOptions options;
    private final Decoding mode;

    /** An analyzer; throws when {@code options.decode()} is not a NER decoding (the message lists them). */
    public NerAnalyzer(NerModel model, AnalysisOptions options) {
        this.model = model;
        this.options = options;
        this.mode = options.decoding(Decoding.Task.NER);
    }

    /** The options. */
    public AnalysisOptions options() {
        return options;
    }

    /** The model. */
    public NerModel model() {
        return model;
    }

    /**
     * Analyses sentences given as token forms; an empty sentence gets an empty analysis of weight 1.
     *
     * @param sentences token forms per sentence
     * @return one analysis per sentence, in order
     */
    public List<NerAnalysis> analyze(List<String[]> sentences) {
        return analyzeMasked(sentences, null);
    }

    /**
     * Re-analyses sentences under a user's decisions on entities ({@link NerConstraints}): every kept alternative,
     * candidate and marginal respects them; unconstrained sentences are analysed as by {@link #analyze(List)}, and
     * with no constraint at all the result is exactly that. Not memoised.
     *
     * @param constraints one per sentence ({@link NerConstraints#NONE} for none)
     * @throws IllegalArgumentException when the lists differ in length, a constraint does not fit its sentence, a
     *                                  constrained sentence is longer than {@code maxSentenceLength}, or a sentence's
     *                                  constraints allow no analysis
     */
    public List<NerAnalysis> analyze(List<String[]> sentences, List<NerConstraints> constraints) {
        List<double[]> masks = ConstraintMasks.of(sentences, constraints, NerConstraints::isEmpty, (c, n) -> c.mask(n, model.tags()),
                options.maxSentenceLength());
        return masks == null ? analyze(sentences) : analyzeMasked(sentences, masks);
    }

    /** {@link #analyze(List)}, with a mask per sentence added to its scores when {@code masks} is not null. */
    private List<NerAnalysis> analyzeMasked(List<String[]> sentences, List<double[]> masks) {
        List<String[]> whole = new ArrayList<>();
        List<double[]> wholeMasks = new ArrayList<>();
        List<String[]> chunks = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            String[] s = sentences.get(i);
            if (s.length > options.maxSentenceLength()) {
                LOG.warn("sentence of {} tokens is longer than maxSentenceLength={}: tagged in chunks with map decoding",
                        s.length, options.maxSentenceLength());
                for (int a = 0; a < s.length; a += options.maxSentenceLength()) {
                    chunks.add(Arrays.copyOfRange(s, a, Math.min(s.length, a + options.maxSentenceLength())));
                }
            } else if (s.length > 0) {
                whole.add(s);
                wholeMasks.add(masks == null ? null : masks.get(i));
            }
        }
        List<NerPrediction> wp;
        List<NerPrediction> cp;
        // the prediction path runs concurrently; the graph path needs one caller at a time
        Object lock = model.concurrentPrediction() ? new Object() : model;
        synchronized (lock) {
            wp = whole.isEmpty() ? List.of() : masks == null ? PredictionMemo.predict(model, whole, mode)
                    : model.predictConstrained(whole, mode, wholeMasks);
            cp = chunks.isEmpty() ? List.of() : PredictionMemo.predict(model, chunks, Decoding.MAP);
        }
        List<NerAnalysis> out = new ArrayList<>(sentences.size());
        int wi = 0;
        int ci = 0;
        String name = mode.name().toLowerCase(Locale.ROOT);
        for (String[] s : sentences) {
            if (s.length == 0) {
                out.add(new NerAnalysis(new String[0], List.of(new NerAnalysis.Analysis(1, 1.0, new String[0],
                        List.of())), List.of(), model.tags(), new double[0][], name, false, Uncertainty.NONE));
            } else if (s.length <= options.maxSentenceLength()) {
                out.add(shape(wp.get(wi++), name, false));
            } else {
                List<NerPrediction> parts = new ArrayList<>();
                for (int a = 0; a < s.length; a += options.maxSentenceLength()) {
                    parts.add(cp.get(ci++));
                }
                out.add(shape(concat(parts), "map", true));
            }
        }
        return out;
    }

    private static NerPrediction concat(List<NerPrediction> parts) {
        List<String> tags = new ArrayList<>();
        List<double[]> marg = new ArrayList<>();
        List<NerPrediction.WeightedSpan> spans = new ArrayList<>();
        for (NerPrediction p : parts) {
            int off = tags.size();
            tags.addAll(Arrays.asList(p.tags()));
            marg.addAll(Arrays.asList(p.marginals()));
            for (NerPrediction.WeightedSpan w : p.spans()) {
                spans.add(new NerPrediction.WeightedSpan(w.start() + off, w.end() + off, w.type(), w.weight()));
            }
        }
        String[] t = tags.toArray(new String[0]);
        return new NerPrediction(t, List.of(new NerPrediction.WeightedTags(t, 1.0)), marg.toArray(new double[0][]),
                spans);
    }

    private NerAnalysis shape(NerPrediction p, String decode, boolean chunked) {
        SparseDistribution.Kept kept = SparseDistribution.keepHeaviest(
                p.alternatives().stream().mapToDouble(NerPrediction.WeightedTags::weight).toArray(),
                options.maxAlternatives(), options.minWeight());
        List<NerAnalysis.Analysis> analyses = new ArrayList<>();
        for (int k = 0; k < kept.indices().length; k++) {
            NerPrediction.WeightedTags a = p.alternatives().get(kept.indices()[k]);
            double w = kept.weights()[k];
            List<NerAnalysis.Entity> ents = new ArrayList<>();
            for (Span s : NerEvaluator.spans(a.tags())) {
                ents.add(new NerAnalysis.Entity(s.start(), s.end(), s.type(), w));
            }
            analyses.add(new NerAnalysis.Analysis(analyses.size() + 1, w, a.tags(), List.copyOf(ents)));
        }
        List<NerAnalysis.Entity> cands = new ArrayList<>();
        for (NerPrediction.WeightedSpan s : p.spans()) {
            if (s.weight() >= options.minWeight()) {
                cands.add(new NerAnalysis.Entity(s.start(), s.end(), s.type(), s.weight()));
            }
        }
        return new NerAnalysis(p.tags(), List.copyOf(analyses), List.copyOf(cands), model.tags(), p.marginals(),
                decode, chunked, chunked ? Uncertainty.UNDEFINED : Uncertainty.of(p, decode));
    }
}
