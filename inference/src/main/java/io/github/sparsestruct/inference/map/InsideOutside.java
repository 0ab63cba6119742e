package io.github.sparsestruct.inference.map;

import java.util.Arrays;

/**
 * Log-partition function and arc marginals of projective dependency trees by Eisner's inside-outside algorithm in
 * log space, O(n³).
 *
 * <p>The inside pass sums in log space with a max shift; the outside pass pushes span probabilities down in linear
 * space (each split gets its softmax share), so it needs one exp per split point and no log-add.
 *
 * <p>Same conventions as {@link Eisner} (root 0 leftmost, {@code arcs[h·(n+1) + m]}, column 0 and the diagonal
 * ignored, -∞ forbids an arc, NaN and +∞ rejected) and as {@link MatrixTree} for the result: γ·log Σ_trees
 * exp(score(tree)/γ) over projective trees, and p(h→m) in the (n+1)² layout.
 *
 * <p>Keeps a reusable workspace: not thread-safe, use one instance per thread.
 */
public final class InsideOutside {
    private static final double NEG = Double.NEGATIVE_INFINITY;
    private static final ThreadLocal<InsideOutside> LOCAL = ThreadLocal.withInitial(InsideOutside::new);

    private int cap;
    /** Arc scores divided by γ, -∞ for arcs into the root and self-loops. */
    private double[] a = new double[0];
    // Inside log-weights of complete (c) and incomplete (i) spans headed right (r: head s) or left (l: head t), and
    // in the m* arrays the probability that each span is used; all at [s·(n+1) + t] for s < t.
    private double[] icr = new double[0];
    private double[] icl = new double[0];
    private double[] iir = new double[0];
    private double[] iil = new double[0];
    /** Log-sum over split points shared by the two incomplete spans over s..t. */
    private double[] inner = new double[0];
    private double[] mcr = new double[0];
    private double[] mcl = new double[0];
    private double[] mir = new double[0];
    private double[] mil = new double[0];

    /** Creates a solver with an empty workspace that grows on demand. */
    public InsideOutside() {
    }

    /**
     * Smoothed log-partition and marginals, using a cached solver of the calling thread.
     *
     * @see #compute(int, double[], boolean, double, double[])
     */
    public static double logPartition(int n, double[] arcs, boolean singleRoot, double gamma,
            double[] marginalsOut) {
        return LOCAL.get().compute(n, arcs, singleRoot, gamma, marginalsOut);
    }

    /**
     * γ·log Σ_trees exp(score(tree)/γ) over all (single-rooted when asked) projective trees.
     *
     * @param n            number of words, at least 1
     * @param arcs         (n+1)² arc scores, {@code arcs[h·(n+1) + m]}
     * @param singleRoot   whether exactly one word must hang from the root
     * @param gamma        temperature, finite and positive
     * @param marginalsOut null, or length ≥ (n+1)²: receives p(h→m) at [h·(n+1) + m], with column 0 and the diagonal
     *                     0 (all 0 when no projective tree exists)
     * @return the smoothed log-partition, or -∞ when no projective tree avoids forbidden arcs
     * @throws IllegalArgumentException on bad sizes, bad gamma, or NaN / +∞ arc scores
     */
    public double compute(int n, double[] arcs, boolean singleRoot, double gamma, double[] marginalsOut) {
        Checks.atLeast("n", n, 1);
        Checks.gamma(gamma);
        final int nn = n + 1;
        Checks.length("arcs", arcs, nn * nn);
        if (marginalsOut != null) {
            Checks.length("marginalsOut", marginalsOut, nn * nn);
        }
        for (int h = 0; h < nn; h++) {
            for (int m = 1; m < nn; m++) {
                if (h != m) {
                    Checks.scores("arcs", arcs, h * nn + m, 1);
                }
            }
        }
        ensure(nn);
        for (int h = 0; h < nn; h++) {
            for (int m = 0; m < nn; m++) {
                a[h * nn + m] = m == 0 || m == h ? NEG : arcs[h * nn + m] / gamma;
            }
        }
        double logZ = inside(nn, singleRoot);
        if (marginalsOut != null) {
            Arrays.fill(marginalsOut, 0, nn * nn, 0);
            if (logZ != NEG) {
                outside(nn, singleRoot, logZ, marginalsOut);
            }
        }
        return logZ == NEG ? NEG : gamma * logZ;
    }

    private double inside(int nn, boolean singleRoot) {
        int n = nn - 1;
        for (int s = 0; s < nn; s++) {
            icr[s * nn + s] = 0;
            icl[s * nn + s] = 0;
        }
        for (int width = 1; width < nn; width++) {
            for (int s = 0; s + width < nn; s++) {
                int t = s + width;
                int st = s * nn + t;
                double mx = NEG;
                for (int r = s; r < t; r++) {
                    mx = Math.max(mx, icr[s * nn + r] + icl[(r + 1) * nn + t]);
                }
                double in = NEG;
                if (mx != NEG) {
                    double sum = 0;
                    for (int r = s; r < t; r++) {
                        sum += Math.exp(icr[s * nn + r] + icl[(r + 1) * nn + t] - mx);
                    }
                    in = mx + Math.log(sum);
                }
                inner[st] = in;
                iir[st] = in + a[st];
                iil[st] = in + a[t * nn + s];
                mx = NEG;
                for (int r = s + 1; r <= t; r++) {
                    mx = Math.max(mx, iir[s * nn + r] + icr[r * nn + t]);
                }
                double v = NEG;
                if (mx != NEG) {
                    double sum = 0;
                    for (int r = s + 1; r <= t; r++) {
                        sum += Math.exp(iir[s * nn + r] + icr[r * nn + t] - mx);
                    }
                    v = mx + Math.log(sum);
                }
                icr[st] = v;
                mx = NEG;
                for (int r = s; r < t; r++) {
                    mx = Math.max(mx, icl[s * nn + r] + iil[r * nn + t]);
                }
                v = NEG;
                if (mx != NEG) {
                    double sum = 0;
                    for (int r = s; r < t; r++) {
                        sum += Math.exp(icl[s * nn + r] + iil[r * nn + t] - mx);
                    }
                    v = mx + Math.log(sum);
                }
                icl[st] = v;
            }
        }
        if (!singleRoot) {
            return icr[n];
        }
        double mx = NEG;
        for (int r = 1; r <= n; r++) {
            mx = Math.max(mx, rootTerm(r, nn));
        }
        if (mx == NEG) {
            return NEG;
        }
        double sum = 0;
        for (int r = 1; r <= n; r++) {
            sum += Math.exp(rootTerm(r, nn) - mx);
        }
        return mx + Math.log(sum);
    }

    /** Log-weight of the single-root trees whose root child is r. */
    private double rootTerm(int r, int nn) {
        return a[r] + icl[nn + r] + icr[r * nn + nn - 1];
    }

    /**
     * Top-down pass in linear space: the probability that a span is used is split among its decompositions in
     * proportion to their inside weights (a softmax, so every factor is exp of a non-positive number); the
     * probability of an incomplete span is the marginal of its arc.
     */
    private void outside(int nn, boolean singleRoot, double logZ, double[] marg) {
        int n = nn - 1;
        Arrays.fill(mcr, 0, nn * nn, 0);
        Arrays.fill(mcl, 0, nn * nn, 0);
        Arrays.fill(mir, 0, nn * nn, 0);
        Arrays.fill(mil, 0, nn * nn, 0);
        if (!singleRoot) {
            mcr[n] = 1;
        } else {
            for (int r = 1; r <= n; r++) {
                double p = Math.exp(rootTerm(r, nn) - logZ);
                marg[r] = p;
                mcl[nn + r] += p;
                mcr[r * nn + n] += p;
            }
        }
        int first = singleRoot ? 1 : 0; // single root: spans starting at the root are not used
        for (int width = n; width >= 1; width--) {
            for (int s = first; s + width < nn; s++) {
                int t = s + width;
                int st = s * nn + t;
                double mu = mcr[st];
                if (mu > 0) {
                    double total = icr[st];
                    for (int r = s + 1; r <= t; r++) {
                        double p = mu * Math.exp(iir[s * nn + r] + icr[r * nn + t] - total);
                        mir[s * nn + r] += p;
                        mcr[r * nn + t] += p;
                    }
                }
                mu = mcl[st];
                if (mu > 0) {
                    double total = icl[st];
                    for (int r = s; r < t; r++) {
                        double p = mu * Math.exp(icl[s * nn + r] + iil[r * nn + t] - total);
                        mcl[s * nn + r] += p;
                        mil[r * nn + t] += p;
                    }
                }
                marg[st] = mir[st];
                if (s > 0) {
                    marg[t * nn + s] = mil[st];
                }
                mu = mir[st] + mil[st];
                if (mu > 0) {
                    double total = inner[st];
                    for (int r = s; r < t; r++) {
                        double p = mu * Math.exp(icr[s * nn + r] + icl[(r + 1) * nn + t] - total);
                        mcr[s * nn + r] += p;
                        mcl[(r + 1) * nn + t] += p;
                    }
                }
            }
        }
    }

    private void ensure(int nn) {
        if (cap >= nn) {
            return;
        }
        cap = nn;
        int size = nn * nn;
        a = new double[size];
        icr = new double[size];
        icl = new double[size];
        iir = new double[size];
        iil = new double[size];
        inner = new double[size];
        mcr = new double[size];
        mcl = new double[size];
        mir = new double[size];
        mil = new double[size];
    }
}
