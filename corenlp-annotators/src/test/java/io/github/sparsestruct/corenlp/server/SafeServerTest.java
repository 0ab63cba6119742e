package io.github.sparsestruct.corenlp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparsestruct.corenlp.Fixtures;
import io.github.sparsestruct.corenlp.SparseStructJsonOutputter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SafeServer} over real HTTP on an ephemeral loopback port, with the tiny models, the shipped
 * {@code sparsestruct.properties}, a 2,000-byte request cap and an 8-token sentence cap.
 */
class SafeServerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_BYTES = 2000;
    private static final int CAP = 8;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static SafeServer server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        ServerSettings settings = ServerSettings.parse("--port", "0",
                "--max-request-bytes", Integer.toString(MAX_BYTES), "--max-sentence-length", Integer.toString(CAP),
                "--annotators", "tokenize,ssplit,ssner,ssparse,ssalign",
                "--property", "ssner.model=" + Fixtures.nerModel(),
                "--property", "ssparse.model=" + Fixtures.parserModel(),
                "--property", "ssalign.model=" + Fixtures.alignModel(),
                // the operator's own value over the hard cap: lowered to it
                "--property", "ssner.maxSentenceLength=100000");
        server = SafeServer.start(settings);
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> post(Map<String, String> properties, String text) throws Exception {
        return send(properties, HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(Map<String, String> properties, HttpRequest.BodyPublisher body)
            throws Exception {
        String query = properties.isEmpty() ? ""
                : "?properties=" + URLEncoder.encode(MAPPER.writeValueAsString(properties), StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/" + query))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "text/plain; charset=utf-8")
                .POST(body).build();
        return CLIENT.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return MAPPER.readTree(r.body());
    }

    @Test
    void itListensOnLoopbackOnlyByDefault() throws Exception {
        assertThat(ServerSettings.parse().host()).isEqualTo("127.0.0.1");
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        int port = server.address().getPort();
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (!a.isLoopbackAddress() && a instanceof Inet4Address) {
                        others.add(a);
                    }
                }
            }
        }
        // this machine's other addresses do not reach it (where it has any)
        for (InetAddress a : others) {
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(a, port), 2000);
                }
            }).as("connecting through %s", a).isInstanceOf(ConnectException.class);
        }
        assertThat(SafeServer.exposure(InetAddress.getLoopbackAddress())).isEmpty();
        assertThat(SafeServer.exposure(InetAddress.getByName("0.0.0.0"))).get().asString()
                .contains("all interfaces");
        assertThat(SafeServer.exposure(InetAddress.getByName("192.0.2.7"))).get().asString()
                .contains("192.0.2.7").contains("not loopback");
    }

    @Test
    void itAnswersWithCoreNlpJsonAndTheAlternatives() throws Exception {
        JsonNode json = json(post(Map.of(), "Alice visited New York. The dog saw a cat."));
        assertThat(json.get("sentences")).hasSize(2);
        assertThat(json.get("sentences").get(0).get("tokens").get(0).get("ner").asText()).isNotEmpty();
        JsonNode alt = json.get(SparseStructJsonOutputter.FIELD);
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
    void aRequestChoosesTheDecodingAnnotatorsAndFormat() throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ssner.decode", "map");
        p.put("ssparse.decode", "marginals");
        p.put("ssner.maxAlternatives", "3");
        JsonNode alt = json(post(p, "Bob met Carol.")).get(SparseStructJsonOutputter.FIELD);
        assertThat(alt.get("sentences").get(0).get("ner").get("decode").asText()).isEqualTo("map");
        assertThat(alt.get("sentences").get(0).get("ner").get("analyses")).hasSize(1);
        assertThat(alt.get("sentences").get(0).get("depparse").get("decode").asText()).isEqualTo("marginals");

        JsonNode core = json(post(Map.of("annotators", "tokenize,ssplit,ssner", "outputFormat", "json"),
                "Bob met Carol."));
        assertThat(core.has(SparseStructJsonOutputter.FIELD)).isFalse();
        assertThat(core.get("sentences").get(0).get("tokens").get(0).has("ner")).isTrue();
        assertThat(core.get("sentences").get(0).has("basicDependencies")).isFalse();

        HttpResponse<String> conllu = post(Map.of("outputFormat", "conllu"), "Bob met Carol.");
        assertThat(conllu.statusCode()).isEqualTo(200);
        assertThat(conllu.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        assertThat(conllu.body()).contains("1\tBob\t");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ssner.model|/etc/passwd",
        "ssparse.model|bundled",
        "ssalign.model|/tmp/crafted.zip",
        "ssner.maxSentenceLength|100000",
        "ssparse.maxSentenceLength|100000",
        "ssalign.maxSentenceLength|100000",
        "sscap.maxTokens|100000",
        "customAnnotatorClass.ssner|io.github.sparsestruct.corenlp.SparseStructNerAnnotator",
        "customAnnotatorClass.evil|java.lang.ProcessBuilder",
        "customOutputter|io.github.sparsestruct.corenlp.SparseStructJsonOutputter",
        "serializer|edu.stanford.nlp.pipeline.GenericAnnotationSerializer",
        "tokenize.options|untokenizable=allKeep",
        "ssplit.isOneSentence|true",
        "ssner.entitymentions.acronyms|true",
        "ner.model|/etc/shadow",
    })
    void aRequestSettingALockedPropertyIsRefusedWith400AndNotAnnotated(String key, String value) throws Exception {
        long before = server.documentsAnnotated();
        HttpResponse<String> r = post(Map.of(key, value), "Bob met Carol.");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("'" + key + "'").contains("does not let a request change")
                .contains("a request may set: annotators").contains("ssner.decode");
        assertThat(server.documentsAnnotated()).isEqualTo(before);
    }

    @Test
    void aRequestMayOnlyChooseTheServersAnnotators() throws Exception {
        HttpResponse<String> r = post(Map.of("annotators", "tokenize,ssplit,pos,ner"), "Bob met Carol.");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("'pos' is not an annotator of this server")
                .contains("allowed: tokenize, ssplit, ssner, ssparse, ssalign");
        HttpResponse<String> order = post(Map.of("annotators", "ssner"), "Bob met Carol.");
        assertThat(order.statusCode()).as(order.body()).isEqualTo(400);
        assertThat(order.body()).doesNotContain("ClassCreationException");
    }

    @Test
    void aBodyOverTheCapIs413AndIsNotAnnotated() throws Exception {
        long before = server.documentsAnnotated();
        String big = "Bob met Carol. ".repeat(MAX_BYTES / 15 + 1);
        assertThat(big.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(MAX_BYTES);
        HttpResponse<String> r = post(Map.of(), big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("limit of " + MAX_BYTES + " bytes");
        // without a Content-Length (chunked): refused while reading
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> streamed = send(Map.of(),
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(streamed.body()).contains("limit of " + MAX_BYTES + " bytes");
        assertThat(server.documentsAnnotated()).isEqualTo(before);
        // at the cap: annotated
        String fits = "Bob met Carol. ".repeat(MAX_BYTES / 15);
        assertThat(post(Map.of(), fits).statusCode()).isEqualTo(200);
        assertThat(server.documentsAnnotated()).isEqualTo(before + 1);
    }

    @Test
    void aSentenceOverTheHardCapIsDecodedInChunksOfAtMostTheCap() throws Exception {
        // 30 tokens, no sentence break; the server's ssner.maxSentenceLength=100000 was lowered to the cap (8)
        String[] words = {"Alice", "saw", "the", "dog", "in", "Paris", "and", "Bob"};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            b.append(words[i % words.length]).append(' ');
        }
        String text = b.toString().trim();
        JsonNode s = json(post(Map.of(), text)).get(SparseStructJsonOutputter.FIELD).get("sentences");
        assertThat(s).hasSize(1);
        assertThat(s.get(0).get("tokens")).hasSize(30);
        JsonNode ner = s.get(0).get("ner");
        assertThat(ner.get("chunked").asBoolean()).isTrue();
        assertThat(ner.get("decode").asText()).isEqualTo("map");
        assertThat(ner.get("analyses").get(0).get("tags")).hasSize(30);
        JsonNode parse = s.get(0).get("depparse");
        assertThat(parse.get("chunked").asBoolean()).isTrue();
        JsonNode heads = parse.get("trees").get(0).get("heads");
        assertThat(heads).hasSize(30);
        int roots = 0;
        for (JsonNode h : heads) {
            roots += h.asInt() == 0 ? 1 : 0;
        }
        assertThat(roots).as("one root per chunk of at most %d tokens", CAP).isEqualTo((30 + CAP - 1) / CAP);
        // a sentence at the cap is decoded whole, with the requested decoding
        JsonNode whole = json(post(Map.of(), "Alice saw the dog in Paris with Bob"))
                .get(SparseStructJsonOutputter.FIELD).get("sentences").get(0);
        assertThat(whole.get("tokens")).hasSize(CAP);
        assertThat(whole.get("ner").get("chunked").asBoolean()).isFalse();
        assertThat(whole.get("ner").get("decode").asText()).isEqualTo("sparsemap");
    }

    @Test
    void theAlignerRefusesASentenceOverTheCapAndAlignsShorterOnes() throws Exception {
        Map<String, String> p = Map.of("annotators", "tokenize,ssplit,ssalign");
        long before = server.documentsAnnotated();
        HttpResponse<String> r = post(p, "The plan cuts funding. Some people said that the plan gives the libraries "
                + "much less money.");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("sentence 1 (0-based) has 13 tokens").contains("at most " + CAP + " tokens")
                .doesNotContain("libraries");
        assertThat(server.documentsAnnotated()).isEqualTo(before);
        JsonNode ok = json(post(p, "The plan cuts funding. The plan gives less money."));
        assertThat(ok.get(SparseStructJsonOutputter.FIELD).get("alignments")).hasSize(1);
    }

    @Test
    void theLogHoldsLengthsNotTheText() throws Exception {
        String text = "Zorblax visited Quuxtown. Then Zorblax left.";
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setErr(tee);
        System.setOut(tee);
        try {
            assertThat(post(Map.of(), text).statusCode()).isEqualTo(200);
            assertThat(post(Map.of("ssner.model", "/etc/passwd"), text).statusCode()).isEqualTo(400);
            assertThat(post(Map.of(), text + " " + "Quuxtown! ".repeat(MAX_BYTES / 10)).statusCode())
                    .isEqualTo(413);
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("POST / from 127.0.0.1: 200, " + bytes + " bytes, " + text.length() + " chars, "
                + "2 sentences, 8 tokens (longest 4), annotators tokenize,ssplit,ssner,ssparse");
        assertThat(log).contains("POST / from 127.0.0.1: 400, " + bytes + " bytes").contains("'ssner.model'");
        assertThat(log).contains("POST / from 127.0.0.1: 413");
        assertThat(log).doesNotContain("Zorblax").doesNotContain("Quuxtown");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ssner.decode|viterbi|ssner.decode = 'viterbi' is not a decoding of this annotator; allowed: map, "
                + "marginals, sparsemap, dp_l2",
        "ssparse.decode|dp_l2|ssparse.decode = 'dp_l2' is not a decoding of this annotator; allowed: map, "
                + "marginals, sparsemap",
        "ssner.minWeight|1.5|ssner.minWeight = '1.5' is out of range; allowed: a number in [0, 1)",
        "ssparse.minWeight|heavy|ssparse.minWeight = 'heavy' is not a number; allowed: a number in [0, 1)",
        "ssner.maxAlternatives|0|ssner.maxAlternatives = '0' is not allowed; allowed: an integer from 1 to 50",
        "ssner.maxAlternatives|5000|ssner.maxAlternatives = '5000' is not allowed; allowed: an integer from 1 to 50",
        "ssner.buildEntityMentions|yes|ssner.buildEntityMentions = 'yes' is not allowed; allowed: true, false",
        "ssparse.pos|maybe|ssparse.pos = 'maybe' is not allowed; allowed: true, false",
        "ssalign.decoder|hungarian|ssalign.decoder = 'hungarian' is not allowed; allowed: matching, sequential",
        "ssalign.pairs|0-x|ssalign.pairs = '0-x': '0-x' is not a pair",
        "outputFormat|serialized|outputFormat = 'serialized' is not allowed; allowed: conll, conllu, json, "
                + "sparsestruct, text, xml",
        "prettyPrint|sometimes|prettyPrint = 'sometimes' is not allowed; allowed: true, false",
        "inputFormat|serialized|inputFormat = 'serialized' is not allowed; allowed: text",
    })
    void aBadPropertyValueGetsOurMessageNotAClassCreationException(String key, String value, String message)
            throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        if (key.startsWith("ssalign")) {
            p.put("annotators", "tokenize,ssplit,ssalign");
        }
        p.put(key, value);
        HttpResponse<String> r = post(p, "Bob met Carol. Carol met Bob.");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains(message).doesNotContain("ClassCreation").doesNotContain("MetaClass")
                .doesNotContain("Exception");
        // and the server still serves the next request
        assertThat(post(Map.of(), "Bob met Carol.").statusCode()).isEqualTo(200);
    }

    @Test
    void malformedPropertiesAreA400() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/?properties=" + URLEncoder.encode("{annotators:",
                StandardCharsets.UTF_8))).POST(HttpRequest.BodyPublishers.ofString("Bob met Carol.")).build();
        HttpResponse<String> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("not a JSON object");
        HttpRequest arr = HttpRequest.newBuilder(URI.create(base + "/?properties=" + URLEncoder.encode(
                "{\"ssner.decode\":[\"map\"]}", StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("Bob met Carol.")).build();
        HttpResponse<String> a = CLIENT.send(arr, HttpResponse.BodyHandlers.ofString());
        assertThat(a.statusCode()).isEqualTo(400);
        assertThat(a.body()).contains("'ssner.decode' must be a string, number or boolean");
        String huge = "{\"ssner.decode\":\"" + "m".repeat(SafeServer.MAX_QUERY_CHARS) + "\"}";
        HttpRequest longQuery = HttpRequest.newBuilder(URI.create(base + "/?properties="
                + URLEncoder.encode(huge, StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("Bob met Carol.")).build();
        assertThat(CLIENT.send(longQuery, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(414);
    }

    @Test
    void aFormEncodedBodyIsDecodedAsCoreNlpsServerDoes() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Bob+met%20Carol.")).build();
        JsonNode json = json(CLIENT.send(req, HttpResponse.BodyHandlers.ofString()));
        JsonNode tokens = json.get(SparseStructJsonOutputter.FIELD).get("sentences").get(0).get("tokens");
        assertThat(tokens).hasSize(4);
        assertThat(tokens.get(2).get("text").asText()).isEqualTo("Carol");
    }

    @Test
    void healthChecksAnswerAndOtherMethodsAndPathsDoNot() throws Exception {
        HttpResponse<String> ready = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/ready")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body().trim()).isEqualTo("ready");
        HttpResponse<String> get = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.body()).contains("POST the text to /");
        HttpResponse<String> other = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/tregex"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(404);
    }

    @Test
    void anAnnotationOverTheTimeoutIs503() throws Exception {
        try (SafeServer slow = SafeServer.start(ServerSettings.parse("--port", "0", "--timeout", "1",
                "--property", "ssner.model=" + Fixtures.nerModel(),
                "--property", "ssparse.model=" + Fixtures.parserModel()))) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slow.address().getPort() + "/"))
                    .POST(HttpRequest.BodyPublishers.ofString("Bob met Carol. ".repeat(130))).build();
            HttpResponse<String> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("timeout of 1 ms");
        }
    }

    @Test
    void aBadServerPropertyStopsTheStartWithOurMessage() {
        assertThatThrownBy(() -> SafeServer.start(ServerSettings.parse("--port", "0",
                "--property", "ssner.model=" + Fixtures.nerModel(),
                "--property", "ssparse.model=" + Fixtures.parserModel(),
                "--property", "ssparse.decode=viterbi")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssparse.decode = 'viterbi'").hasMessageContaining("allowed: map");
    }
}
