package io.github.sparsestruct.inference.sparsemap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The k highest-scoring structures of a polytope, found with only its MAP oracle by Lawler–Murty partitioning
 * (Lawler 1972): after a structure y with unary parts p_1..p_m is output, its subspace is split into "contains
 * p_1..p_{i−1}, excludes p_i" for each i. Excluded parts get −∞; required parts get a bonus larger than any score
 * difference, so the oracle returns a structure holding all of them whenever one exists. Exact for structure sets in
 * which the unary parts determine the structure (tag sequences, trees, matchings, alignment paths); where structures
 * differ in size ({@link StructuredPolytope#constantSize()} false) the supersets of y get their own branches. Uses
 * at most k·(m+1) oracle calls (k·(dim+1) for varying sizes). The baseline against which SparseMAP supports are compared (k-best lists).
 */
public final class KBest {
    private KBest() {
    }

    /** A ranked structure with its score ⟨η_u, u⟩ + ⟨η_v, v⟩. */
    public record Scored(Structure structure, double score) {
    }

    private record Node(Structure best, double score, int[] required, int[] excluded) {
    }

    /**
     * The k best structures, best first (fewer when fewer exist).
     *
     * @throws IllegalArgumentException on NaN or +∞ scores, or k &lt; 1
     */
    public static List<Scored> kBest(StructuredPolytope polytope, double[] etaU, double[] etaV, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        double bonus = 1.0;
        for (double[] x : new double[][] {etaU, etaV}) {
            if (x == null) {
                continue;
            }
            for (int i = 0; i < x.length; i++) {
                if (Double.isNaN(x[i]) || x[i] == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("k-best score " + i + " is " + x[i]);
                }
                if (x[i] != Double.NEGATIVE_INFINITY) {
                    bonus += 2 * Math.abs(x[i]);
                }
            }
        }
        PriorityQueue<Node> queue = new PriorityQueue<>(
                Comparator.comparingDouble(Node::score).reversed());
        List<Scored> out = new ArrayList<>();
        Node root = solve(polytope, etaU, etaV, new int[0], new int[0], bonus);
        if (root != null) {
            queue.add(root);
        }
        while (!queue.isEmpty() && out.size() < k) {
            Node node = queue.poll();
            out.add(new Scored(node.best(), node.score()));
            if (out.size() == k) {
                break;
            }
            int[] parts = node.best().unary();
            List<Integer> required = new ArrayList<>();
            for (int r : node.required()) {
                required.add(r);
            }
            for (int p : parts) {
                if (Arrays.binarySearch(sortedCopy(node.required()), p) >= 0) {
                    continue;
                }
                int[] excluded = Arrays.copyOf(node.excluded(), node.excluded().length + 1);
                excluded[excluded.length - 1] = p;
                int[] req = required.stream().mapToInt(Integer::intValue).toArray();
                Node child = solve(polytope, etaU, etaV, req, excluded, bonus);
                if (child != null) {
                    queue.add(child);
                }
                required.add(p);
            }
            if (!polytope.constantSize()) {
                // structures holding all of y's parts and more: branch on the first extra part
                int[] sortedParts = sortedCopy(parts);
                int[] excl = node.excluded();
                List<Integer> newlyExcluded = new ArrayList<>();
                for (int q = 0; q < polytope.unaryDim(); q++) {
                    if (Arrays.binarySearch(sortedParts, q) >= 0 || contains(excl, q)) {
                        continue;
                    }
                    int[] req = required.stream().mapToInt(Integer::intValue).toArray();
                    req = Arrays.copyOf(req, req.length + 1);
                    req[req.length - 1] = q;
                    int[] ex = Arrays.copyOf(excl, excl.length + newlyExcluded.size());
                    for (int i = 0; i < newlyExcluded.size(); i++) {
                        ex[excl.length + i] = newlyExcluded.get(i);
                    }
                    Node child = solve(polytope, etaU, etaV, req, ex, bonus);
                    if (child != null) {
                        queue.add(child);
                    }
                    newlyExcluded.add(q);
                }
            }
        }
        return out;
    }

    private static boolean contains(int[] x, int v) {
        for (int a : x) {
            if (a == v) {
                return true;
            }
        }
        return false;
    }

    private static int[] sortedCopy(int[] x) {
        int[] y = x.clone();
        Arrays.sort(y);
        return y;
    }

    private static Node solve(StructuredPolytope polytope, double[] etaU, double[] etaV, int[] required,
                              int[] excluded, double bonus) {
        double[] scores = etaU.clone();
        for (int e : excluded) {
            scores[e] = Double.NEGATIVE_INFINITY;
        }
        for (int r : required) {
            if (scores[r] != Double.NEGATIVE_INFINITY) {
                scores[r] += bonus;
            }
        }
        Structure s = polytope.argmax(scores, etaV);
        if (s == null) {
            return null;
        }
        int[] u = s.unary();
        for (int r : required) {
            if (Arrays.binarySearch(u, r) < 0) {
                return null; // no structure holds every required part while avoiding the excluded ones
            }
        }
        for (int e : excluded) {
            if (Arrays.binarySearch(u, e) >= 0) {
                return null;
            }
        }
        double score = s.score(etaU, etaV);
        if (score == Double.NEGATIVE_INFINITY) {
            return null;
        }
        return new Node(s, score, required, excluded);
    }
}
