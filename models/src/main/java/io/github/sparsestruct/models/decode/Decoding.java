package io.github.sparsestruct.models.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a model's scores are decoded into a {@link SparseDistribution}, for every task; {@link Task} says which
 * decodings a task allows (and in which order they are listed in help texts and error messages). Every decoding
 * returns the MAP structure as the best one unless said otherwise.
 *
 * <p>A new decoding is a constant here, its place in the tasks' lists, and a case in the {@link StructureDecoder}s of
 * the structures that support it (with their tests); models, analyzers, adapters, help texts and {@code solve} take
 * it from here.
 */
public enum Decoding {
    /** The single best structure (Viterbi, maximum arborescence, linear assignment); marginals are one-hot. */
    MAP(false, true),
    /**
     * Dense marginals next to the MAP structure: CRF forward-backward (Vit with Ω = −H) for sequences, the matrix-tree
     * theorem for trees, the entropy-regularised relaxation (Sinkhorn) for matchings.
     */
    MARGINALS(false, false),
    /** SparseMAP: a few weighted structures (best = the heaviest) and their averaged marginals. */
    SPARSEMAP(true, true),
    /**
     * DP_Ω with Ω = γ·negentropy: the marginals of {@link #MARGINALS} (on sequences the same decoding); its value is
     * the DP's own (alignment paths: a smoothed minimum of the costs, where {@link #MARGINALS} gives a maximum of
     * their negatives).
     */
    DP_ENTROPY(false, false),
    /** The expected path of Vit_Ω (or DTW_Ω) with Ω = ½‖·‖² (sparse marginals) next to the MAP structure. */
    DP_L2(false, false);

    private final boolean mixture;
    private final boolean listsDistribution;

    Decoding(boolean mixture, boolean listsDistribution) {
        this.mixture = mixture;
        this.listsDistribution = listsDistribution;
    }

    /**
     * Whether the result is a weighted mixture of several structures (whose evaluation compares it with k-best lists
     * of the same size).
     */
    public boolean mixture() {
        return mixture;
    }

    /**
     * Whether the listed structures and their weights are the whole distribution (its marginals are theirs); false
     * where the marginals are dense or smoothed and only the MAP structure is listed.
     */
    public boolean listsDistribution() {
        return listsDistribution;
    }

    /** Whether the result is one structure of weight 1 with one-hot marginals. */
    public boolean single() {
        return listsDistribution && !mixture;
    }

    /** The lower-case name used in options, files and outputs ({@code map}, {@code dp_l2}, ...). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The tasks and the decodings each allows, in the order they are listed. */
    public enum Task {
        /** Named entities: BIO tag sequences. */
        NER("NER", MAP, MARGINALS, SPARSEMAP, DP_L2),
        /** Dependency parsing: single-root non-projective trees. */
        PARSE("dependency parsing", MAP, SPARSEMAP, MARGINALS),
        /** Word alignment: matchings or sequential alignments. */
        ALIGN("alignment", MAP, SPARSEMAP, MARGINALS);

        private final String what;
        private final List<Decoding> decodings;

        Task(String what, Decoding... decodings) {
            this.what = what;
            this.decodings = List.of(decodings);
        }

        /** The decodings this task allows, in listing order. */
        public List<Decoding> decodings() {
            return decodings;
        }

        /** Whether this task allows a decoding. */
        public boolean allows(Decoding d) {
            return decodings.contains(d);
        }

        /** The {@link Decoding#id()}s of {@link #decodings()}, in listing order. */
        public List<String> names() {
            return decodings.stream().map(Decoding::id).toList();
        }

        /** The ids of {@link #decodings()} in {@link Decoding}'s declaration order. */
        public List<String> namesInDeclarationOrder() {
            return decodings.stream().sorted().map(Decoding::id).toList();
        }

        /**
         * The decoding named {@code name} (case-insensitive, '-' as '_'), or an error naming the task and listing
         * the allowed values.
         *
         * @throws IllegalArgumentException when this task has no decoding of that name
         */
        public Decoding parse(String name) {
            String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            for (Decoding d : decodings) {
                if (d.id().equals(key)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unknown " + what + " decoding '" + name + "'; allowed: "
                    + String.join(", ", names()));
        }
    }

    /** The decoding whose {@link #id()} is {@code id} (exactly), if any. */
    public static Optional<Decoding> byId(String id) {
        return Arrays.stream(values()).filter(d -> d.id().equals(id)).findFirst();
    }

    /** Every decoding's id, in declaration order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Decoding::id).toList();
    }

    /**
     * The ids of every decoding, for picocli's {@code completionCandidates} (so that help strings list them as
     * {@code ${COMPLETION-CANDIDATES}}).
     */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return new ArrayList<>(names()).iterator();
        }
    }
}
