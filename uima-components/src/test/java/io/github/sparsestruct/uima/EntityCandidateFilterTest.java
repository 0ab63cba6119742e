package io.github.sparsestruct.uima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity;
import io.github.sparsestruct.type.EntityCandidate;
import java.util.List;
import org.apache.uima.fit.factory.AnalysisEngineFactory;
import org.apache.uima.fit.pipeline.SimplePipeline;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.apache.uima.resource.ResourceInitializationException;
import org.junit.jupiter.api.Test;

class EntityCandidateFilterTest {
    private static JCas withCandidates() throws Exception {
        JCas jcas = Docs.jcas("c", new String[][] {{"Bob", "Smith", "met", "Carol", "in", "New", "York", "."}});
        // the recognizer's best analysis
        NamedEntity best = new NamedEntity(jcas, 0, 9);
        best.setValue("PER");
        best.addToIndexes();
        candidate(jcas, 0, 9, "PER", 0.6);
        candidate(jcas, 0, 3, "PER", 0.4);
        candidate(jcas, 14, 19, "PER", 0.3);
        candidate(jcas, 14, 19, "LOC", 0.25);
        candidate(jcas, 23, 31, "LOC", 1.0);
        return jcas;
    }

    private static void candidate(JCas jcas, int b, int e, String type, double score) {
        EntityCandidate c = new EntityCandidate(jcas, b, e);
        c.setValue(type);
        c.setScore(score);
        c.addToIndexes();
    }

    private static List<String> entities(JCas jcas) {
        return JCasUtil.select(jcas, NamedEntity.class).stream()
                .map(n -> n.getCoveredText() + "/" + n.getValue()).toList();
    }

    @Test
    void keepsExactlyTheCandidatesAtOrAboveTheThreshold() throws Exception {
        JCas jcas = withCandidates();
        SimplePipeline.runPipeline(jcas, AnalysisEngineFactory.createEngineDescription(EntityCandidateFilter.class,
                EntityCandidateFilter.PARAM_THRESHOLD, 0.3));
        assertThat(entities(jcas)).containsExactlyInAnyOrder("Bob Smith/PER", "Bob/PER", "Carol/PER", "New York/LOC");
    }

    @Test
    void lowerThresholdsKeepSupersets() throws Exception {
        List<String> previous = List.of();
        for (double t : new double[] {1.0, 0.6, 0.4, 0.3, 0.25, 0.1}) {
            JCas jcas = withCandidates();
            SimplePipeline.runPipeline(jcas, AnalysisEngineFactory.createEngineDescription(
                    EntityCandidateFilter.class, EntityCandidateFilter.PARAM_THRESHOLD, t));
            List<String> now = entities(jcas);
            assertThat(now).containsAll(previous);
            previous = now;
        }
        assertThat(previous).hasSize(5);
    }

    @Test
    void replaceExistingFalseKeepsTheBestAnalysisEntities() throws Exception {
        JCas jcas = withCandidates();
        SimplePipeline.runPipeline(jcas, AnalysisEngineFactory.createEngineDescription(EntityCandidateFilter.class,
                EntityCandidateFilter.PARAM_THRESHOLD, 0.9, EntityCandidateFilter.PARAM_REPLACE_EXISTING, false));
        assertThat(entities(jcas)).containsExactlyInAnyOrder("Bob Smith/PER", "New York/LOC");
    }

    @Test
    void thresholdOutsideUnitIntervalIsRejected() {
        assertThatThrownBy(() -> AnalysisEngineFactory.createEngine(EntityCandidateFilter.class,
                EntityCandidateFilter.PARAM_THRESHOLD, 0.0)).isInstanceOf(ResourceInitializationException.class);
    }

    @Test
    void afterTheRecognizerAThresholdOfOneKeepsOnlyCertainEntities() throws Exception {
        JCas jcas = Docs.jcas("r", Docs.SENTENCES);
        SimplePipeline.runPipeline(jcas, EnginesTest.ner(), AnalysisEngineFactory.createEngine(
                EntityCandidateFilter.class, EntityCandidateFilter.PARAM_THRESHOLD, 1.0));
        long certain = JCasUtil.select(jcas, EntityCandidate.class).stream().filter(c -> c.getScore() >= 1.0).count();
        assertThat(JCasUtil.select(jcas, NamedEntity.class)).hasSize((int) certain);
    }
}
