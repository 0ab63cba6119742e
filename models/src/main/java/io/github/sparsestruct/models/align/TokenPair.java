package io.github.sparsestruct.models.align;

/**
 * Two tokenized sentences to align (either may be empty).
 *
 * @param source sentence 1 tokens
 * @param target sentence 2 tokens
 */
public record TokenPair(String[] source, String[] target) {
    /** Rejects null sentences or tokens. */
    public TokenPair {
        if (source == null || target == null) {
            throw new IllegalArgumentException("both sentences of a pair must be given (use an empty array)");
        }
        for (String t : source) {
            if (t == null) {
                throw new IllegalArgumentException("null token in the source sentence");
            }
        }
        for (String t : target) {
            if (t == null) {
                throw new IllegalArgumentException("null token in the target sentence");
            }
        }
    }
}
