package io.github.sparsestruct.models.eval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Word-alignment figures (see {@link AlignmentEvaluator}).
 *
 * @param links        sure-link counts (gold, predicted, correct)
 * @param pairs        sentence pairs
 * @param meanSupport  mean number of structures per pair (NaN when the decoding has no support, i.e. dense
 *                     marginals)
 * @param maxSupport   largest support
 * @param nonZeroShare share of word pairs (over all m·n cells) with a non-zero marginal
 */
public record AlignmentResult(PrfCounts links, long pairs, double meanSupport, int maxSupport, double nonZeroShare) {
    /** As JSON. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("links", links.toJson());
        o.put("pairs", pairs);
        if (Double.isNaN(meanSupport)) {
            o.putNull("meanSupport");
        } else {
            o.put("meanSupport", meanSupport);
        }
        o.put("maxSupport", maxSupport);
        o.put("nonZeroShare", nonZeroShare);
        return o;
    }

    /** A human-readable table. */
    public String table() {
        return new TextTable().row("sure links", "P", "R", "F1", "gold", "predicted", "correct")
                .row("", TextTable.pct(links.precision()), TextTable.pct(links.recall()), TextTable.pct(links.f1()),
                        Long.toString(links.gold()), Long.toString(links.predicted()), Long.toString(links.correct()))
                .toString() + System.lineSeparator()
                + new TextTable().row("pairs", "mean support", "max support", "non-zero pairs %")
                .row(Long.toString(pairs), TextTable.num(meanSupport, 2), Integer.toString(maxSupport),
                        TextTable.pct(nonZeroShare)).toString();
    }
}
