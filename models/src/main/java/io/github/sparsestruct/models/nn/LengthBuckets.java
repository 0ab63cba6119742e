package io.github.sparsestruct.models.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Length-bucketed batching: sentences sorted by length are cut into batches of at most {@code maxSentences}
 * sentences and at most {@code maxTokens} padded tokens (B × longest length), so little padding is wasted.
 */
public final class LengthBuckets {
    private LengthBuckets() {
    }

    /**
     * Groups sentence indices into batches.
     *
     * @param lengths      sentence lengths
     * @param maxSentences most sentences in a batch (≥ 1)
     * @param maxTokens    most padded tokens in a batch (a longer sentence still gets a batch of its own)
     * @param rng          null for a deterministic order (by length, then index); otherwise equal lengths are
     *                     shuffled and the batch order is shuffled
     * @return the batches, each a list of indices into {@code lengths}
     */
    public static List<int[]> batches(int[] lengths, int maxSentences, int maxTokens, Random rng) {
        if (maxSentences < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("maxSentences and maxTokens must be positive, got " + maxSentences
                    + " and " + maxTokens);
        }
        List<Integer> order = new ArrayList<>(lengths.length);
        for (int i = 0; i < lengths.length; i++) {
            order.add(i);
        }
        if (rng != null) {
            Collections.shuffle(order, rng);
        }
        order.sort((a, b) -> Integer.compare(lengths[a], lengths[b]));
        List<int[]> out = new ArrayList<>();
        int start = 0;
        while (start < order.size()) {
            int end = start + 1;
            int longest = lengths[order.get(start)];
            while (end < order.size() && end - start < maxSentences) {
                int l = Math.max(longest, lengths[order.get(end)]);
                if ((long) l * (end - start + 1) > maxTokens) {
                    break;
                }
                longest = l;
                end++;
            }
            int[] b = new int[end - start];
            for (int i = start; i < end; i++) {
                b[i - start] = order.get(i);
            }
            out.add(b);
            start = end;
        }
        if (rng != null) {
            Collections.shuffle(out, rng);
        }
        return out;
    }
}
