package io.github.sparsestruct.server.inception;

import static io.github.sparsestruct.server.inception.InceptionFixtures.NAMED_ENTITY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.server.SparseStructServer;
import io.github.sparsestruct.server.TestClient;
import io.github.sparsestruct.server.TestServers;
import java.net.http.HttpResponse;
import org.apache.uima.cas.CAS;
import org.apache.uima.cas.text.AnnotationFS;
import org.apache.uima.fit.util.CasUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Recommender requests the server refuses, each with a 4xx and a message naming the problem. */
class ServerInceptionBadRequestTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TEXT = "Apple hired a former Google engineer.";
    private static SparseStructServer server;
    private static TestClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(TestServers.config().maxSentenceTokens(30).maxBodyBytes(2L << 20));
        client = new TestClient(server.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static ObjectNode valid() throws Exception {
        return (ObjectNode) MAPPER.readTree(InceptionFixtures.request(NAMED_ENTITY, "value", TEXT, null).body());
    }

    private static void refused(Object body, int status, String messagePart) throws Exception {
        HttpResponse<String> r = client.post("/inception/ner/predict",
                body instanceof String s ? s : MAPPER.writeValueAsString(body));
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(TestClient.json(r).get("error").asText()).contains(messagePart);
        assertThat(r.body()).doesNotContain("\tat ");
    }

    @Test
    void brokenXmiIs400() throws Exception {
        ObjectNode b = valid();
        String xmi = b.get("document").get("xmi").asText();
        ((ObjectNode) b.get("document")).put("xmi", xmi.substring(0, xmi.length() / 2));
        refused(b, 400, "document.xmi is not a readable XMI CAS");
        ((ObjectNode) b.get("document")).put("xmi", "not xml at all");
        refused(b, 400, "document.xmi");
    }

    @Test
    void anUnknownLayerOrFeatureIs400() throws Exception {
        ObjectNode b = valid();
        ((ObjectNode) b.get("metadata")).put("layer", "webanno.custom.Nowhere");
        refused(b, 400, "layer webanno.custom.Nowhere is not a type of the request's typeSystem");
        b = valid();
        ((ObjectNode) b.get("metadata")).put("feature", "colour");
        refused(b, 400, "no string feature 'colour'");
        ObjectNode dep = (ObjectNode) MAPPER.readTree(InceptionFixtures.request(InceptionFixtures.DEPENDENCY,
                "DependencyType", TEXT, null).body());
        refused(dep, 400, "is a relation layer");
    }

    @Test
    void missingMembersAre400() throws Exception {
        ObjectNode b = valid();
        b.remove("typeSystem");
        refused(b, 400, "\"typeSystem\"");
        b = valid();
        b.remove("document");
        refused(b, 400, "\"document\"");
        b = valid();
        ((ObjectNode) b.get("metadata")).putObject("range").put("begin", 10).put("end", 2);
        refused(b, 400, "metadata.range");
        refused("{\"metadata\": ", 400, "not valid JSON");
    }

    @Test
    void aDocumentWithoutTokensIs422() throws Exception {
        InceptionFixtures.Request req = InceptionFixtures.request(NAMED_ENTITY, "value", TEXT, cas -> {
            for (AnnotationFS t : CasUtil.select(cas, cas.getTypeSystem().getType(InceptionFixtures.TOKEN))
                    .stream().toList()) {
                cas.removeFsFromIndexes(t);
            }
        });
        refused(req.body(), 422, "has no de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token annotations");
        InceptionFixtures.Request noSentences = InceptionFixtures.request(NAMED_ENTITY, "value", TEXT, cas -> {
            for (AnnotationFS t : CasUtil.select(cas, cas.getTypeSystem().getType(InceptionFixtures.SENTENCE))
                    .stream().toList()) {
                cas.removeFsFromIndexes(t);
            }
        });
        refused(noSentences.body(), 422, "no de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence");
    }

    @Test
    void anOverLongSentenceAndAnOversizedBodyAre413() throws Exception {
        refused(InceptionFixtures.request(NAMED_ENTITY, "value", "word ".repeat(40) + ".", null).body(), 413,
                "at most 30 tokens");
        ObjectNode b = valid();
        ((ObjectNode) b.get("document")).put("documentId", "x".repeat(3 << 20));
        refused(b, 413, "at most");
    }

    @Test
    void declarationsAndImportsAreNotRead() throws Exception {
        ObjectNode b = valid();
        String xmi = b.get("document").get("xmi").asText();
        ((ObjectNode) b.get("document")).put("xmi", xmi.replaceFirst("\\?>", "?><!DOCTYPE x [<!ENTITY e SYSTEM "
                + "\"file:///etc/passwd\">]>"));
        refused(b, 400, "document type declaration");
        b = valid();
        b.put("typeSystem", b.get("typeSystem").asText().replaceFirst("<types>",
                "<imports><import location=\"file:///etc/passwd\"/></imports><types>"));
        refused(b, 400, "imports other descriptors");
    }

    @Test
    void conflictingConstraintsAre422() throws Exception {
        // two accepted entities that overlap allow no analysis
        InceptionFixtures.Request req = InceptionFixtures.request(NAMED_ENTITY, "value", TEXT, cas -> {
            InceptionFixtures.annotate(cas, NAMED_ENTITY, "value", 0, 11, "ORG");
            InceptionFixtures.annotate(cas, NAMED_ENTITY, "value", 6, 11, "PER");
        });
        refused(req.body(), 422, "constraints");
    }
}
