package io.github.sparsestruct.models.analysis;

import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.decode.SparseDistribution;
import io.github.sparsestruct.models.align.AlignDecoder;
import io.github.sparsestruct.models.align.AlignModel;
import io.github.sparsestruct.models.align.AlignPrediction;
import io.github.sparsestruct.models.align.TokenPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link AlignModel} over sentence pairs and shapes the result for the adapters: kept weighted alignments
 * (the heaviest {@code maxAlternatives} of weight ≥ {@code minWeight}, the best always, renormalised to sum to 1),
 * per-link marginal weights, and the best alignment as plain links. Decodings: map, sparsemap, marginals. A pair
 * with a sentence longer than {@code maxSentenceLength} (or whose sequential chain is too large) is decoded with the
 * matching MAP and marked {@code longPair}; a pair with an empty side gets the empty alignment of weight 1.
 * Thread-safe: calls on one model are serialised.
 */
public final class AlignAnalyzer {
    private static final Logger LOG = LoggerFactory.getLogger(AlignAnalyzer.class);
    private final AlignModel model;
    private final AnalysisOptions options;
    private final Decoding mode;
    private final AlignDecoder decoder;

    /** An analyzer with the model's decoder (matching for models trained with both). */
    public AlignAnalyzer(AlignModel model, AnalysisOptions options) {
        this(model, options, model.config().decoder());
    }

    /** An analyzer with the given decoder; throws when {@code options.decode()} is not an alignment decoding. */
    public AlignAnalyzer(AlignModel model, AnalysisOptions options, AlignDecoder decoder) {
        this.model = model;
        this.options = options;
        this.mode = options.decoding(Decoding.Task.ALIGN);
        this.decoder = decoder == AlignDecoder.BOTH ? AlignDecoder.MATCHING : decoder;
    }

    /** The options. */
    public AnalysisOptions options() {
        return options;
    }

    /** The model. */
    public AlignModel model() {
        return model;
    }

    /**
     * Aligns pairs of token forms.
     *
     * @return one analysis per pair, in order
     */
    public List<AlignAnalysis> analyze(List<TokenPair> pairs) {
        List<AlignPrediction> preds;
        // the prediction path runs concurrently; the graph path needs one caller at a time
        Object lock = model.concurrentPrediction() ? new Object() : model;
        synchronized (lock) {
            preds = model.predict(pairs, decoder, mode, options.maxSentenceLength());
        }
        List<AlignAnalysis> out = new ArrayList<>(preds.size());
        for (AlignPrediction p : preds) {
            if (p.fallback()) {
                LOG.warn("pair of {} and {} tokens is longer than maxSentenceLength={} (or too large for the "
                        + "sequential decoder): aligned with matching map", p.m(), p.n(), options.maxSentenceLength());
            }
            out.add(shape(p));
        }
        return out;
    }

    private AlignAnalysis shape(AlignPrediction p) {
        SparseDistribution.Kept kept = SparseDistribution.keepHeaviest(
                p.alternatives().stream().mapToDouble(AlignPrediction.WeightedAlignment::weight).toArray(),
                options.maxAlternatives(), options.minWeight());
        List<AlignAnalysis.Alignment> alignments = new ArrayList<>();
        for (int k = 0; k < kept.indices().length; k++) {
            double w = kept.weights()[k];
            int[] targets = p.alternatives().get(kept.indices()[k]).targets();
            alignments.add(new AlignAnalysis.Alignment(alignments.size() + 1, w, links(targets, w)));
        }
        List<AlignAnalysis.Link> weights = new ArrayList<>();
        int n = p.n();
        for (int i = 0; i < p.m(); i++) {
            for (int j = 0; j < n; j++) {
                double w = p.marginals()[i * n + j];
                if (w > 0 && w >= options.minWeight()) {
                    weights.add(new AlignAnalysis.Link(i, j, Math.min(1.0, w)));
                }
            }
        }
        weights.sort(Comparator.comparingDouble(AlignAnalysis.Link::weight).reversed());
        return new AlignAnalysis(p.m(), p.n(), links(p.best(), 1.0), List.copyOf(alignments), List.copyOf(weights),
                p.decoder().name().toLowerCase(Locale.ROOT), p.decode().name().toLowerCase(Locale.ROOT),
                p.fallback());
    }

    private static List<AlignAnalysis.Link> links(int[] targets, double w) {
        List<AlignAnalysis.Link> out = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] >= 0) {
                out.add(new AlignAnalysis.Link(i, targets[i], w));
            }
        }
        return List.copyOf(out);
    }
}
