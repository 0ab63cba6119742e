package io.github.sparsestruct.models.eval;

import io.github.sparsestruct.models.data.DepSentence;

/**
 * Dependency parsing evaluation over tokens: UAS, LAS and UPOS accuracy, each with punctuation included and
 * excluded. A token is punctuation when its <em>gold</em> UPOS is {@code PUNCT} (symbols, {@code SYM}, count as
 * words). Relations are compared whole by default, or by their universal part only (as the CoNLL 2018 shared task
 * did) when built with {@code universalLabels = true}.
 */
public final class DependencyEvaluator {
    /** The gold UPOS that marks punctuation. */
    public static final String PUNCT = "PUNCT";

    private final boolean universalLabels;
    private long sentences;
    private final long[] all = new long[6];
    private final long[] noPunct = new long[6];

    /** An evaluator comparing whole relation labels. */
    public DependencyEvaluator() {
        this(false);
    }

    /** An evaluator comparing whole labels, or only their universal part when {@code universalLabels}. */
    public DependencyEvaluator(boolean universalLabels) {
        this.universalLabels = universalLabels;
    }

    /**
     * Scores one sentence.
     *
     * @param gold      the gold sentence (every head annotated)
     * @param heads     predicted heads, 0 = root, one per token
     * @param deprels   predicted relations, or null when the parser predicts none (LAS then skips the sentence)
     * @param upos      predicted UPOS tags, or null when none are predicted (UPOS accuracy then skips it)
     */
    public void add(DepSentence gold, int[] heads, String[] deprels, String[] upos) {
        int n = gold.length();
        check(gold, "heads", heads == null ? -1 : heads.length);
        if (deprels != null) {
            check(gold, "relations", deprels.length);
        }
        if (upos != null) {
            check(gold, "UPOS tags", upos.length);
        }
        sentences++;
        for (int i = 0; i < n; i++) {
            if (gold.heads()[i] < 0) {
                throw new IllegalArgumentException("sentence " + gold.id() + ": token " + (i + 1)
                        + " has no gold head; evaluate on fully annotated data");
            }
            boolean head = heads[i] == gold.heads()[i];
            long[] c = new long[6];
            c[0] = 1;
            c[1] = head ? 1 : 0;
            if (deprels != null) {
                c[2] = 1;
                c[3] = head && label(deprels[i]).equals(label(gold.deprels()[i])) ? 1 : 0;
            }
            if (upos != null) {
                c[4] = 1;
                c[5] = upos[i].equals(gold.upos()[i]) ? 1 : 0;
            }
            for (int k = 0; k < 6; k++) {
                all[k] += c[k];
                if (!PUNCT.equals(gold.upos()[i])) {
                    noPunct[k] += c[k];
                }
            }
        }
    }

    /** Scores a predicted sentence (its heads, relations and UPOS) against the gold one. */
    public void add(DepSentence gold, DepSentence predicted) {
        add(gold, predicted.heads(), predicted.deprels(), predicted.upos());
    }

    /** The scores of the sentences added so far. */
    public DependencyResult result() {
        return new DependencyResult(sentences, scores(all), scores(noPunct), universalLabels);
    }

    private static DependencyResult.Scores scores(long[] c) {
        return new DependencyResult.Scores(c[0], c[1], c[2], c[3], c[4], c[5]);
    }

    private String label(String rel) {
        if (!universalLabels) {
            return rel;
        }
        int colon = rel.indexOf(':');
        return colon < 0 ? rel : rel.substring(0, colon);
    }

    private static void check(DepSentence gold, String what, int length) {
        if (length != gold.length()) {
            throw new IllegalArgumentException("sentence " + gold.id() + " has " + gold.length() + " tokens, the "
                    + "prediction " + (length < 0 ? "no" : Integer.toString(length)) + " " + what);
        }
    }
}
