package io.github.sparsestruct.server.inception;

import static io.github.sparsestruct.server.inception.InceptionFixtures.NAMED_ENTITY;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparsestruct.server.SparseStructServer;
import io.github.sparsestruct.server.TestClient;
import io.github.sparsestruct.server.TestServers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.uima.cas.CAS;
import org.apache.uima.cas.text.AnnotationFS;
import org.apache.uima.fit.util.CasUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The NER recommender under /inception/ner/ with requests built as INCEpTION builds them. */
class ServerInceptionNerTest {
    private static final String NEWS = "Apple hired a former Google engineer who had worked at Amazon in Seattle.";
    private static final String VIRGINIA = "Virginia said the University of Virginia will stay open.";
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
    void predictSuggestsEverySpanAndTypeWithItsWeightAndTheCompetingReadings() throws Exception {
        InceptionFixtures.Request req = InceptionFixtures.request(NAMED_ENTITY, "value", VIRGINIA, null);
        HttpResponse<String> r = client.post("/inception/ner/predict", req.body());
        assertThat(r.statusCode()).isEqualTo(200);
        CAS answer = InceptionFixtures.answer(r.body(), req.typeSystem());
        List<AnnotationFS> s = InceptionFixtures.predicted(answer, NAMED_ENTITY);
        Map<String, AnnotationFS> university = new HashMap<>();
        for (AnnotationFS a : s) {
            assertThat(InceptionFixtures.score(a, "value")).isBetween(0.05, 1.0);
            if (a.getBegin() == 18 && a.getEnd() == 40) {
                university.put(InceptionFixtures.string(a, "value"), a);
            }
        }
        // "University of Virginia" is kept as LOC or ORG (README: 0.58 / 0.42): two suggestions at the same offsets,
        // alternatives to INCEpTION
        assertThat(university).containsOnlyKeys("LOC", "ORG");
        double loc = InceptionFixtures.score(university.get("LOC"), "value");
        double org = InceptionFixtures.score(university.get("ORG"), "value");
        assertThat(loc).isGreaterThan(org);
        assertThat(loc + org).isLessThanOrEqualTo(1.0 + 1e-9);
        String why = InceptionFixtures.string(university.get("ORG"), "value_score_explanation");
        // the competing readings, then the weight of "no entity on exactly this span" where it is >= 0.005
        String both = String.format(java.util.Locale.ROOT, "LOC %.2f / ORG %.2f", loc, org);
        assertThat(why).isIn(both, both + String.format(java.util.Locale.ROOT, " / none %.2f", 1 - loc - org));
        assertThat(s).anyMatch(a -> a.getCoveredText().equals("Virginia") && a.getBegin() == 0
                && InceptionFixtures.string(a, "value").equals("LOC"));
    }

    @Test
    void theAnswerHoldsTheDocumentUnchangedAndNothingButSuggestionsBeside() throws Exception {
        InceptionFixtures.Request req = InceptionFixtures.request(NAMED_ENTITY, "value", NEWS, null);
        CAS answer = InceptionFixtures.answer(client.post("/inception/ner/predict", req.body()).body(),
                req.typeSystem());
        assertThat(answer.getDocumentText()).isEqualTo(NEWS);
        List<AnnotationFS> tokens = List.copyOf(CasUtil.select(answer,
                answer.getTypeSystem().getType(InceptionFixtures.TOKEN)));
        assertThat(tokens).hasSize(14);
        assertThat(tokens.get(0).getCoveredText()).isEqualTo("Apple");
        assertThat(CasUtil.select(answer, answer.getTypeSystem().getType(InceptionFixtures.SENTENCE))).hasSize(1);
        assertThat(answer.select(answer.getTypeSystem().getType(InceptionFixtures.CAS_METADATA)).count())
                .isEqualTo(1);
        // every NamedEntity of the answer is a suggestion (the engines' best analysis is not sent back)
        assertThat(CasUtil.select(answer, answer.getTypeSystem().getType(NAMED_ENTITY)))
                .hasSameSizeAs(InceptionFixtures.predicted(answer, NAMED_ENTITY));
        String xmi = TestClient.json(client.post("/inception/ner/predict", req.body())).get("document").asText();
        // no element of SparseStruct's types (UIMA may still declare their namespace)
        java.util.regex.Matcher ns = java.util.regex.Pattern.compile("xmlns:(\\w+)=\"http:///io/github/sparsestruct/")
                .matcher(xmi);
        while (ns.find()) {
            assertThat(xmi).doesNotContain("<" + ns.group(1) + ":");
        }
        assertThat(xmi).doesNotContain("EntityCandidate").doesNotContain("TreeAnalysis");
    }

    @Test
    void anAcceptedEntityIsNeverContradicted() throws Exception {
        // the user said Apple is ORG: no suggestion on Apple (neither LOC nor ORG again), the user's annotation stays
        InceptionFixtures.Request req = InceptionFixtures.request(NAMED_ENTITY, "value", NEWS,
                cas -> InceptionFixtures.annotate(cas, NAMED_ENTITY, "value", 0, 5, "ORG"));
        CAS answer = InceptionFixtures.answer(client.post("/inception/ner/predict", req.body()).body(),
                req.typeSystem());
        assertThat(InceptionFixtures.predicted(answer, NAMED_ENTITY)).noneMatch(a -> a.getBegin() < 5)
                .anyMatch(a -> a.getCoveredText().equals("Seattle"));
        List<AnnotationFS> user = CasUtil.select(answer, answer.getTypeSystem().getType(NAMED_ENTITY)).stream()
                .filter(a -> !InceptionFixtures.predicted(answer, NAMED_ENTITY).contains(a)).toList();
        assertThat(user).hasSize(1);
        assertThat(InceptionFixtures.string(user.get(0), "value")).isEqualTo("ORG");
    }

    @Test
    void onlyTheSentencesInTheRangeAreAnalysed() throws Exception {
        String text = "Barack Obama visited Paris. Angela Merkel lives in Berlin.";
        int second = text.indexOf("Angela");
        InceptionFixtures.Request req = InceptionFixtures.request(NAMED_ENTITY, "value", text, null, second,
                text.length());
        CAS answer = InceptionFixtures.answer(client.post("/inception/ner/predict", req.body()).body(),
                req.typeSystem());
        List<AnnotationFS> s = InceptionFixtures.predicted(answer, NAMED_ENTITY);
        assertThat(s).isNotEmpty().allMatch(a -> a.getBegin() >= second);
        // the other sentence is still in the answer, untouched
        assertThat(CasUtil.select(answer, answer.getTypeSystem().getType(InceptionFixtures.SENTENCE))).hasSize(2);
    }

    @Test
    void aLayerAnchoredToSingleTokensGetsNoMultiTokenSpan() throws Exception {
        String text = "Barack Obama visited New York.";
        InceptionFixtures.Request tokens = InceptionFixtures.request(NAMED_ENTITY, "value", text, null);
        CAS all = InceptionFixtures.answer(client.post("/inception/ner/predict", tokens.body()).body(),
                tokens.typeSystem());
        assertThat(InceptionFixtures.predicted(all, NAMED_ENTITY)).anyMatch(a -> a.getCoveredText().contains(" "));
        var body = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(tokens.body());
        ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("metadata")).put("anchoringMode", "singleToken");
        CAS single = InceptionFixtures.answer(client.post("/inception/ner/predict", body.toString()).body(),
                tokens.typeSystem());
        assertThat(InceptionFixtures.predicted(single, NAMED_ENTITY)).noneMatch(a -> a.getCoveredText().contains(" "));
    }

    @Test
    void aCustomSpanLayerGetsTheSuggestionsInItsOwnFeature() throws Exception {
        InceptionFixtures.Request req = InceptionFixtures.request(InceptionFixtures.CUSTOM_LAYER, "label", NEWS,
                null);
        HttpResponse<String> r = client.post("/inception/ner/predict", req.body());
        assertThat(r.statusCode()).isEqualTo(200);
        CAS answer = InceptionFixtures.answer(r.body(), req.typeSystem());
        assertThat(InceptionFixtures.predicted(answer, InceptionFixtures.CUSTOM_LAYER))
                .anyMatch(a -> a.getCoveredText().equals("Seattle")
                        && InceptionFixtures.string(a, "label").equals("LOC")
                        && InceptionFixtures.score(a, "label") > 0.5);
        assertThat(CasUtil.select(answer, answer.getTypeSystem().getType(NAMED_ENTITY))).isEmpty();
    }

    @Test
    void aRequestWrittenByHandFromTheProtocolDescriptionIsAnswered() throws Exception {
        byte[] body;
        try (var in = getClass().getResourceAsStream("/inception/ner-predict-by-hand.json")) {
            body = in.readAllBytes();
        }
        HttpResponse<String> r = client.postBytes("/inception/ner/predict", body);
        assertThat(r.statusCode()).isEqualTo(200);
        String xmi = TestClient.json(r).get("document").asText();
        assertThat(xmi).contains("inception_internal_predicted=\"true\"").contains("value=\"PER\"")
                .contains("value_score=").contains("value_score_explanation=");
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("Barack Obama");
    }

    @Test
    void trainAnswers204AsARecommenderWithNothingToLearn() throws Exception {
        HttpResponse<String> r = client.post("/inception/ner/train", "{\"metadata\": {}, \"documents\": []}");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
    }
}
