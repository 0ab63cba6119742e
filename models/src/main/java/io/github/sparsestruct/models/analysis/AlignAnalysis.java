package io.github.sparsestruct.models.analysis;

import java.util.List;

/**
 * The word alignment of one sentence pair, ready for an adapter. Links are {source token, target token}, 0-based.
 *
 * @param sourceLength source tokens
 * @param targetLength target tokens
 * @param links        the best alignment as plain links (rank 1 of {@code alignments})
 * @param alignments   kept weighted alignments, rank 1 first, weights summing to 1
 * @param linkWeights  every link whose marginal weight under the full decoded distribution is ≥ the minimum weight,
 *                     heaviest first
 * @param decoder      the decoder ({@code matching} or {@code sequential})
 * @param decode       the decoding actually used ({@code map} for over-long pairs)
 * @param longPair     whether a sentence was longer than the limit (or the chain too large) and the pair was decoded
 *                     with the matching MAP
 */
public record AlignAnalysis(int sourceLength, int targetLength, List<Link> links, List<Alignment> alignments,
                            List<Link> linkWeights, String decoder, String decode, boolean longPair) {
    /**
     * One weighted alignment.
     *
     * @param rank   1 for the heaviest
     * @param weight its weight (kept weights sum to 1)
     * @param links  its links
     */
    public record Alignment(int rank, double weight, List<Link> links) {
    }

    /**
     * A link with a weight (1 in plain links, the marginal weight in {@code linkWeights}, the alignment's weight in
     * an alignment).
     *
     * @param source source token
     * @param target target token
     * @param weight weight
     */
    public record Link(int source, int target, double weight) {
    }
}
