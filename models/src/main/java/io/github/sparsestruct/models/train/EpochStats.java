package io.github.sparsestruct.models.train;

/**
 * What one training epoch did.
 *
 * @param epoch           1-based epoch number
 * @param loss            summed training loss
 * @param tokens          training tokens seen
 * @param sentences       training sentences seen
 * @param batches         optimisation steps
 * @param seconds         wall-clock time of the training steps (dev evaluation excluded)
 * @param tokensPerSecond training throughput
 * @param devScore        the dev score after the epoch (higher is better), or null without a dev evaluator
 * @param best            whether this epoch has the best dev score so far
 */
public record EpochStats(int epoch, double loss, long tokens, long sentences, int batches, double seconds,
                         double tokensPerSecond, Double devScore, boolean best) {
    /** Mean loss per token. */
    public double lossPerToken() {
        return tokens == 0 ? 0 : loss / tokens;
    }
}
