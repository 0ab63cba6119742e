package io.github.sparsestruct.models.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A padded batch of sentences as the encoder's inputs. Sentences are padded at the end to the longest one (T
 * positions); the words of the batch are also listed once per distinct form for the character model.
 *
 * @param lengths      the B sentence lengths
 * @param words        [B, T] int32 word ids (0 = padding)
 * @param cases        [B, T] int32 {@link CaseFeature} classes (0 = padding)
 * @param chars        [U, maxChars + 2] int32 character ids of the U distinct forms (begin and end markers, padding 0)
 * @param charPenalty  [U, maxChars] 0 for the character windows inside a form, a large negative number elsewhere
 * @param typeIndex    [B·T] int32 index of each position's form among the U (padding positions point at form 0)
 */
public record EncoderBatch(int[] lengths, INDArray words, INDArray cases, INDArray chars, INDArray charPenalty,
                           INDArray typeIndex) {
    /** Number of sentences B. */
    public int size() {
        return lengths.length;
    }

    /** Padded length T. */
    public int maxLength() {
        return (int) words.size(1);
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
