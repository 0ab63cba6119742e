package io.github.sparsestruct.corenlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.AnnotationOutputter;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.semgraph.SemanticGraphCoreAnnotations;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import io.github.sparsestruct.models.analysis.ParseAnalysis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BadInputTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static StanfordCoreNLP pipeline;

    @BeforeAll
    static void build() {
        pipeline = Fixtures.pipeline("tokenize,ssplit,ssner,ssparse");
    }

    /** Every message along the cause chain (CoreNLP wraps errors from annotator constructors). */
    static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append(" | ");
        }
        return b.toString();
    }

    static JsonNode alternatives(Annotation a) throws Exception {
        return MAPPER.readTree(new SparseStructJsonOutputter().print(a, new AnnotationOutputter.Options()))
                .get("sparsestruct");
    }

    @Test
    void emptyAndBlankTextsGiveNoSentencesAndValidJson() throws Exception {
        for (String text : new String[] {"", "   \n\t "}) {
            Annotation a = new Annotation(text);
            pipeline.annotate(a);
            assertThat(a.get(CoreAnnotations.SentencesAnnotation.class)).isEmpty();
            assertThat(alternatives(a).get("sentences")).isEmpty();
        }
    }

    @Test
    void aThousandTokenSentenceIsDecodedInChunksWithOneRootPerChunk() throws Exception {
        Properties p = Fixtures.props("tokenize,ssplit,ssner,ssparse");
        p.setProperty("ssplit.isOneSentence", "true");
        StringBuilder text = new StringBuilder();
        String[] words = {"Alice", "saw", "the", "dog", "in", "Paris"};
        Random r = new Random(3);
        for (int i = 0; i < 1000; i++) {
            text.append(words[r.nextInt(words.length)]).append(' ');
        }
        Annotation a = new Annotation(text.toString());
        Fixtures.pipeline(p).annotate(a);
        CoreMap s = a.get(CoreAnnotations.SentencesAnnotation.class).get(0);
        assertThat(s.get(CoreAnnotations.TokensAnnotation.class)).hasSize(1000);
        NerAnalysis ner = s.get(SparseStructAnnotations.NerAnalysisAnnotation.class);
        ParseAnalysis parse = s.get(SparseStructAnnotations.ParseAnalysisAnnotation.class);
        assertThat(ner.chunked()).isTrue();
        assertThat(ner.decode()).isEqualTo("map");
        assertThat(ner.tags()).hasSize(1000);
        assertThat(parse.chunked()).isTrue();
        assertThat(s.get(SemanticGraphCoreAnnotations.BasicDependenciesAnnotation.class).getRoots()).hasSize(4);
        assertThat(s.get(SemanticGraphCoreAnnotations.BasicDependenciesAnnotation.class).vertexSet()).hasSize(1000);
        JsonNode json = alternatives(a).get("sentences").get(0);
        assertThat(json.get("ner").get("chunked").asBoolean()).isTrue();
        assertThat(json.get("depparse").get("trees").get(0).get("heads")).hasSize(1000);
    }

    @Test
    void nonBmpCharactersKeepUtf16OffsetsIntoTheText() throws Exception {
        String text = "\uD83D\uDE00 Alice visited \uD835\uDCB3 Paris. Caf\u00E9 \uD83C\uDDEB\uD83C\uDDF7 Lyon!";
        Annotation a = new Annotation(text);
        pipeline.annotate(a);
        List<CoreLabel> tokens = a.get(CoreAnnotations.TokensAnnotation.class);
        assertThat(tokens).isNotEmpty();
        for (CoreLabel t : tokens) {
            assertThat(t.ner()).isNotNull();
            assertThat(t.tag()).isNotNull();
        }
        for (JsonNode s : alternatives(a).get("sentences")) {
            int n = s.get("tokens").size();
            assertThat(s.get("ner").get("analyses").get(0).get("tags")).hasSize(n);
            assertThat(s.get("depparse").get("upos")).hasSize(n);
            for (JsonNode t : s.get("tokens")) {
                assertThat(text.substring(t.get("begin").asInt(), t.get("end").asInt()))
                        .isEqualTo(t.get("text").asText());
            }
            for (JsonNode e : s.get("ner").get("candidates")) {
                assertThat(e.get("begin").asInt()).isLessThan(e.get("endChar").asInt());
            }
        }
        assertThat(alternatives(a).get("sentences").get(0).get("tokens").get(0).get("text").asText())
                .isEqualTo("\uD83D\uDE00");
    }

    @Test
    void aMissingModelFileIsNamedInTheError(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-model.zip");
        Properties p = Fixtures.props("tokenize,ssplit,ssner");
        p.setProperty("ssner.model", missing.toString());
        assertThatThrownBy(() -> new StanfordCoreNLP(p))
                .satisfies(e -> assertThat(messages(e)).contains(missing.toAbsolutePath().toString())
                        .contains("ssner.model"));
        Properties q = new Properties();
        q.setProperty("ssparse.model", "file:" + missing.toAbsolutePath());
        assertThatThrownBy(() -> new SparseStructParserAnnotator("ssparse", q))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toAbsolutePath().toString());
    }

    @Test
    void aCorruptModelFileIsNamedInTheError(@TempDir Path dir) throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.zip"), "this is not a model".getBytes());
        Path truncated = dir.resolve("truncated.zip");
        byte[] good = Files.readAllBytes(Fixtures.nerModel());
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
        for (Path bad : List.of(garbage, truncated)) {
            Properties p = new Properties();
            p.setProperty("ssner.model", bad.toString());
            assertThatThrownBy(() -> new SparseStructNerAnnotator("ssner", p))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad.toAbsolutePath().toString());
        }
        Properties p = new Properties();
        p.setProperty("ssparse.model", Fixtures.nerModel().toString());
        assertThatThrownBy(() -> new SparseStructParserAnnotator("ssparse", p))
                .as("a NER model given to the parser")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Fixtures.nerModel().toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "ssner;decode;viterbi;map, marginals, sparsemap, dp_l2",
        "ssparse;decode;dp_l2;map, marginals, sparsemap",
        "ssner;maxAlternatives;0;an integer >= 1",
        "ssparse;maxAlternatives;many;an integer >= 1",
        "ssner;minWeight;1.5;a number in [0, 1)",
        "ssparse;minWeight;heavy;a number in [0, 1)",
        "ssner;maxSentenceLength;-3;an integer >= 1",
        "ssparse;pos;maybe;true, false",
        "ssner;buildEntityMentions;yes;true, false",
    })
    void unknownPropertyValuesAreRejectedWithTheAllowedOnes(String annotator, String key, String value,
                                                           String allowed) {
        Properties p = Fixtures.props("tokenize,ssplit," + annotator);
        p.setProperty(annotator + "." + key, value);
        assertThatThrownBy(() -> new StanfordCoreNLP(p)).satisfies(e -> {
            assertThat(messages(e)).contains(annotator + "." + key).contains("'" + value + "'")
                    .contains("allowed: " + allowed);
            // CoreNLP wraps it (MetaClass$ClassCreationException); ours is found along the cause chain
            InvalidPropertyException ours = InvalidPropertyException.find(e);
            assertThat(ours).as(messages(e)).isNotNull();
            assertThat(ours.property()).isEqualTo(annotator + "." + key);
            assertThat(ours.getMessage()).contains("'" + value + "'").contains("allowed: " + allowed);
        });
    }

    @Test
    void anUnloadableModelIsAnInvalidPropertyNamingTheModelKey(@TempDir Path dir) {
        Properties p = Fixtures.props("tokenize,ssplit,ssner");
        p.setProperty("ssner.model", dir.resolve("absent.zip").toString());
        assertThatThrownBy(() -> new StanfordCoreNLP(p)).satisfies(e -> {
            InvalidPropertyException ours = InvalidPropertyException.find(e);
            assertThat(ours).as(messages(e)).isNotNull();
            assertThat(ours.property()).isEqualTo("ssner.model");
            assertThat(ours.getMessage()).contains("absent.zip");
        });
    }

    @Test
    void aVariantOrLanguageWithoutABundledModelNamesThoseThatExist() {
        Properties p = Fixtures.props("tokenize,ssplit,ssner");
        p.remove("ssner.model"); // the bundled model of a language and variant
        p.setProperty("ssner.variant", "large");
        assertThatThrownBy(() -> new StanfordCoreNLP(p)).satisfies(e -> {
            InvalidPropertyException ours = InvalidPropertyException.find(e);
            assertThat(ours).as(messages(e)).isNotNull();
            assertThat(ours.property()).isEqualTo("ssner.variant");
            assertThat(ours.getMessage()).contains("variant 'large'").contains("en/fast");
        });
        Properties q = Fixtures.props("tokenize,ssplit,ssparse");
        q.remove("ssparse.model");
        q.setProperty("ssparse.language", "fr");
        assertThatThrownBy(() -> new StanfordCoreNLP(q)).satisfies(e -> {
            InvalidPropertyException ours = InvalidPropertyException.find(e);
            assertThat(ours).as(messages(e)).isNotNull();
            assertThat(ours.property()).isEqualTo("ssparse.language");
            assertThat(ours.getMessage()).contains("language 'fr'").contains("en/fast");
        });
    }

    @Test
    void annotatingWithoutSentencesSaysWhatToRunFirst() {
        SparseStructNerAnnotator ner = new SparseStructNerAnnotator("ssner", Fixtures.props("tokenize"));
        assertThatThrownBy(() -> ner.annotate(new Annotation("No tokens yet.")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenize,ssplit");
    }
}
