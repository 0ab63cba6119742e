package io.github.sparsestruct.models.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An {@link Encoder} and a SameDiff graph of task heads on top of it. The heads graph reads the encoder output
 * from a placeholder; a training step encodes a batch, runs the heads, and backpropagates the heads' objective into
 * the encoder ({@link #gradients}). Parameters of both parts are exported and imported together. Not thread-safe.
 */
public final class Network {
    private static final String ENCODED = "net/encoded";
    private static final String ENCODED_IN = "net/encoded/in";
    private final Encoder encoder;
    private final SameDiff sd;
    private final DataType type;
    private final ParamInit init;
    private final SDVariable encoded;
    /** Snapshot of the encoder for prediction; dropped whenever parameters may have changed. */
    private volatile EncoderInference inference;
    /** A model's prediction-time snapshot of its heads ({@link #derived}); dropped with {@link #inference}. */
    private volatile Object derived;

    /** A new network with an encoder of the given configuration and vocabulary sizes, initialised from a seed. */
    public Network(EncoderConfig config, int wordVocab, int charVocab, long seed) {
        this.type = config.type();
        this.encoder = new Encoder(config, wordVocab, charVocab, seed);
        this.sd = SameDiff.create();
        this.init = new ParamInit(sd, type, seed + 1);
        // the bias puts the placeholder on a trainable path, so that SameDiff returns its gradient
        SDVariable bias = init.constant("net/encoded/bias", 0.0, config.outputDim());
        this.encoded = sd.math().add(ENCODED_IN, sd.placeHolder(ENCODED, type, -1, -1, config.outputDim()), bias);
    }

    /** The heads graph. */
    public SameDiff graph() {
        return sd;
    }

    /**
     * Runs the graph for the named outputs (see {@link SameDiff#output(Map, String...)}) without SameDiff's array
     * cache, which may keep arrays of every batch shape it has seen, up to a quarter of physical memory; with
     * length-bucketed batches that is memory held for nothing.
     */
    public Map<String, INDArray> output(Map<String, INDArray> placeholders, String... outputs) {
        Map<String, INDArray> out = sd.output(placeholders, outputs);
        dropArrayCaches();
        return out;
    }

    /** One output of the graph, without SameDiff's array cache (see {@link #output}). */
    public INDArray outputSingle(Map<String, INDArray> placeholders, String output) {
        return output(placeholders, output).get(output);
    }

    /**
     * Replaces the array-caching memory manager of every execution session (of the graph and of its gradient
     * function) by one that frees arrays as soon as the session releases them.
     */
    void dropArrayCaches() {
        dropArrayCaches(sd);
        SameDiff grad = sd.getFunction("grad");
        if (grad != null) {
            dropArrayCaches(grad);
        }
    }

    private static void dropArrayCaches(SameDiff g) {
        for (org.nd4j.autodiff.samediff.internal.InferenceSession s : g.getSessions().values()) {
            if (!(s.getMmgr() instanceof org.nd4j.autodiff.samediff.internal.memory.NoOpMemoryMgr)) {
                s.getMmgr().close();
                s.setMmgr(new org.nd4j.autodiff.samediff.internal.memory.NoOpMemoryMgr());
            }
        }
    }

    /** The encoder (its parameters are live arrays: the prediction snapshot is dropped). */
    public Encoder encoder() {
        invalidate();
        return encoder;
    }

    /**
     * The prediction path of the encoder ({@link EncoderInference}, a snapshot of the current parameters), or null
     * where it does not apply: double-precision networks, a non-CPU ND4J backend, or
     * {@code -Dsparsestruct.encoder=nd4j}.
     */
    public EncoderInference inference() {
        if (!EncoderInference.available(type)) {
            return null;
        }
        EncoderInference e = inference;
        if (e == null) {
            e = EncoderInference.snapshot(encoder);
            inference = e;
        }
        return e;
    }

    private void invalidate() {
        inference = null;
        derived = null;
    }

    /**
     * A value built from the current parameters for prediction (a model's heads as plain arrays), built once and
     * dropped, like the encoder snapshot, whenever the parameters may change. One such value per network.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(java.util.function.Function<Network, T> build) {
        Object d = derived;
        if (d == null) {
            d = build.apply(this);
            derived = d;
        }
        return (T) d;
    }

    /** The current values of a heads-graph variable (live). */
    public INDArray variable(String name) {
        SDVariable v = sd.getVariable(name);
        if (v == null || v.getArr() == null) {
            throw new IllegalArgumentException("no variable '" + name + "' in the heads graph");
        }
        return v.getArr();
    }

    /**
     * Encodes a batch for prediction (no dropout) into the heads' placeholders, by {@link #inference()} where it
     * applies and by the encoder's graph otherwise.
     */
    public void encodeForPrediction(EncoderBatch batch, Map<String, INDArray> headInputs) {
        EncoderInference fast = inference();
        if (fast == null) {
            headInputs.put(ENCODED, encoder.encode(batch, null).output());
            return;
        }
        float[] out = fast.encode(batch);
        headInputs.put(ENCODED, Nd4j.create(out, new long[] {batch.size(), batch.maxLength(), fast.outputDim()}, 'c'));
    }

    /** The encoder output as seen by the heads graph, [B, T, 2H]. */
    public SDVariable encoded() {
        return encoded;
    }

    /** The initialiser of the heads graph's variables. */
    public ParamInit init() {
        return init;
    }

    /** The floating-point type of the network. */
    public DataType type() {
        return type;
    }

    /** Number of scalar parameters. */
    public long parameterCount() {
        long n = 0;
        for (INDArray a : collectParameters().values()) {
            n += a.length();
        }
        return n;
    }

    /**
     * All parameters by name: heads graph variables, then the encoder's (live arrays, so the prediction snapshot is
     * dropped and rebuilt on the next prediction).
     */
    public Map<String, INDArray> parameters() {
        invalidate();
        return collectParameters();
    }

    private Map<String, INDArray> collectParameters() {
        Map<String, INDArray> out = new LinkedHashMap<>(GraphParameters.arrays(sd));
        out.putAll(encoder.parameters());
        return out;
    }

    /**
     * Encodes a batch and puts the output into the heads' placeholders.
     *
     * @param dropoutRng randomness for dropout, or null for evaluation
     */
    public Encoder.Encoded encode(EncoderBatch batch, Random dropoutRng, Map<String, INDArray> headInputs) {
        Encoder.Encoded e = encoder.encode(batch, dropoutRng);
        headInputs.put(ENCODED, e.output());
        return e;
    }

    /**
     * Gradients of the heads graph's loss variable with respect to every parameter (heads and encoder), also
     * computing the named heads outputs in the same pass.
     *
     * @param headInputs the heads' placeholders (with the encoder output put by {@link #encode})
     * @param encoded    the encoder's forward pass
     * @param outputs    names of heads values to compute
     * @param outputsOut receives those values
     */
    public Map<String, INDArray> gradients(Map<String, INDArray> headInputs, Encoder.Encoded encoded,
                                           List<String> outputs, Map<String, INDArray> outputsOut) {
        List<String> names = new ArrayList<>(GraphParameters.names(sd));
        names.add(ENCODED_IN);
        Map<String, INDArray> raw;
        if (outputs.isEmpty()) {
            raw = sd.calculateGradients(headInputs, names);
        } else {
            OutAndGrad og = sd.calculateGradientsAndOutputs(headInputs, outputs, names);
            raw = og.getGradients();
            outputsOut.putAll(og.getOutputs());
        }
        dropArrayCaches();
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String n : GraphParameters.names(sd)) {
            INDArray g = raw.get(n);
            // a parameter the objective does not reach gets a zero gradient
            out.put(n, g != null ? g : sd.getVariable(n).getArr().ulike().assign(0));
        }
        out.putAll(encoder.backward(encoded, raw.get(ENCODED_IN)));
        return out;
    }

    /**
     * Copies every parameter into another network of the same architecture (a data-parallel worker's copy).
     *
     * @throws IllegalArgumentException naming a parameter the other network lacks or has in another shape
     */
    public void copyParametersTo(Network target) {
        InMemoryParameterStore store = new InMemoryParameterStore();
        save(store);
        target.load(store);
    }

    /** Writes all parameters under their names. */
    public void save(ParameterStore store) {
        for (Map.Entry<String, INDArray> e : collectParameters().entrySet()) {
            store.put(e.getKey(), e.getValue());
        }
    }

    /**
     * Overwrites all parameters with the stored arrays of the same names.
     *
     * @throws IllegalArgumentException naming a parameter that is missing or has another shape
     */
    public void load(ParameterStore store) {
        invalidate();
        for (Map.Entry<String, INDArray> e : parameters().entrySet()) {
            INDArray target = e.getValue();
            INDArray a = store.require(e.getKey(), target.dataType());
            if (!Arrays.equals(a.shape(), target.shape())) {
                throw new IllegalArgumentException("stored parameter '" + e.getKey() + "' has shape "
                        + Arrays.toString(a.shape()) + ", the model expects " + Arrays.toString(target.shape()));
            }
            target.assign(a);
        }
    }

    /**
     * A dense layer on the last axis of a [B, T, in] input: x·W + b → [B, T, out].
     *
     * @param name prefix of the variables {@code name/W} and {@code name/b}
     */
    public SDVariable dense(String name, SDVariable x, int in, int out) {
        SDVariable w = init.glorot(name + "/W", in, out, in, out);
        SDVariable b = init.constant(name + "/b", 0.0, out);
        return reshapeLike(sd.reshape(x, -1, in).mmul(w).add(b), x, out);
    }

    /**
     * log softmax along the last axis of a rank-{@code rank} value, max-shifted (SameDiff's {@code logSoftmax} with an
     * axis fails to build its gradient in 1.0.0-M2.1).
     */
    public SDVariable logSoftmax(SDVariable x, int rank) {
        int axis = rank - 1;
        SDVariable shifted = x.sub(x.max(true, axis));
        return shifted.sub(sd.math().log(sd.math().exp(shifted).sum(true, axis)));
    }

    /** Reshapes a [B·T, d] value to [B, T, d], taking B and T from a [B, T, ...] reference. */
    public SDVariable reshapeLike(SDVariable flat, SDVariable ref, long d) {
        SDVariable shape = sd.concat(0, sd.shape(ref).get(SDIndex.interval(0, 2)).castTo(DataType.LONG),
                sd.constant(Nd4j.createFromArray(d)));
        return sd.reshape(flat, shape);
    }
}
