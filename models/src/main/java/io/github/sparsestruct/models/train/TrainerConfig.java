package io.github.sparsestruct.models.train;

/**
 * Settings of the training loop.
 *
 * @param maxEpochs      most epochs to run
 * @param batchSentences most sentences per batch
 * @param batchTokens    most padded tokens per batch (length-bucketed batches)
 * @param seed           seed of the shuffling and dropout (epoch e uses a generator derived from seed and e, so a
 *                       resumed run repeats the same epochs)
 * @param patience       stop after this many epochs without a better dev score (0: never stop early)
 * @param schedule       how the learning rate changes over the {@code maxEpochs} epochs
 * @param averageDecay   0: no averaging; otherwise the decay of an exponential moving average of the parameters
 *                       (updated after every step), which the dev evaluation scores and the trained model keeps
 */
public record TrainerConfig(int maxEpochs, int batchSentences, int batchTokens, long seed, int patience,
                            LearningRateSchedule schedule, double averageDecay) {
    /** Validates the values. */
    public TrainerConfig {
        if (schedule == null) {
            throw new IllegalArgumentException("no learning-rate schedule");
        }
        if (!(averageDecay >= 0 && averageDecay < 1)) {
            throw new IllegalArgumentException("the parameter-average decay must be in [0, 1) (0: no averaging), not "
                    + averageDecay);
        }
        if (maxEpochs < 1 || batchSentences < 1 || batchTokens < 1 || patience < 0) {
            throw new IllegalArgumentException("bad trainer settings: maxEpochs=" + maxEpochs + ", batchSentences="
                    + batchSentences + ", batchTokens=" + batchTokens + ", patience=" + patience);
        }
    }

    /** The same with a constant learning rate and no parameter averaging. */
    public TrainerConfig(int maxEpochs, int batchSentences, int batchTokens, long seed, int patience) {
        this(maxEpochs, batchSentences, batchTokens, seed, patience, LearningRateSchedule.CONSTANT, 0);
    }

    /**
     * 30 epochs, batches of up to 32 sentences / 1500 padded tokens, seed 1, patience 5, constant rate, no parameter
     * averaging.
     */
    public static TrainerConfig defaults() {
        return new TrainerConfig(30, 32, 1500, 1, 5);
    }

    /** The same with another learning-rate schedule. */
    public TrainerConfig withSchedule(LearningRateSchedule s) {
        return new TrainerConfig(maxEpochs, batchSentences, batchTokens, seed, patience, s, averageDecay);
    }

    /** The same with another seed. */
    public TrainerConfig withSeed(long s) {
        return new TrainerConfig(maxEpochs, batchSentences, batchTokens, s, patience, schedule, averageDecay);
    }

    /** The same with another epoch limit. */
    public TrainerConfig withMaxEpochs(int n) {
        return new TrainerConfig(n, batchSentences, batchTokens, seed, patience, schedule, averageDecay);
    }

    /** The same with another patience. */
    public TrainerConfig withPatience(int p) {
        return new TrainerConfig(maxEpochs, batchSentences, batchTokens, seed, p, schedule, averageDecay);
    }

    /** The same with other batch limits. */
    public TrainerConfig withBatches(int sentences, int tokens) {
        return new TrainerConfig(maxEpochs, sentences, tokens, seed, patience, schedule, averageDecay);
    }

    /** The same with another parameter-average decay (0: no averaging). */
    public TrainerConfig withAverageDecay(double d) {
        return new TrainerConfig(maxEpochs, batchSentences, batchTokens, seed, patience, schedule, d);
    }
}
