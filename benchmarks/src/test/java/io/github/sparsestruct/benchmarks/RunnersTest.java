package io.github.sparsestruct.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.data.AlignmentReader;
import io.github.sparsestruct.models.testing.TinyModels;
import io.github.sparsestruct.uima.SparseStructAligner;
import io.github.sparsestruct.uima.SparseStructAnnotatorBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.fit.factory.AnalysisEngineFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runners on tiny models (the tests that ran next to them in uima-components before they moved here). */
class RunnersTest {
    static final Path UNER_DEV = Path.of("../../shared/data/uner-english-ewt/en_ewt-ud-dev.iob2");

    @Test
    void uimaThroughputCountsEveryTokenOncePerMode(@TempDir Path dir) throws Exception {
        String ner = TinyModels.writeNer(dir.resolve("ner.zip"), 3, 5).toString();
        String parser = TinyModels.writeParser(dir.resolve("parser.zip"), 3, 5).toString();
        List<String> texts = List.of("Alice visited Paris.", "Bob works for Acme Corp in New York.");
        List<UimaThroughput.Figure> f = UimaThroughput.run(ner, parser, texts, List.of("map", "sparsemap"));
        assertThat(f).extracting(UimaThroughput.Figure::tokens).containsExactly(13L, 13L);
        assertThat(UimaThroughput.report(f, 2)).contains("\"decode\":\"sparsemap\",\"tokens\":13");
    }

    @Test
    void alignThroughputAlignsEveryPairOnce(@TempDir Path dir) throws Exception {
        String align = TinyModels.writeAlign(dir.resolve("align.zip"), 8, 5).toString();
        List<AlignPair> pairs = AlignmentReader.parse(String.join("\n", List.of(
                "p0\ta1 b2 c3\tN/A\ta1 b2 c3\tN/A\t1\t1\t0-0 1-1 2-2",
                "p1\te5 f6\tN/A\te5 extra1 f6\tN/A\t1\t1\t0-0 1-2")));
        AnalysisEngine e = AnalysisEngineFactory.createEngine(SparseStructAligner.class,
                SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, align);
        AlignThroughput.Figure f = AlignThroughput.run(e, e.newJCas(), pairs, "sparsemap");
        assertThat(f.pairs()).isEqualTo(2);
        assertThat(f.tokens()).isEqualTo(11);
        assertThat(f.json()).contains("\"decode\":\"sparsemap\",\"pairs\":2,\"tokens\":11");
    }

    @Test
    void entityCandidateEvaluationRunsOnDevDataWithATinyModel(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(UNER_DEV), "UNER dev data not found at " + UNER_DEV.toAbsolutePath());
        String ner = TinyModels.writeNer(dir.resolve("ner-trained.zip"), 60, 5).toString();
        EntityCandidateEvaluation.Result r = EntityCandidateEvaluation.run(ner, UNER_DEV, "sparsemap", 150);
        assertThat(r.sentences()).isEqualTo(150);
        assertThat(r.map().gold()).isGreaterThan(0);
        double previousRecall = 1.0;
        int previousPredicted = Integer.MAX_VALUE;
        for (EntityCandidateEvaluation.Point p : r.curve()) {
            assertThat(p.recall()).isBetween(0.0, previousRecall);
            assertThat(p.predicted()).isLessThanOrEqualTo(previousPredicted);
            assertThat(p.precision()).isBetween(0.0, 1.0);
            previousRecall = p.recall();
            previousPredicted = p.predicted();
        }
        if (r.atMapPrecision() != null) {
            assertThat(r.atMapPrecision().precision()).isGreaterThanOrEqualTo(r.map().precision());
        }
        EntityCandidateEvaluation.check(r);
        assertThat(r.json()).startsWith("{\"decode\":\"sparsemap\"").contains("\"curve\":[");
        assertThat(r.table()).contains("MAP");
    }

    @Test
    void unknownOptionsListTheAllowedOnes() {
        assertThatThrownBy(() -> UimaThroughput.main(new String[] {"--threads", "4"}))
                .hasMessageContaining("allowed: --ner");
        assertThatThrownBy(() -> AlignThroughput.main(new String[] {"--data", "x.tsv"}))
                .hasMessageContaining("--model is required");
    }
}
