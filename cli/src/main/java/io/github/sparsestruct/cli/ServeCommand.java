package io.github.sparsestruct.cli;

import io.github.sparsestruct.models.ModelCatalog;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.server.ServerConfig;
import io.github.sparsestruct.server.SparseStructServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/sparsestruct serve}: the HTTP service ({@code POST /v1/annotate}, the INCEpTION recommenders under
 * {@code /inception/ner/} and {@code /inception/depparse/}, {@code GET /health}, {@code GET /metrics}; see
 * {@code docs/server.md}). Loopback unless {@code --host} says otherwise; the bearer token comes from the environment
 * variable {@value #TOKEN_ENV} or from {@code --token-file}, never from the command line itself.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve annotation over HTTP, and as an INCEpTION external recommender.")
public final class ServeCommand implements Callable<Integer> {
    /** The environment variable that holds the bearer token. */
    static final String TOKEN_ENV = "SPARSESTRUCT_SERVER_TOKEN";

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = ServerConfig.DEFAULT_HOST, paramLabel = "ADDR",
            description = "interface to bind (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for every one)")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "port (default 8080; 0: any)")
    int port;

    @Option(names = "--variant", defaultValue = ModelCatalog.DEFAULT_VARIANT, paramLabel = "V",
            description = "variant of the bundled models: fast (default) or accurate")
    String variant;

    @Option(names = "--tasks", split = ",", defaultValue = "ner,depparse", paramLabel = "T",
            description = "tasks to serve: ner, depparse (default both)")
    List<String> tasks;

    @Option(names = "--language", defaultValue = ModelCatalog.DEFAULT_LANGUAGE, paramLabel = "LANG",
            description = "language of the bundled models (default en)")
    String language;

    @Option(names = "--ner-model", defaultValue = ModelRegistry.BUNDLED, paramLabel = "MODEL",
            description = "NER model file (default: the bundled model)")
    String nerModel;

    @Option(names = "--parser-model", defaultValue = ModelRegistry.BUNDLED, paramLabel = "MODEL",
            description = "parser model file (default: the bundled model)")
    String parserModel;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N",
            description = "requests analysed at once (default 2)")
    int threads;

    @Option(names = "--queue", defaultValue = "32", paramLabel = "N",
            description = "requests that may wait for a worker; more get 503 with Retry-After (default 32)")
    int queue;

    @Option(names = "--max-body", defaultValue = "4m", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "largest request body (default 4m); larger: 413")
    long maxBody;

    @Option(names = "--max-sentence-tokens", defaultValue = "250", paramLabel = "N",
            description = "longest sentence accepted, in tokens (default 250); longer: 413")
    int maxSentenceTokens;

    @Option(names = "--max-tokens", defaultValue = "20000", paramLabel = "N",
            description = "most tokens analysed per request (default 20000); more: 413")
    int maxTokens;

    @Option(names = "--max-alternatives", defaultValue = "20", paramLabel = "N",
            description = "most alternatives a request may ask for per sentence (default 20)")
    int maxAlternatives;

    @Option(names = "--time-budget", defaultValue = "30", paramLabel = "SECONDS",
            description = "time from a request's arrival to its answer; past it the answer is 503 (default 30)")
    double timeBudget;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "file holding the bearer token every endpoint but /health asks for (or set "
                    + TOKEN_ENV + "); default: no token")
    Path tokenFile;

    @Option(names = "--suggestion-min-weight", defaultValue = "0.05", paramLabel = "W",
            description = "lightest marginal weight of an INCEpTION suggestion (default 0.05)")
    double suggestionMinWeight;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!(timeBudget > 0)) {
            throw new IllegalArgumentException("--time-budget must be positive, got " + timeBudget);
        }
        ServerConfig config = ServerConfig.builder().host(host).port(port).variant(variant).language(language)
                .tasks(tasks).nerModel(nerModel).parserModel(parserModel).threads(threads).queue(queue)
                .maxBodyBytes(maxBody).maxSentenceTokens(maxSentenceTokens).maxTokens(maxTokens)
                .maxAlternatives(maxAlternatives).timeBudgetMillis(Math.round(timeBudget * 1000))
                .token(token(System.getenv(), tokenFile)).suggestionMinWeight(suggestionMinWeight).build();
        SparseStructServer server = SparseStructServer.start(config);
        out.printf("serving %s (%s; %s) on %s%s; Ctrl-C or SIGTERM stops it after the requests in flight%n",
                String.join(", ", config.tasks()), config.variant(), config.language(), server.uri(),
                config.token() == null ? "" : " (bearer token required)");
        out.flush();
        server.awaitStop();
        return 0;
    }

    /**
     * The bearer token: the environment variable {@value #TOKEN_ENV}, or the first line of {@code file}; both at once
     * is an error, and so is an empty one. Null when neither is given.
     */
    static String token(Map<String, String> env, Path file) throws IOException {
        String fromEnv = env.get(TOKEN_ENV);
        if (fromEnv != null && file != null) {
            throw new IllegalArgumentException("the bearer token is given twice (" + TOKEN_ENV + " and --token-file);"
                    + " give one");
        }
        String t = fromEnv;
        if (file != null) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            t = lines.isEmpty() ? "" : lines.get(0);
        }
        if (t == null) {
            return null;
        }
        t = t.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("the bearer token " + (file != null ? "in " + file : "in " + TOKEN_ENV)
                    + " is empty");
        }
        return t;
    }
}
