package io.github.sparsestruct.models.data;

/**
 * A sentence with a dependency tree, as read from CoNLL-U (multiword-token ranges and empty nodes skipped).
 * Token i (0-based) is word i+1; {@code heads[i]} is the head word of token i (0 = root).
 *
 * @param id      the {@code # sent_id}, or the 1-based sentence number when absent
 * @param forms   word forms
 * @param upos    universal POS tags ("_" when absent)
 * @param heads   heads, 0 = root (−1 when absent)
 * @param deprels dependency relations ("_" when absent)
 */
public record DepSentence(String id, String[] forms, String[] upos, int[] heads, String[] deprels) {
    /** Number of words. */
    public int length() {
        return forms.length;
    }
}
