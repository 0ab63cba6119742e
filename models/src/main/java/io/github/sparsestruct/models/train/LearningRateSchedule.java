package io.github.sparsestruct.models.train;

/**
 * How the optimizer's step size changes over a run, as a factor of the configured learning rate that the
 * {@link Trainer} sets before every update. The factor depends only on the position in the run (epoch, batch), so a
 * run resumed from a checkpoint continues the same schedule.
 */
public enum LearningRateSchedule {
    /** The configured rate throughout. */
    CONSTANT,
    /**
     * Linear decay from the configured rate at the first step towards 0 after the last step of the last epoch
     * ({@code maxEpochs}), so runs planned for a fixed number of epochs end with small steps.
     */
    LINEAR;

    /**
     * The factor for the update of batch {@code batch} (0-based) of {@code batches} in epoch {@code epoch} (1-based)
     * of a run of at most {@code maxEpochs}: always in (0, 1].
     *
     * @throws IllegalArgumentException if a position is out of range
     */
    public double factor(int epoch, int batch, int batches, int maxEpochs) {
        if (epoch < 1 || epoch > maxEpochs || batch < 0 || batch >= batches) {
            throw new IllegalArgumentException("no step " + batch + " of " + batches + " in epoch " + epoch + " of "
                    + maxEpochs);
        }
        return switch (this) {
            case CONSTANT -> 1.0;
            case LINEAR -> 1.0 - ((epoch - 1) + (double) batch / batches) / maxEpochs;
        };
    }
}
