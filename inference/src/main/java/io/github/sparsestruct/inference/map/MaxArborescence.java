package io.github.sparsestruct.inference.map;

import java.util.Arrays;

/**
 * Maximum spanning arborescence (non-projective dependency tree) by Chu-Liu-Edmonds on a dense matrix.
 *
 * <p>Nodes are the root 0 and words 1..n; {@code arcs[h·(n+1) + m]} scores head h for word m (column 0 and the
 * diagonal are ignored; -∞ forbids an arc; NaN and +∞ are rejected). Every word greedily takes its best head; a
 * cycle is contracted into one node whose incoming arcs carry the usual reduced scores, and only the new node needs a
 * new best head. Contracting a cycle C costs O(n·|C|) and Σ|C| ≤ 2n, so the unconstrained solve is O(n²) overall
 * (n² to read the input). The expansion replays the contractions in reverse through a contraction forest.
 *
 * <p>Single root: once the greedy graph is acyclic but the root has several children, the root child whose root arc
 * loses least when swapped for its best non-root arc takes that arc instead, and the solve goes on; a cycle closed by
 * the swap is contracted like any other, the swapped-out root arc entering it with its reduced score. This is the
 * exact constrained algorithm of Gabow and Tarjan (1984) as presented by Zmigrod, Vieira and Cotterell (2020). Each
 * swap costs O(n·r) for r root children and there are at most 2n swaps, so the worst case is O(n³), typically
 * O(n²).
 *
 * <p>Ties are broken towards smaller node indices: results are deterministic. Keeps a reusable workspace: not
 * thread-safe, use one instance per thread.
 */
public final class MaxArborescence {
    private static final double NEG = Double.NEGATIVE_INFINITY;
    private static final ThreadLocal<MaxArborescence> LOCAL = ThreadLocal.withInitial(MaxArborescence::new);

    private int cap;
    private double[] w = new double[0];
    private int[] orig = new int[0];
    private int[] par = new int[0];
    private boolean[] alive = new boolean[0];
    private boolean[] inCycle = new boolean[0];
    private int[] slotId = new int[0];
    private int[] mark = new int[0];
    private int[] cycle = new int[0];
    private double[] cycScore = new double[0];
    private int[] forestParent = new int[0];
    private int[] inChild = new int[0];
    private int[] levelStart = new int[0];
    private int[] members = new int[0];
    private int[] memberArc = new int[0];
    /** The alive word slots in increasing order, and their number. */
    private int[] live = new int[0];
    private int liveCount;
    /** Scratch: each word's best head score during the first greedy pass. */
    private double[] headScore = new double[0];

    /** Creates a solver with an empty workspace that grows on demand. */
    public MaxArborescence() {
    }

    /**
     * Highest-scoring dependency tree, using a cached solver of the calling thread.
     *
     * @see #maximize(int, double[], boolean, int[])
     */
    public static double decode(int n, double[] arcs, boolean singleRoot, int[] headsOut) {
        return LOCAL.get().maximize(n, arcs, singleRoot, headsOut);
    }

    /**
     * Highest-scoring dependency tree.
     *
     * @param n          number of words, at least 1
     * @param arcs       (n+1)² arc scores, {@code arcs[h·(n+1) + m]}
     * @param singleRoot whether exactly one word must hang from the root
     * @param headsOut   length ≥ n+1: receives -1 at index 0 and the head of each word m at index m (all -1 when no
     *                   tree is feasible)
     * @return the score of the tree, or -∞ when every tree contains a forbidden arc
     * @throws IllegalArgumentException on bad sizes, or NaN / +∞ arc scores
     */
    public double maximize(int n, double[] arcs, boolean singleRoot, int[] headsOut) {
        Checks.atLeast("n", n, 1);
        final int nn = n + 1;
        Checks.length("arcs", arcs, nn * nn);
        Checks.length("headsOut", headsOut, nn);
        for (int h = 0; h < nn; h++) {
            for (int m = 1; m < nn; m++) {
                if (h != m) {
                    Checks.scores("arcs", arcs, h * nn + m, 1);
                }
            }
        }
        return solve(nn, arcs, singleRoot, headsOut);
    }

    /**
     * {@link #maximize} for arc scores the caller has already checked to be finite or −∞ (e.g. a solver that
     * validates once and then calls the oracle many times); sizes are still checked, the scores are not.
     *
     * <p>The caller must have validated the scores: every arc score (off the diagonal, outside column 0) finite or
     * −∞. NaN or +∞ give an undefined result (a wrong tree, no exception). Only {@code TreePolytope}'s SparseMAP
     * oracle calls it; use {@link #maximize} or {@link #decode} otherwise.
     */
    public double maximizeValidated(int n, double[] arcs, boolean singleRoot, int[] headsOut) {
        Checks.atLeast("n", n, 1);
        final int nn = n + 1;
        Checks.length("arcs", arcs, nn * nn);
        Checks.length("headsOut", headsOut, nn);
        return solve(nn, arcs, singleRoot, headsOut);
    }

    private double solve(int nn, double[] arcs, boolean singleRoot, int[] headsOut) {
        ensure(nn);
        final double[] w = this.w;
        System.arraycopy(arcs, 0, w, 0, nn * nn);
        for (int h = 0; h < nn; h++) {
            int row = h * nn;
            w[row] = NEG;
            w[row + h] = NEG;
            for (int m = 0; m < nn; m++) {
                orig[row + m] = row + m;
            }
            alive[h] = true;
            inCycle[h] = false;
            slotId[h] = h;
            forestParent[h] = -1;
        }
        for (int v = 1; v < nn; v++) {
            live[v - 1] = v;
        }
        liveCount = nn - 1;
        // every word's best head: rows swept in order (contiguous), a strict > keeps the smallest head on ties
        for (int v = 1; v < nn; v++) {
            headScore[v] = w[v];
            par[v] = 0;
        }
        for (int u = 1; u < nn; u++) {
            int row = u * nn;
            for (int v = 1; v < nn; v++) {
                double x = w[row + v];
                boolean gt = x > headScore[v];
                par[v] = gt ? u : par[v];
                headScore[v] = gt ? x : headScore[v];
            }
        }
        for (int v = 1; v < nn; v++) {
            if (headScore[v] == NEG) {
                return infeasible(headsOut, nn);
            }
        }
        int levels = 0;
        int memberCount = 0;
        while (true) {
            int len = findCycle(nn);
            if (len > 0) {
                levelStart[levels] = memberCount;
                memberCount = contract(len, nn, levels, memberCount);
                levels++;
                levelStart[levels] = memberCount;
                int c = cycle[0];
                if (w[par[c] * nn + c] == NEG) {
                    return infeasible(headsOut, nn);
                }
                continue;
            }
            if (!singleRoot) {
                break;
            }
            int swapped = swapRootArc(nn);
            if (swapped < 0) {
                return infeasible(headsOut, nn);
            }
            if (swapped == 0) {
                break;
            }
        }
        expand(nn, levels, headsOut);
        double total = 0;
        for (int m = 1; m < nn; m++) {
            total += arcs[headsOut[m] * nn + m];
        }
        return total;
    }

    /** Best alive head of slot v (smallest index on ties; the root when nothing is finite). */
    private int bestParent(int v, int nn) {
        // the diagonal is −∞, so u = v never wins and needs no test; live[] is in increasing order
        int arg = 0;
        double bs = w[v];
        for (int k = 0; k < liveCount; k++) {
            int u = live[k];
            double x = w[u * nn + v];
            boolean gt = x > bs;
            arg = gt ? u : arg;
            bs = gt ? x : bs;
        }
        return arg;
    }

    /** Finds a cycle of the greedy graph, stores it in {@code cycle} and returns its length (0 when acyclic). */
    private int findCycle(int nn) {
        Arrays.fill(mark, 0, nn, 0);
        int stamp = 0;
        for (int k = 0; k < liveCount; k++) {
            int v = live[k];
            if (mark[v] != 0) {
                continue;
            }
            stamp++;
            int u = v;
            while (u != 0 && mark[u] == 0) {
                mark[u] = stamp;
                u = par[u];
            }
            if (u != 0 && mark[u] == stamp) {
                int len = 0;
                int x = u;
                do {
                    cycle[len++] = x;
                    x = par[x];
                } while (x != u);
                return len;
            }
        }
        return 0;
    }

    /** Contracts {@code cycle[0..len)} into slot {@code cycle[0]}; returns the new member count. */
    private int contract(int len, int nn, int level, int memberCount) {
        int id = nn + level;
        int c = cycle[0];
        for (int i = 0; i < len; i++) {
            int x = cycle[i];
            int a = par[x] * nn + x;
            cycScore[i] = w[a];
            inCycle[x] = true;
            members[memberCount] = slotId[x];
            memberArc[memberCount] = orig[a];
            forestParent[slotId[x]] = id;
            memberCount++;
        }
        int crow = c * nn;
        // arcs into the cycle: v → c takes the best reduced score w(v, x) − w(par x, x) over the members x
        for (int k = -1; k < liveCount; k++) {
            int v = k < 0 ? 0 : live[k];
            if (inCycle[v]) {
                continue;
            }
            int vrow = v * nn;
            // cycle scores are finite, so −∞ stays −∞ and never wins; the first maximum is kept (strict >)
            double best = NEG;
            int arg = -1;
            for (int i = 0; i < len; i++) {
                double x = w[vrow + cycle[i]] - cycScore[i];
                boolean gt = x > best;
                arg = gt ? i : arg;
                best = gt ? x : best;
            }
            w[vrow + c] = best;
            orig[vrow + c] = arg < 0 ? -1 : orig[vrow + cycle[arg]];
            if (v != 0 && inCycle[par[v]]) {
                par[v] = c;
            }
        }
        // arcs out of the cycle: row c keeps its own entries as the running maximum (member 0) and the other
        // members' rows are swept in cycle order, contiguously (strict >: the first maximum is kept). Columns of
        // members and dead slots get values too; they are never read, and c's diagonal goes back to −∞.
        for (int i = 1; i < len; i++) {
            int xrow = cycle[i] * nn;
            for (int v = 1; v < nn; v++) {
                double x = w[xrow + v];
                double y = w[crow + v];
                boolean gt = x > y;
                w[crow + v] = gt ? x : y;
                orig[crow + v] = gt ? orig[xrow + v] : orig[crow + v];
            }
        }
        w[crow + c] = NEG;
        for (int i = 0; i < len; i++) {
            inCycle[cycle[i]] = false;
            if (i > 0) {
                alive[cycle[i]] = false;
            }
        }
        int kept = 0;
        for (int k = 0; k < liveCount; k++) {
            int v = live[k];
            if (alive[v]) {
                live[kept++] = v;
            }
        }
        liveCount = kept;
        slotId[c] = id;
        forestParent[id] = -1;
        par[c] = bestParent(c, nn);
        return memberCount;
    }

    /**
     * With an acyclic greedy graph: if the root has several children, moves the one whose swap to its best non-root
     * arc costs least onto that arc. Returns 1 after a swap, 0 when the root has one child, -1 when no single-root
     * tree exists.
     */
    private int swapRootArc(int nn) {
        int rootChildren = 0;
        for (int v = 1; v < nn; v++) {
            if (alive[v] && par[v] == 0) {
                rootChildren++;
            }
        }
        if (rootChildren <= 1) {
            return 0;
        }
        int bestV = -1;
        int bestAlt = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int v = 1; v < nn; v++) {
            if (!alive[v] || par[v] != 0) {
                continue;
            }
            int alt = -1;
            double altScore = NEG;
            for (int u = 1; u < nn; u++) {
                if (u != v && alive[u]) {
                    double s = w[u * nn + v];
                    if (s > altScore) {
                        altScore = s;
                        alt = u;
                    }
                }
            }
            if (alt < 0) {
                continue;
            }
            double cost = w[v] - altScore;
            if (cost < bestCost) {
                bestCost = cost;
                bestV = v;
                bestAlt = alt;
            }
        }
        if (bestV < 0) {
            return -1;
        }
        // The root arc stays in the graph: if the swap closes a cycle, it re-enters the contracted node with
        // reduced score w(root, v) - w(alt, v) >= 0 and is then that node's best incoming arc.
        par[bestV] = bestAlt;
        return 1;
    }

    /** Replays the contractions in reverse to turn the final greedy arcs into original heads. */
    private void expand(int nn, int levels, int[] headsOut) {
        Arrays.fill(inChild, 0, nn + levels, -1);
        headsOut[0] = -1;
        for (int v = 1; v < nn; v++) {
            if (alive[v]) {
                int a = orig[par[v] * nn + v];
                int m = a % nn;
                headsOut[m] = a / nn;
                inChild[slotId[v]] = m;
            }
        }
        for (int level = levels - 1; level >= 0; level--) {
            int id = nn + level;
            int m = inChild[id];
            int x = m;
            while (forestParent[x] != id) {
                x = forestParent[x];
            }
            for (int j = levelStart[level]; j < levelStart[level + 1]; j++) {
                int y = members[j];
                if (y == x) {
                    inChild[y] = m;
                } else {
                    int a = memberArc[j];
                    int mm = a % nn;
                    headsOut[mm] = a / nn;
                    inChild[y] = mm;
                }
            }
        }
    }

    private static double infeasible(int[] headsOut, int nn) {
        Arrays.fill(headsOut, 0, nn, -1);
        return NEG;
    }

    private void ensure(int nn) {
        if (cap >= nn) {
            return;
        }
        cap = nn;
        w = new double[nn * nn];
        orig = new int[nn * nn];
        par = new int[nn];
        alive = new boolean[nn];
        inCycle = new boolean[nn];
        slotId = new int[nn];
        mark = new int[nn];
        cycle = new int[nn];
        cycScore = new double[nn];
        forestParent = new int[2 * nn];
        inChild = new int[2 * nn];
        levelStart = new int[nn + 1];
        members = new int[2 * nn];
        memberArc = new int[2 * nn];
        live = new int[nn];
        headScore = new double[nn];
    }
}
