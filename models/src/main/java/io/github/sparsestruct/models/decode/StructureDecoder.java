package io.github.sparsestruct.models.decode;

import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import java.util.Set;

/**
 * Decodes a model's scores for one kind of structure ({@link SequenceDecoder}, {@link TreeDecoder},
 * {@link AlignmentDecoder}) into a {@link SparseDistribution} or a k-best list, in int codes only. Each decoder is safe
 * to use from many threads (workspaces are per thread); {@link Decoding#SPARSEMAP} runs the active-set solver with
 * the decoder's options.
 */
public abstract class StructureDecoder {
    private final Set<Decoding> supported;
    private volatile SparseMapOptions options;
    private volatile Calibration calibration = Calibration.NONE;
    private volatile ActiveSetSolver solver;
    private volatile ActiveSetSolver calibratedSolver;

    /** A decoder of the given decodings whose SparseMAP uses {@code options}. */
    protected StructureDecoder(Set<Decoding> supported, SparseMapOptions options) {
        this.supported = Set.copyOf(supported);
        options(options);
    }

    /** The decodings this structure supports. */
    public final Set<Decoding> supported() {
        return supported;
    }

    /** Replaces the SparseMAP options (the calibrated SparseMAP multiplies their γ by its temperature). */
    public final synchronized void options(SparseMapOptions options) {
        this.options = options;
        this.solver = new ActiveSetSolver(options);
        this.calibratedSolver = calibratedSolver(options, calibration);
    }

    /**
     * Sets the calibration that the plain {@code decode} methods and k-best weights apply (see {@link Calibration});
     * the overloads that take a temperature and a solver ignore it.
     */
    public final synchronized void calibration(Calibration calibration) {
        this.calibration = calibration;
        this.calibratedSolver = calibratedSolver(options, calibration);
    }

    /** The calibration applied by the plain {@code decode} methods. */
    public final Calibration calibration() {
        return calibration;
    }

    private ActiveSetSolver calibratedSolver(SparseMapOptions o, Calibration c) {
        double t = c.temperature(Decoding.SPARSEMAP);
        return t == 1.0 ? solver : new ActiveSetSolver(o.withGamma(o.gamma() * t));
    }

    /** The calibrated temperature of {@code mode}. */
    protected final double temperature(Decoding mode) {
        return calibration.temperature(mode);
    }

    /** {@code d} with its best-structure probability calibrated ({@link Calibration#bestProbability}). */
    protected final SparseDistribution withCalibratedBest(SparseDistribution d, Decoding mode) {
        double p = calibration.bestProbability(mode, d.bestProbability());
        return p == d.bestProbability() || Double.isNaN(p) ? d : d.withBestProbability(p);
    }

    /** The SparseMAP solver with the calibrated γ. */
    protected final ActiveSetSolver calibratedSolver() {
        return calibratedSolver;
    }

    /**
     * Why this structure lacks the decodings it does not support, where that is worth saying (null by default); shown
     * in error messages.
     */
    public String limitation() {
        return null;
    }

    /** The SparseMAP solver. */
    protected final ActiveSetSolver solver() {
        return solver;
    }

    /**
     * {@code mode}, or an error naming the structure when it does not support it.
     *
     * @throws IllegalArgumentException when {@code mode} is not {@link #supported()}
     */
    public final Decoding check(Decoding mode) {
        if (!supported.contains(mode)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no decoding '" + mode.id()
                    + "'; supported: " + supported.stream().sorted().map(Decoding::id).toList());
        }
        return mode;
    }
}
