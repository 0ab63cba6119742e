package io.github.sparsestruct.models.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparsestruct.models.analysis.AlignAnalysis;
import io.github.sparsestruct.models.analysis.AlignAnalyzer;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.DocumentAligner;
import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.train.Trainer;
import io.github.sparsestruct.models.train.TrainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The analyzer, the document aligner and the JSON on a small trained model; bad and extreme inputs. */
class AlignAnalysisTest {
    private static AlignModel model;

    @BeforeAll
    static void trainSmallModel() {
        List<AlignPair> data = copies(30, 3);
        model = AlignModel.create(AlignModelTest.tinyConfig(AlignLoss.SPARSEMAP, AlignDecoder.BOTH), data, 3);
        new Trainer<>(model, new TrainerConfig(15, 8, 1000, 3, 0)).train(data);
    }

    /**
     * Near-copies: the target is the source with one word dropped and an extra word inserted, so identical words
     * align (the usual case of monolingual alignment).
     */
    static List<AlignPair> copies(int count, long seed) {
        return io.github.sparsestruct.models.testing.TinyModels.alignData(count, seed);
    }

    private static String[] words(String s) {
        return s.split(" ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"map", "sparsemap", "marginals"})
    void keptAlignmentsAreRankedWithWeightsSummingToOneAndBestLinksFirst(String decode) {
        AlignAnalyzer an = new AlignAnalyzer(model, AnalysisOptions.defaults().withDecode(decode).withLimits(3, 0.05,
                250));
        List<TokenPair> pairs = new ArrayList<>();
        for (AlignPair p : copies(6, 99)) {
            pairs.add(new TokenPair(p.source(), p.target()));
        }
        for (AlignAnalysis a : an.analyze(pairs)) {
            assertThat(a.decode()).isEqualTo(decode);
            assertThat(a.alignments()).isNotEmpty().hasSizeLessThanOrEqualTo(3);
            assertThat(a.alignments().stream().mapToDouble(AlignAnalysis.Alignment::weight).sum())
                    .isCloseTo(1.0, within(1e-9));
            assertThat(a.alignments().get(0).links()).extracting(l -> l.source() + "-" + l.target())
                    .containsExactlyElementsOf(a.links().stream().map(l -> l.source() + "-" + l.target()).toList());
            for (int k = 1; k < a.alignments().size(); k++) {
                assertThat(a.alignments().get(k).weight()).isLessThanOrEqualTo(a.alignments().get(k - 1).weight());
                assertThat(a.alignments().get(k).rank()).isEqualTo(k + 1);
            }
            for (AlignAnalysis.Link l : a.linkWeights()) {
                assertThat(l.weight()).isBetween(0.05, 1.0);
            }
            // one-to-one / many-to-one: each source word at most one link in every alignment
            for (AlignAnalysis.Alignment al : a.alignments()) {
                assertThat(al.links().stream().map(AlignAnalysis.Link::source).distinct().count())
                        .isEqualTo(al.links().size());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MATCHING", "SEQUENTIAL"})
    void identicalSentencesAlignWordForWord(AlignDecoder decoder) {
        String[] s = words("a1 b2 c3 d4 e5 f6");
        AlignAnalyzer an = new AlignAnalyzer(model, AnalysisOptions.defaults(), decoder);
        AlignAnalysis a = an.analyze(List.of(new TokenPair(s, s.clone()))).get(0);
        assertThat(a.links()).extracting(l -> l.source() == l.target()).containsOnly(true);
        assertThat(a.links()).hasSize(s.length);
    }

    @Test
    void emptyAndOneTokenSentencesGiveDefinedResults() {
        AlignAnalyzer an = new AlignAnalyzer(model, AnalysisOptions.defaults());
        List<AlignAnalysis> out = an.analyze(List.of(new TokenPair(new String[0], words("a1 b2")),
                new TokenPair(words("a1 b2"), new String[0]), new TokenPair(new String[0], new String[0]),
                new TokenPair(words("c3"), words("c3")), new TokenPair(words("c3"), words("zz yy c3 xx"))));
        for (int k = 0; k < 3; k++) {
            assertThat(out.get(k).links()).isEmpty();
            assertThat(out.get(k).alignments()).hasSize(1);
            assertThat(out.get(k).alignments().get(0).weight()).isEqualTo(1.0);
        }
        assertThat(out.get(1).sourceLength()).isEqualTo(2);
        assertThat(out.get(3).links()).extracting(l -> l.source() + "-" + l.target()).containsExactly("0-0");
        assertThat(out.get(4).links()).extracting(l -> l.source() + "-" + l.target()).containsExactly("0-2");
    }

    @Test
    void aFiveHundredWordPairIsAlignedWithTheMatchingMapAndMarkedLong() {
        Random r = new Random(7);
        String[] a = new String[500];
        String[] b = new String[500];
        for (int i = 0; i < 500; i++) {
            a[i] = "w" + r.nextInt(300);
            b[i] = i % 10 == 0 ? "x" + i : a[i];
        }
        // default options: sentences over 250 tokens are decoded with the matching MAP (O(n³) assignment)
        AlignAnalysis x = new AlignAnalyzer(model, AnalysisOptions.defaults(), AlignDecoder.SEQUENTIAL)
                .analyze(List.of(new TokenPair(a, b))).get(0);
        assertThat(x.longPair()).isTrue();
        assertThat(x.decode()).isEqualTo("map");
        assertThat(x.decoder()).isEqualTo("matching");
        assertThat(x.alignments()).hasSize(1);
        long same = x.links().stream().filter(l -> a[l.source()].equals(b[l.target()])).count();
        assertThat(same).isGreaterThan(400);
    }

    @Test
    void documentAlignerFindsASplitSentenceAndAlignsTheWordsOfEachPair() {
        List<String[]> docA = List.of(
                words("a1 b2 c3 ."),
                words("d4 e5 f6 g7 and h8 a1 ."),
                words("c3 c3 b2 ."));
        List<String[]> docB = List.of(
                words("a1 b2 c3 ."),
                words("d4 e5 f6 g7 ."),
                words("h8 a1 ."),
                words("c3 c3 b2 !"));
        AlignAnalyzer an = new AlignAnalyzer(model, AnalysisOptions.defaults().withDecode("map"));
        DocumentAligner.Result r = new DocumentAligner(an, 0.1).align(docA, docB);
        assertThat(r.path()).extracting(l -> l.source() + "-" + l.target())
                .containsExactly("0-0", "1-1", "1-2", "2-3");
        assertThat(r.costs()[0]).isCloseTo(0.0, within(1e-12));
        // the weighted alignment is sparse and puts most weight on the hard path
        assertThat(r.weighted().size()).isLessThan(12);
        for (DocumentAligner.SentenceLink l : r.path()) {
            assertThat(l.weight()).isGreaterThan(0.5);
            assertThat(l.words()).isNotNull();
        }
        // the first sentences are identical: word for word
        assertThat(r.path().get(0).words().links()).extracting(l -> l.source() + "-" + l.target())
                .containsExactly("0-0", "1-1", "2-2", "3-3");
    }

    @Test
    void documentAlignerMergesTwoSentencesIntoOne() {
        List<String[]> docA = List.of(words("x1 y2 z3"), words("p4 q5"), words("r6 s7 t8"));
        List<String[]> docB = List.of(words("x1 y2 z3 and p4 q5"), words("r6 s7 t8"));
        DocumentAligner.Result r = new DocumentAligner(null, 0.1).align(docA, docB);
        assertThat(r.path()).extracting(l -> l.source() + "-" + l.target()).containsExactly("0-0", "1-0", "2-1");
        assertThat(r.path()).extracting(DocumentAligner.SentenceLink::words).containsOnlyNulls();
    }

    @Test
    void alternativesJsonCarriesAlignmentsAndLeavesDocumentsWithoutThemUnchanged() throws Exception {
        AlignAnalyzer an = new AlignAnalyzer(model, AnalysisOptions.defaults());
        AlignAnalysis a = an.analyze(List.of(new TokenPair(words("a1 b2"), words("a1 b2")))).get(0);
        List<AlternativesJson.Token> toks = List.of(new AlternativesJson.Token("a1", 0, 2),
                new AlternativesJson.Token("b2", 3, 5));
        List<AlternativesJson.Sentence> sents = List.of(new AlternativesJson.Sentence(0, 5, toks, null, null));
        String plain = AlternativesJson.toJson("d", sents);
        assertThat(plain).doesNotContain("alignments");
        String with = AlternativesJson.toJson("d", sents, List.of(new AlternativesJson.SentenceAlignment(0, "e", 0,
                1.0, a)));
        JsonNode doc = new ObjectMapper().readTree(with);
        assertThat(doc.get("sentences")).isEqualTo(new ObjectMapper().readTree(plain).get("sentences"));
        JsonNode al = doc.get("alignments").get(0);
        assertThat(al.get("targetDocument").asText()).isEqualTo("e");
        assertThat(al.get("links").size()).isEqualTo(a.links().size());
        assertThat(al.get("alignments").get(0).get("rank").asInt()).isEqualTo(1);
        double sum = 0;
        for (JsonNode x : al.get("alignments")) {
            sum += x.get("weight").asDouble();
        }
        assertThat(sum).isCloseTo(1.0, within(1e-9));
        assertThat(al.get("linkWeights").isArray()).isTrue();
    }
}
