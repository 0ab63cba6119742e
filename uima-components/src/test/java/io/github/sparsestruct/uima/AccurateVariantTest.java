package io.github.sparsestruct.uima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.models.testing.BundledVariants;
import io.github.sparsestruct.type.EntityAnalysis;
import io.github.sparsestruct.type.TreeAnalysis;
import java.util.List;
import org.apache.uima.fit.factory.AnalysisEngineFactory;
import org.apache.uima.fit.pipeline.SimplePipeline;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.junit.jupiter.api.Test;

/**
 * {@code modelVariant=accurate}: both engines run the BERT-base models of {@code sparsestruct-encoder-bert} (a test
 * dependency) on real sentences. Skipped when that build bundles no accurate models.
 */
class AccurateVariantTest {
    @Test
    void theEnginesRunTheAccurateModelsWithOneParameter() throws Exception {
        assumeTrue(BundledVariants.accurate(), "no accurate models in this build");
        JCas jcas = Docs.jcas("accurate", Docs.SENTENCES);
        SimplePipeline.runPipeline(jcas,
                AnalysisEngineFactory.createEngineDescription(SparseStructNamedEntityRecognizer.class,
                        SparseStructAnnotatorBase.PARAM_MODEL_VARIANT, "accurate"),
                AnalysisEngineFactory.createEngineDescription(SparseStructParser.class,
                        SparseStructAnnotatorBase.PARAM_MODEL_VARIANT, "accurate"));
        List<Sentence> sentences = List.copyOf(JCasUtil.select(jcas, Sentence.class));
        assertThat(sentences).hasSize(Docs.SENTENCES.length);
        for (Sentence s : sentences) {
            List<EntityAnalysis> analyses = JCasUtil.selectCovered(EntityAnalysis.class, s);
            assertThat(analyses).isNotEmpty();
            assertThat(analyses.stream().mapToDouble(EntityAnalysis::getWeight).sum()).isCloseTo(1.0, within(1e-9));
            List<TreeAnalysis> trees = JCasUtil.selectCovered(TreeAnalysis.class, s);
            assertThat(trees).isNotEmpty();
            assertThat(trees.stream().mapToDouble(TreeAnalysis::getWeight).sum()).isCloseTo(1.0, within(1e-9));
            List<Token> tokens = JCasUtil.selectCovered(Token.class, s);
            for (TreeAnalysis t : trees) {
                int roots = 0;
                for (int m = 0; m < tokens.size(); m++) {
                    roots += t.getHeads().get(m) == null ? 1 : 0;
                }
                assertThat(roots).as("roots of a tree of '%s'", s.getCoveredText()).isEqualTo(1);
            }
            assertThat(tokens).allMatch(tok -> tok.getPos() != null);
        }
        // the obvious entities of the test sentences
        assertThat(JCasUtil.select(jcas, NamedEntity.class)).extracting(e -> e.getCoveredText() + "/" + e.getValue())
                .contains("Paris/LOC", "Rome/LOC", "New York/LOC", "Alice/PER");
    }

    @Test
    void aSentenceOfMoreThan512WordPiecesRunsThroughTheEncoderInWindows() throws Exception {
        assumeTrue(BundledVariants.accurate(), "no accurate models in this build");
        // 630 words, one word piece or more each: past BERT's 512 positions, so the encoder runs overlapping
        // windows; maxSentenceLength is raised so that the engines decode the sentence whole, not in chunks
        String[] words = ("Alice flew from Paris to Rome with Bob , and").split(" ");
        String[] sentence = new String[630];
        for (int i = 0; i < sentence.length; i++) {
            sentence[i] = words[i % words.length];
        }
        JCas jcas = Docs.jcas("long", new String[][] {sentence});
        SimplePipeline.runPipeline(jcas,
                AnalysisEngineFactory.createEngineDescription(SparseStructNamedEntityRecognizer.class,
                        SparseStructAnnotatorBase.PARAM_MODEL_VARIANT, "accurate",
                        SparseStructAnnotatorBase.PARAM_MAX_SENTENCE_LENGTH, 1000),
                AnalysisEngineFactory.createEngineDescription(SparseStructParser.class,
                        SparseStructAnnotatorBase.PARAM_MODEL_VARIANT, "accurate",
                        SparseStructAnnotatorBase.PARAM_DECODING, "map",
                        SparseStructAnnotatorBase.PARAM_MAX_SENTENCE_LENGTH, 1000));
        List<EntityAnalysis> analyses = List.copyOf(JCasUtil.select(jcas, EntityAnalysis.class));
        assertThat(analyses).isNotEmpty().allMatch(a -> !a.getChunked());
        assertThat(analyses.stream().mapToDouble(EntityAnalysis::getWeight).sum()).isCloseTo(1.0, within(1e-9));
        List<TreeAnalysis> trees = List.copyOf(JCasUtil.select(jcas, TreeAnalysis.class));
        assertThat(trees).hasSize(1);
        assertThat(trees.get(0).getChunked()).isFalse();
        int roots = 0;
        for (int m = 0; m < sentence.length; m++) {
            roots += trees.get(0).getHeads().get(m) == null ? 1 : 0;
        }
        assertThat(roots).isEqualTo(1);
        // the names are found in the first window, in the overlap and in the last one alike
        List<NamedEntity> entities = List.copyOf(JCasUtil.select(jcas, NamedEntity.class));
        assertThat(entities).filteredOn(e -> e.getCoveredText().equals("Paris")).hasSizeGreaterThanOrEqualTo(50)
                .allMatch(e -> e.getValue().equals("LOC"));
        assertThat(entities).filteredOn(e -> e.getCoveredText().equals("Paris"))
                .anyMatch(e -> e.getBegin() > jcas.getDocumentText().length() * 9 / 10);
    }
}
