package io.github.sparsestruct.models.train;

import java.util.List;

/**
 * The outcome of {@link Trainer#train}.
 *
 * @param epochs          every epoch run so far (including epochs before a resume)
 * @param bestEpoch       the epoch with the best dev score (0 without a dev evaluator)
 * @param bestScore       its dev score (null without a dev evaluator)
 * @param stoppedEarly    whether training stopped for lack of dev improvement
 * @param tokensPerSecond training throughput over the epochs of this call
 * @param seconds         wall-clock time of this call
 */
public record TrainingStats(List<EpochStats> epochs, int bestEpoch, Double bestScore, boolean stoppedEarly,
                            double tokensPerSecond, double seconds) {
}
