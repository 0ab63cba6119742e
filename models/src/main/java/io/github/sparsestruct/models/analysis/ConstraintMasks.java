package io.github.sparsestruct.models.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/** The score masks of per-sentence constraints, shared by {@link NerAnalyzer} and {@link ParseAnalyzer}. */
final class ConstraintMasks {
    private ConstraintMasks() {
    }

    /**
     * One mask per sentence (null where it has no constraint), or null when no sentence has any.
     *
     * @param mask the mask of a constraint set for a sentence of the given length
     * @throws IllegalArgumentException when the lists differ in length, or a constrained sentence is longer than
     *                                  {@code maxSentenceLength} (long sentences are decoded in chunks)
     */
    static <C> List<double[]> of(List<String[]> sentences, List<C> constraints, Predicate<C> isEmpty,
                                 BiFunction<C, Integer, double[]> mask, int maxSentenceLength) {
        if (constraints.size() != sentences.size()) {
            throw new IllegalArgumentException("need one constraint set per sentence: " + constraints.size() + " for "
                    + sentences.size());
        }
        if (constraints.stream().allMatch(isEmpty)) {
            return null;
        }
        List<double[]> masks = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            int n = sentences.get(i).length;
            C c = constraints.get(i);
            if (isEmpty.test(c)) {
                masks.add(null);
                continue;
            }
            if (n > maxSentenceLength) {
                throw new IllegalArgumentException("sentence " + i + " has constraints and " + n + " tokens, more "
                        + "than maxSentenceLength=" + maxSentenceLength + " (long sentences are decoded in chunks, "
                        + "where constraints do not apply)");
            }
            masks.add(mask.apply(c, n));
        }
        return masks;
    }
}
