package io.github.sparsestruct.models.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The loss of a batch and the gradients of its training objective, without an update.
 *
 * @param loss      the summed loss of the batch (as in {@link StepResult#loss})
 * @param tokens    the count the objective is divided by (the objective is the summed loss / tokens)
 * @param gradients gradients of that objective by parameter name
 */
public record BatchGradient(double loss, int tokens, Map<String, INDArray> gradients) {
}
