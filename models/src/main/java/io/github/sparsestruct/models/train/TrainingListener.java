package io.github.sparsestruct.models.train;

/** Callbacks of the training loop (progress bars, logging). Both default to doing nothing. */
public interface TrainingListener {
    /** After each optimisation step: 0-based batch index out of {@code batches} in this epoch. */
    default void onBatch(int epoch, int batch, int batches, StepResult step) {
    }

    /** After each epoch (and its dev evaluation). */
    default void onEpoch(EpochStats stats) {
    }
}
