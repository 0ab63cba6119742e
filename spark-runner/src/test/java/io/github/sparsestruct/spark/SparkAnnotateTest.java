package io.github.sparsestruct.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparsestruct.models.testing.TinyModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkAnnotateTest {
    @TempDir
    static Path dir;
    private static Path ner;
    private static Path parser;
    private static Path docs;

    @BeforeAll
    static void setUp() throws IOException {
        ner = TinyModels.writeNer(dir.resolve("ner.zip"), 2, 1);
        parser = TinyModels.writeParser(dir.resolve("parser.zip"), 2, 1);
        docs = dir.resolve("docs");
        Files.createDirectories(docs.resolve("nested"));
        Files.writeString(docs.resolve("a.txt"), "Alice visited New York. Bob met Carol in Rome.");
        Files.writeString(docs.resolve("b.txt"), "The weather in Lyon was nice.");
        Files.writeString(docs.resolve("nested/c.txt"), "Acme Corp opened an office in Paris \uD83D\uDE00.");
        Files.writeString(docs.resolve("empty.txt"), "");
        Files.writeString(docs.resolve("README.md"), "not a document");
    }

    /** A job with both tasks, the tiny models, sparsemap decoding and the default limits. */
    private static SparkAnnotate job() {
        SparkAnnotate job = new SparkAnnotate();
        job.tasks = List.of("ner", "depparse");
        job.decoding = "sparsemap";
        job.nerModel = ner.toString();
        job.parserModel = parser.toString();
        job.maxAlternatives = 5;
        job.minWeight = 0.01;
        return job;
    }

    private static TreeMap<String, JsonNode> run(String master, String input, boolean lines, String out)
            throws Exception {
        SparkAnnotate job = job();
        job.input = input;
        job.lines = lines;
        job.output = dir.resolve(out).toString();
        job.partitions = 2;
        job.language = "en";
        SparkConf conf = new SparkConf().setAppName("test").setMaster(master).set("spark.ui.enabled", "false");
        long n;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            n = job.run(sc);
        }
        TreeMap<String, JsonNode> byId = new TreeMap<>();
        ObjectMapper m = new ObjectMapper();
        List<Path> parts = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.resolve(out))) {
            s.filter(p -> p.getFileName().toString().startsWith("part-")).forEach(parts::add);
        }
        for (Path p : parts) {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                JsonNode j = m.readTree(line);
                byId.put(j.get("id").asText(), j);
            }
        }
        assertThat(byId).hasSize((int) n);
        return byId;
    }

    @Test
    void twoLocalWorkersWriteTheSameAlternativesAsOne() throws Exception {
        TreeMap<String, JsonNode> two = run("local[2]", docs.toString(), false, "out2");
        TreeMap<String, JsonNode> one = run("local[1]", docs.toString(), false, "out1");
        assertThat(two.keySet()).hasSize(4).anyMatch(k -> k.endsWith("nested/c.txt"));
        assertThat(two).isEqualTo(one);
        JsonNode a = two.entrySet().stream().filter(e -> e.getKey().endsWith("a.txt")).findFirst().orElseThrow()
                .getValue();
        assertThat(a.get("schema").asText()).isEqualTo("sparsestruct-alternatives");
        assertThat(a.get("sentences")).hasSize(2);
        for (JsonNode s : a.get("sentences")) {
            double w = 0;
            for (JsonNode t : s.get("depparse").get("trees")) {
                w += t.get("weight").asDouble();
            }
            assertThat(w).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(s.get("ner").get("analyses").size()).isPositive();
        }
        JsonNode empty = two.entrySet().stream().filter(e -> e.getKey().endsWith("empty.txt")).findFirst()
                .orElseThrow().getValue();
        assertThat(empty.get("sentences")).isEmpty();
    }

    @Test
    void aTextPerLineFileGivesOneDocumentPerLine() throws Exception {
        Path f = dir.resolve("lines.txt");
        Files.writeString(f, "Alice visited Paris.\nBob works for Initech in Rome.\nYesterday Dan met Carol.\n");
        TreeMap<String, JsonNode> out = run("local[2]", f.toString(), true, "outLines");
        assertThat(out.keySet()).containsExactly("line-1", "line-2", "line-3");
        assertThat(out.get("line-2").get("sentences").get(0).get("tokens").get(0).get("text").asText())
                .isEqualTo("Bob");
    }

    @Test
    void documentsBatchedInGroupsGiveTheSameAlternativesAsOneAtATime() throws Exception {
        SparkAnnotate job = job();
        List<scala.Tuple2<String, String>> input = new ArrayList<>();
        String[] texts = {"Alice visited New York. Bob met Carol in Rome.", "", "The weather in Lyon was nice.",
            "Acme Corp opened an office in Paris \uD83D\uDE00.", "Dan Brown met Alice. Bob met Alice."};
        for (int i = 0; i < PartitionAnnotator.GROUP_DOCUMENTS + 5; i++) {
            input.add(new scala.Tuple2<>("d" + i, texts[i % texts.length]));
        }
        List<String> grouped = new ArrayList<>();
        new PartitionAnnotator(job.descriptorXml(), "en", job.models(), PartitionAnnotator.GROUP_DOCUMENTS)
                .call(input.iterator()).forEachRemaining(grouped::add);
        List<String> single = new ArrayList<>();
        new PartitionAnnotator(job.descriptorXml(), "en", job.models(), 1).call(input.iterator())
                .forEachRemaining(single::add);
        assertThat(grouped).hasSize(input.size());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PartitionAnnotator(job.descriptorXml(), "en",
                job.models(), 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        ObjectMapper m = new ObjectMapper();
        for (int i = 0; i < input.size(); i++) {
            JsonNode g = m.readTree(grouped.get(i));
            assertThat(g.get("id").asText()).isEqualTo("d" + i);
            assertThat(g.has("error")).isFalse();
            assertClose(g, m.readTree(single.get(i)), "d" + i);
        }
    }

    /**
     * Same structure, texts and tags; numbers equal up to float rounding (a sentence's scores depend, in the last
     * bits, on the batch it was computed in).
     */
    private static void assertClose(JsonNode a, JsonNode b, String path) {
        if (a.isNumber() && b.isNumber()) {
            assertThat(a.asDouble()).as(path).isCloseTo(b.asDouble(), org.assertj.core.data.Offset.offset(1e-4));
            return;
        }
        assertThat(a.getNodeType()).as(path).isEqualTo(b.getNodeType());
        assertThat(a.size()).as(path).isEqualTo(b.size());
        if (a.isObject()) {
            List<String> fa = new ArrayList<>();
            List<String> fb = new ArrayList<>();
            a.fieldNames().forEachRemaining(fa::add);
            b.fieldNames().forEachRemaining(fb::add);
            assertThat(fa).as(path).isEqualTo(fb);
            a.fieldNames().forEachRemaining(f -> assertClose(a.get(f), b.get(f), path + "/" + f));
        } else if (a.isArray()) {
            for (int i = 0; i < a.size(); i++) {
                assertClose(a.get(i), b.get(i), path + "/" + i);
            }
        } else {
            assertThat(a).as(path).isEqualTo(b);
        }
    }
}
