package io.github.sparsestruct.models.train;

import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.NativeMemory;
import io.github.sparsestruct.models.nn.Network;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training side of a model on a {@link Network}: its optimizer, and the training step shared by the tasks (a
 * forward-backward {@link #pass} of the task's loss, then an Adam update). A task's trainer says only how a batch's
 * loss and gradients are computed (which structured loss, which targets). Not thread-safe.
 *
 * @param <S> the training example
 */
public abstract class GraphTrainer<S> {
    private final Network net;
    private final Adam adam;

    /** A trainer of {@code net}'s parameters with {@code adam}. */
    protected GraphTrainer(Network net, Adam adam) {
        this.net = net;
        this.adam = adam;
    }

    /**
     * The loss of a batch and, when asked, its gradients.
     *
     * @param loss   the total loss Σ per-example losses
     * @param tokens the tokens that the objective was divided by
     * @param grads  gradients of the objective (total loss / tokens) per parameter, or null
     */
    public record Pass(double loss, int tokens, Map<String, INDArray> grads) {
    }

    /**
     * One forward (and, with {@code wantGrads}, backward) pass over a batch.
     *
     * @param rng dropout randomness, or null for none
     */
    protected abstract Pass pass(List<S> batch, Random rng, boolean wantGrads);

    /** The optimizer. */
    public Adam optimizer() {
        return adam;
    }

    /** One step: gradients of the batch (with dropout from {@code rng}), then an Adam update of the parameters. */
    public StepResult trainStep(List<S> batch, Random rng) {
        Pass p = pass(batch, rng, true);
        double norm = adam.update(net.parameters(), p.grads());
        NativeMemory.step();
        return new StepResult(p.loss(), p.tokens(), batch.size(), norm);
    }

    /** The batch's loss and gradients without an update (data-parallel training sums them over replicas). */
    public BatchGradient gradient(List<S> batch, Random rng) {
        Pass p = pass(batch, rng, true);
        return new BatchGradient(p.loss(), p.tokens(), p.grads());
    }

    /** The total loss of a batch without dropout. */
    public double loss(List<S> batch) {
        return pass(batch, null, false).loss();
    }

    /** Gradients of the batch objective without dropout (for checks against finite differences of {@link #loss}). */
    public Map<String, INDArray> lossGradients(List<S> batch) {
        return pass(batch, null, true).grads();
    }
}
