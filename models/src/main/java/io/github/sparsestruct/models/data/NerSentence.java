package io.github.sparsestruct.models.data;

/**
 * A sentence with IOB2 named-entity tags, as read from the 5-column files of Universal NER.
 *
 * @param id    the {@code # sent_id}, or the 1-based sentence number when absent
 * @param forms word forms
 * @param tags  IOB2 tags (O, B-X, I-X)
 */
public record NerSentence(String id, String[] forms, String[] tags) {
    /** Number of words. */
    public int length() {
        return forms.length;
    }
}
