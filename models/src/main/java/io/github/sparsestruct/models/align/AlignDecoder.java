package io.github.sparsestruct.models.align;

import java.util.List;
import java.util.Locale;

/** Which structures the alignment model decodes (and trains) with. */
public enum AlignDecoder {
    /** Partial one-to-one matchings ({@link NullMatchingPolytope}). */
    MATCHING,
    /** Each source word picks a target position or null, as a chain ({@link SequentialChain}). */
    SEQUENTIAL,
    /** Training only: the sum of both decoders' losses (so both decoders are trained; prediction uses matching). */
    BOTH;

    /** The lower-case names of the decoders that predict (matching, sequential; not {@link #BOTH}). */
    public static List<String> predictionNames() {
        return List.of(MATCHING, SEQUENTIAL).stream().map(d -> d.name().toLowerCase(Locale.ROOT)).toList();
    }
}
