package io.github.sparsestruct.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Bounded concurrency, the time budget and graceful shutdown, with the server's one worker held busy by the test (as a
 * long request would hold it).
 */
class ServerSaturationTest {
    private static final String BODY = "{\"text\": \"Paris is nice.\"}";

    @Test
    void aSaturatedServerAnswers503WithRetryAfterAndRecovers() throws Exception {
        try (SparseStructServer server = TestServers.start(TestServers.config().threads(1).queue(0))) {
            TestClient client = new TestClient(server.uri());
            CountDownLatch release = new CountDownLatch(1);
            Future<?> busy = hold(server, release);
            HttpResponse<String> r = client.post("/v1/annotate", BODY);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(TestClient.json(r).get("error").asText()).contains("busy");
            assertThat(server.metrics().rejectedCount()).isEqualTo(1);
            release.countDown();
            busy.get();
            assertThat(client.post("/v1/annotate", BODY).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aRequestThatWaitsPastTheTimeBudgetIs503() throws Exception {
        try (SparseStructServer server = TestServers.start(TestServers.config().threads(1).queue(4)
                .timeBudgetMillis(300))) {
            CountDownLatch release = new CountDownLatch(1);
            Future<?> busy = hold(server, release);
            HttpResponse<String> r = new TestClient(server.uri()).post("/v1/annotate", BODY);
            release.countDown();
            busy.get();
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(TestClient.json(r).get("error").asText()).contains("time budget of 300 ms");
        }
    }

    @Test
    void shutdownFinishesTheRequestsInFlight() throws Exception {
        SparseStructServer server = TestServers.start(TestServers.config().threads(1).queue(4));
        TestClient client = new TestClient(server.uri());
        CountDownLatch release = new CountDownLatch(1);
        Future<?> busy = hold(server, release);
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return client.post("/v1/annotate", BODY);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (server.admission().queued() == 0) {
            Thread.sleep(10);
        }
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
            try {
                server.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        release.countDown();
        busy.get();
        HttpResponse<String> r = inFlight.get();
        closing.get();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestClient.json(r).get("sentences")).hasSize(1);
    }

    /** Holds the server's only worker until {@code release}. */
    private static Future<?> hold(SparseStructServer server, CountDownLatch release) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Future<?> f = server.admission().submit(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        started.await();
        return f;
    }
}
