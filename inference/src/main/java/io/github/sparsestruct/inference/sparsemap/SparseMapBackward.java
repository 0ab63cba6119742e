package io.github.sparsestruct.inference.sparsemap;

import java.util.List;

/**
 * Derivatives of the SparseMAP solution (u, v) with respect to the scores (η_u, η_v), through the active set
 * (SparseMAP paper §3.3). On the support I the weights solve the KKT system of an equality-constrained QP, so
 * dα = P·dc with P the weight block of the inverse bordered KKT matrix and dc_i = ⟨dη_u, u_i⟩ + ⟨dη_v, v_i⟩;
 * then du = Σ dα_i u_i and dv = Σ dα_i v_i. The map is symmetric, so the vector-Jacobian product (backward pass)
 * is the same computation. Valid where the support is locally stable (almost everywhere).
 */
public final class SparseMapBackward {
    private final List<Structure> support;
    private final double[] p; // k×k, row-major, already divided by γ
    private final int unaryDim;
    private final int extraDim;

    SparseMapBackward(List<Structure> support, double[] p, int unaryDim, int extraDim) {
        this.support = support;
        this.p = p;
        this.unaryDim = unaryDim;
        this.extraDim = extraDim;
    }

    /**
     * Jacobian-vector product: the change (du, dv) of the solution for a change (dEtaU, dEtaV) of the scores.
     *
     * @param dEtaU  change of the unary scores (length unaryDim)
     * @param dEtaV  change of the additional scores (length extraDim, may be null when extraDim is 0)
     * @param duOut  receives du (length unaryDim)
     * @param dvOut  receives dv (length extraDim; may be null)
     */
    public void jvp(double[] dEtaU, double[] dEtaV, double[] duOut, double[] dvOut) {
        int k = support.size();
        double[] dc = new double[k];
        for (int i = 0; i < k; i++) {
            dc[i] = support.get(i).score(dEtaU, dEtaV);
        }
        java.util.Arrays.fill(duOut, 0, unaryDim, 0.0);
        if (dvOut != null) {
            java.util.Arrays.fill(dvOut, 0, extraDim, 0.0);
        }
        for (int i = 0; i < k; i++) {
            double da = 0;
            for (int j = 0; j < k; j++) {
                da += p[i * k + j] * dc[j];
            }
            if (da == 0) {
                continue;
            }
            Structure s = support.get(i);
            for (int a : s.unary()) {
                duOut[a] += da;
            }
            if (dvOut != null) {
                for (int b : s.extra()) {
                    dvOut[b] += da;
                }
            }
        }
    }

    /**
     * Vector-Jacobian product (the backward pass): given the gradient of a loss with respect to (u, v), the
     * gradient with respect to (η_u, η_v). Equal to {@link #jvp} because the Jacobian is symmetric.
     */
    public void vjp(double[] gradU, double[] gradV, double[] gradEtaUOut, double[] gradEtaVOut) {
        jvp(gradU, gradV, gradEtaUOut, gradEtaVOut);
    }
}
