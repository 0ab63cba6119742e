package io.github.sparsestruct.uima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency;
import de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.ROOT;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.type.EntityAnalysis;
import io.github.sparsestruct.type.TagDistribution;
import io.github.sparsestruct.type.TreeAnalysis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.analysis_engine.AnalysisEngineProcessException;
import org.apache.uima.fit.factory.AnalysisEngineFactory;
import org.apache.uima.fit.pipeline.SimplePipeline;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.apache.uima.resource.ResourceInitializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad and unusual input: each has a defined, tested treatment. */
class BadInputTest {
    @TempDir
    Path dir;

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable x : ExceptionUtils.getThrowableList(t)) {
            b.append(x.getMessage()).append(" | ");
        }
        return b.toString();
    }

    @Test
    void emptyDocumentGivesNoAnnotationsAndAJsonWithoutSentences() throws Exception {
        JCas jcas = Docs.jcas("empty", new String[0][]);
        assertThat(jcas.getDocumentText()).isEmpty();
        SimplePipeline.runPipeline(jcas, EnginesTest.ner(), EnginesTest.parser());
        assertThat(JCasUtil.select(jcas, EntityAnalysis.class)).isEmpty();
        assertThat(JCasUtil.select(jcas, TreeAnalysis.class)).isEmpty();
        JsonNode doc = new ObjectMapper().readTree(AlternativesJsonWriter.toJson(jcas));
        assertThat(doc.get("id").asText()).isEqualTo("empty");
        assertThat(doc.get("sentences")).isEmpty();
    }

    @Test
    void documentWithoutSentencesOrTokensFailsNamingTheMissingType() throws Exception {
        JCas jcas = Docs.empty();
        jcas.setDocumentText("Alice visited Paris.");
        AnalysisEngine ner = EnginesTest.ner();
        assertThatThrownBy(() -> ner.process(jcas)).isInstanceOf(AnalysisEngineProcessException.class)
                .satisfies(e -> assertThat(messages(e))
                        .contains("de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence")
                        .contains("segmentIfMissing"));
        new Sentence(jcas, 0, 20).addToIndexes();
        AnalysisEngine parser = EnginesTest.parser();
        assertThatThrownBy(() -> parser.process(jcas))
                .satisfies(e -> assertThat(messages(e))
                        .contains("de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"));
    }

    @Test
    void segmentIfMissingSegmentsTheDocumentFirst() throws Exception {
        JCas jcas = Docs.empty();
        jcas.setDocumentText("Alice visited Paris.  Bob met Carol in Rome.\n");
        SimplePipeline.runPipeline(jcas,
                EnginesTest.ner(SparseStructAnnotatorBase.PARAM_SEGMENT_IF_MISSING, true),
                EnginesTest.parser());
        assertThat(JCasUtil.select(jcas, Sentence.class)).extracting(Sentence::getCoveredText)
                .containsExactly("Alice visited Paris.", "Bob met Carol in Rome.");
        assertThat(JCasUtil.select(jcas, Token.class)).extracting(Token::getCoveredText)
                .containsExactly("Alice", "visited", "Paris", ".", "Bob", "met", "Carol", "in", "Rome", ".");
        assertThat(JCasUtil.select(jcas, TreeAnalysis.class)).isNotEmpty();
    }

    @Test
    void sentenceOfAThousandTokensIsDecodedInChunksWithMap() throws Exception {
        Random r = new Random(11);
        String[] vocab = {"Alice", "visited", "Paris", ".", "the", "dog", "saw", "a", "cat", "Rome", "zyx"};
        String[] s = new String[1000];
        for (int i = 0; i < s.length; i++) {
            s[i] = vocab[r.nextInt(vocab.length)];
        }
        JCas jcas = Docs.jcas("long", new String[][] {s, {"Alice", "visited", "Paris", "."}});
        SimplePipeline.runPipeline(jcas, EnginesTest.ner(), EnginesTest.parser());
        Sentence longOne = JCasUtil.select(jcas, Sentence.class).iterator().next();
        List<EntityAnalysis> ea = JCasUtil.selectCovered(EntityAnalysis.class, longOne).stream()
                .filter(a -> a.getSentence() == longOne).toList();
        assertThat(ea).singleElement().satisfies(a -> {
            assertThat(a.getChunked()).isTrue();
            assertThat(a.getDecoding()).isEqualTo("map");
            assertThat(a.getWeight()).isEqualTo(1.0);
            assertThat(a.getTags().size()).isEqualTo(1000);
        });
        List<TreeAnalysis> ta = JCasUtil.selectCovered(TreeAnalysis.class, longOne).stream()
                .filter(a -> a.getSentence() == longOne).toList();
        assertThat(ta).singleElement().satisfies(t -> assertThat(t.getChunked()).isTrue());
        List<Dependency> deps = JCasUtil.selectCovered(Dependency.class, longOne);
        assertThat(deps).hasSize(1000);
        // default maxSentenceLength 250: four chunks, one root each
        assertThat(deps.stream().filter(d -> d instanceof ROOT).count()).isEqualTo(4);
        assertThat(JCasUtil.selectCovered(TagDistribution.class, longOne)).hasSize(1000);
    }

    @Test
    void controlAndNonBmpCharactersAreAnalysedAndSurviveJson() throws Exception {
        String[][] sentences = {
            {"Alice", "\u0001\u0007", "visited", "\uD83D\uDE00", "Paris", "\uD834\uDD1E\uD834\uDD1E", "."},
            {"\u200B", "Bob", "\uFFFF", "met", "\uD801\uDC37", "."},
        };
        JCas jcas = Docs.jcas("odd", sentences);
        SimplePipeline.runPipeline(jcas, EnginesTest.ner(), EnginesTest.parser());
        for (Sentence s : JCasUtil.select(jcas, Sentence.class)) {
            List<EntityAnalysis> a = JCasUtil.selectCovered(EntityAnalysis.class, s);
            assertThat(a.stream().mapToDouble(EntityAnalysis::getWeight).sum()).isCloseTo(1, within(1e-9));
        }
        assertThat(JCasUtil.select(jcas, Dependency.class)).hasSize(13);
        JsonNode doc = new ObjectMapper().readTree(AlternativesJsonWriter.toJson(jcas));
        List<String> texts = new ArrayList<>();
        doc.get("sentences").forEach(s -> s.get("tokens").forEach(t -> texts.add(t.get("text").asText())));
        assertThat(texts).containsExactly(sentences[0][0], sentences[0][1], sentences[0][2], sentences[0][3],
                sentences[0][4], sentences[0][5], sentences[0][6], sentences[1][0], sentences[1][1], sentences[1][2],
                sentences[1][3], sentences[1][4], sentences[1][5]);
        // UTF-16 offsets: the emoji counts two
        assertThat(doc.get("sentences").get(0).get("tokens").get(3).get("end").asInt()
                - doc.get("sentences").get(0).get("tokens").get(3).get("begin").asInt()).isEqualTo(2);
    }

    @Test
    void missingModelFileFailsNamingTheFile() {
        Path missing = dir.resolve("no-such-model.zip");
        assertThatThrownBy(() -> AnalysisEngineFactory.createEngine(SparseStructNamedEntityRecognizer.class,
                SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, missing.toString()))
                .isInstanceOf(ResourceInitializationException.class)
                .satisfies(e -> assertThat(messages(e)).contains("no-such-model.zip").contains("does not exist"));
    }

    @Test
    void corruptModelFileFailsNamingTheFileAndTheProblem() throws Exception {
        Path corrupt = Files.write(dir.resolve("corrupt.zip"), "this is not a zip file".getBytes());
        assertThatThrownBy(() -> AnalysisEngineFactory.createEngine(SparseStructParser.class,
                SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, corrupt.toString()))
                .isInstanceOf(ResourceInitializationException.class)
                .satisfies(e -> assertThat(messages(e)).contains("corrupt.zip").contains("cannot load"));
        // a NER model file given to the parser
        assertThatThrownBy(() -> AnalysisEngineFactory.createEngine(SparseStructParser.class,
                SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, TestModels.ner()))
                .isInstanceOf(ResourceInitializationException.class)
                .satisfies(e -> assertThat(messages(e)).contains("ner.zip"));
    }

    @Test
    void unknownDecodingAndBadLimitsFailNamingTheAllowedValues() {
        assertThatThrownBy(() -> EnginesTest.parser(SparseStructAnnotatorBase.PARAM_DECODING, "dp_l2"))
                .isInstanceOf(ResourceInitializationException.class)
                .satisfies(e -> assertThat(messages(e)).contains("map, sparsemap, marginals"));
        assertThatThrownBy(() -> EnginesTest.ner(SparseStructAnnotatorBase.PARAM_DECODING, "viterbi"))
                .satisfies(e -> assertThat(messages(e)).contains("map, marginals, sparsemap, dp_l2"));
        assertThatThrownBy(() -> EnginesTest.ner(SparseStructAnnotatorBase.PARAM_MAX_ALTERNATIVES, 0))
                .satisfies(e -> assertThat(messages(e)).contains("maxAlternatives must be at least 1"));
        assertThatThrownBy(() -> EnginesTest.ner(SparseStructAnnotatorBase.PARAM_MIN_WEIGHT, 1.5))
                .satisfies(e -> assertThat(messages(e)).contains("minWeight must be in [0, 1)"));
    }

    @Test
    void bundledModelIsTheDefaultWhereItLoads() throws Exception {
        boolean loads;
        try {
            ModelRegistry.ner(null);
            loads = true;
        } catch (Exception | LinkageError e) {
            loads = false;
        }
        assumeTrue(loads, "the bundled NER model does not load in this build");
        JCas jcas = Docs.jcas("bundled", Docs.SENTENCES);
        SimplePipeline.runPipeline(jcas,
                AnalysisEngineFactory.createEngineDescription(SparseStructNamedEntityRecognizer.class));
        assertThat(JCasUtil.select(jcas, EntityAnalysis.class)).hasSizeGreaterThanOrEqualTo(Docs.SENTENCES.length);
        JCas german = Docs.jcas("de", Docs.SENTENCES);
        german.setDocumentLanguage("de");
        assertThatThrownBy(() -> SimplePipeline.runPipeline(german,
                AnalysisEngineFactory.createEngineDescription(SparseStructNamedEntityRecognizer.class)))
                .satisfies(e -> assertThat(messages(e)).contains("the bundled model is for 'en' and the document "
                        + "language is 'de'").contains("ner en/fast"));
        assertThat(JCasUtil.select(german, NamedEntity.class)).isEmpty();
    }

    @Test
    void aVariantOrLanguageWithoutABundledModelFailsNamingThoseThatExist() {
        assertThatThrownBy(() -> AnalysisEngineFactory.createEngine(SparseStructParser.class,
                SparseStructAnnotatorBase.PARAM_MODEL_VARIANT, "large"))
                .isInstanceOf(ResourceInitializationException.class)
                .satisfies(e -> assertThat(messages(e)).contains("variant 'large'").contains("en/fast"));
        assertThatThrownBy(() -> AnalysisEngineFactory.createEngine(SparseStructNamedEntityRecognizer.class,
                SparseStructAnnotatorBase.PARAM_LANGUAGE, "sv"))
                .isInstanceOf(ResourceInitializationException.class)
                .satisfies(e -> assertThat(messages(e)).contains("language 'sv'").contains("en/fast"));
    }
}
