package io.github.sparsestruct.models.analysis;

import java.util.List;

/**
 * The NER analysis of one sentence, ready for an adapter.
 *
 * @param tags             the best IOB2 tags (one per token)
 * @param analyses         kept alternatives, rank 1 first, weights summing to 1
 * @param candidates       candidate entities with their marginal weight (≥ the minimum weight), heaviest first
 * @param labels           tag names, the columns of {@code tagProbabilities}
 * @param tagProbabilities per-token tag distribution [T][S]
 * @param decode           the decoding actually used ({@code map} for chunked sentences)
 * @param chunked          whether the sentence was longer than the limit and decoded in chunks
 * @param uncertainty      how unsure the model is of the best analysis
 */
public record NerAnalysis(String[] tags, List<Analysis> analyses, List<Entity> candidates, List<String> labels,
                          double[][] tagProbabilities, String decode, boolean chunked, Uncertainty uncertainty) {
    /**
     * One weighted analysis.
     *
     * @param rank     1 for the heaviest
     * @param weight   its weight (kept weights sum to 1)
     * @param tags     its IOB2 tags
     * @param entities its entities
     */
    public record Analysis(int rank, double weight, String[] tags, List<Entity> entities) {
    }

    /**
     * An entity over tokens [start, end) with a weight (its marginal weight for a candidate, its analysis's weight
     * inside an analysis).
     *
     * @param start  first token
     * @param end    one past the last token
     * @param type   entity type
     * @param weight weight
     */
    public record Entity(int start, int end, String type, double weight) {
    }
}
