package io.github.sparsestruct.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests the server refuses: each a 4xx with a JSON message that says what is wrong, and no stack trace. */
class ServerBadRequestTest {
    private static SparseStructServer server;
    private static TestClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(TestServers.config().maxBodyBytes(64 * 1024).maxSentenceTokens(40)
                .maxTokens(300).maxAlternatives(10));
        client = new TestClient(server.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** The error body: status and message as asked, no stack trace. */
    private static JsonNode error(HttpResponse<String> r, int status, String messagePart) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode j = TestClient.json(r);
        assertThat(j.get("status").asInt()).isEqualTo(status);
        assertThat(j.get("error").asText()).contains(messagePart);
        assertThat(r.body()).doesNotContain("\tat ").doesNotContain("Exception");
        return j;
    }

    @Test
    void brokenJsonIs400() throws Exception {
        error(client.post("/v1/annotate", "{\"text\": \"a"), 400, "not valid JSON");
        error(client.post("/v1/annotate", ""), 400, "empty");
        error(client.post("/v1/annotate", "[1, 2]"), 400, "JSON object");
        error(client.post("/v1/annotate", "{\"text\": \"a\", \"text\": \"b\"}"), 400, "not valid JSON");
    }

    @Test
    void unknownFieldsAndBadValuesAre400NamingThem() throws Exception {
        error(client.post("/v1/annotate", "{\"txt\": \"a\"}"), 400, "unknown field \"txt\"");
        error(client.post("/v1/annotate", "{\"text\": \"a\", \"sentences\": [[\"a\"]]}"), 400, "exactly one");
        error(client.post("/v1/annotate", "{\"text\": 3}"), 400, "\"text\" must be a string");
        error(client.post("/v1/annotate", "{\"text\": \"a\", \"tasks\": [\"coref\"]}"), 400, "not served here");
        error(client.post("/v1/annotate", "{\"text\": \"a\", \"decode\": \"beam\"}"), 400, "\"decode\"");
        // dp_l2 exists for NER only
        error(client.post("/v1/annotate", "{\"text\": \"a\", \"decode\": \"dp_l2\"}"), 400, "\"decode\"");
        error(client.post("/v1/annotate", "{\"text\": \"a\", \"maxAlternatives\": 11}"), 400, "1..10");
        error(client.post("/v1/annotate", "{\"text\": \"a\", \"minWeight\": 1.5}"), 400, "minWeight");
        error(client.post("/v1/annotate", "{\"text\": \"a\", \"maxSentenceLength\": 41}"), 400, "1..40");
    }

    @Test
    void badTokensAre400NamingTheirPlace() throws Exception {
        error(client.post("/v1/annotate", TestClient.body(Map.of("sentences", List.of(List.of("New York", "is"))))),
                400, "sentence 0, token 0");
        error(client.post("/v1/annotate", TestClient.body(Map.of("sentences", List.of(List.of("a"),
                List.of("b", ""))))), 400, "sentence 1, token 1");
        error(client.post("/v1/annotate", "{\"sentences\": [[\"a\", 3]]}"), 400, "sentence 0, token 1");
        error(client.post("/v1/annotate", "{\"sentences\": [\"a b\"]}"), 400, "sentence 0 must be an array");
    }

    @Test
    void anOversizedBodyIs413() throws Exception {
        String big = TestClient.body(Map.of("text", "word ".repeat(20_000)));
        error(client.post("/v1/annotate", big), 413, "at most 65536");
    }

    @Test
    void anOverLongSentenceIs413() throws Exception {
        // as text (the limit is checked after segmentation) and pre-tokenised
        error(client.post("/v1/annotate", TestClient.body(Map.of("text", "word ".repeat(45) + "."))), 413,
                "at most 40 tokens");
        List<String> toks = new ArrayList<>(Collections.nCopies(41, "w"));
        error(client.post("/v1/annotate", TestClient.body(Map.of("sentences", List.of(toks)))), 413,
                "at most 40 tokens");
    }

    @Test
    void tooManyTokensInAllIs413() throws Exception {
        error(client.post("/v1/annotate", TestClient.body(Map.of("text", "One two three four five. ".repeat(60)))),
                413, "at most 300 per request");
    }

    @Test
    void wrongMethodsAndPathsAre405And404() throws Exception {
        HttpResponse<String> r = client.get("/v1/annotate");
        error(r, 405, "use POST");
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        error(client.post("/health", "{}"), 405, "use GET");
        error(client.get("/v2/annotate"), 404, "no such endpoint");
        error(client.post("/inception/coref/predict", "{}"), 404, "no such endpoint");
    }

    @Test
    void jettysOwnErrorsAreJsonToo() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve("/health"))
                .header("X-Padding", "a".repeat(20_000)).GET().build(), HttpResponse.BodyHandlers.ofString());
        error(r, 431, "Request Header Fields Too Large");
    }

    @Test
    void theServerStillAnswersAfterBadRequests() throws Exception {
        assertThat(client.post("/v1/annotate", TestClient.body(Map.of("text", "Paris is nice."))).statusCode())
                .isEqualTo(200);
    }
}
