package io.github.sparsestruct.corenlp;

import static org.assertj.core.api.Assertions.assertThat;

import edu.stanford.nlp.pipeline.CoreDocument;
import edu.stanford.nlp.pipeline.CoreSentence;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import java.util.List;
import org.junit.jupiter.api.Test;

class SparseStructCoreTest {
    @Test
    void coreDocumentUsersReachEveryAlternative() {
        CoreDocument doc = new CoreDocument("Yesterday Bob met Carol. The man saw a dog.");
        Fixtures.pipeline("tokenize,ssplit,ssner,ssparse").annotate(doc);
        assertThat(doc.sentences()).hasSize(2);
        for (CoreSentence s : doc.sentences()) {
            NerAnalysis a = SparseStructCore.nerAnalysis(s);
            assertThat(SparseStructCore.nerAnalyses(s)).isEqualTo(a.analyses());
            assertThat(SparseStructCore.candidateEntities(s)).hasSameSizeAs(a.candidates());
            SparseStructCore.candidateEntities(s)
                    .forEach(c -> assertThat(SparseStructCore.entityWeight(c)).isPositive());
            assertThat(s.nerTags()).containsExactlyElementsOf(
                    java.util.Arrays.stream(a.tags()).map(SparseStructNerAnnotator::type).toList());
            assertThat(SparseStructCore.tagDistribution(s.tokens().get(0))).containsOnlyKeys(a.labels());
            assertThat(SparseStructCore.dependencyTrees(s)).hasSameSizeAs(SparseStructCore.parseAnalysis(s).trees());
            assertThat(SparseStructCore.dependencyTrees(s).get(0).graph())
                    .isEqualTo(SparseStructCore.basicDependencies(s));
            assertThat(SparseStructCore.arcMarginals(s).vertexSet()).hasSameSizeAs(s.tokens());
            assertThat(s.posTags()).containsExactly(SparseStructCore.parseAnalysis(s).upos());
        }
        assertThat(doc.entityMentions()).isNotNull();
        List<AlternativesJson.Sentence> sentences = SparseStructCore.sentences(doc.annotation());
        assertThat(sentences.get(1).tokens().get(1).text()).isEqualTo("man");
        assertThat(SparseStructCore.alternatives(doc).get("sentences")).hasSize(2);
    }

    @Test
    void withoutOurAnnotatorsTheHelpersAnswerEmpty() {
        CoreDocument doc = new CoreDocument("Nothing here.");
        Fixtures.pipeline("tokenize,ssplit").annotate(doc);
        CoreSentence s = doc.sentences().get(0);
        assertThat(SparseStructCore.nerAnalyses(s)).isEmpty();
        assertThat(SparseStructCore.dependencyTrees(s)).isEmpty();
        assertThat(SparseStructCore.nerAnalysis(s)).isNull();
        assertThat(SparseStructCore.sentences(doc.annotation())).singleElement()
                .satisfies(x -> assertThat(x.ner()).isNull());
    }
}
