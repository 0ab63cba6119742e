package io.github.sparsestruct.models.train;

import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.nn.Network;
import io.github.sparsestruct.models.nn.ParameterStore;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the task models share: a configuration, the featurizer (vocabularies), the network on the shared encoder, and
 * a {@link GraphTrainer} that the training calls go to. A task model adds its heads, its label maps and its
 * prediction; its trainer the loss; its model-file codec the saved form.
 *
 * @param <S> the training example
 * @param <C> the configuration
 */
public abstract class NetworkModel<S, C> implements TrainableModel<S> {
    /** The configuration. */
    protected final C config;
    /** The featurizer (vocabularies). */
    protected final TokenFeaturizer features;
    /** The network (graph, encoder, parameters). */
    protected final Network net;
    private GraphTrainer<S> trainer;

    /** A model whose network has the encoder {@code encoder} over the featurizer's vocabularies. */
    protected NetworkModel(C config, EncoderConfig encoder, TokenFeaturizer features, long seed) {
        this.config = config;
        this.features = features;
        this.net = new Network(encoder, features.words().size(), features.chars().size(), seed);
    }

    /** Sets the training side (once, from the model's constructor, after its heads are built). */
    protected final void trainWith(GraphTrainer<S> t) {
        this.trainer = t;
    }

    /** The training side: the loss and the training step. */
    public GraphTrainer<S> trainer() {
        return trainer;
    }

    /** The configuration. */
    public C config() {
        return config;
    }

    /** The featurizer (vocabularies). */
    public TokenFeaturizer features() {
        return features;
    }

    /** The network (graph, encoder, parameters). */
    public Network network() {
        return net;
    }

    /** Number of scalar parameters. */
    public long parameterCount() {
        return net.parameterCount();
    }

    @Override
    public Adam optimizer() {
        return trainer().optimizer();
    }

    @Override
    public Map<String, INDArray> parameters() {
        return net.parameters();
    }

    @Override
    public StepResult trainStep(List<S> batch, Random rng) {
        return trainer().trainStep(batch, rng);
    }

    @Override
    public BatchGradient gradient(List<S> batch, Random rng) {
        return trainer().gradient(batch, rng);
    }

    /** The total loss of a batch without dropout ({@link GraphTrainer#loss}). */
    public double loss(List<S> batch) {
        return trainer().loss(batch);
    }

    /** Gradients of the batch objective without dropout, for checks against finite differences of {@link #loss}. */
    public Map<String, INDArray> lossGradients(List<S> batch) {
        return trainer().lossGradients(batch);
    }

    @Override
    public void loadParameters(ParameterStore store) {
        net.load(store);
    }

    /**
     * Whether prediction may run on several threads at once: true where it takes the prediction path
     * ({@link Network#inference()}, per-thread workspaces); the graph path is not thread-safe.
     */
    public boolean concurrentPrediction() {
        return net.inference() != null;
    }
}
