package io.github.sparsestruct.inference.sparsemap;

import java.util.List;

/**
 * A polytope given by the explicit list of its structures; the MAP oracle scans them (first best on ties). For
 * small sets (one-of-K, tests, enumerations of tiny problems).
 */
public final class ExplicitPolytope implements StructuredPolytope {
    private final List<Structure> structures;
    private final int unaryDim;
    private final int extraDim;

    /** A polytope over the given structures, whose indicator indices lie below the given dimensions. */
    public ExplicitPolytope(List<Structure> structures, int unaryDim, int extraDim) {
        if (structures.isEmpty()) {
            throw new IllegalArgumentException("an explicit polytope needs at least one structure");
        }
        this.structures = List.copyOf(structures);
        this.unaryDim = unaryDim;
        this.extraDim = extraDim;
    }

    /** The one-of-K polytope: the simplex, whose SparseMAP is sparsemax. */
    public static ExplicitPolytope oneOfK(int k) {
        Structure[] s = new Structure[k];
        for (int i = 0; i < k; i++) {
            s[i] = new Structure(new int[] {i}, new int[] {i}, new int[0]);
        }
        return new ExplicitPolytope(List.of(s), k, 0);
    }

    /** The structures of this polytope. */
    public List<Structure> structures() {
        return structures;
    }

    @Override
    public int unaryDim() {
        return unaryDim;
    }

    @Override
    public int extraDim() {
        return extraDim;
    }

    @Override
    public boolean constantSize() {
        int n = structures.get(0).unary().length;
        return structures.stream().allMatch(s -> s.unary().length == n);
    }

    @Override
    public Structure argmax(double[] etaU, double[] etaV) {
        Structure best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Structure s : structures) {
            double sc = s.score(etaU, etaV);
            if (sc > bestScore) {
                bestScore = sc;
                best = s;
            }
        }
        return best;
    }
}
