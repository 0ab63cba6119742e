package io.github.sparsestruct.models.analysis;

import io.github.sparsestruct.inference.dp.DtwOmega;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.models.align.TokenPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Aligns the sentences of two documents monotonically, then the words inside each aligned sentence pair.
 *
 * <p>Sentence costs. C[a][b] = 1 − cos(x_a, y_b), where x_a is the bag of lower-cased word forms of sentence a (raw
 * counts, punctuation-only tokens left out); an empty sentence has cost 1 against everything. Bags of words need no
 * model and make a split or merged sentence cheap against each of its parts, which is what sentence alignment of two
 * versions of a text needs. With a word aligner that reads a pretrained (multilingual) encoder, the costs come
 * from it instead ({@link io.github.sparsestruct.models.align.AlignModel#sentenceCosts}), so that translations align.
 *
 * <p>Alignment. DTW over C (moves (1,0), (0,1), (1,1) from the first to the last sentence pair, {@link DtwOmega}):
 * the hard least-cost path (a sentence split in two appears as one sentence aligned with two consecutive ones), and
 * DTW_Ω with Ω = (γ/2)‖·‖², whose gradient is the expected alignment matrix: a sparse weighted alignment whose
 * non-zero cells are the sentence pairs on near-optimal paths (γ sets how near). With a word aligner, the words of
 * every sentence pair on the hard path are aligned with it.
 */
public final class DocumentAligner {
    private final AlignAnalyzer words;
    private final double gamma;

    /**
     * A sentence aligner.
     *
     * @param words the word aligner for the aligned sentence pairs, or null for sentence alignment only
     * @param gamma strength γ &gt; 0 of the ℓ2 regularisation of the weighted alignment (costs are in [0, 1]; 0.1 keeps
     *              paths within a few hundredths of the best)
     */
    public DocumentAligner(AlignAnalyzer words, double gamma) {
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("gamma must be positive, got " + gamma);
        }
        this.words = words;
        this.gamma = gamma;
    }

    /**
     * A sentence pair on the alignment.
     *
     * @param source sentence index in the first document
     * @param target sentence index in the second document
     * @param weight its weight in the regularised alignment (expected alignment matrix entry)
     * @param words  the word alignment (null without a word aligner or for the weighted-only pairs)
     */
    public record SentenceLink(int source, int target, double weight, AlignAnalysis words) {
    }

    /**
     * The result.
     *
     * @param sourceSentences sentences of the first document
     * @param targetSentences sentences of the second document
     * @param costs           the NA×NB cost matrix, row-major
     * @param path            the hard DTW path, in order, with word alignments
     * @param weighted        every sentence pair with a non-zero weight in the ℓ2-regularised alignment, row-major
     * @param pathCost        the hard path's total cost
     */
    public record Result(int sourceSentences, int targetSentences, double[] costs, List<SentenceLink> path,
                         List<SentenceLink> weighted, double pathCost) {
    }

    /**
     * Aligns two documents given as sentences of token forms.
     *
     * @throws IllegalArgumentException when a document has no sentence
     */
    public Result align(List<String[]> a, List<String[]> b) {
        if (a.isEmpty() || b.isEmpty()) {
            throw new IllegalArgumentException("both documents need at least one sentence, got " + a.size() + " and "
                    + b.size());
        }
        int na = a.size();
        int nb = b.size();
        double[] c = words == null ? null : words.model().sentenceCosts(a, b);
        if (c == null) {
            c = costs(a, b);
        }
        List<int[]> cells = new ArrayList<>();
        double cost = new DtwOmega(SmoothedMax.hard()).decode(c, na, nb, cells);
        double[] grad = new double[na * nb];
        new DtwOmega(SmoothedMax.squaredL2(gamma)).gradient(c, na, nb, grad);
        List<AlignAnalysis> wa = null;
        if (words != null) {
            List<TokenPair> pairs = new ArrayList<>();
            for (int[] cell : cells) {
                pairs.add(new TokenPair(a.get(cell[0]), b.get(cell[1])));
            }
            wa = words.analyze(pairs);
        }
        List<SentenceLink> path = new ArrayList<>();
        for (int k = 0; k < cells.size(); k++) {
            int[] cell = cells.get(k);
            path.add(new SentenceLink(cell[0], cell[1], grad[cell[0] * nb + cell[1]], wa == null ? null : wa.get(k)));
        }
        List<SentenceLink> weighted = new ArrayList<>();
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                if (grad[i * nb + j] > 1e-12) {
                    weighted.add(new SentenceLink(i, j, grad[i * nb + j], null));
                }
            }
        }
        return new Result(na, nb, c, List.copyOf(path), List.copyOf(weighted), cost);
    }

    /** The cost matrix 1 − cosine of bags of lower-cased words (see the class comment). */
    public static double[] costs(List<String[]> a, List<String[]> b) {
        List<Map<String, Integer>> ba = bags(a);
        List<Map<String, Integer>> bb = bags(b);
        double[] c = new double[a.size() * b.size()];
        for (int i = 0; i < ba.size(); i++) {
            for (int j = 0; j < bb.size(); j++) {
                c[i * bb.size() + j] = 1 - cosine(ba.get(i), bb.get(j));
            }
        }
        return c;
    }

    private static List<Map<String, Integer>> bags(List<String[]> doc) {
        List<Map<String, Integer>> out = new ArrayList<>();
        for (String[] s : doc) {
            Map<String, Integer> bag = new HashMap<>();
            for (String t : s) {
                if (t.codePoints().anyMatch(Character::isLetterOrDigit)) {
                    bag.merge(t.toLowerCase(Locale.ROOT), 1, Integer::sum);
                }
            }
            out.add(bag);
        }
        return out;
    }

    private static double cosine(Map<String, Integer> x, Map<String, Integer> y) {
        if (x.isEmpty() || y.isEmpty()) {
            return 0;
        }
        double dot = 0;
        for (Map.Entry<String, Integer> e : x.entrySet()) {
            Integer v = y.get(e.getKey());
            if (v != null) {
                dot += (double) e.getValue() * v;
            }
        }
        return dot / (norm(x) * norm(y));
    }

    private static double norm(Map<String, Integer> x) {
        double s = 0;
        for (int v : x.values()) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }
}
