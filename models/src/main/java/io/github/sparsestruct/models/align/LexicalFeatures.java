package io.github.sparsestruct.models.align;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Hand-made lexical features of token pairs and of single tokens, the part of the alignment scores a user expects
 * to be there regardless of training data.
 *
 * <p>Pair features (k = 0..{@value #PAIR}−1) of source token i (of m) and target token j (of n), on lower-cased forms
 * unless said otherwise:
 * <ol start="0">
 *   <li>identical form (case-sensitive);</li>
 *   <li>identical lower-cased form;</li>
 *   <li>lemma-like match: not identical lower-cased, but a shared prefix of at least 4 characters covering all of the
 *   shorter word but at most 3 characters of the longer (runs / running, tax / taxes), or a shared 5-prefix;</li>
 *   <li>character-trigram Dice similarity (with word boundary marks);</li>
 *   <li>relative position distance |i/m − j/n| (with i/m := (i + ½)/m);</li>
 *   <li>the left neighbours are identical (or both tokens start their sentence);</li>
 *   <li>the right neighbours are identical (or both tokens end their sentence);</li>
 *   <li>identical, divided by the product of the form's counts in both sentences (1 for a unique match);</li>
 *   <li>both tokens are punctuation (no letter or digit);</li>
 *   <li>identical and short (at most 3 characters: function words, which repeat).</li>
 * </ol>
 * Token features (k = 0..{@value #TOKEN}−1), feeding the null (unaligned) score: the form occurs in the other
 * sentence; the best trigram Dice with any token of the other sentence; punctuation; relative position.
 */
public final class LexicalFeatures {
    /** Number of pair features. */
    public static final int PAIR = 10;
    /** Number of token features. */
    public static final int TOKEN = 4;

    private LexicalFeatures() {
    }

    /**
     * Pair features of two sentences into {@code out} at {@code off + (i·stride + j)·PAIR + k}.
     *
     * @param stride row stride (≥ n; the padded length in batches)
     */
    public static void pairs(String[] a, String[] b, float[] out, int off, int stride) {
        pairs(a, b, out, off, stride, PAIR);
    }

    /**
     * The same with {@code width} ≥ {@value #PAIR} floats per pair (the features at {@code off + (i·stride + j)·width
     * + k}; the rest of each pair's floats are left as they are).
     */
    public static void pairs(String[] a, String[] b, float[] out, int off, int stride, int width) {
        int m = a.length;
        int n = b.length;
        String[] la = lower(a);
        String[] lb = lower(b);
        Map<String, Integer> ca = counts(la);
        Map<String, Integer> cb = counts(lb);
        Set<String>[] ga = grams(la);
        Set<String>[] gb = grams(lb);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int o = off + (i * stride + j) * width;
                boolean lc = la[i].equals(lb[j]);
                out[o] = a[i].equals(b[j]) ? 1f : 0f;
                out[o + 1] = lc ? 1f : 0f;
                out[o + 2] = !lc && lemmaLike(la[i], lb[j]) ? 1f : 0f;
                out[o + 3] = (float) dice(ga[i], gb[j]);
                out[o + 4] = (float) Math.abs((i + 0.5) / m - (j + 0.5) / n);
                out[o + 5] = (i == 0 && j == 0) || (i > 0 && j > 0 && la[i - 1].equals(lb[j - 1])) ? 1f : 0f;
                out[o + 6] = (i == m - 1 && j == n - 1) || (i + 1 < m && j + 1 < n && la[i + 1].equals(lb[j + 1]))
                        ? 1f : 0f;
                out[o + 7] = lc ? 1f / (ca.get(la[i]) * cb.get(lb[j])) : 0f;
                out[o + 8] = punct(a[i]) && punct(b[j]) ? 1f : 0f;
                out[o + 9] = lc && la[i].length() <= 3 ? 1f : 0f;
            }
        }
    }

    /** Token features of sentence {@code a} against {@code other} into {@code out} at {@code off + i·TOKEN + k}. */
    public static void tokens(String[] a, String[] other, float[] out, int off) {
        String[] la = lower(a);
        String[] lo = lower(other);
        Set<String> present = new HashSet<>(java.util.Arrays.asList(lo));
        Set<String>[] ga = grams(la);
        Set<String>[] go = grams(lo);
        for (int i = 0; i < a.length; i++) {
            int o = off + i * TOKEN;
            double best = 0;
            for (Set<String> g : go) {
                best = Math.max(best, dice(ga[i], g));
            }
            out[o] = present.contains(la[i]) ? 1f : 0f;
            out[o + 1] = (float) best;
            out[o + 2] = punct(a[i]) ? 1f : 0f;
            out[o + 3] = (float) ((i + 0.5) / a.length);
        }
    }

    static boolean lemmaLike(String x, String y) {
        int p = 0;
        int max = Math.min(x.length(), y.length());
        while (p < max && x.charAt(p) == y.charAt(p)) {
            p++;
        }
        if (p >= 5) {
            return true;
        }
        int longer = Math.max(x.length(), y.length());
        return p >= 3 && p == max && longer - p <= 3;
    }

    static boolean punct(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (Character.isLetterOrDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static String[] lower(String[] s) {
        String[] out = new String[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i].toLowerCase(Locale.ROOT);
        }
        return out;
    }

    private static Map<String, Integer> counts(String[] s) {
        Map<String, Integer> c = new HashMap<>();
        for (String x : s) {
            c.merge(x, 1, Integer::sum);
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    private static Set<String>[] grams(String[] s) {
        Set<String>[] out = new Set[s.length];
        for (int i = 0; i < s.length; i++) {
            String w = "^" + s[i] + "$";
            Set<String> g = new HashSet<>();
            for (int k = 0; k + 3 <= w.length(); k++) {
                g.add(w.substring(k, k + 3));
            }
            if (g.isEmpty()) {
                g.add(w);
            }
            out[i] = g;
        }
        return out;
    }

    private static double dice(Set<String> x, Set<String> y) {
        Set<String> small = x.size() <= y.size() ? x : y;
        Set<String> big = small == x ? y : x;
        int common = 0;
        for (String g : small) {
            if (big.contains(g)) {
                common++;
            }
        }
        return 2.0 * common / (x.size() + y.size());
    }
}
