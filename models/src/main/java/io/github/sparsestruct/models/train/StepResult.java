package io.github.sparsestruct.models.train;

/**
 * The outcome of one optimisation step (or one loss evaluation) on a batch.
 *
 * @param loss         sum of the per-sentence structured losses plus the summed cross-entropies of auxiliary heads
 * @param tokens       number of tokens in the batch
 * @param sentences    number of sentences in the batch
 * @param gradientNorm global gradient norm before clipping (NaN when no update was made)
 */
public record StepResult(double loss, int tokens, int sentences, double gradientNorm) {
}
