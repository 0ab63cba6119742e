package io.github.sparsestruct.uima;

import io.github.sparsestruct.models.analysis.PredictionMemo;
import io.github.sparsestruct.models.pretrained.EncoderVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.jcas.JCas;

/**
 * The one batching runner for callers that annotate many documents with the SparseStruct engines (the command line,
 * Spark). A group of documents is read and segmented once, each into a CAS of its own; the token forms of all their
 * sentences go through the models in one batch (per model, in a {@link PredictionMemo} scope); then each CAS runs
 * through the engines, which are served those predictions, and is handed to the caller. The engines stay per-CAS
 * UIMA components; only the models see the batch.
 *
 * <p>A document that fails to load, or in the engines, gets its error and the others go on. One instance per thread
 * (it keeps a pool of CASes the size of the largest group).
 *
 * @param <D> what a document is to the caller (a file, an id and a text)
 */
public final class BatchRunner<D> {
    /** Reads a document into an empty CAS; returns whether it still needs segmenting (plain text). */
    @FunctionalInterface
    public interface Loader<D> {
        boolean load(D document, JCas jcas) throws Exception;
    }

    /** Receives each document with its annotated CAS, or with the error that stopped it (then {@code jcas} is null). */
    @FunctionalInterface
    public interface Sink<D> {
        void accept(D document, JCas jcas, Exception error) throws Exception;
    }

    /**
     * Most tokens the analyzers see at once: every analyzer runs on one chunk of the group's sentences before the next
     * chunk, so that a sentence the NER model's pretrained encoder met is still in the encoder's shared memo
     * (8,192 tokens by default) when the parser asks for it, and is encoded once. A smaller memo makes the chunks
     * smaller ({@link #chunkTokens}).
     */
    static final int CHUNK_TOKENS = 2048;

    private final AnalysisEngine segmenter;
    private final AnalysisEngine engines;
    private final List<Function<List<String[]>, ?>> analyzers;
    private final List<JCas> pool = new ArrayList<>();

    /**
     * @param segmenter segments a loaded plain-text document (sentences and tokens)
     * @param engines   the SparseStruct engines (and whatever else runs per document), without a segmenter
     * @param analyzers the analyzers the engines call, as {@code analyze(forms)} functions (their models and options
     *                  must be the engines', or the engines are not served and predict again)
     */
    public BatchRunner(AnalysisEngine segmenter, AnalysisEngine engines, List<Function<List<String[]>, ?>> analyzers) {
        this.segmenter = segmenter;
        this.engines = engines;
        this.analyzers = List.copyOf(analyzers);
    }

    /**
     * Annotates a group of documents and hands each to {@code sink}, in order. The sink runs while the group's CASes
     * are alive; it must not keep a CAS (the next group reuses them).
     *
     * @throws Exception what the sink throws
     */
    public void annotate(List<D> group, Loader<D> loader, Sink<D> sink) throws Exception {
        while (pool.size() < group.size()) {
            pool.add(engines.newJCas());
        }
        Exception[] errors = new Exception[group.size()];
        boolean batch = group.size() > 1 && !analyzers.isEmpty();
        List<String[]> forms = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            JCas jcas = pool.get(i);
            jcas.reset();
            try {
                if (loader.load(group.get(i), jcas)) {
                    segmenter.process(jcas);
                }
                if (batch) {
                    forms.addAll(SentenceForms.of(jcas));
                }
            } catch (Exception e) {
                errors[i] = e;
            } catch (OutOfMemoryError e) {
                jcas.reset();
                errors[i] = new OutOfMemory(e);
            }
        }
        try (PredictionMemo memo = PredictionMemo.open()) {
            if (batch) {
                for (List<String[]> chunk : chunks(forms, chunkTokens(EncoderVectors.memoTokens()))) {
                    for (Function<List<String[]>, ?> a : analyzers) {
                        a.apply(chunk);
                    }
                }
            }
            for (int i = 0; i < group.size(); i++) {
                JCas jcas = pool.get(i);
                if (errors[i] == null) {
                    try {
                        engines.process(jcas);
                    } catch (Exception e) {
                        errors[i] = e;
                    } catch (OutOfMemoryError e) {
                        jcas.reset();
                        errors[i] = new OutOfMemory(e);
                    }
                }
                try {
                    sink.accept(group.get(i), errors[i] == null ? jcas : null, errors[i]);
                } finally {
                    jcas.reset();
                }
            }
        }
    }

    /**
     * The chunk size for an encoder memo of {@code memoTokens} tokens: {@value #CHUNK_TOKENS}, or a quarter of the
     * memo when that is less (a chunk must fit the memo for the second analyzer to find its sentences there; a
     * quarter leaves room for the sentences of the other encoders' and the previous chunk); {@value #CHUNK_TOKENS}
     * without a memo, when every analyzer encodes anyway.
     */
    static int chunkTokens(int memoTokens) {
        return memoTokens <= 0 ? CHUNK_TOKENS : Math.max(1, Math.min(CHUNK_TOKENS, memoTokens / 4));
    }

    /** Consecutive sentences in chunks of at most {@code maxTokens} tokens (a longer sentence is a chunk alone). */
    static List<List<String[]>> chunks(List<String[]> sentences, int maxTokens) {
        List<List<String[]>> out = new ArrayList<>();
        int from = 0;
        long tokens = 0;
        for (int i = 0; i < sentences.size(); i++) {
            int n = sentences.get(i).length;
            if (i > from && tokens + n > maxTokens) {
                out.add(sentences.subList(from, i));
                from = i;
                tokens = 0;
            }
            tokens += n;
        }
        if (from < sentences.size()) {
            out.add(sentences.subList(from, sentences.size()));
        }
        return out;
    }

    /** A document that exhausted the heap: what it held is garbage now, and the run goes on. */
    public static final class OutOfMemory extends Exception {
        private static final long serialVersionUID = 1L;

        public OutOfMemory(OutOfMemoryError e) {
            super("out of memory while annotating it (" + e.getMessage() + "); give the JVM more heap or split the "
                    + "document", e);
        }
    }
}
