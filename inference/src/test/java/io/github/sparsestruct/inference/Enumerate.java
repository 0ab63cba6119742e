package io.github.sparsestruct.inference;

import java.util.ArrayList;
import java.util.List;

/** Brute-force enumeration of small structure sets: the oracle the tests compare against. */
public final class Enumerate {
    private Enumerate() {
    }

    /** All S^T tag sequences. */
    public static List<int[]> sequences(int T, int S) {
        List<int[]> out = new ArrayList<>();
        int total = (int) Math.pow(S, T);
        for (int code = 0; code < total; code++) {
            int[] tags = new int[T];
            int c = code;
            for (int t = 0; t < T; t++) {
                tags[t] = c % S;
                c /= S;
            }
            out.add(tags);
        }
        return out;
    }

    /** All dependency trees over n words as head arrays heads[m−1] (0 = root), optionally projective/single-root. */
    public static List<int[]> trees(int n, boolean projective, boolean singleRoot) {
        List<int[]> out = new ArrayList<>();
        int total = (int) Math.pow(n + 1, n);
        for (int code = 0; code < total; code++) {
            int[] h = new int[n];
            int c = code;
            boolean ok = true;
            for (int m = 0; m < n; m++) {
                h[m] = c % (n + 1);
                c /= n + 1;
                if (h[m] == m + 1) {
                    ok = false;
                }
            }
            if (ok && isTree(h) && (!singleRoot || rootChildren(h) == 1) && (!projective || isProjective(h))) {
                out.add(h);
            }
        }
        return out;
    }

    static int rootChildren(int[] h) {
        int r = 0;
        for (int x : h) {
            if (x == 0) {
                r++;
            }
        }
        return r;
    }

    /** Every word reaches the root without a cycle. */
    public static boolean isTree(int[] h) {
        int n = h.length;
        for (int m = 1; m <= n; m++) {
            int cur = m;
            int steps = 0;
            while (cur != 0) {
                cur = h[cur - 1];
                if (++steps > n) {
                    return false;
                }
            }
        }
        return true;
    }

    /** No two arcs cross (arcs drawn above the sentence, root at position 0). */
    public static boolean isProjective(int[] h) {
        int n = h.length;
        for (int a = 1; a <= n; a++) {
            int l1 = Math.min(a, h[a - 1]);
            int r1 = Math.max(a, h[a - 1]);
            for (int b = 1; b <= n; b++) {
                int l2 = Math.min(b, h[b - 1]);
                int r2 = Math.max(b, h[b - 1]);
                if (l1 < l2 && l2 < r1 && r1 < r2) {
                    return false;
                }
            }
        }
        return true;
    }

    /** All one-to-one matchings of min(m, k) pairs, as column-of-row arrays (−1 unmatched). */
    public static List<int[]> matchings(int m, int k) {
        List<int[]> out = new ArrayList<>();
        int size = Math.min(m, k);
        matchRec(0, m, k, new int[m], new boolean[k], 0, size, out);
        return out;
    }

    private static void matchRec(int r, int m, int k, int[] cur, boolean[] used, int matched, int size,
                                 List<int[]> out) {
        if (r == m) {
            if (matched == size) {
                out.add(cur.clone());
            }
            return;
        }
        if (m - r > size - matched) { // this row may stay unmatched
            cur[r] = -1;
            matchRec(r + 1, m, k, cur, used, matched, size, out);
        }
        for (int c = 0; c < k; c++) {
            if (!used[c]) {
                used[c] = true;
                cur[r] = c;
                matchRec(r + 1, m, k, cur, used, matched + 1, size, out);
                used[c] = false;
            }
        }
    }

    /** All monotone alignment paths from (0,0) to (na−1, nb−1) with steps (1,0), (0,1), (1,1), as cells i·nb + j. */
    public static List<int[]> alignments(int na, int nb) {
        List<int[]> out = new ArrayList<>();
        List<Integer> cur = new ArrayList<>();
        cur.add(0);
        pathRec(0, 0, na, nb, cur, out);
        return out;
    }

    private static void pathRec(int i, int j, int na, int nb, List<Integer> cur, List<int[]> out) {
        if (i == na - 1 && j == nb - 1) {
            out.add(cur.stream().mapToInt(Integer::intValue).toArray());
            return;
        }
        int[][] moves = {{1, 0}, {0, 1}, {1, 1}};
        for (int[] mv : moves) {
            int a = i + mv[0];
            int b = j + mv[1];
            if (a < na && b < nb) {
                cur.add(a * nb + b);
                pathRec(a, b, na, nb, cur, out);
                cur.remove(cur.size() - 1);
            }
        }
    }

    /** γ·log Σ exp(x_i/γ), stable; −∞ when all are −∞. */
    public static double logSumExp(double[] x, double gamma) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        if (m == Double.NEGATIVE_INFINITY) {
            return m;
        }
        double s = 0;
        for (double v : x) {
            s += Math.exp((v - m) / gamma);
        }
        return m + gamma * Math.log(s);
    }
}
