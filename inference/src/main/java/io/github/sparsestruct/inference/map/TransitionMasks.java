package io.github.sparsestruct.inference.map;

import java.util.Arrays;

/**
 * Legal-transition masks of a span-tagging scheme, built from tag names: {@code O}, and {@code P-TYPE} with prefix
 * P in {B, I} (BIO) or {B, I, E, S} (IOBES). Rules:
 * <ul>
 *   <li>BIO: {@code I-X} may only follow {@code B-X} or {@code I-X} and cannot start a sequence; anything may
 *   end one.</li>
 *   <li>IOBES: after {@code B-X} or {@code I-X} only {@code I-X} or {@code E-X} may come; after {@code O},
 *   {@code E-X} or {@code S-X} only {@code O}, {@code B-Y} or {@code S-Y}; a sequence starts with {@code O},
 *   {@code B-} or {@code S-} and ends with {@code O}, {@code E-} or {@code S-}.</li>
 * </ul>
 * Masks are {@code allowed[a·S + b]} (tag b may follow tag a), {@code allowedStart[s]} and {@code allowedEnd[s]},
 * in the order of the tag names given. Immutable; accessors return copies.
 */
public final class TransitionMasks {
    /** A span-tagging scheme. */
    public enum Scheme {
        /** Begin / inside / outside. */
        BIO,
        /** Inside / outside / begin / end / single. */
        IOBES
    }

    private final int numTags;
    private final boolean[] allowed;
    private final boolean[] allowedStart;
    private final boolean[] allowedEnd;

    private TransitionMasks(int numTags, boolean[] allowed, boolean[] allowedStart, boolean[] allowedEnd) {
        this.numTags = numTags;
        this.allowed = allowed;
        this.allowedStart = allowedStart;
        this.allowedEnd = allowedEnd;
    }

    /** Masks of the BIO scheme for the given tag names. */
    public static TransitionMasks bio(String... tags) {
        return of(Scheme.BIO, tags);
    }

    /** Masks of the IOBES scheme for the given tag names. */
    public static TransitionMasks iobes(String... tags) {
        return of(Scheme.IOBES, tags);
    }

    /**
     * Masks of {@code scheme} for the given tag names.
     *
     * @throws IllegalArgumentException if a tag name is not valid in the scheme
     */
    public static TransitionMasks of(Scheme scheme, String... tags) {
        if (scheme == null || tags == null) {
            throw new IllegalArgumentException("scheme and tags must not be null");
        }
        int s = tags.length;
        char[] prefix = new char[s];
        String[] type = new String[s];
        for (int i = 0; i < s; i++) {
            parse(scheme, tags[i], i, prefix, type);
        }
        boolean[] allowed = new boolean[s * s];
        boolean[] start = new boolean[s];
        boolean[] end = new boolean[s];
        for (int b = 0; b < s; b++) {
            char pb = prefix[b];
            if (scheme == Scheme.BIO) {
                start[b] = pb != 'I';
                end[b] = true;
            } else {
                start[b] = pb == 'O' || pb == 'B' || pb == 'S';
                end[b] = pb == 'O' || pb == 'E' || pb == 'S';
            }
            for (int a = 0; a < s; a++) {
                allowed[a * s + b] = follows(scheme, prefix[a], type[a], pb, type[b]);
            }
        }
        return new TransitionMasks(s, allowed, start, end);
    }

    private static boolean follows(Scheme scheme, char pa, String ta, char pb, String tb) {
        if (scheme == Scheme.BIO) {
            return pb != 'I' || ((pa == 'B' || pa == 'I') && ta.equals(tb));
        }
        boolean open = pa == 'B' || pa == 'I';
        boolean continues = pb == 'I' || pb == 'E';
        return open ? continues && ta.equals(tb) : !continues;
    }

    private static void parse(Scheme scheme, String tag, int i, char[] prefix, String[] type) {
        if (tag == null) {
            throw new IllegalArgumentException("tag " + i + " is null");
        }
        if (tag.equals("O")) {
            prefix[i] = 'O';
            type[i] = "";
            return;
        }
        String valid = scheme == Scheme.BIO ? "BI" : "BIES";
        if (tag.length() < 3 || tag.charAt(1) != '-' || valid.indexOf(tag.charAt(0)) < 0) {
            throw new IllegalArgumentException("tag " + i + " '" + tag + "' is not O or one of " + valid
                    + " followed by '-' and a type in the " + scheme + " scheme");
        }
        prefix[i] = tag.charAt(0);
        type[i] = tag.substring(2);
    }

    /** Number of tags S. */
    public int numTags() {
        return numTags;
    }

    /** Copy of the S·S mask: {@code allowed[a·S + b]} is true when tag b may directly follow tag a. */
    public boolean[] allowed() {
        return allowed.clone();
    }

    /** Copy of the S mask of tags that may start a sequence. */
    public boolean[] allowedStart() {
        return allowedStart.clone();
    }

    /** Copy of the S mask of tags that may end a sequence. */
    public boolean[] allowedEnd() {
        return allowedEnd.clone();
    }

    /** S·S additive transition penalties: 0 where allowed, -∞ where forbidden. */
    public double[] transitionPenalties() {
        return penalties(allowed);
    }

    /** S additive start penalties: 0 where allowed, -∞ where forbidden. */
    public double[] startPenalties() {
        return penalties(allowedStart);
    }

    /** S additive end penalties: 0 where allowed, -∞ where forbidden. */
    public double[] endPenalties() {
        return penalties(allowedEnd);
    }

    /** Whether {@code tags} (indices into the tag names) is a legal sequence of at least one tag. */
    public boolean isLegal(int[] tags) {
        if (tags == null || tags.length == 0) {
            return false;
        }
        for (int t : tags) {
            if (t < 0 || t >= numTags) {
                return false;
            }
        }
        if (!allowedStart[tags[0]] || !allowedEnd[tags[tags.length - 1]]) {
            return false;
        }
        for (int t = 1; t < tags.length; t++) {
            if (!allowed[tags[t - 1] * numTags + tags[t]]) {
                return false;
            }
        }
        return true;
    }

    /** Additive penalties of a mask: 0 where {@code mask} is true, -∞ where false (a new array). */
    public static double[] penalties(boolean[] mask) {
        double[] out = new double[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = mask[i] ? 0 : Double.NEGATIVE_INFINITY;
        }
        return out;
    }

    /** Sets {@code scores[off + i]} to -∞ wherever {@code mask[i]} is false, in place. */
    public static void applyMask(boolean[] mask, double[] scores, int off) {
        for (int i = 0; i < mask.length; i++) {
            if (!mask[i]) {
                scores[off + i] = Double.NEGATIVE_INFINITY;
            }
        }
    }

    @Override
    public String toString() {
        return "TransitionMasks[S=" + numTags + ", start=" + Arrays.toString(allowedStart) + ", end="
                + Arrays.toString(allowedEnd) + "]";
    }
}
