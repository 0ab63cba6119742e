package io.github.sparsestruct.corenlp.server;

import com.sun.net.httpserver.HttpExchange;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.AnnotationOutputter;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import io.github.sparsestruct.corenlp.InvalidPropertyException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /}: reads the text and the request's properties within the caps, checks them against the
 * {@link RequestPolicy}, annotates on a worker within the timeout (HTTP 503 past it) and writes the output in the
 * chosen format; a refused value or sentence is HTTP 400, anything else that fails is HTTP 500.
 */
final class AnnotateEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SafeServer.class);

    private final ServerSettings settings;
    private final RequestPolicy policy;
    private final PipelineCache pipelines;
    private final ExecutorService workers;
    private final AtomicLong annotated = new AtomicLong();

    AnnotateEndpoint(ServerSettings settings, RequestPolicy policy, PipelineCache pipelines, ExecutorService workers) {
        this.settings = settings;
        this.policy = policy;
        this.pipelines = pipelines;
        this.workers = workers;
    }

    /** How many documents it has annotated. */
    long documentsAnnotated() {
        return annotated.get();
    }

    Reply annotate(HttpExchange ex, RequestLog log) throws HttpError, IOException {
        byte[] body = RequestReader.body(ex, settings.maxRequestBytes(), log);
        Map<String, String> request = RequestReader.properties(ex.getRequestURI().getRawQuery());
        Properties props = policy.effective(request);
        log.annotators = props.getProperty("annotators");
        log.format = RequestPolicy.formatName(props);
        String text = RequestReader.text(ex.getRequestHeaders(), body);
        log.chars = text.length();
        StanfordCoreNLP pipeline = pipelines.forRequest(props);
        Annotation doc = new Annotation(text);
        Future<?> job = workers.submit(() -> pipeline.annotate(doc));
        try {
            job.get(settings.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            job.cancel(true);
            throw new HttpError(503, "the annotation took longer than this server's timeout of "
                    + settings.timeoutMillis() + " ms; send a shorter text");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.cancel(true);
            throw new HttpError(503, "the server is stopping");
        } catch (ExecutionException e) {
            throw annotationFailure(e.getCause());
        }
        annotated.incrementAndGet();
        log.sizes(doc);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            StanfordCoreNLP.createOutputter(props, AnnotationOutputter.getOptions(props)).accept(doc, out);
        } catch (RuntimeException e) {
            LOG.error("output failed: {}", e.toString());
            throw new HttpError(500, "the output could not be written (" + e.getClass().getSimpleName() + ")");
        }
        return new Reply(200, contentType(props), out.toByteArray());
    }

    private static HttpError annotationFailure(Throwable cause) {
        if (cause instanceof SentenceCapAnnotator.SentenceTooLongException e) {
            return new HttpError(400, e.getMessage());
        }
        InvalidPropertyException ours = InvalidPropertyException.find(cause);
        if (ours != null) {
            return new HttpError(400, ours.getMessage());
        }
        LOG.error("annotation failed: {}", String.valueOf(cause));
        return new HttpError(500, "the annotation failed (" + (cause == null ? "?" : cause.getClass().getSimpleName())
                + "); see the server log");
    }

    private static String contentType(Properties props) {
        String f = props.getProperty("outputFormat", "").trim().toLowerCase(Locale.ROOT);
        String type = switch (f) {
            case "json", "custom" -> "application/json";
            case "xml" -> "text/xml";
            default -> "text/plain";
        };
        return type + "; charset=" + props.getProperty("encoding", "utf-8").toLowerCase(Locale.ROOT);
    }
}
