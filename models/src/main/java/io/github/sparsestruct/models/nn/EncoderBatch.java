package io.github.sparsestruct.models.nn;

/**
 * A padded batch of sentences as the encoder's inputs (plain arrays; the encoder turns them into placeholders).
 * Sentences are padded at the end to the longest one (T positions); the distinct forms of the batch are listed once
 * for the character model.
 *
 * @param lengths     the B sentence lengths
 * @param maxLength   T
 * @param words       B·T word ids, row-major (0 = padding)
 * @param cases       B·T {@link CaseFeature} classes (0 = padding)
 * @param types       number U of distinct forms
 * @param chars       U·(maxChars + 2) character ids of the distinct forms (begin and end markers, padding 0)
 * @param charPenalty U·maxChars: 0 for the character windows inside a form, a large negative number elsewhere
 * @param typeIndex   B·T index of each position's form among the U (−1 at padding)
 * @param pretrained  B·T·W pretrained token vectors ({@link PretrainedInput#width()} W per position, zero at padding),
 *                    or null when the encoder reads none
 */
public record EncoderBatch(int[] lengths, int maxLength, int[] words, int[] cases, int types, int[] chars,
                           float[] charPenalty, int[] typeIndex, float[] pretrained) {
    /** A batch without pretrained vectors. */
    public EncoderBatch(int[] lengths, int maxLength, int[] words, int[] cases, int types, int[] chars,
                        float[] charPenalty, int[] typeIndex) {
        this(lengths, maxLength, words, cases, types, chars, charPenalty, typeIndex, null);
    }

    /** Number of sentences B. */
    public int size() {
        return lengths.length;
    }

    /** Number of real (non-padding) tokens. */
    public int tokens() {
        int n = 0;
        for (int l : lengths) {
            n += l;
        }
        return n;
    }
}
