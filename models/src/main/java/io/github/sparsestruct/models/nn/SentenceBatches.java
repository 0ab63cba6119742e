package io.github.sparsestruct.models.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The batching of a sentence-level prediction, shared by the models: checks that no sentence is empty, groups the
 * sentences into length buckets ({@link LengthBuckets}), hands each batch (with its sentences' k, where there are)
 * to the model, and puts the predictions back in input order.
 */
public final class SentenceBatches {
    private SentenceBatches() {
    }

    /** A model's prediction of one batch. */
    @FunctionalInterface
    public interface Batch<P> {
        /**
         * Predictions for {@code forms}, in order.
         *
         * @param ks  the batch's k per sentence (k-best), or null
         * @param idx the input position of each of {@code forms} (for per-sentence settings such as constraints)
         */
        List<P> predict(List<String[]> forms, int[] ks, int[] idx);
    }

    /**
     * Predicts every sentence.
     *
     * @param kBest        k per sentence, or null
     * @param extraLength  positions the model adds to each sentence (1 for the parser's root)
     * @param maxSentences the most sentences in a batch
     * @param maxTokens    the most tokens in a batch
     * @param net          the network (on its graph path, native memory is released after each batch)
     * @throws IllegalArgumentException naming the first empty sentence
     */
    public static <P> List<P> predict(List<String[]> sentences, int[] kBest, int extraLength, int maxSentences,
                                      int maxTokens, Network net, Batch<P> batch) {
        for (int i = 0; i < sentences.size(); i++) {
            if (sentences.get(i).length == 0) {
                throw new IllegalArgumentException("sentence " + i + " is empty: the model needs at least one token "
                        + "(analysis.NerAnalyzer / ParseAnalyzer give empty sentences an empty analysis)");
            }
        }
        Object[] out = new Object[sentences.size()];
        int[] lengths = new int[sentences.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = sentences.get(i).length + extraLength;
        }
        for (int[] idx : LengthBuckets.batches(lengths, maxSentences, maxTokens, null)) {
            if (net.inference() == null) {
                NativeMemory.step(); // the graph allocates native arrays per batch; the prediction path does not
            }
            List<String[]> forms = new ArrayList<>(idx.length);
            for (int i : idx) {
                forms.add(sentences.get(i));
            }
            int[] ks = null;
            if (kBest != null) {
                ks = new int[idx.length];
                for (int j = 0; j < idx.length; j++) {
                    ks[j] = kBest[idx[j]];
                }
            }
            List<P> p = batch.predict(forms, ks, idx);
            for (int j = 0; j < idx.length; j++) {
                out[idx[j]] = p.get(j);
            }
        }
        @SuppressWarnings("unchecked")
        List<P> list = (List<P>) Arrays.asList(out);
        return list;
    }
}
