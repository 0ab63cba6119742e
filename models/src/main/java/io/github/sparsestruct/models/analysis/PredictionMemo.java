package io.github.sparsestruct.models.analysis;

import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.train.SentenceModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Batching across calls: within a scope opened on a thread, the analyzers keep every prediction their models make,
 * and a later request for the same sentence (same model, same decoding, same tokens) is served from what was kept,
 * once per time it was predicted. A caller that handles documents one at a time through a fixed interface (a UIMA
 * pipeline) first asks for the sentences of a group of documents in one call, so that the model batches them, then
 * runs the documents as usual. Outside a scope nothing is kept; the models themselves know nothing of it.
 *
 * <p>What a scope serves is what the model computed for that sentence in a larger batch; it equals the per-document
 * result up to float rounding (sentences of a batch do not interact).
 */
public final class PredictionMemo implements AutoCloseable {
    private static final ThreadLocal<PredictionMemo> CURRENT = new ThreadLocal<>();
    private final Map<Key, ArrayDeque<Object>> kept = new HashMap<>();
    private final PredictionMemo outer;
    private int served;

    private record Key(Object model, String decoding, List<String> tokens) {
    }

    private PredictionMemo(PredictionMemo outer) {
        this.outer = outer;
    }

    /** Opens a scope on the calling thread (closing it drops what it kept). */
    public static PredictionMemo open() {
        PredictionMemo m = new PredictionMemo(CURRENT.get());
        CURRENT.set(m);
        return m;
    }

    /** The scope open on the calling thread, or null. */
    public static PredictionMemo current() {
        return CURRENT.get();
    }

    /** Predictions served from this scope so far. */
    public int served() {
        return served;
    }

    /**
     * Predictions of sentences through the calling thread's scope, if any: kept ones are served, the others computed
     * in one call and kept.
     *
     * @param model      the predicting model (identity)
     * @param sentences  tokens per sentence
     * @param decodingOf what, besides the tokens, determines sentence i's prediction (the decoding mode, k)
     * @param compute    predicts the sentences at the given indices, in that order
     */
    public static <P> List<P> serve(Object model, List<String[]> sentences, IntFunction<String> decodingOf,
                                    Function<int[], List<P>> compute) {
        PredictionMemo memo = CURRENT.get();
        int n = sentences.size();
        if (memo == null) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return compute.apply(all);
        }
        List<P> out = new ArrayList<>(n);
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            P p = memo.take(model, decodingOf.apply(i), sentences.get(i));
            out.add(p);
            if (p == null) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            int[] idx = missing.stream().mapToInt(Integer::intValue).toArray();
            List<P> got = compute.apply(idx);
            for (int j = 0; j < idx.length; j++) {
                out.set(idx[j], got.get(j));
                memo.keep(model, decodingOf.apply(idx[j]), sentences.get(idx[j]), got.get(j));
            }
        }
        return out;
    }

    /** A model's predictions of sentences through the calling thread's scope, if any (see {@link #serve}). */
    public static <P> List<P> predict(SentenceModel<?, ?, P> model, List<String[]> sentences, Decoding mode) {
        return serve(model, sentences, mode.name(), null, (sub, k) -> model.predict(sub, mode));
    }

    /** Predicts a batch of sentences; {@code k} is null or gives each sentence's k (k-best lists). */
    public interface BatchPredictor<P> {
        /** Predictions of the sentences, in order. */
        List<P> predict(List<String[]> sentences, int[] k);
    }

    /**
     * {@link #serve(Object, List, IntFunction, Function)} for a model's {@code predict(sentences, mode, k)}: the
     * decoding key is the mode's name, or {@code kbest/K} per sentence when {@code k} is given.
     */
    public static <P> List<P> serve(Object model, List<String[]> sentences, String mode, int[] k,
                                    BatchPredictor<P> predictor) {
        return serve(model, sentences, i -> k == null ? mode : "kbest/" + k[i], idx -> {
            List<String[]> sub = new ArrayList<>(idx.length);
            int[] subK = k == null ? null : new int[idx.length];
            for (int j = 0; j < idx.length; j++) {
                sub.add(sentences.get(idx[j]));
                if (subK != null) {
                    subK[j] = k[idx[j]];
                }
            }
            return predictor.predict(sub, subK);
        });
    }

    /** Takes a kept prediction of a sentence, or returns null. */
    public <P> P take(Object model, String decoding, String[] tokens) {
        ArrayDeque<Object> q = kept.get(new Key(model, decoding, Arrays.asList(tokens)));
        if (q == null || q.isEmpty()) {
            return null;
        }
        served++;
        @SuppressWarnings("unchecked")
        P p = (P) q.poll();
        return p;
    }

    /** Keeps a prediction of a sentence. */
    public void keep(Object model, String decoding, String[] tokens, Object prediction) {
        kept.computeIfAbsent(new Key(model, decoding, List.copyOf(Arrays.asList(tokens))), k -> new ArrayDeque<>())
                .add(prediction);
    }

    @Override
    public void close() {
        kept.clear();
        if (CURRENT.get() == this) {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }
}
