package io.github.sparsestruct.models.train;

import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.ParameterStore;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the {@link Trainer} needs from a model over sentences of type S.
 *
 * @param <S> the sentence type (e.g. a NER or a dependency sentence)
 */
public interface TrainableModel<S> {
    /** Number of tokens of a sentence (for length bucketing). */
    int length(S sentence);

    /** One optimisation step on a batch; {@code rng} drives dropout. */
    StepResult trainStep(List<S> batch, Random rng);

    /**
     * The loss and the gradients of a batch's objective, as {@link #trainStep} computes them, without updating the
     * parameters: what a data-parallel worker computes on its share of a batch ({@link DataParallel}).
     *
     * @throws UnsupportedOperationException for a model that trains on one thread only
     */
    default BatchGradient gradient(List<S> batch, Random rng) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " trains on one thread only");
    }

    /**
     * A copy for a data-parallel worker: the same architecture, vocabularies and current parameters, with its own
     * graph and workspaces, so it can compute {@link #gradient} while this model does too.
     *
     * @throws UnsupportedOperationException for a model that trains on one thread only
     */
    default TrainableModel<S> replica() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " trains on one thread only");
    }

    /** The optimizer (its state goes into checkpoints). */
    Adam optimizer();

    /** All parameters by name (live arrays). */
    Map<String, INDArray> parameters();

    /** Writes the whole model (parameters and the metadata needed to rebuild it). */
    void save(ParameterStore store);

    /** Overwrites the parameters from a store written by {@link #save} for a model of the same shape. */
    void loadParameters(ParameterStore store);
}
