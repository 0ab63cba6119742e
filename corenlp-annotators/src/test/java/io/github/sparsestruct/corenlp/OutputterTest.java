package io.github.sparsestruct.corenlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.AnnotationOutputter;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OutputterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String TEXT = "Alice visited Paris. The dog saw a cat.";
    private static Properties props;
    private static Annotation doc;

    @BeforeAll
    static void annotate() {
        props = Fixtures.props("tokenize,ssplit,ssner,ssparse");
        props.setProperty("outputFormat", "custom");
        props.setProperty("customOutputter", SparseStructJsonOutputter.class.getName());
        doc = new Annotation(TEXT);
        doc.set(CoreAnnotations.DocIDAnnotation.class, "doc-1");
        new StanfordCoreNLP(props).annotate(doc);
    }

    private static JsonNode output(Properties p) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StanfordCoreNLP.createOutputter(p, AnnotationOutputter.getOptions(p)).accept(doc, out);
        return MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void customOutputFormatWritesCoreNlpJsonWithTheAlternativesBeside() throws Exception {
        JsonNode json = output(props);
        JsonNode s0 = json.get("sentences").get(0);
        assertThat(s0.get("tokens").get(0).get("word").asText()).isEqualTo("Alice");
        assertThat(s0.get("tokens").get(0).has("ner")).isTrue();
        assertThat(s0.get("tokens").get(0).has("pos")).isTrue();
        assertThat(s0.get("basicDependencies").size()).isEqualTo(s0.get("tokens").size());
        assertThat(s0.has("entitymentions")).isTrue();
        JsonNode alt = json.get(SparseStructJsonOutputter.FIELD);
        assertThat(alt.get("schema").asText()).isEqualTo(AlternativesJson.SCHEMA);
        assertThat(alt.get("id").asText()).isEqualTo("doc-1");
        assertThat(alt.get("sentences")).hasSize(2);
        JsonNode ner = alt.get("sentences").get(0).get("ner");
        assertThat(ner.get("analyses").get(0).get("tags")).hasSize(s0.get("tokens").size());
        assertThat(alt.get("sentences").get(1).get("depparse").get("trees").get(0).get("heads")).hasSize(6);
    }

    @Test
    void alternativesAreByteForByteTheSharedSchemaOfTheAnnotation() throws Exception {
        JsonNode json = output(props);
        String expected = AlternativesJson.toJson("doc-1", SparseStructCore.sentences(doc));
        assertThat(MAPPER.writeValueAsString(json.get(SparseStructJsonOutputter.FIELD))).isEqualTo(expected);
        assertThat(SparseStructCore.alternatives(doc).toString()).isEqualTo(expected);
    }

    @Test
    void prettyPrintIsHonoured() throws Exception {
        for (String pretty : new String[] {"true", "false"}) {
            Properties p = new Properties();
            p.putAll(props);
            p.setProperty("output.prettyPrint", pretty);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StanfordCoreNLP.createOutputter(p, AnnotationOutputter.getOptions(p)).accept(doc, out);
            String s = out.toString(StandardCharsets.UTF_8);
            if (pretty.equals("true")) {
                assertThat(s.lines().count()).isGreaterThan(10);
            } else {
                assertThat(s.lines().count()).as("one line").isEqualTo(1);
            }
            assertThat(MAPPER.readTree(s)).isEqualTo(output(props));
        }
    }

    @Test
    void shippedPropertiesFileBuildsTheWholePipeline() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/sparsestruct.properties")) {
            p.load(in);
        }
        assertThat(p.getProperty("customOutputter")).isEqualTo(SparseStructJsonOutputter.class.getName());
        assertThat(AnnotationOutputter.getOptions(p).pretty).as("one JSON object per line").isFalse();
        p.setProperty("ssner.model", Fixtures.nerModel().toString());
        p.setProperty("ssparse.model", Fixtures.parserModel().toString());
        Annotation a = new Annotation(TEXT);
        new StanfordCoreNLP(p).annotate(a);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StanfordCoreNLP.createOutputter(p, AnnotationOutputter.getOptions(p)).accept(a, out);
        JsonNode json = MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(json.get("sparsestruct").get("sentences").get(0).has("ner")).isTrue();
        assertThat(json.get("sparsestruct").get("sentences").get(0).has("depparse")).isTrue();
    }
}
