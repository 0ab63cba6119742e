package io.github.sparsestruct.models.analysis;

import java.util.List;

/**
 * The dependency analysis of one sentence of n words, ready for an adapter.
 *
 * @param heads    the best tree: {@code heads[i]} is the head of word i+1 (0 = root)
 * @param deprels  relations of the best tree
 * @param upos     predicted universal POS tags
 * @param trees    kept weighted trees, rank 1 first, weights summing to 1
 * @param arcs     candidate arcs with their marginal weight (≥ the minimum weight), by dependent then heaviest first
 * @param decode   the decoding actually used ({@code map} for chunked sentences)
 * @param chunked  whether the sentence was longer than the limit and parsed in chunks (one root per chunk)
 * @param uncertainty how unsure the model is of the best tree
 */
public record ParseAnalysis(int[] heads, String[] deprels, String[] upos, List<Tree> trees, List<Arc> arcs,
                            String decode, boolean chunked, Uncertainty uncertainty) {
    /**
     * One weighted tree.
     *
     * @param rank    1 for the heaviest
     * @param weight  its weight (kept weights sum to 1)
     * @param heads   heads of words 1..n (0 = root)
     * @param deprels relations
     */
    public record Tree(int rank, double weight, int[] heads, String[] deprels) {
    }

    /**
     * A candidate arc.
     *
     * @param head      head word (0 = root)
     * @param dependent dependent word (1-based)
     * @param deprel    the relation of the best tree when the arc is in it, else the relation of the heaviest kept
     *                  tree that holds it, else null
     * @param weight    marginal weight
     */
    public record Arc(int head, int dependent, String deprel, double weight) {
    }
}
