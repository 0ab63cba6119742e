package io.github.sparsestruct.corenlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.JSONOutputter;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NerAnnotatorTest {
    static final String TEXT = "Alice visited New York. Yesterday Bob met Carol. Acme Corp opened an office in Lyon.";
    private static Annotation doc;

    @BeforeAll
    static void annotate() {
        doc = new Annotation(TEXT);
        Fixtures.pipeline("tokenize,ssplit,ssner").annotate(doc);
    }

    static List<CoreMap> sentences(Annotation a) {
        return a.get(CoreAnnotations.SentencesAnnotation.class);
    }

    @Test
    void bestAnalysisGivesCoreNlpNerTagsAndATypeDistributionOnEveryToken() {
        assertThat(sentences(doc)).hasSize(3);
        int entities = 0;
        for (CoreMap s : sentences(doc)) {
            NerAnalysis a = s.get(SparseStructAnnotations.NerAnalysisAnnotation.class);
            List<CoreLabel> tokens = s.get(CoreAnnotations.TokensAnnotation.class);
            assertThat(a.tags()).hasSameSizeAs(tokens);
            for (int t = 0; t < tokens.size(); t++) {
                CoreLabel token = tokens.get(t);
                assertThat(token.ner()).isEqualTo(SparseStructNerAnnotator.type(a.tags()[t]));
                entities += token.ner().equals("O") ? 0 : 1;
                Map<String, Double> probs = token.get(CoreAnnotations.NamedEntityTagProbsAnnotation.class);
                assertThat(probs).containsOnlyKeys("O", "LOC", "ORG", "PER");
                assertThat(probs.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-6));
                Map<String, Double> tags = token.get(SparseStructAnnotations.TagDistributionAnnotation.class);
                assertThat(tags.keySet()).containsExactlyElementsOf(a.labels());
                assertThat(probs.get("PER")).isCloseTo(tags.get("B-PER") + tags.get("I-PER"), within(1e-12));
                assertThat(probs.get("O")).isCloseTo(tags.get("O"), within(1e-12));
            }
        }
        assertThat(entities).as("the tiny model finds entities in its own kind of sentences").isPositive();
    }

    @Test
    void alternativesAreRankedWeightedAndTheFirstIsTheBest() {
        int most = 0;
        for (CoreMap s : sentences(doc)) {
            NerAnalysis a = s.get(SparseStructAnnotations.NerAnalysisAnnotation.class);
            List<NerAnalysis.Analysis> alts = s.get(SparseStructAnnotations.NerAnalysesAnnotation.class);
            assertThat(alts).isSameAs(a.analyses()).isNotEmpty().hasSizeLessThanOrEqualTo(5);
            assertThat(alts.stream().mapToDouble(NerAnalysis.Analysis::weight).sum()).isCloseTo(1.0, within(1e-9));
            assertThat(alts.get(0).tags()).containsExactly(a.tags());
            for (int r = 0; r < alts.size(); r++) {
                assertThat(alts.get(r).rank()).isEqualTo(r + 1);
            }
            most = Math.max(most, alts.size());
            assertThat(a.decode()).isEqualTo("sparsemap");
        }
        assertThat(most).as("an uncertain model keeps several analyses").isGreaterThan(1);
    }

    @Test
    void candidateEntitiesAreChunksOverTheirTokensWithTheirMarginalWeight() {
        for (CoreMap s : sentences(doc)) {
            NerAnalysis a = s.get(SparseStructAnnotations.NerAnalysisAnnotation.class);
            List<CoreMap> cands = s.get(SparseStructAnnotations.CandidateEntitiesAnnotation.class);
            List<CoreLabel> tokens = s.get(CoreAnnotations.TokensAnnotation.class);
            int base = s.get(CoreAnnotations.TokenBeginAnnotation.class);
            assertThat(cands).hasSameSizeAs(a.candidates());
            for (int i = 0; i < cands.size(); i++) {
                NerAnalysis.Entity e = a.candidates().get(i);
                CoreMap c = cands.get(i);
                assertThat(c.get(CoreAnnotations.TokenBeginAnnotation.class)).isEqualTo(base + e.start());
                assertThat(c.get(CoreAnnotations.TokenEndAnnotation.class)).isEqualTo(base + e.end());
                assertThat(c.get(CoreAnnotations.CharacterOffsetBeginAnnotation.class))
                        .isEqualTo(tokens.get(e.start()).beginPosition());
                int end = tokens.get(e.end() - 1).endPosition();
                assertThat(c.get(CoreAnnotations.CharacterOffsetEndAnnotation.class)).isEqualTo(end);
                assertThat(c.get(CoreAnnotations.TextAnnotation.class))
                        .isEqualTo(TEXT.substring(tokens.get(e.start()).beginPosition(), end));
                assertThat(c.get(CoreAnnotations.NamedEntityTagAnnotation.class)).isEqualTo(e.type());
                assertThat(c.get(SparseStructAnnotations.EntityWeightAnnotation.class)).isEqualTo(e.weight());
            }
        }
    }

    /** What CoreNLP's EntityMentionsAnnotator computes: per type, the least probability over the mention's tokens. */
    static Map<String, Double> leastOverTokens(CoreMap mention) {
        Map<String, Double> out = new HashMap<>();
        for (CoreLabel t : mention.get(CoreAnnotations.TokensAnnotation.class)) {
            t.get(CoreAnnotations.NamedEntityTagProbsAnnotation.class).forEach((k, v) -> out.merge(k, v, Math::min));
        }
        return out;
    }

    @Test
    void entityMentionsAreBuiltWithConfidencesAndTheSpanWeight() {
        List<CoreMap> mentions = doc.get(CoreAnnotations.MentionsAnnotation.class);
        assertThat(mentions).isNotEmpty();
        for (CoreMap m : mentions) {
            assertThat(m.get(CoreAnnotations.NamedEntityTagProbsAnnotation.class)).isEqualTo(leastOverTokens(m));
            String type = m.get(CoreAnnotations.EntityTypeAnnotation.class);
            if (List.of("PER", "LOC", "ORG").contains(type)) {
                assertThat(m.get(SparseStructAnnotations.EntityWeightAnnotation.class)).isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void coreNlpsEntityMentionsAnnotatorWorksAfterOurs() throws Exception {
        Properties p = Fixtures.props("tokenize,ssplit,ssner,entitymentions");
        p.setProperty("ssner.buildEntityMentions", "false");
        StanfordCoreNLP pipeline = Fixtures.pipeline(p);
        Annotation a = new Annotation(TEXT);
        pipeline.annotate(a);
        List<CoreMap> mentions = a.get(CoreAnnotations.MentionsAnnotation.class);
        long named = 0;
        for (CoreMap s : sentences(a)) {
            NerAnalysis an = s.get(SparseStructAnnotations.NerAnalysisAnnotation.class);
            named += an.analyses().get(0).entities().size();
        }
        assertThat(mentions.stream().filter(m -> List.of("PER", "LOC", "ORG")
                .contains(m.get(CoreAnnotations.EntityTypeAnnotation.class))).count()).isEqualTo(named);
        for (CoreMap m : mentions) {
            Map<String, Double> conf = m.get(CoreAnnotations.NamedEntityTagProbsAnnotation.class);
            assertThat(conf).isEqualTo(leastOverTokens(m));
            assertThat(conf.get(m.get(CoreAnnotations.NamedEntityTagAnnotation.class))).isPositive();
        }
        String json = JSONOutputter.jsonPrint(a);
        assertThat(json).contains("\"entitymentions\"").contains("\"nerConfidences\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"map", "marginals", "sparsemap", "dp_l2", "DP-L2"})
    void everyNerDecodingRunsInThePipeline(String decode) {
        Properties p = Fixtures.props("tokenize,ssplit,ssner");
        p.setProperty("ssner.decode", decode);
        p.setProperty("ssner.maxAlternatives", "3");
        Annotation a = new Annotation(TEXT);
        Fixtures.pipeline(p).annotate(a);
        for (CoreMap s : sentences(a)) {
            NerAnalysis an = s.get(SparseStructAnnotations.NerAnalysisAnnotation.class);
            assertThat(an.decode()).isEqualTo(decode.toLowerCase().replace('-', '_'));
            assertThat(an.analyses()).hasSizeBetween(1, 3);
            if (decode.equals("map")) {
                assertThat(an.analyses()).singleElement().extracting(NerAnalysis.Analysis::weight).isEqualTo(1.0);
                for (CoreLabel t : s.get(CoreAnnotations.TokensAnnotation.class)) {
                    assertThat(t.get(CoreAnnotations.NamedEntityTagProbsAnnotation.class).get(t.ner())).isEqualTo(1.0);
                }
            }
        }
    }
}
