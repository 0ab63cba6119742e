package io.github.sparsestruct.models.eval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact-span NER scores, conlleval style: overall micro counts, counts per entity type, and tag accuracy.
 *
 * @param sentences   number of sentences
 * @param tokens      number of tokens
 * @param correctTags tokens whose predicted tag string equals the gold one
 * @param overall     counts over all types
 * @param byType      counts per type (types seen in gold or prediction), sorted by name
 */
public record NerResult(long sentences, long tokens, long correctTags, PrfCounts overall,
                        Map<String, PrfCounts> byType) {
    /** Copies {@code byType} into an unmodifiable sorted map. */
    public NerResult {
        byType = Collections.unmodifiableMap(new TreeMap<>(byType));
    }

    /** Share of tokens with the gold tag (NaN for no tokens). */
    public double tagAccuracy() {
        return tokens == 0 ? Double.NaN : (double) correctTags / tokens;
    }

    /** Overall micro F1. */
    public double f1() {
        return overall.f1();
    }

    /** Figures as JSON: fractions in [0, 1], {@code types} keyed by type. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("sentences", sentences);
        o.put("tokens", tokens);
        if (tokens > 0) {
            o.put("tagAccuracy", tagAccuracy());
        } else {
            o.putNull("tagAccuracy");
        }
        o.set("overall", overall.toJson());
        ObjectNode types = o.putObject("types");
        byType.forEach((t, c) -> types.set(t, c.toJson()));
        return o;
    }

    /** An aligned text table: one row per type, then the overall row, then the tag accuracy; scores in %. */
    public String table() {
        TextTable t = new TextTable().row("type", "gold", "predicted", "correct", "precision", "recall", "F1");
        byType.forEach((type, c) -> add(t, type, c));
        add(t, "overall", overall);
        return t + String.format(java.util.Locale.ROOT, "%d sentences, %d tokens, tag accuracy %s%%%n", sentences,
                tokens, TextTable.pct(tagAccuracy()));
    }

    private static void add(TextTable t, String name, PrfCounts c) {
        t.row(name, Long.toString(c.gold()), Long.toString(c.predicted()), Long.toString(c.correct()),
                TextTable.pct(c.precision()), TextTable.pct(c.recall()), TextTable.pct(c.f1()));
    }
}
