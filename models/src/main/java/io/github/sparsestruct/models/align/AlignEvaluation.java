package io.github.sparsestruct.models.align;

import io.github.sparsestruct.models.decode.Decoding;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.eval.AlignmentEvaluator;
import io.github.sparsestruct.models.eval.HardLinks;
import io.github.sparsestruct.models.eval.AlignmentResult;
import io.github.sparsestruct.models.eval.AerCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs an alignment model over gold pairs and scores it. Predicted links: for map, the best alignment; for sparsemap
 * and marginals, every link whose marginal is at least {@code threshold} (0.5 by default: a link that most of the
 * distribution's mass agrees on; below 0.5 a word may get two links).
 *
 * @param decoder      the decoder
 * @param decode       the decoding
 * @param threshold    marginal threshold of the predicted links (sparsemap, marginals)
 * @param result       the figures
 * @param pairsPerSecond pairs decoded per second (encoder + decoder, one thread)
 * @param fallbacks    pairs decoded with the matching MAP because they were too large
 * @param hard         the figures on gold links whose tokens differ, beside an identical-token LCS baseline
 * @param aer          the alignment error rate counts (sure and possible links)
 * @param argmax       the same for the SimAlign-style ArgMax baseline over the model's pretrained encoder (first
 *                     layer, first word piece of each token: {@link EmbeddingSimilarity#mutualArgmax}), or null
 *                     when the model reads no pretrained encoder
 */
public record AlignEvaluation(AlignDecoder decoder, Decoding decode, double threshold, AlignmentResult result,
                              double pairsPerSecond, int fallbacks, HardLinks.Figures hard, AerCounts aer,
                              AerCounts argmax) {
    /** The default marginal threshold. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    /** Evaluates with the default threshold. */
    public static AlignEvaluation run(AlignModel model, List<AlignPair> data, AlignDecoder decoder, Decoding decode,
                                      int batchSize) {
        return run(model, data, decoder, decode, DEFAULT_THRESHOLD, batchSize);
    }

    /** Evaluates a model on gold pairs. */
    public static AlignEvaluation run(AlignModel model, List<AlignPair> data, AlignDecoder decoder, Decoding decode,
                                      double threshold, int batchSize) {
        AlignmentEvaluator ev = new AlignmentEvaluator();
        HardLinks hard = new HardLinks();
        AerCounts aer = AerCounts.ZERO;
        AerCounts argmax = model.config().encoder().pretrained() == null ? null : AerCounts.ZERO;
        double seconds = 0;
        int fallbacks = 0;
        for (int from = 0; from < data.size(); from += batchSize) {
            List<AlignPair> batch = data.subList(from, Math.min(data.size(), from + batchSize));
            List<TokenPair> pairs = new ArrayList<>(batch.size());
            for (AlignPair p : batch) {
                pairs.add(new TokenPair(p.source(), p.target()));
            }
            long t0 = System.nanoTime();
            List<AlignPrediction> preds = model.predict(pairs, decoder, decode);
            seconds += (System.nanoTime() - t0) / 1e9;
            List<double[]> sims = argmax == null ? null : model.similarities(pairs);
            for (int i = 0; i < batch.size(); i++) {
                AlignPair g = batch.get(i);
                AlignPrediction p = preds.get(i);
                fallbacks += p.fallback() ? 1 : 0;
                List<int[]> links = p.decode().single() ? p.bestLinks() : p.linksAbove(threshold);
                int support = p.decode().listsDistribution() ? p.alternatives().size() : 0;
                ev.add(g.sureMatrix(), g.sure().size(), links, g.target().length, support, p.nonZeroPairs());
                hard.add(g, links);
                aer = aer.plus(g, links);
                if (argmax != null) {
                    argmax = argmax.plus(g, EmbeddingSimilarity.mutualArgmax(sims.get(i), g.source().length,
                            g.target().length));
                }
            }
        }
        return new AlignEvaluation(decoder, decode, threshold, ev.result(), seconds > 0 ? data.size() / seconds : 0,
                fallbacks, hard.figures(), aer, argmax);
    }

    /** All figures as one JSON object. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("task", "align");
        o.put("decoder", decoder.name().toLowerCase(Locale.ROOT));
        o.put("decode", decode.name().toLowerCase(Locale.ROOT));
        o.put("threshold", threshold);
        o.set("alignment", result.toJson());
        o.put("pairsPerSecond", pairsPerSecond);
        o.put("fallbacks", fallbacks);
        o.set("hard", hard.toJson());
        o.set("aer", aer.toJson());
        if (argmax != null) {
            o.set("argmaxBaseline", argmax.toJson());
        }
        return o;
    }

    /** Human-readable tables. */
    public String table() {
        String aers = AerCounts.table("model", aer, "ArgMax baseline (same encoder)", argmax);
        return result.table() + System.lineSeparator() + aers + System.lineSeparator() + hard.table()
                + System.lineSeparator() + String.format(Locale.ROOT,
                "encoder + %s %s decoding: %.1f pairs/s%s%n", decoder.name().toLowerCase(Locale.ROOT),
                decode.name().toLowerCase(Locale.ROOT), pairsPerSecond,
                fallbacks > 0 ? " (" + fallbacks + " pairs too large, decoded with matching map)" : "");
    }
}
