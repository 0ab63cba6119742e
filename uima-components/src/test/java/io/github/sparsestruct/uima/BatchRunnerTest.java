package io.github.sparsestruct.uima;

import static org.assertj.core.api.Assertions.assertThat;

import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.models.analysis.NerAnalyzer;
import io.github.sparsestruct.models.analysis.ParseAnalyzer;
import io.github.sparsestruct.type.EntityAnalysis;
import io.github.sparsestruct.type.TreeAnalysis;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.fit.factory.AnalysisEngineFactory;
import org.apache.uima.fit.pipeline.SimplePipeline;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.dkpro.core.tokit.BreakIteratorSegmenter;
import org.junit.jupiter.api.Test;

class BatchRunnerTest {
    private static final Map<String, String> TEXTS = Map.of("a", "Alice visited Rome. Bob met Carol.",
            "b", "Acme opened an office in Paris.", "c", "Dan works for Initech in Oslo. He likes it.");

    private static boolean load(String id, JCas jcas) throws IOException {
        if (id.equals("broken")) {
            throw new IOException("cannot read broken");
        }
        if (id.equals("huge")) {
            throw new OutOfMemoryError("Java heap space");
        }
        jcas.setDocumentText(TEXTS.get(id));
        jcas.setDocumentLanguage("en");
        DocumentMetaData.create(jcas).setDocumentId(id);
        return true;
    }

    @Test
    void aGroupIsSegmentedOncePredictedInOneBatchAndGivesWhatEachDocumentGivesAlone() throws Exception {
        AnalysisEngine engines = AnalysisEngineFactory.createEngine(AnalysisEngineFactory.createEngineDescription(
                AnalysisEngineFactory.createEngineDescription(SparseStructNamedEntityRecognizer.class,
                        SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, TestModels.ner()),
                AnalysisEngineFactory.createEngineDescription(SparseStructParser.class,
                        SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, TestModels.parser())));
        NerAnalyzer ner = new NerAnalyzer(ModelRegistry.ner(TestModels.ner()), AnalysisOptions.defaults());
        ParseAnalyzer parser = new ParseAnalyzer(ModelRegistry.parser(TestModels.parser()),
                AnalysisOptions.defaults());
        List<Integer> batches = new ArrayList<>();
        List<Function<List<String[]>, ?>> analyzers = List.of(forms -> {
            batches.add(forms.size());
            return ner.analyze(forms);
        }, parser::analyze);
        BatchRunner<String> runner = new BatchRunner<>(AnalysisEngineFactory.createEngine(
                BreakIteratorSegmenter.class), engines, analyzers);
        List<String> order = new ArrayList<>();
        List<String> json = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        runner.annotate(List.of("a", "broken", "b", "huge", "c"), BatchRunnerTest::load, (id, jcas, error) -> {
            order.add(id);
            if (error != null) {
                errors.add(id + ": " + error.getMessage());
                assertThat(jcas).isNull();
                return;
            }
            // segmented once: every token once, every sentence analysed once
            assertThat(JCasUtil.select(jcas, Token.class)).hasSize(tokensAlone(id));
            assertThat(JCasUtil.select(jcas, EntityAnalysis.class).stream().mapToDouble(EntityAnalysis::getWeight)
                    .sum()).isCloseTo(JCasUtil.select(jcas, Sentence.class).size(),
                    org.assertj.core.data.Offset.offset(1e-9));
            json.add(AlternativesJsonWriter.toJson(jcas));
        });
        assertThat(order).containsExactly("a", "broken", "b", "huge", "c");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).isEqualTo("broken: cannot read broken");
        assertThat(errors.get(1)).startsWith("huge: out of memory while annotating it (Java heap space)");
        // the three readable documents' 5 sentences went to the NER model in one call
        assertThat(batches).containsExactly(5);
        // and each document's alternatives are the ones it gets alone, up to float rounding of the batch
        for (int i = 0; i < 3; i++) {
            String id = List.of("a", "b", "c").get(i);
            assertThat(structure(json.get(i))).isEqualTo(structure(aloneJson(id)));
        }
    }

    /** The JSON without its weights (a batch may round them differently in the last digits). */
    private static String structure(String json) {
        return json.replaceAll("-?\\d+\\.\\d+(E-?\\d+)?", "W");
    }

    private static String aloneJson(String id) throws Exception {
        JCas jcas = org.apache.uima.fit.factory.JCasFactory.createJCas();
        load(id, jcas);
        SimplePipeline.runPipeline(jcas, AnalysisEngineFactory.createEngineDescription(BreakIteratorSegmenter.class),
                AnalysisEngineFactory.createEngineDescription(SparseStructNamedEntityRecognizer.class,
                        SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, TestModels.ner()),
                AnalysisEngineFactory.createEngineDescription(SparseStructParser.class,
                        SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, TestModels.parser()));
        return AlternativesJsonWriter.toJson(jcas);
    }

    private static int tokensAlone(String id) throws Exception {
        JCas jcas = org.apache.uima.fit.factory.JCasFactory.createJCas();
        load(id, jcas);
        SimplePipeline.runPipeline(jcas, AnalysisEngineFactory.createEngineDescription(BreakIteratorSegmenter.class));
        return JCasUtil.select(jcas, Token.class).size();
    }

    @Test
    void casesAreResetBetweenGroups() throws Exception {
        AnalysisEngine engines = AnalysisEngineFactory.createEngine(SparseStructParser.class,
                SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, TestModels.parser());
        BatchRunner<String> runner = new BatchRunner<>(AnalysisEngineFactory.createEngine(
                BreakIteratorSegmenter.class), engines, List.of());
        List<String> seen = new ArrayList<>();
        for (int round = 0; round < 2; round++) { // the CAS pool is reused by the next group, reset
            runner.annotate(List.of("a", "c"), BatchRunnerTest::load, (id, jcas, error) -> {
                assertThat(JCasUtil.select(jcas, DocumentMetaData.class)).hasSize(1);
                assertThat(JCasUtil.select(jcas, TreeAnalysis.class)).isNotEmpty();
                seen.add(id + ":" + JCasUtil.select(jcas, Sentence.class).size());
            });
        }
        assertThat(seen).containsExactly("a:2", "c:2", "a:2", "c:2");
    }

    @Test
    void chunksKeepOrderAndTheTokenBoundAndPutALongSentenceAlone() {
        List<String[]> sentences = List.of(new String[3], new String[4], new String[2], new String[9], new String[1],
                new String[1]);
        List<List<String[]>> chunks = BatchRunner.chunks(sentences, 7);
        assertThat(chunks).extracting(List::size).containsExactly(2, 1, 1, 2);
        assertThat(chunks.get(2).get(0)).isSameAs(sentences.get(3));
        List<String[]> flat = new ArrayList<>();
        chunks.forEach(flat::addAll);
        assertThat(flat).containsExactlyElementsOf(sentences);
        assertThat(BatchRunner.chunks(List.of(), 7)).isEmpty();
        assertThat(BatchRunner.chunks(sentences, 100)).hasSize(1);
    }

    @Test
    void aSmallerEncoderMemoMakesSmallerChunks() {
        // the default memo (8,192 tokens) holds a chunk of 2,048 four times over
        assertThat(BatchRunner.chunkTokens(8192)).isEqualTo(2048);
        assertThat(BatchRunner.chunkTokens(1 << 20)).isEqualTo(2048);
        // a user's smaller memo: a quarter of it, so the parser still finds the NER's sentences there
        assertThat(BatchRunner.chunkTokens(2000)).isEqualTo(500);
        assertThat(BatchRunner.chunkTokens(3)).isEqualTo(1);
        // no memo: every analyzer encodes anyway
        assertThat(BatchRunner.chunkTokens(0)).isEqualTo(2048);
        assertThat(BatchRunner.chunkTokens(-5)).isEqualTo(2048);
    }
}
