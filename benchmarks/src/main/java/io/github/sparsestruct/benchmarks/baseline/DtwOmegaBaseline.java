package io.github.sparsestruct.benchmarks.baseline;

import io.github.sparsestruct.inference.smooth.NegEntropyMax;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/*
 * Pre-optimisation version of {@code DtwOmega} (issue 27), copied unchanged apart from names and package so that the
 * benchmarks measure new/old ratios in one run. Do not optimise it.
 */
/**
 * DTW_Ω, DP_Ω specialised to dynamic time warping in min form (Mensch &amp; Blondel 2018, §3.2, App. B.3); with the
 * negative entropy this is soft-DTW (Cuturi &amp; Blondel 2017).
 *
 * <p>Costs C ∈ R^{NA×NB} are row-major, {@code c[i*nb + j]}, lower is better. Alignment paths go from (0, 0) to
 * (NA−1, NB−1) with moves (1, 0), (0, 1), (1, 1). R[0][0] = C[0][0] + min_Ω(0) (that is C[0][0], plus γ/2 for
 * (γ/2)‖·‖²: the operator applies at every node, the first cell's single parent being the start) and
 * R[i][j] = C[i][j] + min_Ω over the existing predecessors (i−1, j−1), (i−1, j), (i, j−1), where min_Ω(x) = −max_Ω(−x); DTW_Ω(C) = R[NA−1][NB−1]. Its gradient
 * is the expected alignment matrix (entries in [0, 1]) and its Hessian-vector products are computed in O(NA·NB).
 *
 * <p>Costs may be +∞ (forbidden cell); NaN and -∞ are rejected. An optional Sakoe-Chiba band (argument
 * {@code band ≥ 0}; negative means none) allows cell (i, j) iff |i·(NB−1) − j·(NA−1)| ≤ band·max(NA−1, NB−1) (all
 * cells when NA = 1 or NB = 1); cells outside it count as +∞ and their costs are not read. When no path has a finite
 * cost the value is +∞ and the gradient all zeros. The workspace grows on demand and is reused, so the passes do not
 * allocate. Instances are not thread-safe: use one per thread.
 */
public final class DtwOmegaBaseline {
    private static final double INF = Double.POSITIVE_INFINITY;
    private final SmoothedMax op;
    /**
     * max_Ω of a single entry 0: what the operator adds at a node with one parent (the first position of a chain,
     * the first cell of an alignment). 0 for the entropic operators and the hard max, −γ/2 for (γ/2)‖·‖².
     */
    private final double startOffset;
    private final boolean negEntropy;
    private final double gamma;
    private final double invGamma;
    private final double[] buf = new double[3];
    private final double[] ubuf = new double[3];
    private double[] r = new double[0];
    private double[] q = new double[0];
    private double[] rDot = new double[0];
    private double[] qDot = new double[0];

    /** @param op the smoothed max (copied, so the instance owns its scratch space) */
    public DtwOmegaBaseline(SmoothedMax op) {
        if (op == null) {
            throw new IllegalArgumentException("op must not be null");
        }
        this.op = op.copy();
        this.negEntropy = op instanceof NegEntropyMax;
        this.startOffset = this.op.max(new double[] {0.0}, 0, 1, new double[1], 0);
        this.gamma = op.gamma();
        this.invGamma = negEntropy ? 1.0 / gamma : 0;
    }

    /** DTW_Ω(C) without band. */
    public double value(double[] c, int na, int nb) {
        return value(c, na, nb, -1);
    }

    /** DTW_Ω(C) within the Sakoe-Chiba band ({@code band < 0}: none); +∞ if no path is feasible. */
    public double value(double[] c, int na, int nb, int band) {
        return forward(c, na, nb, band);
    }

    /** DTW_Ω(C) without band, and its gradient (expected alignment, NA×NB) written into {@code grad}. */
    public double gradient(double[] c, int na, int nb, double[] grad) {
        return gradient(c, na, nb, -1, grad);
    }

    /**
     * DTW_Ω(C) within the band ({@code band < 0}: none), and its gradient, the expected alignment matrix, written
     * into {@code grad[0..NA·NB)}.
     *
     * @return the value, +∞ (with an all-zero gradient) if no path is feasible
     */
    public double gradient(double[] c, int na, int nb, int band, double[] grad) {
        double val = forward(c, na, nb, band);
        int size = na * nb;
        BaselineChecks.checkRange("grad", grad.length, 0, size);
        Arrays.fill(grad, 0, size, 0.0);
        if (val == INF) {
            return val;
        }
        grad[size - 1] = 1;
        for (int i = na - 1; i >= 0; i--) {
            for (int j = nb - 1; j >= 0; j--) {
                int cell = i * nb + j;
                double e = grad[cell];
                if (e == 0) {
                    continue;
                }
                int qb = 3 * cell;
                if (i > 0) {
                    if (j > 0) {
                        grad[cell - nb - 1] += e * q[qb];
                    }
                    grad[cell - nb] += e * q[qb + 1];
                }
                if (j > 0) {
                    grad[cell - 1] += e * q[qb + 2];
                }
            }
        }
        return val;
    }

    /** {@link #hvp(double[], int, int, int, double[], double[], double[])} without band. */
    public double hvp(double[] c, int na, int nb, double[] z, double[] grad, double[] hz) {
        return hvp(c, na, nb, -1, z, grad, hz);
    }

    /**
     * DTW_Ω(C) within the band, its gradient into {@code grad} and the Hessian-vector product ∇²DTW_Ω(C)·Z into
     * {@code hz} (all NA×NB row-major).
     *
     * @return the value, +∞ (with all-zero outputs) if no path is feasible
     */
    public double hvp(double[] c, int na, int nb, int band, double[] z, double[] grad, double[] hz) {
        double val = forward(c, na, nb, band);
        int size = na * nb;
        BaselineChecks.checkRange("z", z.length, 0, size);
        BaselineChecks.checkRange("grad", grad.length, 0, size);
        BaselineChecks.checkRange("hz", hz.length, 0, size);
        Arrays.fill(grad, 0, size, 0.0);
        Arrays.fill(hz, 0, size, 0.0);
        if (val == INF) {
            return val;
        }
        // forward: Ṙ = Z + Σ q Ṙ_pred; q = ∇max_Ω(−R_pred) so q̇ = −H (Ṙ_pred)
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                int cell = i * nb + j;
                int qb = 3 * cell;
                if (r[cell] == INF) {
                    rDot[cell] = 0;
                    qDot[qb] = 0;
                    qDot[qb + 1] = 0;
                    qDot[qb + 2] = 0;
                    continue;
                }
                if (cell == 0) {
                    rDot[0] = z[0];
                    qDot[0] = 0;
                    qDot[1] = 0;
                    qDot[2] = 0;
                    continue;
                }
                ubuf[0] = i > 0 && j > 0 ? rDot[cell - nb - 1] : 0;
                ubuf[1] = i > 0 ? rDot[cell - nb] : 0;
                ubuf[2] = j > 0 ? rDot[cell - 1] : 0;
                rDot[cell] = z[cell] + q[qb] * ubuf[0] + q[qb + 1] * ubuf[1] + q[qb + 2] * ubuf[2];
                op.hvp(q, qb, 3, ubuf, 0, qDot, qb);
                qDot[qb] = -qDot[qb];
                qDot[qb + 1] = -qDot[qb + 1];
                qDot[qb + 2] = -qDot[qb + 2];
            }
        }
        // backward: E_pred += E q, Ė_pred += Ė q + E q̇
        grad[size - 1] = 1;
        for (int i = na - 1; i >= 0; i--) {
            for (int j = nb - 1; j >= 0; j--) {
                int cell = i * nb + j;
                double e = grad[cell];
                double ed = hz[cell];
                int qb = 3 * cell;
                if (i > 0) {
                    if (j > 0) {
                        grad[cell - nb - 1] += e * q[qb];
                        hz[cell - nb - 1] += ed * q[qb] + e * qDot[qb];
                    }
                    grad[cell - nb] += e * q[qb + 1];
                    hz[cell - nb] += ed * q[qb + 1] + e * qDot[qb + 1];
                }
                if (j > 0) {
                    grad[cell - 1] += e * q[qb + 2];
                    hz[cell - 1] += ed * q[qb + 2] + e * qDot[qb + 2];
                }
            }
        }
        return val;
    }

    /** {@link #decode(double[], int, int, int, List)} without band. */
    public double decode(double[] c, int na, int nb, List<int[]> pathOut) {
        return decode(c, na, nb, -1, pathOut);
    }

    /**
     * Hard DTW with backtracking: clears {@code pathOut} and fills it with the cells {i, j} of a least-cost path from
     * (0, 0) to (NA−1, NB−1). Ties between predecessors prefer the diagonal (i−1, j−1), then (i−1, j), then (i, j−1).
     *
     * @return the least cost, or +∞ if no path is feasible (pathOut is then left empty)
     */
    public double decode(double[] c, int na, int nb, int band, List<int[]> pathOut) {
        checkInputs(c, na, nb);
        ensure(na * nb);
        pathOut.clear();
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                int cell = i * nb + j;
                double cij = cellCost(c, cell, i, j, na, nb, band);
                if (cij == INF) {
                    r[cell] = INF;
                    continue;
                }
                if (cell == 0) {
                    r[0] = cij;
                    continue;
                }
                double best = INF;
                if (i > 0 && j > 0) {
                    best = r[cell - nb - 1];
                }
                if (i > 0 && r[cell - nb] < best) {
                    best = r[cell - nb];
                }
                if (j > 0 && r[cell - 1] < best) {
                    best = r[cell - 1];
                }
                r[cell] = best == INF ? INF : cij + best;
            }
        }
        double cost = r[na * nb - 1];
        if (cost == INF) {
            return cost;
        }
        int i = na - 1;
        int j = nb - 1;
        pathOut.add(new int[] {i, j});
        while (i > 0 || j > 0) {
            int cell = i * nb + j;
            double best = INF;
            int move = -1;
            if (i > 0 && j > 0) {
                best = r[cell - nb - 1];
                move = 0;
            }
            if (i > 0 && r[cell - nb] < best) {
                best = r[cell - nb];
                move = 1;
            }
            if (j > 0 && r[cell - 1] < best) {
                move = 2;
            }
            if (move == 0) {
                i--;
                j--;
            } else if (move == 1) {
                i--;
            } else {
                j--;
            }
            pathOut.add(new int[] {i, j});
        }
        Collections.reverse(pathOut);
        return cost;
    }

    private double forward(double[] c, int na, int nb, int band) {
        checkInputs(c, na, nb);
        ensure(na * nb);
        if (negEntropy) {
            forwardNegEntropy(c, na, nb, band);
        } else {
            forwardGeneric(c, na, nb, band);
        }
        return r[na * nb - 1];
    }

    private void forwardGeneric(double[] c, int na, int nb, int band) {
        final double ninf = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                int cell = i * nb + j;
                int qb = 3 * cell;
                double cij = cellCost(c, cell, i, j, na, nb, band);
                if (cij == INF || cell == 0) {
                    r[cell] = cij == INF ? INF : cij - startOffset;
                    q[qb] = 0;
                    q[qb + 1] = 0;
                    q[qb + 2] = 0;
                    continue;
                }
                buf[0] = i > 0 && j > 0 ? -r[cell - nb - 1] : ninf;
                buf[1] = i > 0 ? -r[cell - nb] : ninf;
                buf[2] = j > 0 ? -r[cell - 1] : ninf;
                r[cell] = cij - op.max(buf, 0, 3, q, qb);
            }
        }
    }

    private void forwardNegEntropy(double[] c, int na, int nb, int band) {
        final double[] r = this.r;
        final double[] q = this.q;
        final double ig = invGamma;
        final boolean banded = band >= 0 && na > 1 && nb > 1;
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                int cell = i * nb + j;
                int qb = 3 * cell;
                double cij = banded ? cellCost(c, cell, i, j, na, nb, band) : checkedCost(c, cell);
                if (cij == INF || cell == 0) {
                    r[cell] = cij;
                    q[qb] = 0;
                    q[qb + 1] = 0;
                    q[qb + 2] = 0;
                    continue;
                }
                double a = i > 0 && j > 0 ? r[cell - nb - 1] : INF;
                double b = i > 0 ? r[cell - nb] : INF;
                double d = j > 0 ? r[cell - 1] : INF;
                double mn = Math.min(a, Math.min(b, d));
                if (mn == INF) {
                    r[cell] = INF;
                    q[qb] = 0;
                    q[qb + 1] = 0;
                    q[qb + 2] = 0;
                    continue;
                }
                double ea = Math.exp((mn - a) * ig);
                double eb = Math.exp((mn - b) * ig);
                double ed = Math.exp((mn - d) * ig);
                double sum = ea + eb + ed;
                double inv = 1.0 / sum;
                q[qb] = ea * inv;
                q[qb + 1] = eb * inv;
                q[qb + 2] = ed * inv;
                r[cell] = cij + mn - gamma * Math.log(sum);
            }
        }
    }

    /** The cost of an allowed cell (validated), or +∞ for a cell outside the band. */
    private static double cellCost(double[] c, int cell, int i, int j, int na, int nb, int band) {
        if (band >= 0 && na > 1 && nb > 1) {
            long d = Math.abs((long) i * (nb - 1) - (long) j * (na - 1));
            if (d > (long) band * Math.max(na - 1, nb - 1)) {
                return INF;
            }
        }
        return checkedCost(c, cell);
    }

    private static double checkedCost(double[] c, int cell) {
        double v = c[cell];
        if (Double.isNaN(v) || v == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("cost matrix contains " + v + " at index " + cell
                    + " (costs may be +Infinity to forbid a cell, never NaN or -Infinity)");
        }
        return v;
    }

    private static void checkInputs(double[] c, int na, int nb) {
        if (na < 1 || nb < 1) {
            throw new IllegalArgumentException("need NA >= 1 and NB >= 1, got " + na + " x " + nb);
        }
        BaselineChecks.checkRange("cost matrix", c.length, 0, (long) na * nb);
    }

    private void ensure(int size) {
        if (r.length < size) {
            int n = Math.max(size, 2 * r.length);
            r = new double[n];
            q = new double[3 * n];
            rDot = new double[n];
            qDot = new double[3 * n];
        }
    }
}
