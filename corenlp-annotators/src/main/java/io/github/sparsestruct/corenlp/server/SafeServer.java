package io.github.sparsestruct.corenlp.server;

import com.sun.net.httpserver.HttpServer;
import io.github.sparsestruct.corenlp.InvalidPropertyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server for CoreNLP pipelines with the SparseStruct annotators that is safe to run: it speaks CoreNLP's
 * request protocol (POST the text to {@code /}, optional {@code properties} URL parameter holding a JSON object), but
 * <ul>
 *   <li>binds {@value ServerSettings#DEFAULT_HOST} unless told otherwise ({@code --host}; a non-loopback address is
 *       logged as a warning);</li>
 *   <li>takes models, length limits and every other setting from the operator ({@link ServerSettings}); a request
 *       may only choose among the server's annotators, the output format, {@code output.prettyPrint} and, per
 *       SparseStruct annotator, the decoding, {@code maxAlternatives} (1 to 50), {@code minWeight} and the
 *       annotator's switches; a request that sets any other property gets HTTP 400 naming it (it is not
 *       ignored);</li>
 *   <li>refuses a body over {@code maxRequestBytes} with HTTP 413 before annotating it (judged on
 *       {@code Content-Length} when sent, else while reading);</li>
 *   <li>lowers every SparseStruct annotator's {@code maxSentenceLength} to the hard cap {@code maxSentenceLength}:
 *       the NER and the parser decode a longer sentence in chunks of at most the cap ({@code map}, marked
 *       {@code chunked}); a request running the aligner with a longer sentence gets HTTP 400 (the aligner would
 *       align it whole);</li>
 *   <li>answers a property value our annotators do not accept with HTTP 400 and their message (the property, the
 *       value, the allowed values);</li>
 *   <li>logs, per request, the status, sizes (bytes, characters, sentences, tokens, longest sentence), annotators,
 *       format and time; never the text.</li>
 * </ul>
 * {@code GET /ready} and {@code GET /live} answer 200 for health checks. This class starts and stops the server; the
 * {@link RequestHandler} routes and answers, the {@link AnnotateEndpoint} annotates, the {@link RequestReader} reads
 * within the caps, the {@link PipelineCache} keeps the pipelines and {@link RequestLog} is the log line.
 */
public final class SafeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SafeServer.class);
    /** The longest URL query accepted (the properties); longer: HTTP 414. */
    static final int MAX_QUERY_CHARS = RequestReader.MAX_QUERY_CHARS;

    private final ServerSettings settings;
    private final HttpServer http;
    private final ExecutorService handlers;
    private final ExecutorService workers;
    private final AnnotateEndpoint endpoint;

    private SafeServer(ServerSettings settings) throws IOException {
        this.settings = settings;
        RequestPolicy policy = new RequestPolicy(settings);
        PipelineCache pipelines = new PipelineCache();
        // load and check every model and property now, not on the first request
        Properties all = policy.base();
        all.setProperty("annotators", String.join(",", policy.allowed()));
        try {
            pipelines.pipeline(policy.base());
            pipelines.pipeline(all);
        } catch (RuntimeException e) {
            InvalidPropertyException ours = InvalidPropertyException.find(e);
            throw ours == null ? e : new IllegalArgumentException("server properties: " + ours.getMessage(), e);
        }
        InetAddress address = InetAddress.getByName(settings.host());
        this.http = HttpServer.create(new InetSocketAddress(address, settings.port()), 0);
        this.handlers = Executors.newFixedThreadPool(settings.threads(), threads("sparsestruct-http"));
        this.workers = Executors.newFixedThreadPool(settings.threads(), threads("sparsestruct-annotate"));
        this.endpoint = new AnnotateEndpoint(settings, policy, pipelines, workers);
        http.setExecutor(handlers);
        http.createContext("/", new RequestHandler(endpoint));
        http.start();
        exposure(address).ifPresent(LOG::warn);
        InetSocketAddress bound = address();
        LOG.info("SparseStruct CoreNLP server on http://{}:{}/ (annotators {}; request bodies up to {} bytes; "
                        + "sentences decoded whole up to {} tokens; {} at once; timeout {} ms)",
                bound.getAddress().getHostAddress(), bound.getPort(), String.join(",", policy.allowed()),
                settings.maxRequestBytes(), settings.maxSentenceLength(), settings.threads(),
                settings.timeoutMillis());
    }

    /**
     * Starts a server; the models are loaded and the properties checked before it listens.
     *
     * @throws IllegalArgumentException when a server-side property is not allowed (the message names it)
     * @throws IOException              when the address cannot be bound
     */
    public static SafeServer start(ServerSettings settings) throws IOException {
        return new SafeServer(settings);
    }

    /** The address and port it listens on. */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** The settings it runs with. */
    public ServerSettings settings() {
        return settings;
    }

    /** How many documents it has annotated. */
    public long documentsAnnotated() {
        return endpoint.documentsAnnotated();
    }

    /** The warning for an address that is not loopback, if it is not. */
    static Optional<String> exposure(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Optional.empty();
        }
        String where = address.isAnyLocalAddress() ? "all interfaces (" + address.getHostAddress() + ")"
                : address.getHostAddress() + ", which is not loopback";
        return Optional.of("listening on " + where + ": whoever can reach this port can have text annotated here; "
                + "keep it behind a firewall or an authenticating proxy");
    }

    /** Stops listening and annotating. */
    @Override
    public void close() {
        http.stop(0);
        handlers.shutdownNow();
        workers.shutdownNow();
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(false);
            return t;
        };
    }

    /** The {@code properties} (or {@code props}) URL parameter: a JSON object of strings, numbers or booleans. */
    static Map<String, String> requestProperties(String rawQuery) throws HttpError {
        return RequestReader.properties(rawQuery);
    }

    /** Runs a server until the process is stopped; see {@link ServerSettings#USAGE}. */
    public static void main(String[] args) {
        if (List.of(args).contains("--help")) {
            System.out.println(ServerSettings.USAGE);
            return;
        }
        ServerSettings settings;
        try {
            settings = ServerSettings.parse(args);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("SafeServer: " + e.getMessage());
            System.err.println(ServerSettings.USAGE);
            System.exit(2);
            return;
        }
        try {
            SafeServer server = start(settings);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sparsestruct-server-stop"));
        } catch (IOException | RuntimeException e) {
            InvalidPropertyException ours = InvalidPropertyException.find(e);
            System.err.println("SafeServer: cannot start: " + (ours != null ? ours.getMessage() : e.toString()));
            System.exit(1);
        }
    }
}
