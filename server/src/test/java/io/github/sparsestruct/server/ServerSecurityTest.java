package io.github.sparsestruct.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The optional bearer token: every endpoint but /health asks for it; INCEpTION can carry it in the path. */
class ServerSecurityTest {
    private static final String TOKEN = "s3cret-token-for-tests";
    private static SparseStructServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(TestServers.config().token(TOKEN).tasks(java.util.List.of("ner")));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void withoutTheTokenEveryEndpointButHealthIs401() throws Exception {
        TestClient anonymous = new TestClient(server.uri());
        assertThat(anonymous.get("/health").statusCode()).isEqualTo(200);
        HttpResponse<String> r = anonymous.post("/v1/annotate", TestClient.body(Map.of("text", "Paris.")));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(TestClient.json(r).get("error").asText()).contains("bearer token");
        assertThat(anonymous.get("/metrics").statusCode()).isEqualTo(401);
        assertThat(anonymous.post("/inception/ner/predict", "{}").statusCode()).isEqualTo(401);
        assertThat(anonymous.post("/inception/ner/train", "{}").statusCode()).isEqualTo(401);
    }

    @Test
    void aWrongTokenIs401() throws Exception {
        TestClient wrong = new TestClient(server.uri()).withToken("s3cret-token-for-test");
        HttpResponse<String> r = wrong.post("/v1/annotate", TestClient.body(Map.of("text", "Paris.")));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(TestClient.json(r).get("error").asText()).contains("not this server's");
        assertThat(new TestClient(server.uri()).post("/k/guess/inception/ner/train", "{}").statusCode())
                .isEqualTo(401);
    }

    @Test
    void theRightTokenIsLetThroughInTheHeaderOrInThePath() throws Exception {
        TestClient ok = new TestClient(server.uri()).withToken(TOKEN);
        assertThat(ok.post("/v1/annotate", TestClient.body(Map.of("text", "Paris."))).statusCode()).isEqualTo(200);
        assertThat(ok.get("/metrics").statusCode()).isEqualTo(200);
        // INCEpTION sends no headers of ours: the recommender URL http://host:port/k/TOKEN/inception/ner/
        TestClient inception = new TestClient(server.uri());
        assertThat(inception.post("/k/" + TOKEN + "/inception/ner/train", "{}").statusCode()).isEqualTo(204);
    }

    @Test
    void anUnservedTaskHasNoRecommender() throws Exception {
        TestClient ok = new TestClient(server.uri()).withToken(TOKEN);
        assertThat(ok.post("/inception/depparse/predict", "{}").statusCode()).isEqualTo(404);
        assertThat(ok.post("/v1/annotate", TestClient.body(Map.of("text", "Paris.", "tasks",
                java.util.List.of("depparse")))).statusCode()).isEqualTo(400);
    }
}
