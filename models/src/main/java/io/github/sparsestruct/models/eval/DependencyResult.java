package io.github.sparsestruct.models.eval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Attachment scores over tokens, with punctuation (gold UPOS {@code PUNCT}) included and excluded.
 *
 * @param sentences      number of sentences
 * @param withPunct      scores over all tokens
 * @param withoutPunct   scores over tokens whose gold UPOS is not {@code PUNCT}
 * @param universalLabels whether LAS compared only the universal part of the relations ({@code nmod} for
 *                        {@code nmod:poss})
 */
public record DependencyResult(long sentences, Scores withPunct, Scores withoutPunct, boolean universalLabels) {
    /**
     * Token counts for one token set.
     *
     * @param tokens         tokens scored for heads
     * @param headCorrect    tokens with the gold head
     * @param labelledTokens tokens scored for head and relation (those of sentences with predicted relations)
     * @param labelCorrect   of those, tokens with the gold head and relation
     * @param uposTokens     tokens scored for UPOS (those of sentences with predicted tags)
     * @param uposCorrect    of those, tokens with the gold UPOS
     */
    public record Scores(long tokens, long headCorrect, long labelledTokens, long labelCorrect, long uposTokens,
                         long uposCorrect) {
        /** Unlabelled attachment score, a fraction (NaN when no token was scored). */
        public double uas() {
            return ratio(headCorrect, tokens);
        }

        /** Labelled attachment score, a fraction (NaN when no relations were predicted). */
        public double las() {
            return ratio(labelCorrect, labelledTokens);
        }

        /** UPOS accuracy, a fraction (NaN when no tags were predicted). */
        public double uposAccuracy() {
            return ratio(uposCorrect, uposTokens);
        }

        /** {@code {"tokens", "uas", "las", "upos"}} with fractions; null for a figure that was not measured. */
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("tokens", tokens);
            put(o, "uas", uas());
            put(o, "las", las());
            put(o, "upos", uposAccuracy());
            return o;
        }

        private static double ratio(long a, long b) {
            return b == 0 ? Double.NaN : (double) a / b;
        }

        private static void put(ObjectNode o, String k, double v) {
            if (Double.isNaN(v)) {
                o.putNull(k);
            } else {
                o.put(k, v);
            }
        }
    }

    /** UAS with punctuation. */
    public double uas() {
        return withPunct.uas();
    }

    /** LAS with punctuation. */
    public double las() {
        return withPunct.las();
    }

    /** Figures as JSON: {@code withPunct} and {@code withoutPunct} objects of fractions. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("sentences", sentences);
        o.put("punctuation", "gold UPOS PUNCT");
        o.put("universalLabels", universalLabels);
        o.set("withPunct", withPunct.toJson());
        o.set("withoutPunct", withoutPunct.toJson());
        return o;
    }

    /** An aligned text table of UAS, LAS and UPOS in %, with and without punctuation. */
    public String table() {
        TextTable t = new TextTable().row("tokens", "count", "UAS", "LAS", "UPOS");
        add(t, "with punctuation", withPunct);
        add(t, "without punctuation", withoutPunct);
        return t.toString();
    }

    private static void add(TextTable t, String name, Scores s) {
        t.row(name, Long.toString(s.tokens()), TextTable.pct(s.uas()), TextTable.pct(s.las()),
                TextTable.pct(s.uposAccuracy()));
    }
}
