package io.github.sparsestruct.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A real HTTP client (java.net.http) for the tests: requests to a started server on loopback. */
public final class TestClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private String token;

    public TestClient(URI base) {
        this.base = base;
    }

    /** Sends {@code Authorization: Bearer token} from now on (null: none). */
    public TestClient withToken(String t) {
        token = t;
        return this;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(builder(path).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return postBytes(path, body.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> postBytes(String path, byte[] body) throws IOException, InterruptedException {
        return http.send(builder(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A JSON body as a tree. */
    public static JsonNode json(HttpResponse<String> r) throws IOException {
        return MAPPER.readTree(r.body());
    }

    /** A JSON value as a request body. */
    public static String body(Object value) throws IOException {
        return MAPPER.writeValueAsString(value);
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }
}
