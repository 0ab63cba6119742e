package io.github.sparsestruct.corenlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.AnnotationOutputter;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.models.align.AlignDecoder;
import io.github.sparsestruct.models.align.TokenPair;
import io.github.sparsestruct.models.analysis.AlignAnalysis;
import io.github.sparsestruct.models.analysis.AlignAnalyzer;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The word alignment annotator in a real CoreNLP pipeline (tokenize,ssplit + ours), and its JSON. */
class AlignAnnotatorTest {
    /** Four sentences in the tiny aligner's synthetic vocabulary: 0/1 and 2/3 are near-copies. */
    static final String TEXT = "a1 b2 c3 the d4 . a1 extra1 b2 c3 the . e5 of f6 g7 h8 . e5 f6 extra2 g7 h8 .";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Annotation run(Properties p, String text) {
        Annotation doc = new Annotation(text);
        doc.set(CoreAnnotations.DocIDAnnotation.class, "doc-1");
        new StanfordCoreNLP(p).annotate(doc);
        return doc;
    }

    private static List<String[]> forms(Annotation doc) {
        List<String[]> out = new ArrayList<>();
        for (CoreMap s : doc.get(CoreAnnotations.SentencesAnnotation.class)) {
            out.add(Models.forms(s));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"sparsemap,matching,adjacent", "map,matching,adjacent", "marginals,sequential,adjacent",
        "sparsemap,sequential,'0-2, 1-3'", "sparsemap,matching,3-0"})
    void alignmentsOfThePairsAreTheAnalyzersWithWeightsSummingToOne(String decode, String decoder, String pairs)
            throws Exception {
        Properties p = Fixtures.props("tokenize,ssplit,ssalign");
        p.setProperty("ssalign.decode", decode);
        p.setProperty("ssalign.decoder", decoder);
        p.setProperty("ssalign.pairs", pairs);
        Annotation doc = run(p, TEXT);
        List<String[]> forms = forms(doc);
        assertThat(forms).hasSize(4);
        List<int[]> expectedPairs = pairs.equals("adjacent") ? List.of(new int[] {0, 1}, new int[] {2, 3})
                : SparseStructAlignAnnotator.parsePairs("ssalign", pairs);
        List<TokenPair> input = new ArrayList<>();
        for (int[] x : expectedPairs) {
            input.add(new TokenPair(forms.get(x[0]), forms.get(x[1])));
        }
        List<AlignAnalysis> expected = new AlignAnalyzer(ModelRegistry.align(Fixtures.alignModel().toString()),
                AnalysisOptions.defaults().withDecode(decode), AlignDecoder.valueOf(decoder.toUpperCase()))
                .analyze(input);

        List<AlternativesJson.SentenceAlignment> got = SparseStructCore.wordAlignments(doc);
        assertThat(got).hasSize(expectedPairs.size());
        for (int k = 0; k < got.size(); k++) {
            AlternativesJson.SentenceAlignment a = got.get(k);
            assertThat(a.sourceSentence()).isEqualTo(expectedPairs.get(k)[0]);
            assertThat(a.targetSentence()).isEqualTo(expectedPairs.get(k)[1]);
            assertThat(a.targetDocument()).isNull();
            assertThat(a.sentenceWeight()).isEqualTo(1.0);
            assertThat(a.alignment()).isEqualTo(expected.get(k));
            assertThat(a.alignment().alignments().stream().mapToDouble(AlignAnalysis.Alignment::weight).sum())
                    .isCloseTo(1.0, within(1e-9));
            assertThat(a.alignment().decoder()).isEqualTo(decoder);
        }

        // the outputter writes them as the shared "alignments" array
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SparseStructJsonOutputter().print(doc, out, AnnotationOutputter.getOptions(p));
        JsonNode json = MAPPER.readTree(out.toString(StandardCharsets.UTF_8)).get(SparseStructJsonOutputter.FIELD);
        assertThat(json.get("alignments")).isEqualTo(AlternativesJson.document("doc-1", List.of(), got)
                .get("alignments"));
        JsonNode first = json.get("alignments").get(0);
        assertThat(first.get("links")).isEqualTo(first.get("alignments").get(0).get("links"));
        assertThat(first.get("sourceLength").asInt()).isEqualTo(forms.get(expectedPairs.get(0)[0]).length);
    }

    @Test
    void anOddSentenceIsLeftUnpairedAndADocumentWithoutTheAnnotatorHasNoAlignments() throws Exception {
        Annotation doc = run(Fixtures.props("tokenize,ssplit,ssalign"), TEXT + " a1 b2 .");
        assertThat(SparseStructCore.wordAlignments(doc)).hasSize(2);
        Annotation plain = run(Fixtures.props("tokenize,ssplit"), TEXT);
        assertThat(SparseStructCore.alternatives(plain).has("alignments")).isFalse();
    }

    @Test
    void identicalAndOneTokenSentencesGiveValidAlignments() {
        Properties p = Fixtures.props("tokenize,ssplit,ssalign");
        Annotation doc = run(p, "a1 b2 c3 . a1 b2 c3 . x . x .");
        for (AlternativesJson.SentenceAlignment a : SparseStructCore.wordAlignments(doc)) {
            assertThat(a.alignment().alignments()).isNotEmpty();
            for (AlignAnalysis.Link l : a.alignment().links()) {
                assertThat(l.source()).isBetween(0, a.alignment().sourceLength() - 1);
                assertThat(l.target()).isBetween(0, a.alignment().targetLength() - 1);
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "decoder|hungarian|matching, sequential",
        "decode|dp_l2|map, sparsemap, marginals",
        "pairs|0-1,two-3|adjacent, or a comma-separated list",
        "maxAlternatives|0|an integer >= 1"})
    void unknownPropertyValuesAreErrorsListingTheAllowedOnes(String key, String value, String allowed) {
        Properties p = Fixtures.props("tokenize,ssplit,ssalign");
        p.setProperty("ssalign." + key, value);
        assertThatThrownBy(() -> new StanfordCoreNLP(p))
                .hasStackTraceContaining("ssalign." + key).hasStackTraceContaining(allowed);
    }

    @Test
    void aPairNamingAMissingSentenceIsAnError() {
        Properties p = Fixtures.props("tokenize,ssplit,ssalign");
        p.setProperty("ssalign.pairs", "0-9");
        assertThatThrownBy(() -> run(p, TEXT)).hasMessageContaining("sentence 9")
                .hasMessageContaining("has 4 sentences");
    }

    @Test
    void missingOrCorruptModelIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing-align.zip");
        Properties p = Fixtures.props("tokenize,ssplit,ssalign");
        p.setProperty("ssalign.model", missing.toString());
        assertThatThrownBy(() -> new StanfordCoreNLP(p)).hasStackTraceContaining(missing.toAbsolutePath()
                .toString());
        Path corrupt = dir.resolve("corrupt-align.zip");
        Files.writeString(corrupt, "not a model");
        p.setProperty("ssalign.model", corrupt.toString());
        assertThatThrownBy(() -> new StanfordCoreNLP(p)).hasStackTraceContaining(corrupt.toAbsolutePath()
                .toString()).hasStackTraceContaining("word alignment");
    }
}
