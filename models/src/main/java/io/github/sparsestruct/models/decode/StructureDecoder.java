package io.github.sparsestruct.models.decode;

import java.util.Set;

/**
 * Decodes a model's scores for one kind of structure ({@link SequenceDecoder}, {@link TreeDecoder},
 * {@link AlignmentDecoder}) into a {@link SparseDistribution} or a k-best list, in int codes only. Each decoder is safe
 * to use from many threads (workspaces are per thread).
 */
public interface StructureDecoder {
    /** The decodings this structure supports. */
    Set<Decoding> supported();

    /**
     * {@code mode}, or an error naming the structure when it does not support it.
     *
     * @throws IllegalArgumentException when {@code mode} is not {@link #supported()}
     */
    default Decoding check(Decoding mode) {
        if (!supported().contains(mode)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no decoding '" + mode.id()
                    + "'; supported: " + supported().stream().sorted().map(Decoding::id).toList());
        }
        return mode;
    }
}
