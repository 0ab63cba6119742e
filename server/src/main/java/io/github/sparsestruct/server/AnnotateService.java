package io.github.sparsestruct.server;

import static org.apache.uima.fit.factory.AnalysisEngineFactory.createEngine;

import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.uima.AlternativesJsonWriter;
import io.github.sparsestruct.uima.AnnotationPipeline;
import io.github.sparsestruct.uima.BatchRunner;
import io.github.sparsestruct.uima.PretokenizedText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.jcas.JCas;
import org.dkpro.core.tokit.BreakIteratorSegmenter;

/**
 * {@code POST /v1/annotate}: a document through the pipeline of {@code bin/sparsestruct annotate} ({@link BatchRunner}
 * with DKPro's {@link BreakIteratorSegmenter} for text, the engines of {@link AnnotationPipeline}, the JSON of
 * {@link AlternativesJsonWriter}), so the same text and options give the same bytes as {@code annotate} writes for a
 * text file of one document. Each worker thread keeps its own engines (per distinct options, the last few).
 */
final class AnnotateService {
    /** Engine sets a worker keeps for requests with other than the default options. */
    private static final int RUNNERS_PER_WORKER = 8;

    private final ServerConfig config;
    private final AnnotationPipeline base;
    private final ThreadLocal<Worker> workers = ThreadLocal.withInitial(Worker::new);

    AnnotateService(ServerConfig config, AnnotationPipeline base) {
        this.config = config;
        this.base = base;
    }

    /** Builds this thread's engines for the default options (so the first request does not pay for it). */
    void warmUp() throws Exception {
        workers.get().runner(base.withOptions(AnalysisOptions.defaults().withLimits(
                AnalysisOptions.DEFAULT_MAX_ALTERNATIVES, AnalysisOptions.DEFAULT_MIN_WEIGHT,
                Math.min(AnalysisOptions.DEFAULT_MAX_SENTENCE_LENGTH, config.maxSentenceTokens()))));
    }

    /** The alternatives JSON of one request (one line and a newline, as {@code annotate} writes it). */
    byte[] annotate(AnnotateRequest r) throws Exception {
        BatchRunner<AnnotateRequest> runner = workers.get().runner(base.withTasks(r.tasks())
                .withOptions(r.options()));
        byte[][] out = new byte[1][];
        runner.annotate(List.of(r), this::load, (d, jcas, error) -> {
            if (error != null) {
                throw translate(error);
            }
            out[0] = (AlternativesJsonWriter.toJson(jcas) + "\n").getBytes(StandardCharsets.UTF_8);
        });
        return out[0];
    }

    /**
     * The request into an empty CAS as {@code annotate} reads a text file (language, metadata) and segments it (with
     * the same segmenter), then checked against the size limits before any model sees it.
     */
    private boolean load(AnnotateRequest r, JCas jcas) throws Exception {
        if (r.sentences() != null) {
            PretokenizedText.fill(jcas, r.id(), config.language(), r.sentences());
            return false;
        }
        jcas.setDocumentText(r.text());
        jcas.setDocumentLanguage(config.language());
        if (r.id() != null) {
            DocumentMetaData m = DocumentMetaData.create(jcas);
            m.setDocumentId(r.id());
            m.setDocumentTitle(r.id());
        }
        workers.get().segmenter.process(jcas);
        SentenceLimits.check(jcas, config.maxSentenceTokens(), config.maxTokens());
        return false;
    }

    /** A document's error as the HTTP error it is: over a limit (413), out of memory (503), else itself. */
    static Exception translate(Exception error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpError h) {
                return h;
            }
        }
        if (error instanceof BatchRunner.OutOfMemory) {
            return HttpError.unavailable("the server ran out of memory on this request; send less text per request",
                    5);
        }
        return error;
    }

    /** One worker thread's segmenter and engines. */
    private static final class Worker {
        private final AnalysisEngine segmenter;
        private final Map<AnnotationPipeline, BatchRunner<AnnotateRequest>> runners =
                new LinkedHashMap<>(16, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<AnnotationPipeline, BatchRunner<AnnotateRequest>> e) {
                        return size() > RUNNERS_PER_WORKER;
                    }
                };

        Worker() {
            try {
                segmenter = createEngine(BreakIteratorSegmenter.class);
            } catch (org.apache.uima.resource.ResourceInitializationException e) {
                throw new IllegalStateException("cannot build DKPro's BreakIteratorSegmenter", e);
            }
        }

        BatchRunner<AnnotateRequest> runner(AnnotationPipeline p) throws Exception {
            BatchRunner<AnnotateRequest> r = runners.get(p);
            if (r == null) {
                AnalysisEngine engines = createEngine(p.engines());
                // one document per batch: no batch analyzers (a sentence's weights may differ in the last digits
                // with the batch it is in, and a reply must not depend on what else the server was asked)
                r = new BatchRunner<>(segmenter, engines, List.of());
                runners.put(p, r);
            }
            return r;
        }
    }

    /** Loads the models of the base pipeline once for the JVM, failing with a clear message. */
    void load() throws IOException {
        base.analyzers();
    }
}
