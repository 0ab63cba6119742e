package io.github.sparsestruct.inference.map;

import java.util.Arrays;

/**
 * Rectangular maximum-weight linear assignment: match min(m, k) pairs one to one, maximising the sum of their
 * scores. Shortest augmenting paths with dual potentials (Jonker-Volgenant style, as in Crouse 2016 and scipy's
 * {@code linear_sum_assignment}) after a row-reduction warm start: one Dijkstra-like search per row of the smaller
 * side left unmatched by the warm start, O(r²·c) time for r ≤ c.
 *
 * <p>-∞ forbids a pair; NaN and +∞ are rejected. When no matching of size min(m, k) avoids forbidden pairs the
 * result is -∞. Ties are broken deterministically. Keeps a reusable workspace: not thread-safe, use one instance per
 * thread.
 */
public final class LinearAssignment {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final ThreadLocal<LinearAssignment> LOCAL = ThreadLocal.withInitial(LinearAssignment::new);

    private double[] cost = new double[0];
    private double[] u = new double[0];
    private double[] v = new double[0];
    private double[] shortest = new double[0];
    private int[] path = new int[0];
    private int[] col4row = new int[0];
    private int[] row4col = new int[0];
    private boolean[] sr = new boolean[0];
    private boolean[] sc = new boolean[0];
    private int[] remaining = new int[0];
    private double lastMinVal;
    /** Size of the square problem whose optimal column duals {@link #v} holds, or −1. */
    private int lastSize = -1;

    /** Creates a solver with an empty workspace that grows on demand. */
    public LinearAssignment() {
    }

    /**
     * Maximum-weight assignment, using a cached solver of the calling thread.
     *
     * @see #maximize(int, int, double[], int[])
     */
    public static double solve(int m, int k, double[] scores, int[] rowToColOut) {
        return LOCAL.get().maximize(m, k, scores, rowToColOut);
    }

    /**
     * Maximum-weight assignment of min(m, k) pairs.
     *
     * @param m           number of rows, at least 1
     * @param k           number of columns, at least 1
     * @param scores      m·k scores, row-major {@code scores[i·k + j]}
     * @param rowToColOut length ≥ m: receives the column of each row, -1 for unmatched rows (all -1 when infeasible)
     * @return the total score of the matching, or -∞ when no full matching of size min(m, k) exists
     * @throws IllegalArgumentException on bad sizes, or NaN / +∞ scores
     */
    public double maximize(int m, int k, double[] scores, int[] rowToColOut) {
        return maximize(m, k, scores, rowToColOut, false);
    }

    /**
     * As {@link #maximize(int, int, double[], int[])}, optionally warm-started from the column duals of this
     * instance's previous call. For a square problem any column duals keep the reduced costs of the row reduction
     * non-negative, so the result is exact either way; a warm start only saves augmenting paths when the scores
     * changed little since the last call (successive SparseMAP oracle calls). Rectangular problems always start
     * cold (their free columns must keep zero duals).
     */
    public double maximize(int m, int k, double[] scores, int[] rowToColOut, boolean warmStart) {
        Checks.atLeast("m", m, 1);
        Checks.atLeast("k", k, 1);
        Checks.length("scores", scores, m * k);
        Checks.scores("scores", scores, 0, m * k);
        Checks.length("rowToColOut", rowToColOut, m);
        boolean transposed = m > k;
        int nr = transposed ? k : m;
        int nc = transposed ? m : k;
        ensure(nr, nc);
        if (transposed) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < k; j++) {
                    cost[j * nc + i] = -scores[i * k + j];
                }
            }
        } else {
            for (int i = 0; i < m * k; i++) {
                cost[i] = -scores[i];
            }
        }
        boolean warm = warmStart && nr == nc && lastSize == nc;
        if (!warm) {
            Arrays.fill(v, 0, nc, 0);
        }
        lastSize = -1; // the duals are only valid again once this call completes
        Arrays.fill(path, 0, nc, -1);
        Arrays.fill(col4row, 0, nr, -1);
        Arrays.fill(row4col, 0, nc, -1);
        // Row reduction: u_i = min_j c_ij keeps the duals feasible with every free column at v = 0; each row then
        // takes its cheapest column while that column is free (a tight pair), so only the other rows need augmenting
        // paths. A row with no allowed column means no full matching.
        for (int i = 0; i < nr; i++) {
            int row = i * nc;
            double best = INF;
            int arg = -1;
            for (int j = 0; j < nc; j++) {
                double r = cost[row + j] - v[j];
                if (r < best) {
                    best = r;
                    arg = j;
                }
            }
            if (arg < 0) {
                Arrays.fill(rowToColOut, 0, m, -1);
                return Double.NEGATIVE_INFINITY;
            }
            u[i] = best;
            if (row4col[arg] == -1) {
                row4col[arg] = i;
                col4row[i] = arg;
            }
        }
        for (int cur = 0; cur < nr; cur++) {
            if (col4row[cur] >= 0) {
                continue;
            }
            int sink = augment(nr, nc, cur);
            if (sink < 0) {
                Arrays.fill(rowToColOut, 0, m, -1);
                return Double.NEGATIVE_INFINITY;
            }
            double minVal = lastMinVal;
            u[cur] += minVal;
            for (int i = 0; i < nr; i++) {
                if (sr[i] && i != cur) {
                    u[i] += minVal - shortest[col4row[i]];
                }
            }
            for (int j = 0; j < nc; j++) {
                if (sc[j]) {
                    v[j] -= minVal - shortest[j];
                }
            }
            int j = sink;
            while (true) {
                int i = path[j];
                row4col[j] = i;
                int tmp = col4row[i];
                col4row[i] = j;
                j = tmp;
                if (i == cur) {
                    break;
                }
            }
        }
        lastSize = nr == nc ? nc : -1;
        Arrays.fill(rowToColOut, 0, m, -1);
        double total = 0;
        if (transposed) {
            for (int j = 0; j < nr; j++) {
                rowToColOut[col4row[j]] = j;
            }
        } else {
            System.arraycopy(col4row, 0, rowToColOut, 0, m);
        }
        for (int i = 0; i < m; i++) {
            if (rowToColOut[i] >= 0) {
                total += scores[i * k + rowToColOut[i]];
            }
        }
        return total;
    }

    /** Shortest augmenting path from free row {@code i}; returns the free column reached, or -1 if none. */
    private int augment(int nr, int nc, int i) {
        double minVal = 0;
        int numRemaining = nc;
        for (int it = 0; it < nc; it++) {
            remaining[it] = nc - it - 1;
        }
        Arrays.fill(sr, 0, nr, false);
        Arrays.fill(sc, 0, nc, false);
        Arrays.fill(shortest, 0, nc, INF);
        int sink = -1;
        while (sink == -1) {
            int index = -1;
            double lowest = INF;
            sr[i] = true;
            int row = i * nc;
            double ui = u[i];
            for (int it = 0; it < numRemaining; it++) {
                int j = remaining[it];
                double r = minVal + cost[row + j] - ui - v[j];
                if (r < shortest[j]) {
                    path[j] = i;
                    shortest[j] = r;
                }
                if (shortest[j] < lowest || (shortest[j] == lowest && row4col[j] == -1)) {
                    lowest = shortest[j];
                    index = it;
                }
            }
            minVal = lowest;
            if (minVal == INF) {
                return -1;
            }
            int j = remaining[index];
            if (row4col[j] == -1) {
                sink = j;
            } else {
                i = row4col[j];
            }
            sc[j] = true;
            remaining[index] = remaining[--numRemaining];
        }
        lastMinVal = minVal;
        return sink;
    }

    private void ensure(int nr, int nc) {
        if (cost.length < nr * nc) {
            cost = new double[nr * nc];
        }
        if (u.length < nr) {
            u = new double[nr];
            col4row = new int[nr];
            sr = new boolean[nr];
        }
        if (v.length < nc) {
            v = new double[nc];
            shortest = new double[nc];
            path = new int[nc];
            row4col = new int[nc];
            sc = new boolean[nc];
            remaining = new int[nc];
        }
    }
}
