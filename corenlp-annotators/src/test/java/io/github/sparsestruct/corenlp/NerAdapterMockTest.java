package io.github.sparsestruct.corenlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import io.github.sparsestruct.models.analysis.NerAnalyzer;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The adapter alone, on a hand-made analysis with known numbers (the analyzer is mocked). */
class NerAdapterMockTest {
    private static final List<String> LABELS = List.of("O", "B-PER", "I-PER", "B-LOC", "I-LOC");

    private static NerAnalysis analysis() {
        // "Bob Carol met Ann Lee ." : two adjacent PER entities, then a two-token PER
        String[] best = {"B-PER", "B-PER", "O", "B-PER", "I-PER", "O"};
        String[] second = {"B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O"};
        double[][] probs = {
            {0.0, 1.0, 0.0, 0.0, 0.0},
            {0.0, 0.7, 0.3, 0.0, 0.0},
            {1.0, 0.0, 0.0, 0.0, 0.0},
            {0.0, 0.7, 0.0, 0.3, 0.0},
            {0.0, 0.0, 0.6, 0.0, 0.4},
            {1.0, 0.0, 0.0, 0.0, 0.0},
        };
        return new NerAnalysis(best, List.of(
                new NerAnalysis.Analysis(1, 0.7, best, List.of(new NerAnalysis.Entity(0, 1, "PER", 0.7),
                        new NerAnalysis.Entity(1, 2, "PER", 0.7), new NerAnalysis.Entity(3, 5, "PER", 0.7))),
                new NerAnalysis.Analysis(2, 0.3, second, List.of(new NerAnalysis.Entity(0, 2, "PER", 0.3),
                        new NerAnalysis.Entity(3, 5, "LOC", 0.3)))),
                List.of(new NerAnalysis.Entity(0, 1, "PER", 0.7), new NerAnalysis.Entity(1, 2, "PER", 0.7),
                        new NerAnalysis.Entity(3, 5, "PER", 0.6), new NerAnalysis.Entity(0, 2, "PER", 0.3),
                        new NerAnalysis.Entity(3, 5, "LOC", 0.3)),
                LABELS, probs, "sparsemap", false, new io.github.sparsestruct.models.analysis.Uncertainty(0.3, 1.3, 2));
    }

    @Test
    void mentionConfidencesAreTheLeastTypeProbabilityAndSpansKeepTheirExactWeight() {
        NerAnalyzer analyzer = mock(NerAnalyzer.class);
        when(analyzer.analyze(anyList())).thenReturn(List.of(analysis()));
        Properties props = new Properties();
        props.setProperty("annotators", "tokenize,ssplit");
        props.setProperty("ssplit.isOneSentence", "true");
        Annotation doc = new Annotation("Bob Carol met Ann Lee .");
        new StanfordCoreNLP(props).annotate(doc);
        new SparseStructNerAnnotator("ssner", new Properties(), analyzer, LABELS).annotate(doc);

        List<CoreLabel> tokens = doc.get(CoreAnnotations.TokensAnnotation.class);
        assertThat(tokens.stream().map(CoreLabel::ner)).containsExactly("PER", "PER", "O", "PER", "PER", "O");
        Map<String, Double> t1 = tokens.get(1).get(CoreAnnotations.NamedEntityTagProbsAnnotation.class);
        assertThat(t1).containsOnlyKeys("O", "PER", "LOC");
        assertThat(t1.get("PER")).isCloseTo(1.0, within(1e-12));
        Map<String, Double> t4 = tokens.get(4).get(CoreAnnotations.NamedEntityTagProbsAnnotation.class);
        assertThat(t4.get("PER")).isCloseTo(0.6, within(1e-12));
        assertThat(t4.get("LOC")).isCloseTo(0.4, within(1e-12));

        // CoreNLP's chunker merges adjacent same-type tokens: "Bob Carol" is one mention (as with CoreNLP's own NER)
        List<CoreMap> mentions = doc.get(CoreAnnotations.MentionsAnnotation.class);
        assertThat(mentions).extracting(m -> m.get(CoreAnnotations.TextAnnotation.class))
                .containsExactly("Bob Carol", "Ann Lee");
        Map<String, Double> annLee = mentions.get(1).get(CoreAnnotations.NamedEntityTagProbsAnnotation.class);
        assertThat(annLee.get("PER")).isCloseTo(0.6, within(1e-12));
        assertThat(annLee.get("LOC")).isCloseTo(0.3, within(1e-12));
        assertThat(annLee.get("O")).isCloseTo(0.0, within(1e-12));
        // the exact span weights: "Ann Lee" as PER is a candidate of weight 0.6; "Bob Carol" as PER one of 0.3
        assertThat(mentions.get(1).get(SparseStructAnnotations.EntityWeightAnnotation.class)).isEqualTo(0.6);
        assertThat(mentions.get(0).get(SparseStructAnnotations.EntityWeightAnnotation.class)).isEqualTo(0.3);

        // the analyses keep the adjacent entities apart
        CoreMap sentence = doc.get(CoreAnnotations.SentencesAnnotation.class).get(0);
        assertThat(sentence.get(SparseStructAnnotations.NerAnalysesAnnotation.class).get(0).entities()).hasSize(3);
        assertThat(sentence.get(SparseStructAnnotations.CandidateEntitiesAnnotation.class))
                .extracting(m -> m.get(CoreAnnotations.TextAnnotation.class))
                .containsExactly("Bob", "Carol", "Ann Lee", "Bob Carol", "Ann Lee");
    }

    @Test
    void withoutMentionBuildingNoMentionsAreSet() {
        NerAnalyzer analyzer = mock(NerAnalyzer.class);
        when(analyzer.analyze(anyList())).thenReturn(List.of(analysis()));
        Properties props = new Properties();
        props.setProperty("annotators", "tokenize,ssplit");
        props.setProperty("ssplit.isOneSentence", "true");
        Annotation doc = new Annotation("Bob Carol met Ann Lee .");
        new StanfordCoreNLP(props).annotate(doc);
        Properties ours = new Properties();
        ours.setProperty("ssner.buildEntityMentions", "false");
        SparseStructNerAnnotator annotator = new SparseStructNerAnnotator("ssner", ours, analyzer, LABELS);
        annotator.annotate(doc);
        assertThat(doc.get(CoreAnnotations.MentionsAnnotation.class)).isNull();
        assertThat(annotator.requirementsSatisfied()).doesNotContain(CoreAnnotations.MentionsAnnotation.class)
                .contains(CoreAnnotations.NamedEntityTagAnnotation.class);
    }
}
