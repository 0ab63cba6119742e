package io.github.sparsestruct.corenlp.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.AnnotationOutputter;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.corenlp.InvalidPropertyException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * {@code GET /ready} and {@code GET /live} answer 200 for health checks.
 */
public final class SafeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SafeServer.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The longest URL query accepted (the properties); longer: HTTP 414. */
    static final int MAX_QUERY_CHARS = 16_384;
    private static final int PIPELINE_CACHE = 16;
    /** CoreNLP's annotator cache grows with each distinct annotator configuration; cleared past this size. */
    private static final int CORENLP_CACHE_LIMIT = 512;
    private static final String FORM = "application/x-www-form-urlencoded";

    private final ServerSettings settings;
    private final RequestPolicy policy;
    private final HttpServer http;
    private final ExecutorService handlers;
    private final ExecutorService workers;
    private final Map<String, StanfordCoreNLP> pipelines = new LinkedHashMap<>(PIPELINE_CACHE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StanfordCoreNLP> eldest) {
            return size() > PIPELINE_CACHE;
        }
    };
    private final AtomicLong annotated = new AtomicLong();

    private SafeServer(ServerSettings settings) throws IOException {
        this.settings = settings;
        this.policy = new RequestPolicy(settings);
        // load and check every model and property now, not on the first request
        Properties all = policy.base();
        all.setProperty("annotators", String.join(",", policy.allowed()));
        try {
            pipeline(policy.base());
            pipeline(all);
        } catch (RuntimeException e) {
            InvalidPropertyException ours = InvalidPropertyException.find(e);
            throw ours == null ? e : new IllegalArgumentException("server properties: " + ours.getMessage(), e);
        }
        InetAddress address = InetAddress.getByName(settings.host());
        this.http = HttpServer.create(new InetSocketAddress(address, settings.port()), 0);
        this.handlers = Executors.newFixedThreadPool(settings.threads(), threads("sparsestruct-http"));
        this.workers = Executors.newFixedThreadPool(settings.threads(), threads("sparsestruct-annotate"));
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
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
        return annotated.get();
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

    /** One line of the request log: sizes and outcome, never text. */
    private static final class Entry {
        String method;
        String path;
        String from;
        int status;
        long bytes = -1;
        int chars = -1;
        int sentences = -1;
        int tokens = -1;
        int longest = -1;
        String annotators;
        String format;
        String error;

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            b.append(method).append(' ').append(path).append(" from ").append(from).append(": ").append(status);
            if (bytes >= 0) {
                b.append(", ").append(bytes).append(" bytes");
            }
            if (chars >= 0) {
                b.append(", ").append(chars).append(" chars");
            }
            if (sentences >= 0) {
                b.append(", ").append(sentences).append(" sentences, ").append(tokens).append(" tokens (longest ")
                        .append(longest).append(')');
            }
            if (annotators != null) {
                b.append(", annotators ").append(annotators);
            }
            if (format != null) {
                b.append(", output ").append(format);
            }
            if (error != null) {
                String e = error.length() > 300 ? error.substring(0, 300) + "..." : error;
                b.append(", refused: ").append(e);
            }
            return b.toString();
        }
    }

    private record Reply(int status, String contentType, byte[] body) {
        static Reply text(int status, String message) {
            return new Reply(status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        long start = System.nanoTime();
        Entry log = new Entry();
        log.method = ex.getRequestMethod();
        log.path = ex.getRequestURI().getRawPath();
        log.from = ex.getRemoteAddress() == null ? "?" : ex.getRemoteAddress().getAddress().getHostAddress();
        Reply reply;
        try {
            reply = route(ex, log);
        } catch (HttpError e) {
            log.error = e.getMessage();
            reply = Reply.text(e.status(), e.getMessage());
        } catch (RuntimeException | IOException e) {
            LOG.error("request failed: {}", e.toString());
            reply = Reply.text(500, "internal error (" + e.getClass().getSimpleName() + "); see the server log");
        }
        log.status = reply.status();
        long ms = (System.nanoTime() - start) / 1_000_000;
        LOG.info("{}, {} ms", log, ms);
        try {
            Headers h = ex.getResponseHeaders();
            h.set("Content-Type", reply.contentType());
            if (reply.status() >= 400) {
                // the body may not have been read
                h.set("Connection", "close");
            }
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(reply.status(), head ? -1 : reply.body().length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        } finally {
            ex.close();
        }
    }

    private Reply route(HttpExchange ex, Entry log) throws HttpError, IOException {
        String path = log.path;
        String method = ex.getRequestMethod();
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (path.equals("/ready") || path.equals("/live")) {
            if (!read) {
                throw new HttpError(405, path + " answers GET");
            }
            return Reply.text(200, path.substring(1));
        }
        if (!path.equals("/")) {
            throw new HttpError(404, "no such path; POST the text to /");
        }
        if (!method.equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            throw new HttpError(405, "POST the text to / (optionally with a properties URL parameter: a JSON "
                    + "object); GET /ready for health checks");
        }
        return annotate(ex, log);
    }

    private Reply annotate(HttpExchange ex, Entry log) throws HttpError, IOException {
        byte[] body = body(ex, log);
        Map<String, String> request = requestProperties(ex.getRequestURI().getRawQuery());
        Properties props = policy.effective(request);
        log.annotators = props.getProperty("annotators");
        log.format = RequestPolicy.formatName(props);
        String text = text(ex.getRequestHeaders(), body);
        log.chars = text.length();
        StanfordCoreNLP pipeline = requestPipeline(props);
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
        sizes(doc, log);
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

    private static void sizes(Annotation doc, Entry log) {
        List<CoreMap> sentences = doc.get(CoreAnnotations.SentencesAnnotation.class);
        List<CoreLabel> tokens = doc.get(CoreAnnotations.TokensAnnotation.class);
        log.sentences = sentences == null ? 0 : sentences.size();
        log.tokens = tokens == null ? 0 : tokens.size();
        log.longest = 0;
        if (sentences != null) {
            for (CoreMap s : sentences) {
                List<CoreLabel> t = s.get(CoreAnnotations.TokensAnnotation.class);
                log.longest = Math.max(log.longest, t == null ? 0 : t.size());
            }
        }
    }

    /** The request body, at most {@code maxRequestBytes}: HTTP 413 otherwise, judged before reading when it can. */
    private byte[] body(HttpExchange ex, Entry log) throws HttpError, IOException {
        int cap = settings.maxRequestBytes();
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "Content-Length '" + length + "' is not a number");
            }
            log.bytes = n;
            if (n > cap) {
                throw tooLarge(n + " bytes", cap);
            }
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(cap + 1);
        }
        if (body.length > cap) {
            log.bytes = body.length;
            throw tooLarge("over " + cap + " bytes", cap);
        }
        log.bytes = body.length;
        return body;
    }

    private static HttpError tooLarge(String size, int cap) {
        return new HttpError(413, "the request body (" + size + ") is over this server's limit of " + cap
                + " bytes; send the text in smaller parts");
    }

    /** The text: the body in the Content-Type's charset (default UTF-8), form-decoded when sent as a form. */
    private static String text(Headers headers, byte[] body) throws HttpError {
        String type = headers.getFirst("Content-Type");
        Charset cs = StandardCharsets.UTF_8;
        String mime = "";
        if (type != null) {
            String[] parts = type.split(";");
            mime = parts[0].trim().toLowerCase(Locale.ROOT);
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                    String name = p.substring("charset=".length()).replace("\"", "").trim();
                    try {
                        cs = Charset.forName(name);
                    } catch (IllegalArgumentException e) {
                        throw new HttpError(400, "Content-Type charset '" + name + "' is not supported");
                    }
                }
            }
        }
        String text = new String(body, cs);
        if (mime.equals(FORM)) {
            // as CoreNLP's server does (curl --data sends this type); send text/plain to keep '+' and '%' as they are
            try {
                text = URLDecoder.decode(text, cs);
            } catch (IllegalArgumentException e) {
                // not form-encoded after all: keep it as sent
            }
        }
        return text;
    }

    /** The {@code properties} (or {@code props}) URL parameter: a JSON object of strings, numbers or booleans. */
    static Map<String, String> requestProperties(String rawQuery) throws HttpError {
        Map<String, String> out = new TreeMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        if (rawQuery.length() > MAX_QUERY_CHARS) {
            throw new HttpError(414, "the URL query is over " + MAX_QUERY_CHARS + " characters");
        }
        String json = null;
        for (String param : rawQuery.split("&")) {
            int eq = param.indexOf('=');
            String name = decode(eq < 0 ? param : param.substring(0, eq));
            if (name.equals("properties") || name.equals("props")) {
                if (json != null) {
                    throw new HttpError(400, "the properties are given twice");
                }
                json = eq < 0 ? "" : decode(param.substring(eq + 1));
            }
        }
        if (json == null || json.isBlank()) {
            return out;
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new HttpError(400, "the properties parameter is not a JSON object: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new HttpError(400, "the properties parameter is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull()) {
                throw new HttpError(400, "property '" + e.getKey() + "' must be a string, number or boolean");
            }
            out.put(e.getKey(), v.asText());
        }
        return out;
    }

    private static String decode(String s) throws HttpError {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "the URL query is not URL-encoded: " + e.getMessage());
        }
    }

    /** The pipeline of a request; a property value our annotators refuse is HTTP 400 with their message. */
    private StanfordCoreNLP requestPipeline(Properties props) throws HttpError {
        try {
            return pipeline(props);
        } catch (RuntimeException e) {
            InvalidPropertyException ours = InvalidPropertyException.find(e);
            if (ours != null) {
                throw new HttpError(400, ours.getMessage());
            }
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IllegalArgumentException && c.getMessage() != null) {
                    // CoreNLP's own checks, e.g. an annotator listed before those it requires
                    throw new HttpError(400, c.getMessage());
                }
            }
            LOG.error("cannot build a pipeline: {}", e.toString());
            throw new HttpError(500, "the pipeline could not be built (" + e.getClass().getSimpleName()
                    + "); see the server log");
        }
    }

    /** The pipeline of these properties, cached. */
    private StanfordCoreNLP pipeline(Properties props) {
        String key = signature(props);
        synchronized (pipelines) {
            StanfordCoreNLP p = pipelines.get(key);
            if (p == null) {
                p = new StanfordCoreNLP(props);
                pipelines.put(key, p);
                if (StanfordCoreNLP.GLOBAL_ANNOTATOR_CACHE.size() > CORENLP_CACHE_LIMIT) {
                    StanfordCoreNLP.clearAnnotatorPool();
                }
            }
            return p;
        }
    }

    private static String signature(Properties props) {
        StringBuilder b = new StringBuilder();
        for (String k : new TreeSet<>(props.stringPropertyNames())) {
            b.append(k).append('=').append(props.getProperty(k)).append('\n');
        }
        return b.toString();
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
