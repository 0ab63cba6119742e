package io.github.sparsestruct.models.nn;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Creates the trainable variables of a graph with seeded initial values (a {@link Random} of its own, so the
 * initialisation does not depend on ND4J's global generator).
 */
public final class ParamInit {
    private final SameDiff sd;
    private final DataType type;
    private final Random rng;

    /** Variables of the given floating-point type in {@code sd}, initialised from {@code seed}. */
    public ParamInit(SameDiff sd, DataType type, long seed) {
        this.sd = sd;
        this.type = type;
        this.rng = new Random(seed);
    }

    /** The floating-point type of the variables. */
    public DataType type() {
        return type;
    }

    /** A variable with entries uniform in ±sqrt(6 / (fanIn + fanOut)) (Glorot). */
    public SDVariable glorot(String name, long fanIn, long fanOut, long... shape) {
        return uniform(name, Math.sqrt(6.0 / (fanIn + fanOut)), shape);
    }

    /** A variable with entries uniform in ±limit. */
    public SDVariable uniform(String name, double limit, long... shape) {
        return sd.var(name, uniformArray(limit, shape));
    }

    /** An array (not a graph variable) with entries uniform in ±limit, drawn from the same generator. */
    public INDArray uniformArray(double limit, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (2 * rng.nextDouble() - 1) * limit;
        }
        return Nd4j.create(v, shape, 'c').castTo(type);
    }

    /** A variable filled with a constant. */
    public SDVariable constant(String name, double value, long... shape) {
        return sd.var(name, Nd4j.valueArrayOf(shape, value, type));
    }

    /** A variable from given values (cast to this type). */
    public SDVariable of(String name, INDArray values) {
        return sd.var(name, values.castTo(type));
    }
}
