package io.github.sparsestruct.corenlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The default model location: the bundled English models (when this build has ones that load). */
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
}
