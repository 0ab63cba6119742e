package io.github.sparsestruct.models.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.format.ModelFormatException;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnalyzersTest {
    private static NerModel ner;
    private static ParserModel parser;
    private static final List<String[]> SENTENCES = List.of(
            "Alice visited New York .".split(" "),
            "Yesterday Bob met Carol in Rome .".split(" "),
            new String[0],
            new String[] {"Initech"},
            new String[] {"\uD83D\uDE00", "Lyon", "caf\u00E9", "\u0007", "."});

    @BeforeAll
    static void models() {
        ner = TinyModels.ner(3, 5);
        parser = TinyModels.parser(3, 5);
    }

    private static double sum(List<Double> w) {
        return w.stream().mapToDouble(Double::doubleValue).sum();
    }

    @ParameterizedTest
    @ValueSource(strings = {"map", "marginals", "sparsemap", "dp_l2"})
    void nerAnalysesHaveRanksAndWeightsSummingToOneForEveryDecoding(String decode) {
        AnalysisOptions o = AnalysisOptions.defaults().withDecode(decode).withLimits(3, 0.05, 100);
        List<NerAnalysis> out = new NerAnalyzer(ner, o).analyze(SENTENCES);
        assertThat(out).hasSize(SENTENCES.size());
        for (int i = 0; i < out.size(); i++) {
            NerAnalysis a = out.get(i);
            assertThat(a.tags()).hasSize(SENTENCES.get(i).length);
            assertThat(a.analyses()).isNotEmpty().hasSizeLessThanOrEqualTo(3);
            assertThat(sum(a.analyses().stream().map(NerAnalysis.Analysis::weight).toList())).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-9));
            for (int r = 0; r < a.analyses().size(); r++) {
                assertThat(a.analyses().get(r).rank()).isEqualTo(r + 1);
                if (r > 0) {
                    assertThat(a.analyses().get(r).weight()).isLessThanOrEqualTo(a.analyses().get(r - 1).weight());
                }
            }
            assertThat(a.analyses().get(0).tags()).containsExactly(a.tags());
            for (NerAnalysis.Entity e : a.candidates()) {
                assertThat(e.weight()).isBetween(0.05, 1.0 + 1e-9);
                assertThat(e.end()).isLessThanOrEqualTo(a.tags().length);
            }
            for (double[] row : a.tagProbabilities()) {
                assertThat(Arrays.stream(row).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            }
            assertThat(a.chunked()).isFalse();
            assertThat(a.decode()).isEqualTo(decode);
        }
    }

    @Test
    void sparseMapOnAnUncertainModelKeepsSeveralAnalysesAndTheirSpansAgree() {
        AnalysisOptions o = AnalysisOptions.defaults().withLimits(10, 0.0, 100);
        List<NerAnalysis> out = new NerAnalyzer(ner, o).analyze(SENTENCES);
        assertThat(out.stream().mapToInt(a -> a.analyses().size()).max().orElse(0)).isGreaterThan(1);
        for (NerAnalysis a : out) {
            // each candidate's weight is the summed weight of the kept analyses that hold it (nothing pruned here)
            for (NerAnalysis.Entity c : a.candidates()) {
                double w = 0;
                for (NerAnalysis.Analysis an : a.analyses()) {
                    for (NerAnalysis.Entity e : an.entities()) {
                        if (e.start() == c.start() && e.end() == c.end() && e.type().equals(c.type())) {
                            w += an.weight();
                        }
                    }
                }
                assertThat(w).isCloseTo(c.weight(), org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    @Test
    void overLongSentencesAreTaggedInChunksWithMap() {
        String[] longSentence = new String[1000];
        for (int i = 0; i < longSentence.length; i++) {
            longSentence[i] = i % 7 == 0 ? "Paris" : "word" + (i % 13);
        }
        AnalysisOptions o = AnalysisOptions.defaults().withLimits(5, 0.01, 64);
        NerAnalysis a = new NerAnalyzer(ner, o).analyze(List.<String[]>of(longSentence)).get(0);
        assertThat(a.chunked()).isTrue();
        assertThat(a.decode()).isEqualTo("map");
        assertThat(a.tags()).hasSize(1000);
        assertThat(a.tagProbabilities()).hasNumberOfRows(1000);
        assertThat(a.analyses()).hasSize(1);
        ParseAnalysis p = new ParseAnalyzer(parser, o).analyze(List.<String[]>of(longSentence)).get(0);
        assertThat(p.chunked()).isTrue();
        assertThat(p.heads()).hasSize(1000);
        long roots = Arrays.stream(p.heads()).filter(h -> h == 0).count();
        assertThat(roots).isEqualTo((1000 + 63) / 64);
        for (int m = 1; m <= 1000; m++) {
            int h = p.heads()[m - 1];
            // heads stay inside the word's own chunk
            assertThat(h == 0 || (h - 1) / 64 == (m - 1) / 64).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"map", "marginals", "sparsemap"})
    void parsesAreTreesWithWeightsSummingToOneAndArcWeightsPerDependentAtMostOne(String decode) {
        AnalysisOptions o = AnalysisOptions.defaults().withDecode(decode).withLimits(4, 0.0, 100);
        List<ParseAnalysis> out = new ParseAnalyzer(parser, o).analyze(SENTENCES);
        for (int i = 0; i < out.size(); i++) {
            ParseAnalysis a = out.get(i);
            int n = SENTENCES.get(i).length;
            assertThat(a.heads()).hasSize(n);
            assertThat(a.upos()).hasSize(n);
            assertThat(sum(a.trees().stream().map(ParseAnalysis.Tree::weight).toList())).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-9));
            assertThat(a.trees().get(0).heads()).containsExactly(a.heads());
            for (ParseAnalysis.Tree t : a.trees()) {
                if (n > 0) {
                    assertThat(Arrays.stream(t.heads()).filter(h -> h == 0).count()).isEqualTo(1);
                }
            }
            double[] perDependent = new double[n + 1];
            for (ParseAnalysis.Arc arc : a.arcs()) {
                perDependent[arc.dependent()] += arc.weight();
                assertThat(arc.head()).isNotEqualTo(arc.dependent());
                if (a.heads()[arc.dependent() - 1] == arc.head()) {
                    assertThat(arc.deprel()).isEqualTo(a.deprels()[arc.dependent() - 1]);
                }
            }
            for (int m = 1; m <= n; m++) {
                assertThat(perDependent[m]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    @Test
    void unknownDecodingIsAnErrorListingTheAllowedOnes() {
        assertThatThrownBy(() -> new NerAnalyzer(ner, AnalysisOptions.defaults().withDecode("beam")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'beam'")
                .hasMessageContaining("map, marginals, sparsemap, dp_l2");
        assertThatThrownBy(() -> new ParseAnalyzer(parser, AnalysisOptions.defaults().withDecode("dp_l2")))
                .hasMessageContaining("map, sparsemap, marginals");
        assertThatThrownBy(() -> AnalysisOptions.defaults().withLimits(0, 0.1, 10))
                .hasMessageContaining("maxAlternatives");
        assertThatThrownBy(() -> AnalysisOptions.defaults().withLimits(1, 1.5, 10)).hasMessageContaining("minWeight");
    }

    @Test
    void analyzersGiveTheSameResultFromManyThreads() throws Exception {
        NerAnalyzer na = new NerAnalyzer(ner, AnalysisOptions.defaults());
        String once = AlternativesJson.toJson("d", sentences(na.analyze(SENTENCES), null));
        List<Thread> threads = new ArrayList<>();
        List<String> results = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> results.add(AlternativesJson.toJson("d", sentences(na.analyze(SENTENCES),
                    null))));
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(results).hasSize(4).allMatch(once::equals);
    }

    private static List<AlternativesJson.Sentence> sentences(List<NerAnalysis> ner, List<ParseAnalysis> parse) {
        return TinyModels.jsonSentences(SENTENCES, ner, parse);
    }

    @Test
    void jsonHoldsEveryAnalysisWithItsWeight() throws Exception {
        List<NerAnalysis> n = new NerAnalyzer(ner, AnalysisOptions.defaults()).analyze(SENTENCES);
        List<ParseAnalysis> p = new ParseAnalyzer(parser, AnalysisOptions.defaults()).analyze(SENTENCES);
        JsonNode doc = new ObjectMapper().readTree(AlternativesJson.toJson("doc-1", sentences(n, p)));
        assertThat(doc.get("schema").asText()).isEqualTo(AlternativesJson.SCHEMA);
        assertThat(doc.get("version").asInt()).isEqualTo(1);
        assertThat(doc.get("sentences")).hasSize(SENTENCES.size());
        JsonNode s4 = doc.get("sentences").get(4);
        assertThat(s4.get("tokens").get(0).get("text").asText()).isEqualTo("\uD83D\uDE00");
        assertThat(s4.get("tokens").get(0).get("end").asInt() - s4.get("tokens").get(0).get("begin").asInt())
                .isEqualTo(2);
        for (int i = 0; i < SENTENCES.size(); i++) {
            JsonNode s = doc.get("sentences").get(i);
            assertThat(s.get("ner").get("analyses")).hasSize(n.get(i).analyses().size());
            assertThat(s.get("depparse").get("trees")).hasSize(p.get(i).trees().size());
            double w = 0;
            for (JsonNode t : s.get("depparse").get("trees")) {
                w += t.get("weight").asDouble();
                assertThat(t.get("heads")).hasSize(SENTENCES.get(i).length);
            }
            assertThat(w).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void registryLoadsAFileOnceAndNamesAMissingOne(@TempDir Path dir) throws Exception {
        Path f = TinyModels.writeNer(dir.resolve("ner.zip"), 1, 3);
        NerModel a = ModelRegistry.ner(f.toString());
        NerModel b = ModelRegistry.ner(f.toUri().toString());
        assertThat(a).isSameAs(b);
        Path missing = dir.resolve("nope.zip");
        assertThatThrownBy(() -> ModelRegistry.ner(missing.toString())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        Path bad = dir.resolve("bad.zip");
        Files.write(bad, Arrays.copyOf(Files.readAllBytes(f), 100));
        assertThatThrownBy(() -> ModelRegistry.ner(bad.toString())).hasMessageContaining("bad.zip");
        Path parserFile = TinyModels.writeParser(dir.resolve("parser.zip"), 1, 3);
        assertThatThrownBy(() -> ModelRegistry.ner(parserFile.toString())).hasMessageContaining("parser.zip");
        ModelRegistry.clear();
    }
}
