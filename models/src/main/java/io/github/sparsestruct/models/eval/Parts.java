package io.github.sparsestruct.models.eval;

import java.util.Arrays;
import java.util.List;

/**
 * Encodes the parts of a structure as {@code long}s for {@link AmbiguityEvaluator}: typed spans for NER, arcs for
 * dependency trees. A structure is the sorted set of its parts; any other task can use its own encoding.
 */
public final class Parts {
    private static final int SPAN_BITS = 21;
    private static final long SPAN_MASK = (1L << SPAN_BITS) - 1;

    private Parts() {
    }

    /** The span {@code [start, end)} of type id {@code type} (each below 2<sup>21</sup>). */
    public static long span(int start, int end, int type) {
        if (start < 0 || end <= start || type < 0 || end > SPAN_MASK || type > SPAN_MASK) {
            throw new IllegalArgumentException("span [" + start + ", " + end + ") type " + type + " out of range");
        }
        return ((long) start << (2 * SPAN_BITS)) | ((long) end << SPAN_BITS) | type;
    }

    /** First token of an encoded span. */
    public static int spanStart(long part) {
        return (int) (part >>> (2 * SPAN_BITS));
    }

    /** One past the last token of an encoded span. */
    public static int spanEnd(long part) {
        return (int) ((part >>> SPAN_BITS) & SPAN_MASK);
    }

    /** Type id of an encoded span. */
    public static int spanType(long part) {
        return (int) (part & SPAN_MASK);
    }

    /** The arc from {@code head} (0 = root) to {@code dep} (1-based word). */
    public static long arc(int head, int dep) {
        if (head < 0 || dep < 1) {
            throw new IllegalArgumentException("arc " + head + " -> " + dep + " out of range");
        }
        return ((long) head << 32) | dep;
    }

    /** Head of an encoded arc. */
    public static int arcHead(long part) {
        return (int) (part >>> 32);
    }

    /** Dependent of an encoded arc. */
    public static int arcDep(long part) {
        return (int) part;
    }

    /** The arcs of a tree given as heads (token i, 0-based, is word i+1; 0 = root), sorted. */
    public static long[] arcs(int[] heads) {
        long[] out = new long[heads.length];
        for (int i = 0; i < heads.length; i++) {
            out[i] = arc(heads[i], i + 1);
        }
        Arrays.sort(out);
        return out;
    }

    /** The entity spans of a tag sequence (conlleval rules), types numbered by their index in {@code types}. */
    public static long[] spans(String[] tags, List<String> types) {
        List<Span> spans = NerEvaluator.spans(tags);
        long[] out = new long[spans.size()];
        for (int i = 0; i < out.length; i++) {
            Span s = spans.get(i);
            int type = types.indexOf(s.type());
            if (type < 0) {
                throw new IllegalArgumentException("entity type '" + s.type() + "' is not among " + types);
            }
            out[i] = span(s.start(), s.end(), type);
        }
        Arrays.sort(out);
        return out;
    }

    /** A sorted copy without duplicates. */
    static long[] canonical(long[] parts) {
        long[] s = parts.clone();
        Arrays.sort(s);
        int k = 0;
        for (int i = 0; i < s.length; i++) {
            if (i == 0 || s[i] != s[i - 1]) {
                s[k++] = s[i];
            }
        }
        return k == s.length ? s : Arrays.copyOf(s, k);
    }

    /** Size of the intersection of two sorted sets. */
    static int common(long[] a, long[] b) {
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length && j < b.length) {
            if (a[i] < b[j]) {
                i++;
            } else if (a[i] > b[j]) {
                j++;
            } else {
                n++;
                i++;
                j++;
            }
        }
        return n;
    }
}
