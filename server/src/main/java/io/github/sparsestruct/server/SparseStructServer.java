package io.github.sparsestruct.server;

import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.server.inception.InceptionRecommender;
import io.github.sparsestruct.uima.AnnotationPipeline;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SparseStruct HTTP service on Jetty's core server: {@code GET /health}, {@code GET /metrics},
 * {@code POST /v1/annotate} and the INCEpTION external recommenders under {@code /inception/ner/} and
 * {@code /inception/depparse/} (see {@code docs/server.md}). The models are loaded once, after the port is bound
 * ({@code /health} answers 503 until then, 200 after). {@link #close()} (and a JVM shutdown, SIGTERM included) stops
 * gracefully: new requests get 503, requests in flight are finished and answered, then the workers stop. The server
 * keeps no state between requests, so a killed server restarts clean.
 */
public final class SparseStructServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SparseStructServer.class);

    private final ServerConfig config;
    private final Server jetty;
    private final ServerConnector connector;
    private final Metrics metrics = new Metrics();
    private final Admission admission;
    private final AnnotateService annotate;
    private final Map<String, InceptionRecommender> recommenders = new LinkedHashMap<>();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private SparseStructServer(ServerConfig config) {
        this.config = config;
        this.admission = new Admission(config.threads(), config.queue(), metrics);
        AnnotationPipeline base = new AnnotationPipeline(config.tasks(), config.nerModel(), config.parserModel(),
                ModelRegistry.BUNDLED, config.language(), config.variant(), AnalysisOptions.defaults(), "matching",
                "target");
        this.annotate = new AnnotateService(config, base);
        for (String task : config.tasks()) {
            recommenders.put(task, new InceptionRecommender(task, base, config));
        }
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(64, 2 * (config.threads() + config.queue()) + 16));
        threads.setName("sparsestruct-http");
        this.jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(Math.max(30_000, config.timeBudgetMillis() + 5_000));
        jetty.addConnector(connector);
        jetty.setHandler(new GracefulHandler(new ApiHandler(config, metrics, admission, annotate, recommenders,
                ready::get)));
        jetty.setErrorHandler(new JsonErrorHandler());
        // in-flight requests finish within their budget; give them that and a little more
        jetty.setStopTimeout(config.timeBudgetMillis() + 5_000);
        jetty.setStopAtShutdown(true);
        jetty.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
            @Override
            public void lifeCycleStopped(org.eclipse.jetty.util.component.LifeCycle event) {
                try {
                    admission.shutdown(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stopped.countDown();
            }
        });
    }

    /**
     * Binds the port, loads the models (once; a missing or corrupt model fails here) and builds each worker's engines,
     * then returns the running server.
     *
     * @throws Exception when the port cannot be bound or a model cannot be loaded (the server is stopped then)
     */
    public static SparseStructServer start(ServerConfig config) throws Exception {
        SparseStructServer s = new SparseStructServer(config);
        s.jetty.start();
        if (!config.loopback() && config.token() == null) {
            LOG.warn("listening on {} (not loopback) without a bearer token: anyone who can reach the port can use it",
                    config.host());
        }
        try {
            s.annotate.load();
            // every worker builds its engines now, so that the first requests do not wait for them
            Future<?>[] warm = new Future<?>[s.admission.workers()];
            CountDownLatch all = new CountDownLatch(warm.length);
            for (int i = 0; i < warm.length; i++) {
                warm[i] = s.admission.submit(() -> {
                    all.countDown();
                    try {
                        all.await();
                        s.annotate.warmUp();
                        for (InceptionRecommender r : s.recommenders.values()) {
                            r.warmUp();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            for (Future<?> f : warm) {
                f.get();
            }
        } catch (Exception e) {
            s.jetty.stop();
            throw e;
        }
        s.ready.set(true);
        return s;
    }

    /** The port the server listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The server's base URI, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        String h = config.host().contains(":") && !config.host().startsWith("[") ? "[" + config.host() + "]"
                : config.host();
        return URI.create("http://" + h + ":" + port() + "/");
    }

    /** The address the server is bound to. */
    public java.net.InetSocketAddress address() {
        try {
            return (java.net.InetSocketAddress) ((java.nio.channels.ServerSocketChannel) connector.getTransport())
                    .getLocalAddress();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The configuration it runs with. */
    public ServerConfig config() {
        return config;
    }

    /** Its counters. */
    public Metrics metrics() {
        return metrics;
    }

    /** The workers (tests: to hold them busy). */
    Admission admission() {
        return admission;
    }

    /** Blocks until the server has stopped. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops gracefully: finishes the requests in flight, answers new ones 503, then stops the workers. */
    @Override
    public void close() {
        try {
            jetty.stop();
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("the server did not stop cleanly", e);
        }
    }
}
