package io.github.sparsestruct.corenlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import io.github.sparsestruct.models.testing.BundledVariants;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The default model location: the bundled English models (when this build has ones that load), and the accurate
 * variant with {@code NAME.variant = accurate} (when {@code sparsestruct-encoder-bert}, a test dependency, bundles it).
 */
class BundledModelsTest {
    private static boolean loads(boolean ner) {
        try {
            if (ner) {
                ModelRegistry.ner(null);
            } else {
                ModelRegistry.parser(null);
            }
            return true;
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    @Test
    void withoutAModelPropertyTheBundledModelsAreUsed() {
        assumeTrue(loads(true) && loads(false), "the bundled English models do not load in this build");
        Properties p = new Properties();
        p.setProperty("annotators", "tokenize,ssplit,ssner,ssparse");
        p.setProperty("customAnnotatorClass.ssner", SparseStructNerAnnotator.class.getName());
        p.setProperty("customAnnotatorClass.ssparse", SparseStructParserAnnotator.class.getName());
        Annotation a = new Annotation("Barack Obama visited Paris last week.");
        new StanfordCoreNLP(p).annotate(a);
        assertThat(a.get(CoreAnnotations.TokensAnnotation.class)).allSatisfy(t -> {
            assertThat(t.ner()).isNotNull();
            assertThat(t.tag()).isNotNull();
        });
    }

    @Test
    void aBundledModelThatDoesNotLoadIsNamedInTheError() {
        assumeTrue(!loads(true), "the bundled NER model loads in this build");
        assertThatThrownBy(() -> new SparseStructNerAnnotator("ssner", new Properties()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the bundled English NER model").hasMessageContaining("ssner.model");
    }

    @Test
    void variantAccurateRunsTheBertModels() {
        assumeTrue(BundledVariants.accurate(), "no accurate models in this build");
        Properties p = new Properties();
        p.setProperty("annotators", "tokenize,ssplit,ssner,ssparse");
        p.setProperty("customAnnotatorClass.ssner", SparseStructNerAnnotator.class.getName());
        p.setProperty("customAnnotatorClass.ssparse", SparseStructParserAnnotator.class.getName());
        p.setProperty("ssner.variant", "accurate");
        p.setProperty("ssparse.variant", "accurate");
        Annotation a = new Annotation("Barack Obama visited Paris last week. The Acme Corporation hired her in 2019.");
        new StanfordCoreNLP(p).annotate(a);
        List<CoreMap> sentences = a.get(CoreAnnotations.SentencesAnnotation.class);
        assertThat(sentences).hasSize(2);
        for (CoreMap s : sentences) {
            assertThat(s.get(SparseStructAnnotations.NerAnalysesAnnotation.class).stream()
                    .mapToDouble(NerAnalysis.Analysis::weight).sum()).isCloseTo(1.0, within(1e-9));
            assertThat(s.get(SparseStructAnnotations.DependencyTreesAnnotation.class).stream()
                    .mapToDouble(SparseStructAnnotations.WeightedTree::weight).sum()).isCloseTo(1.0, within(1e-9));
            assertThat(s.get(SparseStructAnnotations.DependencyTreesAnnotation.class))
                    .allSatisfy(t -> assertThat(t.graph().getRoots()).hasSize(1));
        }
        List<CoreLabel> tokens = a.get(CoreAnnotations.TokensAnnotation.class);
        assertThat(tokens).extracting(t -> t.word() + "/" + t.ner())
                .contains("Barack/PER", "Obama/PER", "Paris/LOC", "Acme/ORG", "Corporation/ORG", "visited/O");
        assertThat(tokens).allSatisfy(t -> assertThat(t.tag()).isNotNull());
    }
}
