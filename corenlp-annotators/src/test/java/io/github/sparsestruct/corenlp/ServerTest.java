package io.github.sparsestruct.corenlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.stanford.nlp.pipeline.StanfordCoreNLPServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CoreNLP's HTTP server, in process, with our annotators and outputter named in the request's properties. */
class ServerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static StanfordCoreNLPServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Properties props = new Properties();
        // its own shutdown-key file name, so parallel builds on this machine do not clash
        props.setProperty("server_id", "sparsestruct-test-" + ProcessHandle.current().pid());
        props.setProperty("quiet", "true");
        server = new StanfordCoreNLPServer(props, port, 120_000, false);
        server.run();
        assertThat(server.getServer()).isPresent();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.getServer().ifPresent(s -> s.stop(0));
        }
    }

    private static HttpResponse<String> post(Map<String, String> properties, String text) throws Exception {
        String query = URLEncoder.encode(MAPPER.writeValueAsString(properties), StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?properties=" + query))
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("annotators", "tokenize,ssplit,ssner,ssparse");
        p.put("customAnnotatorClass.ssner", SparseStructNerAnnotator.class.getName());
        p.put("customAnnotatorClass.ssparse", SparseStructParserAnnotator.class.getName());
        p.put("ssner.model", Fixtures.nerModel().toString());
        p.put("ssparse.model", Fixtures.parserModel().toString());
        p.put("outputFormat", "custom");
        p.put("customOutputter", SparseStructJsonOutputter.class.getName());
        return p;
    }

    @Test
    void serverAnswersWithCoreNlpJsonAndTheAlternatives() throws Exception {
        String text = "Alice visited New York. The dog saw a cat.";
        HttpResponse<String> r = post(properties(), text);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = MAPPER.readTree(r.body());
        assertThat(json.get("sentences")).hasSize(2);
        assertThat(json.get("sentences").get(0).get("tokens").get(0).get("ner").asText()).isNotEmpty();
        JsonNode alt = json.get("sparsestruct");
        assertThat(alt.get("schema").asText()).isEqualTo("sparsestruct-alternatives");
        JsonNode s0 = alt.get("sentences").get(0);
        assertThat(s0.get("tokens").get(0).get("text").asText()).isEqualTo("Alice");
        double sum = 0;
        for (JsonNode a : s0.get("ner").get("analyses")) {
            sum += a.get("weight").asDouble();
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(alt.get("sentences").get(1).get("depparse").get("trees").get(0).get("heads")).hasSize(6);
    }

    @Test
    void requestPropertiesChooseTheDecoding() throws Exception {
        Map<String, String> p = properties();
        p.put("ssner.decode", "map");
        p.put("ssparse.decode", "marginals");
        JsonNode alt = MAPPER.readTree(post(p, "Bob met Carol.").body()).get("sparsestruct");
        assertThat(alt.get("sentences").get(0).get("ner").get("decode").asText()).isEqualTo("map");
        assertThat(alt.get("sentences").get(0).get("ner").get("analyses")).hasSize(1);
        assertThat(alt.get("sentences").get(0).get("depparse").get("decode").asText()).isEqualTo("marginals");
    }

    @Test
    void aDisallowedValueIsAnErrorResponseNotACrash() throws Exception {
        Map<String, String> p = properties();
        p.put("ssner.decode", "viterbi");
        HttpResponse<String> r = post(p, "Bob met Carol.");
        assertThat(r.statusCode()).isEqualTo(500);
        // and the server still serves the next request
        assertThat(post(properties(), "Bob met Carol.").statusCode()).isEqualTo(200);
    }
}
