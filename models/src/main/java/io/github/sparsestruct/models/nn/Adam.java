package io.github.sparsestruct.models.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam (Kingma &amp; Ba 2015) with global-norm gradient clipping, applied in place to named parameter arrays.
 * Gradients come from anywhere (here: SameDiff's backward pass of an objective that holds externally computed loss
 * gradients), so the optimizer keeps its own state, which {@link #save} / {@link #load} put in a
 * {@link ParameterStore} for checkpoints. Not thread-safe.
 */
public final class Adam {
    /**
     * Hyper-parameters.
     *
     * @param learningRate step size
     * @param beta1        first-moment decay
     * @param beta2        second-moment decay
     * @param epsilon      denominator guard
     * @param clipNorm     largest global gradient norm (gradients are rescaled above it); 0 turns clipping off
     */
    public record Config(double learningRate, double beta1, double beta2, double epsilon, double clipNorm) {
        /** Validates the values. */
        public Config {
            if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)
                    || !(epsilon > 0) || !(clipNorm >= 0)) {
                throw new IllegalArgumentException("bad Adam settings: lr=" + learningRate + ", beta1=" + beta1
                        + ", beta2=" + beta2 + ", epsilon=" + epsilon + ", clipNorm=" + clipNorm);
            }
        }

        /** lr 2e-3, β = (0.9, 0.9), ε = 1e-8 (Dozat &amp; Manning's settings), clipping at 5. */
        public static Config defaults() {
            return new Config(2e-3, 0.9, 0.9, 1e-8, 5.0);
        }

        /** The same with another learning rate. */
        public Config withLearningRate(double lr) {
            return new Config(lr, beta1, beta2, epsilon, clipNorm);
        }
    }

    private final Config config;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private long step;
    private double rateScale = 1.0;

    /** An optimizer with no state yet. */
    public Adam(Config config) {
        this.config = config;
    }

    /** The hyper-parameters. */
    public Config config() {
        return config;
    }

    /**
     * Scales the learning rate of the following updates (a schedule's factor; not part of the saved state, since the
     * trainer sets it before every update).
     *
     * @throws IllegalArgumentException unless {@code 0 < scale <= 1}
     */
    public void rateScale(double scale) {
        if (!(scale > 0 && scale <= 1)) {
            throw new IllegalArgumentException("learning-rate scale must be in (0, 1], not " + scale);
        }
        this.rateScale = scale;
    }

    /** The current learning-rate scale (1 unless a schedule set another). */
    public double rateScale() {
        return rateScale;
    }

    /** Number of updates made so far. */
    public long steps() {
        return step;
    }

    /**
     * One update: clips the gradients to the global norm, then moves every parameter that has a gradient.
     *
     * @param params the parameters, updated in place
     * @param grads  their gradients (not modified)
     * @return the global gradient norm before clipping
     */
    public double update(Map<String, INDArray> params, Map<String, INDArray> grads) {
        double sq = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            sq += n * n;
        }
        double norm = Math.sqrt(sq);
        if (!Double.isFinite(norm)) {
            throw new IllegalStateException("gradient norm is " + norm + " at step " + (step + 1)
                    + "; the loss or the network produced NaN/Infinity");
        }
        double scale = config.clipNorm() > 0 && norm > config.clipNorm() ? config.clipNorm() / norm : 1.0;
        step++;
        double b1 = config.beta1();
        double b2 = config.beta2();
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            INDArray p = params.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("gradient for unknown parameter " + e.getKey());
            }
            // a copy, which the fused op overwrites with the step: the caller's gradient stays as it was
            INDArray g = e.getValue().castTo(p.dataType()).dup('c');
            if (scale != 1.0) {
                g.muli(scale);
            }
            INDArray mi = m.computeIfAbsent(e.getKey(), k -> p.ulike().assign(0));
            INDArray vi = v.computeIfAbsent(e.getKey(), k -> p.ulike().assign(0));
            // ND4J's fused Adam op (one pass instead of ten array operations; its cost: BENCHMARKS.md, Training):
            // m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g², step = α_t·m / (√v + ε) with
            // α_t = lr·√(1−β2^t) / (1−β1^t), t = iteration + 1; AdamTest checks it against these formulas
            Nd4j.exec(new AdamUpdater(g, vi, mi, config.learningRate() * rateScale, b1, b2, config.epsilon(),
                    Math.toIntExact(step - 1)));
            p.subi(g);
        }
        return norm;
    }

    /** Writes the moments and the step count under {@code prefix} ({@code prefix + "m/" + name}, ...). */
    public void save(ParameterStore store, String prefix) {
        for (Map.Entry<String, INDArray> e : m.entrySet()) {
            store.put(prefix + "m/" + e.getKey(), e.getValue());
            store.put(prefix + "v/" + e.getKey(), v.get(e.getKey()));
        }
        store.putMetadata(prefix + "state", Json.write(new State(step, config)));
    }

    /** Reads the state written by {@link #save} for the given parameters (their types and shapes). */
    public void load(ParameterStore store, String prefix, Map<String, INDArray> params) {
        State s = Json.read(store.requireMetadata(prefix + "state"), State.class);
        step = s.step();
        m.clear();
        v.clear();
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String mk = prefix + "m/" + e.getKey();
            if (store.getArray(mk) != null) {
                m.put(e.getKey(), store.require(mk, e.getValue().dataType()).reshape(e.getValue().shape()));
                v.put(e.getKey(), store.require(prefix + "v/" + e.getKey(), e.getValue().dataType())
                        .reshape(e.getValue().shape()));
            }
        }
    }

    record State(long step, Config config) {
    }
}
