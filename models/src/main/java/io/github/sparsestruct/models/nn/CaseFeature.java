package io.github.sparsestruct.models.nn;

/** The shape of a word's letters, a small categorical feature next to the lowercased word embedding. */
public final class CaseFeature {
    /** Padding. */
    public static final int PAD = 0;
    /** All letters lower case. */
    public static final int LOWER = 1;
    /** Upper-case first letter, the rest lower case. */
    public static final int TITLE = 2;
    /** All letters upper case (at least two letters). */
    public static final int UPPER = 3;
    /** Other mixtures of cases. */
    public static final int MIXED = 4;
    /** Contains a digit. */
    public static final int DIGIT = 5;
    /** No letter and no digit (punctuation, symbols). */
    public static final int OTHER = 6;
    /** Number of classes. */
    public static final int COUNT = 7;

    private CaseFeature() {
    }

    /** The class of a word form. */
    public static int of(String form) {
        int upper = 0;
        int lower = 0;
        boolean digit = false;
        boolean firstUpper = false;
        for (int i = 0; i < form.length(); ) {
            int c = form.codePointAt(i);
            if (Character.isDigit(c)) {
                digit = true;
            } else if (Character.isUpperCase(c) || Character.isTitleCase(c)) {
                if (upper + lower == 0) {
                    firstUpper = true;
                }
                upper++;
            } else if (Character.isLetter(c)) {
                lower++;
            }
            i += Character.charCount(c);
        }
        if (digit) {
            return DIGIT;
        }
        if (upper + lower == 0) {
            return OTHER;
        }
        if (upper == 0) {
            return LOWER;
        }
        if (lower == 0) {
            return upper == 1 ? TITLE : UPPER;
        }
        return firstUpper && upper == 1 ? TITLE : MIXED;
    }
}
