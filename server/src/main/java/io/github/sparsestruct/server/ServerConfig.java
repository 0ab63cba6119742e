package io.github.sparsestruct.server;

import io.github.sparsestruct.models.ModelCatalog;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.uima.AnnotationPipeline;
import java.util.List;
import java.util.Locale;

/**
 * What {@code bin/sparsestruct serve} is started with. Every limit is the server's: a request may ask for less
 * (fewer alternatives, a shorter chunk length) but never for more.
 *
 * @param host                interface to bind ({@code 127.0.0.1} unless told otherwise)
 * @param port                TCP port (0: any free one)
 * @param variant             variant of the bundled models ({@code fast}, {@code accurate})
 * @param language            language of the bundled models
 * @param tasks               tasks whose models are loaded and served ({@code ner}, {@code depparse})
 * @param nerModel            NER model file, or {@code bundled}
 * @param parserModel         parser model file, or {@code bundled}
 * @param threads             requests analysed at once
 * @param queue               requests waiting for a worker; beyond it the server answers 503 with Retry-After
 * @param maxBodyBytes        largest request body
 * @param maxSentenceTokens   longest sentence accepted, in tokens (longer: 413)
 * @param maxTokens           most tokens analysed in one request (more: 413)
 * @param maxAlternatives     most alternatives a request may ask for per sentence
 * @param timeBudgetMillis    time from a request's arrival to its answer; past it: 503
 * @param token               the bearer token every endpoint but {@code /health} asks for, or null for none
 * @param suggestionMinWeight lightest marginal weight of an INCEpTION suggestion
 */
public record ServerConfig(String host, int port, String variant, String language, List<String> tasks,
                           String nerModel, String parserModel, int threads, int queue, long maxBodyBytes,
                           int maxSentenceTokens, int maxTokens, int maxAlternatives, long timeBudgetMillis,
                           String token, double suggestionMinWeight) {
    /** Loopback: a server is reachable from elsewhere only when asked to be. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default port. */
    public static final int DEFAULT_PORT = 8080;
    /** The tasks a server can run. */
    public static final List<String> TASKS = List.of(AnnotationPipeline.NER, AnnotationPipeline.DEPPARSE);

    public ServerConfig {
        tasks = tasks.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).distinct().toList();
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("tasks: give at least one of " + String.join(", ", TASKS));
        }
        for (String t : tasks) {
            if (!TASKS.contains(t)) {
                throw new IllegalArgumentException("unknown task '" + t + "'; the server runs: "
                        + String.join(", ", TASKS));
            }
        }
        positive(threads, "threads");
        if (queue < 0) {
            throw new IllegalArgumentException("queue must be 0 or more, got " + queue);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        positive(maxBodyBytes, "max body size");
        positive(maxSentenceTokens, "max sentence tokens");
        positive(maxTokens, "max tokens");
        positive(maxAlternatives, "max alternatives");
        positive(timeBudgetMillis, "time budget");
        if (!(suggestionMinWeight > 0 && suggestionMinWeight <= 1)) {
            throw new IllegalArgumentException("suggestion min weight must be in (0, 1], got " + suggestionMinWeight);
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the bearer token is empty");
        }
    }

    private static void positive(long v, String what) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + v);
        }
    }

    /** A builder with the defaults of {@code bin/sparsestruct serve}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the server is bound to a loopback address only. */
    public boolean loopback() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /** Builds a {@link ServerConfig}; every field starts at the default of {@code bin/sparsestruct serve}. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String variant = ModelCatalog.DEFAULT_VARIANT;
        private String language = ModelCatalog.DEFAULT_LANGUAGE;
        private List<String> tasks = TASKS;
        private String nerModel = ModelRegistry.BUNDLED;
        private String parserModel = ModelRegistry.BUNDLED;
        private int threads = 2;
        private int queue = 32;
        private long maxBodyBytes = 4L << 20;
        private int maxSentenceTokens = 250;
        private int maxTokens = 20_000;
        private int maxAlternatives = 20;
        private long timeBudgetMillis = 30_000;
        private String token;
        private double suggestionMinWeight = 0.05;

        private Builder() {
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder variant(String v) {
            variant = v;
            return this;
        }

        public Builder language(String v) {
            language = v;
            return this;
        }

        public Builder tasks(List<String> v) {
            tasks = v;
            return this;
        }

        public Builder nerModel(String v) {
            nerModel = v;
            return this;
        }

        public Builder parserModel(String v) {
            parserModel = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder queue(int v) {
            queue = v;
            return this;
        }

        public Builder maxBodyBytes(long v) {
            maxBodyBytes = v;
            return this;
        }

        public Builder maxSentenceTokens(int v) {
            maxSentenceTokens = v;
            return this;
        }

        public Builder maxTokens(int v) {
            maxTokens = v;
            return this;
        }

        public Builder maxAlternatives(int v) {
            maxAlternatives = v;
            return this;
        }

        public Builder timeBudgetMillis(long v) {
            timeBudgetMillis = v;
            return this;
        }

        public Builder token(String v) {
            token = v;
            return this;
        }

        public Builder suggestionMinWeight(double v) {
            suggestionMinWeight = v;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(host, port, variant, language, tasks, nerModel, parserModel, threads, queue,
                    maxBodyBytes, maxSentenceTokens, maxTokens, maxAlternatives, timeBudgetMillis, token,
                    suggestionMinWeight);
        }
    }
}
