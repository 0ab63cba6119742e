package io.github.sparsestruct.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /v1/annotate, /health and /metrics over real HTTP on loopback, with the bundled fast models. */
class ServerAnnotateTest {
    private static SparseStructServer server;
    private static TestClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(TestServers.config());
        client = new TestClient(server.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void healthAnswers200WithTheServedTasksOnceTheModelsAreLoaded() throws Exception {
        HttpResponse<String> r = client.get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = TestClient.json(r);
        assertThat(j.get("status").asText()).isEqualTo("ok");
        assertThat(j.get("tasks").toString()).isEqualTo("[\"ner\",\"depparse\"]");
        assertThat(j.get("variant").asText()).isEqualTo("fast");
    }

    @Test
    void textGivesTheAlternativesJsonWithWeightsSummingToOne() throws Exception {
        HttpResponse<String> r = client.post("/v1/annotate", TestClient.body(Map.of("id", "doc",
                "text", "I saw the man with the telescope. Apple hired a former Google engineer.")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(r.body()).endsWith("}\n");
        JsonNode j = TestClient.json(r);
        assertThat(j.get("schema").asText()).isEqualTo("sparsestruct-alternatives");
        assertThat(j.get("id").asText()).isEqualTo("doc");
        assertThat(j.get("sentences")).hasSize(2);
        JsonNode first = j.get("sentences").get(0);
        assertThat(first.get("tokens")).hasSize(8);
        double trees = 0;
        for (JsonNode t : first.get("depparse").get("trees")) {
            trees += t.get("weight").asDouble();
        }
        assertThat(trees).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        // the attachment ambiguity is kept: telescope (word 7) has two candidate heads
        long telescopeHeads = 0;
        for (JsonNode a : first.get("depparse").get("arcs")) {
            if (a.get("dependent").asInt() == 7) {
                telescopeHeads++;
            }
        }
        assertThat(telescopeHeads).isGreaterThanOrEqualTo(2);
        double analyses = 0;
        for (JsonNode a : j.get("sentences").get(1).get("ner").get("analyses")) {
            analyses += a.get("weight").asDouble();
        }
        assertThat(analyses).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void theSameRequestGetsTheSameBytes() throws Exception {
        String body = TestClient.body(Map.of("text", "Washington met Jordan in Paris on Monday."));
        String a = client.post("/v1/annotate", body).body();
        String b = client.post("/v1/annotate", body).body();
        assertThat(b).isEqualTo(a);
    }

    @Test
    void pretokenisedSentencesKeepTheirTokens() throws Exception {
        HttpResponse<String> r = client.post("/v1/annotate", TestClient.body(Map.of("sentences",
                List.of(List.of("Alice", "visited", "New", "York", "."), List.of("She", "liked", "it", ".")))));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode s = TestClient.json(r).get("sentences");
        assertThat(s).hasSize(2);
        assertThat(s.get(0).get("tokens").get(2).get("text").asText()).isEqualTo("New");
        assertThat(s.get(1).get("tokens")).hasSize(4);
        assertThat(s.get(1).get("depparse").get("trees").get(0).get("heads")).hasSize(4);
    }

    @Test
    void optionsWithinTheCapsAreHonoured() throws Exception {
        HttpResponse<String> r = client.post("/v1/annotate", TestClient.body(Map.of("tasks", List.of("ner"),
                "decode", "map", "text", "Apple hired a former Google engineer.")));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode s = TestClient.json(r).get("sentences").get(0);
        assertThat(s.has("depparse")).isFalse();
        assertThat(s.get("ner").get("decode").asText()).isEqualTo("map");
        assertThat(s.get("ner").get("analyses")).hasSize(1);
    }

    @Test
    void metricsCountRequestsAndLatencies() throws Exception {
        client.post("/v1/annotate", TestClient.body(Map.of("text", "Paris is nice.")));
        client.post("/v1/annotate", "{\"nope\": 1}");
        JsonNode m = TestClient.json(client.get("/metrics"));
        JsonNode a = m.get("endpoints").get("annotate");
        assertThat(a.get("requests").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(a.get("status").get("2xx").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(a.get("status").get("4xx").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(a.get("latencyMs").get("p99").asDouble()).isGreaterThan(0);
        assertThat(m.get("workers").asInt()).isEqualTo(2);
    }

    @Test
    void theServerBindsLoopbackByDefault() {
        assertThat(ServerConfig.builder().build().host()).isEqualTo("127.0.0.1");
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    }
}
