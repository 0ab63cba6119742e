package io.github.sparsestruct.inference.map;

/** Static convenience over {@link ViterbiDecoder}, using one cached decoder per thread. */
public final class Viterbi {
    private static final ThreadLocal<ViterbiDecoder> LOCAL = ThreadLocal.withInitial(ViterbiDecoder::new);

    private Viterbi() {
    }

    /**
     * Highest-scoring tag sequence of a first-order chain; see
     * {@link ViterbiDecoder#decode(int, int, double[], double[], boolean, double[], double[], boolean[], int[])}.
     *
     * @return the best score, or -∞ (with {@code tagsOut} filled with -1) when no sequence is feasible
     */
    public static double decode(int T, int S, double[] unary, double[] trans, boolean positionDependent,
            double[] start, double[] end, boolean[] allowed, int[] tagsOut) {
        return LOCAL.get().decode(T, S, unary, trans, positionDependent, start, end, allowed, tagsOut);
    }
}
