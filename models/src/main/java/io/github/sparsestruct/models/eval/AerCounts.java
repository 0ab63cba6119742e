package io.github.sparsestruct.models.eval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.data.AlignPair;
import java.util.List;

/**
 * Alignment error rate counts (Och &amp; Ney 2003) with sure links S and possible links P ⊇ S (a pair's possible links
 * are its sure and its possible links): AER = 1 − (|A∩S| + |A∩P|) / (|A| + |S|), micro over all pairs, with the
 * sure-link precision, recall and F1 beside it.
 *
 * @param predicted   |A|, predicted links (duplicates counted once)
 * @param sure        |S|
 * @param hitSure     |A∩S|
 * @param hitPossible |A∩P|
 */
public record AerCounts(long predicted, long sure, long hitSure, long hitPossible) {
    /** No links. */
    public static final AerCounts ZERO = new AerCounts(0, 0, 0, 0);

    /** Checks consistency. */
    public AerCounts {
        if (hitSure < 0 || hitSure > hitPossible || hitPossible > predicted || hitSure > sure) {
            throw new IllegalArgumentException("inconsistent AER counts: |A| " + predicted + ", |S| " + sure
                    + ", |A∩S| " + hitSure + ", |A∩P| " + hitPossible);
        }
    }

    /** These counts plus one pair's: its gold links and the predicted links {i, j}. */
    public AerCounts plus(AlignPair gold, List<int[]> links) {
        int n = gold.target().length;
        boolean[] s = gold.sureMatrix();
        boolean[] p = s.clone();
        for (int[] l : gold.possible()) {
            p[l[0] * n + l[1]] = true;
        }
        int goldSure = 0;
        for (boolean b : s) {
            goldSure += b ? 1 : 0;
        }
        boolean[] seen = new boolean[s.length];
        long a = 0;
        long as = 0;
        long ap = 0;
        for (int[] l : links) {
            int c = l[0] * n + l[1];
            if (l[0] < 0 || l[1] < 0 || l[1] >= n || c >= s.length) {
                throw new IllegalArgumentException("pair '" + gold.id() + "': predicted link " + l[0] + "-" + l[1]
                        + " is outside the sentences");
            }
            if (seen[c]) {
                continue;
            }
            seen[c] = true;
            a++;
            as += s[c] ? 1 : 0;
            ap += p[c] ? 1 : 0;
        }
        return new AerCounts(predicted + a, sure + goldSure, hitSure + as, hitPossible + ap);
    }

    /** The alignment error rate in [0, 1] (0 when there is neither a predicted nor a sure link). */
    public double aer() {
        return predicted + sure == 0 ? 0 : 1 - (double) (hitSure + hitPossible) / (predicted + sure);
    }

    /** Sure-link precision, recall and F1 (a predicted link is correct when it is sure). */
    public PrfCounts sureLinks() {
        return new PrfCounts(sure, predicted, hitSure);
    }

    /** {@code {"aer", "predicted", "sure", "hitSure", "hitPossible", "precisionPossible", "sureLinks": {...}}}. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("aer", aer());
        o.put("predicted", predicted);
        o.put("sure", sure);
        o.put("hitSure", hitSure);
        o.put("hitPossible", hitPossible);
        o.put("precisionPossible", predicted == 0 ? 0 : (double) hitPossible / predicted);
        o.set("sureLinks", sureLinks().toJson());
        return o;
    }

    /** A table of AER and sure-link figures: one row for {@code a}, one for {@code b} unless it is null. */
    public static String table(String nameA, AerCounts a, String nameB, AerCounts b) {
        TextTable t = new TextTable().row("", "AER", "sure P", "sure R", "sure F1", "P (possible)", "predicted");
        for (int k = 0; k < 2; k++) {
            AerCounts c = k == 0 ? a : b;
            if (c != null) {
                PrfCounts s = c.sureLinks();
                t.row(k == 0 ? nameA : nameB, TextTable.pct(c.aer()), TextTable.pct(s.precision()),
                        TextTable.pct(s.recall()), TextTable.pct(s.f1()), TextTable.pct(c.predicted() == 0 ? 0
                                : (double) c.hitPossible() / c.predicted()), Long.toString(c.predicted()));
            }
        }
        return t.toString();
    }
}
