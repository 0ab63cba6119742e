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
    private volatile ActiveSetSolver solver;

    /** A decoder of the given decodings whose SparseMAP uses {@code options}. */
    protected StructureDecoder(Set<Decoding> supported, SparseMapOptions options) {
        this.supported = Set.copyOf(supported);
        this.solver = new ActiveSetSolver(options);
    }

    /** The decodings this structure supports. */
    public final Set<Decoding> supported() {
        return supported;
    }

    /** Replaces the SparseMAP options. */
    public final void options(SparseMapOptions options) {
        this.solver = new ActiveSetSolver(options);
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
