package io.github.sparsestruct.corenlp.server;

import io.github.sparsestruct.models.analysis.AnalysisOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What the operator of a {@link SafeServer} sets: where it listens, the server-side CoreNLP properties (models,
 * options; requests may not change them), the annotators a request may choose from, and the hard caps.
 *
 * @param host              address to bind; default {@value #DEFAULT_HOST} (loopback only)
 * @param port              port; 0 = any free port
 * @param properties        the server-side CoreNLP properties (a copy is kept)
 * @param annotators        the annotators a request may list (in {@code annotators}); the default pipeline is the
 *                          properties' {@code annotators}
 * @param maxRequestBytes   the largest request body accepted; larger ones get HTTP 413 and are not annotated
 * @param maxSentenceLength hard cap on the tokens a sentence is decoded as a whole: every SparseStruct annotator's
 *                          {@code maxSentenceLength} is lowered to it; longer sentences are decoded in chunks of at
 *                          most this many tokens (NER, parser) or refused (aligner)
 * @param threads           requests annotated at once (more wait)
 * @param timeoutMillis     longest wait for one annotation before HTTP 503
 */
public record ServerSettings(String host, int port, Properties properties, List<String> annotators,
                             int maxRequestBytes, int maxSentenceLength, int threads, int timeoutMillis) {
    /** The default bind address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default port (CoreNLP's). */
    public static final int DEFAULT_PORT = 9000;
    /** The default server-side properties: this class-path resource (the module's ready configuration). */
    public static final String DEFAULT_PROPERTIES = "sparsestruct.properties";
    /** The default request body cap, in bytes. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 20_000;
    /** The default hard cap on a sentence decoded whole (the annotators' own default). */
    public static final int DEFAULT_MAX_SENTENCE_LENGTH = AnalysisOptions.DEFAULT_MAX_SENTENCE_LENGTH;
    /** The default number of requests annotated at once. */
    public static final int DEFAULT_THREADS = 2;
    /** The default annotation timeout, in milliseconds. */
    public static final int DEFAULT_TIMEOUT_MILLIS = 60_000;

    /** The command-line usage. */
    public static final String USAGE = String.join("\n",
            "usage: SafeServer [options]",
            "  --host HOST                 address to bind (default " + DEFAULT_HOST + ", loopback only; a",
            "                              non-loopback address is logged as a warning)",
            "  --port N                    port (default " + DEFAULT_PORT + "; 0 = any free port)",
            "  --props FILE                server-side CoreNLP properties: a file, or a class-path resource",
            "                              (default " + DEFAULT_PROPERTIES + ")",
            "  --property KEY=VALUE        set or override one server-side property (repeatable)",
            "  --annotators A,B,...        annotators a request may choose (default: the properties' annotators)",
            "  --max-request-bytes N       largest request body (default " + DEFAULT_MAX_REQUEST_BYTES
                    + "); larger: HTTP 413",
            "  --max-sentence-length N     hard cap on a sentence decoded whole, in tokens (default "
                    + DEFAULT_MAX_SENTENCE_LENGTH + ")",
            "  --threads N                 requests annotated at once (default " + DEFAULT_THREADS + ")",
            "  --timeout MS                longest annotation before HTTP 503 (default " + DEFAULT_TIMEOUT_MILLIS + ")",
            "  --help                      this text");

    /** Checks the values and keeps copies. */
    public ServerSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port " + port + " is not a port; allowed: 0 to 65535");
        }
        Properties copy = new Properties();
        if (properties != null) {
            copy.putAll(properties);
        }
        properties = copy;
        if (annotators == null || annotators.isEmpty()) {
            annotators = split(copy.getProperty("annotators", ""));
        }
        annotators = List.copyOf(annotators);
        if (annotators.isEmpty()) {
            throw new IllegalArgumentException("no annotators: set 'annotators' in the server properties or "
                    + "--annotators");
        }
        positive("--max-request-bytes", maxRequestBytes);
        positive("--max-sentence-length", maxSentenceLength);
        positive("--threads", threads);
        positive("--timeout", timeoutMillis);
    }

    private static void positive(String flag, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(flag + " " + v + " is not allowed; allowed: an integer >= 1");
        }
    }

    /** The defaults over these server-side properties (loopback, port {@value #DEFAULT_PORT}, default caps). */
    public static ServerSettings of(Properties properties) {
        return new ServerSettings(DEFAULT_HOST, DEFAULT_PORT, properties, null, DEFAULT_MAX_REQUEST_BYTES,
                DEFAULT_MAX_SENTENCE_LENGTH, DEFAULT_THREADS, DEFAULT_TIMEOUT_MILLIS);
    }

    /** The same on another port. */
    public ServerSettings withPort(int p) {
        return new ServerSettings(host, p, properties, annotators, maxRequestBytes, maxSentenceLength, threads,
                timeoutMillis);
    }

    /** The same with other caps. */
    public ServerSettings withCaps(int requestBytes, int sentenceLength) {
        return new ServerSettings(host, port, properties, annotators, requestBytes, sentenceLength, threads,
                timeoutMillis);
    }

    /** The same, letting requests choose among these annotators. */
    public ServerSettings withAnnotators(List<String> allowed) {
        return new ServerSettings(host, port, properties, allowed, maxRequestBytes, maxSentenceLength, threads,
                timeoutMillis);
    }

    /** A copy of the server-side properties. */
    @Override
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /**
     * The settings of a command line (see {@link #USAGE}; {@code --help} is the caller's).
     *
     * @throws IllegalArgumentException naming the flag and what it allows
     */
    public static ServerSettings parse(String... args) {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        String props = null;
        List<String[]> overrides = new ArrayList<>();
        List<String> annotators = null;
        int bytes = DEFAULT_MAX_REQUEST_BYTES;
        int length = DEFAULT_MAX_SENTENCE_LENGTH;
        int threads = DEFAULT_THREADS;
        int timeout = DEFAULT_TIMEOUT_MILLIS;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'; options start with --");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--host" -> host = v;
                case "--port" -> port = integer(a, v);
                case "--props" -> props = v;
                case "--property" -> {
                    int eq = v.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--property " + v + " is not KEY=VALUE");
                    }
                    overrides.add(new String[] {v.substring(0, eq).trim(), v.substring(eq + 1).trim()});
                }
                case "--annotators" -> annotators = split(v);
                case "--max-request-bytes" -> bytes = integer(a, v);
                case "--max-sentence-length" -> length = integer(a, v);
                case "--threads" -> threads = integer(a, v);
                case "--timeout" -> timeout = integer(a, v);
                default -> throw new IllegalArgumentException("unknown option " + a + "; allowed: --host, --port, "
                        + "--props, --property, --annotators, --max-request-bytes, --max-sentence-length, "
                        + "--threads, --timeout, --help");
            }
        }
        Properties p = load(props == null ? DEFAULT_PROPERTIES : props);
        for (String[] kv : overrides) {
            p.setProperty(kv[0], kv[1]);
        }
        return new ServerSettings(host, port, p, annotators, bytes, length, threads, timeout);
    }

    private static int integer(String flag, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " " + v + " is not an integer", e);
        }
    }

    /** The comma-separated names, trimmed, without empty ones. */
    static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** Properties from a file or, when there is no such file, a class-path resource (UTF-8). */
    static Properties load(String location) {
        Properties p = new Properties();
        Path f = Path.of(location);
        try {
            if (Files.isRegularFile(f)) {
                try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                return p;
            }
            try (InputStream in = ServerSettings.class.getClassLoader().getResourceAsStream(location)) {
                if (in == null) {
                    throw new IllegalArgumentException("--props " + location
                            + ": no such file or class-path resource");
                }
                p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the properties " + location, e);
        }
    }
}
