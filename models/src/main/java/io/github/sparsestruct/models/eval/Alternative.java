package io.github.sparsestruct.models.eval;

import java.util.Arrays;

/**
 * One weighted structure of a sentence: a SparseMAP support atom or a k-best entry.
 *
 * @param weight its weight (a probability for SparseMAP, a normalised score for k-best), finite and ≥ 0
 * @param parts  its parts (see {@link Parts}), stored sorted and without duplicates
 */
public record Alternative(double weight, long[] parts) {
    /** Checks the weight and canonicalises the parts. */
    public Alternative {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("alternative weight " + weight + " is not a finite number >= 0");
        }
        parts = Parts.canonical(parts);
    }

    /** The parts (sorted; not copied, do not modify). */
    @Override
    public long[] parts() {
        return parts;
    }

    /** Whether this structure has exactly the parts of {@code other} (both sorted). */
    public boolean sameStructure(long[] other) {
        return Arrays.equals(parts, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Alternative a && Double.compare(weight, a.weight) == 0 && Arrays.equals(parts, a.parts);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(weight) + Arrays.hashCode(parts);
    }

    @Override
    public String toString() {
        return "Alternative[" + weight + ", " + parts.length + " parts]";
    }
}
