package io.github.sparsestruct.inference.sparsemap;

import java.util.Arrays;

/**
 * One discrete structure of a {@link StructuredPolytope}: a vertex (u, v) of the marginal polytope, with binary
 * unary part u and binary additional part v, stored sparsely as the sorted indices of their ones.
 *
 * <p>{@code code} is the structure in the task's own terms (tags of a sequence, heads of a tree, column of each row
 * of a matching, cells of an alignment path); its layout is documented by the polytope that made it. Two structures
 * are equal when their codes are equal.
 */
public final class Structure {
    private final int[] code;
    private final int[] unary;
    private final int[] extra;
    private final int hash;

    /**
     * @param code  the structure in task terms (copied by reference: callers must not modify it afterwards)
     * @param unary sorted indices i with u_i = 1
     * @param extra sorted indices j with v_j = 1
     */
    public Structure(int[] code, int[] unary, int[] extra) {
        this.code = code;
        this.unary = unary;
        this.extra = extra;
        this.hash = Arrays.hashCode(code);
    }

    /** The structure in task terms (do not modify). */
    public int[] code() {
        return code;
    }

    /** Sorted indices of the ones of the unary indicator vector u (do not modify). */
    public int[] unary() {
        return unary;
    }

    /** Sorted indices of the ones of the additional indicator vector v (do not modify). */
    public int[] extra() {
        return extra;
    }

    /** ⟨etaU, u⟩ + ⟨etaV, v⟩; {@code etaV} may be null when there is no additional part. */
    public double score(double[] etaU, double[] etaV) {
        double s = 0;
        for (int i : unary) {
            s += etaU[i];
        }
        if (etaV != null) {
            for (int j : extra) {
                s += etaV[j];
            }
        }
        return s;
    }

    /** ⟨u_this, u_other⟩: the number of unary ones the two structures share. */
    public int unaryOverlap(Structure other) {
        int[] a = unary;
        int[] b = other.unary;
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                n++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Structure s && hash == s.hash && Arrays.equals(code, s.code);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "Structure" + Arrays.toString(code);
    }
}
