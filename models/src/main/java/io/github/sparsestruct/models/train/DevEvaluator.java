package io.github.sparsestruct.models.train;

/** Scores the model on development data after an epoch; higher is better (e.g. LAS, entity F1). */
@FunctionalInterface
public interface DevEvaluator {
    /** The dev score after the given (1-based) epoch. */
    double evaluate(int epoch);
}
