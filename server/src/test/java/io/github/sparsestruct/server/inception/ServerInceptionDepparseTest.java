package io.github.sparsestruct.server.inception;

import static io.github.sparsestruct.server.inception.InceptionFixtures.DEPENDENCY;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparsestruct.server.SparseStructServer;
import io.github.sparsestruct.server.TestClient;
import io.github.sparsestruct.server.TestServers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.uima.cas.CAS;
import org.apache.uima.cas.FeatureStructure;
import org.apache.uima.cas.Type;
import org.apache.uima.cas.text.AnnotationFS;
import org.apache.uima.fit.util.CasUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency recommender under /inception/depparse/: one relation suggestion per candidate arc. */
class ServerInceptionDepparseTest {
    private static final String TELESCOPE = "I saw the man with the telescope.";
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

    private static AnnotationFS governor(AnnotationFS a) {
        return (AnnotationFS) a.getFeatureValue(a.getType().getFeatureByBaseName("Governor"));
    }

    private static AnnotationFS dependent(AnnotationFS a) {
        return (AnnotationFS) a.getFeatureValue(a.getType().getFeatureByBaseName("Dependent"));
    }

    @Test
    void everyCandidateArcIsASuggestionWithItsMarginalBetweenTheDocumentsTokens() throws Exception {
        InceptionFixtures.Request req = InceptionFixtures.request(DEPENDENCY, "DependencyType", TELESCOPE, null);
        HttpResponse<String> r = client.post("/inception/depparse/predict", req.body());
        assertThat(r.statusCode()).isEqualTo(200);
        CAS answer = InceptionFixtures.answer(r.body(), req.typeSystem());
        Type token = answer.getTypeSystem().getType(InceptionFixtures.TOKEN);
        List<AnnotationFS> tokens = new ArrayList<>(CasUtil.select(answer, token));
        List<AnnotationFS> arcs = InceptionFixtures.predicted(answer, DEPENDENCY);
        Map<AnnotationFS, Double> perDependent = new HashMap<>();
        for (AnnotationFS a : arcs) {
            // Governor and Dependent are the document's own Token annotations; the arc spans its dependent
            assertThat(tokens).contains(governor(a), dependent(a));
            assertThat(a.getBegin()).isEqualTo(dependent(a).getBegin());
            assertThat(a.getEnd()).isEqualTo(dependent(a).getEnd());
            perDependent.merge(dependent(a), InceptionFixtures.score(a, "DependencyType"), Double::sum);
        }
        // every word has a suggested head; a word's suggestions weigh at most 1 together
        assertThat(perDependent.keySet()).containsExactlyInAnyOrderElementsOf(tokens);
        assertThat(perDependent.values()).allMatch(w -> w <= 1 + 1e-9);
        // one root, as DKPro's ROOT: governor = dependent
        assertThat(arcs).anyMatch(a -> governor(a) == dependent(a) && a.getCoveredText().equals("saw")
                && InceptionFixtures.string(a, "DependencyType").equals("root"));
        // telescope attaches to saw (obl) or to man (nmod): two suggestions, the explanation names both
        List<AnnotationFS> telescope = arcs.stream().filter(a -> a.getCoveredText().equals("telescope")).toList();
        assertThat(telescope).extracting(a -> governor(a).getCoveredText()).containsExactlyInAnyOrder("saw", "man");
        String why = InceptionFixtures.string(telescope.get(0), "DependencyType_score_explanation");
        assertThat(why).matches("obl from saw 0\\.\\d\\d / nmod from man 0\\.\\d\\d|nmod from man 0\\.\\d\\d / obl from saw "
                + "0\\.\\d\\d");
    }

    @Test
    void aDependencyTheUserMadeConstrainsTheTreesAndIsNotSuggestedAgain() throws Exception {
        int man = TELESCOPE.indexOf("man");
        int tel = TELESCOPE.indexOf("telescope");
        InceptionFixtures.Request req = InceptionFixtures.request(DEPENDENCY, "DependencyType", TELESCOPE, cas -> {
            Type dep = cas.getTypeSystem().getType(DEPENDENCY);
            AnnotationFS d = cas.createAnnotation(dep, tel, tel + 9);
            d.setFeatureValue(dep.getFeatureByBaseName("Governor"), InceptionFixtures.token(cas, man, man + 3));
            d.setFeatureValue(dep.getFeatureByBaseName("Dependent"), InceptionFixtures.token(cas, tel, tel + 9));
            d.setStringValue(dep.getFeatureByBaseName("DependencyType"), "nmod");
            cas.addFsToIndexes(d);
        });
        HttpResponse<String> r = client.post("/inception/depparse/predict", req.body());
        assertThat(r.statusCode()).isEqualTo(200);
        CAS answer = InceptionFixtures.answer(r.body(), req.typeSystem());
        List<AnnotationFS> arcs = InceptionFixtures.predicted(answer, DEPENDENCY);
        assertThat(arcs).isNotEmpty().noneMatch(a -> a.getCoveredText().equals("telescope"));
        // with telescope under man in every tree, "with" can only attach inside that subtree or to man's side
        List<FeatureStructure> all = new ArrayList<>(CasUtil.select(answer, answer.getTypeSystem()
                .getType(DEPENDENCY)));
        assertThat(all).hasSize(arcs.size() + 1);
    }

    @Test
    void theUsersArcsReachTheDecode() throws Exception {
        // the user makes telescope the head of man: then telescope can no longer attach to man (a cycle), so the
        // decode, not a filter, leaves saw as telescope's only head
        int man = TELESCOPE.indexOf("man");
        int tel = TELESCOPE.indexOf("telescope");
        InceptionFixtures.Request req = InceptionFixtures.request(DEPENDENCY, "DependencyType", TELESCOPE, cas -> {
            Type dep = cas.getTypeSystem().getType(DEPENDENCY);
            AnnotationFS d = cas.createAnnotation(dep, man, man + 3);
            d.setFeatureValue(dep.getFeatureByBaseName("Governor"), InceptionFixtures.token(cas, tel, tel + 9));
            d.setFeatureValue(dep.getFeatureByBaseName("Dependent"), InceptionFixtures.token(cas, man, man + 3));
            cas.addFsToIndexes(d);
        });
        CAS answer = InceptionFixtures.answer(client.post("/inception/depparse/predict", req.body()).body(),
                req.typeSystem());
        List<AnnotationFS> telescope = InceptionFixtures.predicted(answer, DEPENDENCY).stream()
                .filter(a -> a.getCoveredText().equals("telescope")).toList();
        assertThat(telescope).isNotEmpty().noneMatch(a -> governor(a).getCoveredText().equals("man"));
    }

    @Test
    void aSpanLayerIsRefusedByTheDependencyRecommender() throws Exception {
        InceptionFixtures.Request req = InceptionFixtures.request(InceptionFixtures.NAMED_ENTITY, "value", TELESCOPE,
                null);
        HttpResponse<String> r = client.post("/inception/depparse/predict", req.body());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestClient.json(r).get("error").asText()).contains("not a relation layer over Token");
    }

    @Test
    void trainAnswers204() throws Exception {
        assertThat(client.post("/inception/depparse/train", "{}").statusCode()).isEqualTo(204);
    }
}
