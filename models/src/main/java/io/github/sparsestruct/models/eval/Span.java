package io.github.sparsestruct.models.eval;

/**
 * A typed mention over tokens {@code start} (inclusive) to {@code end} (exclusive).
 *
 * @param start first token, 0-based
 * @param end   one past the last token
 * @param type  entity type ({@code PER}, {@code LOC}, ...)
 */
public record Span(int start, int end, String type) {
    /** Checks {@code 0 <= start < end} and a non-empty type. */
    public Span {
        if (start < 0 || end <= start || type == null || type.isEmpty()) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ") of type '" + type + "'");
        }
    }
}
