package io.github.sparsestruct.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparsestruct.models.testing.BundledVariants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accurate variant (BERT-base cased on ONNX Runtime, converted once into the build's test cache) on the
 * examples, through the main job: every document annotated, weighted analyses that sum to one, trees with one
 * root, and the obvious places found. Skipped when the build bundles no accurate models.
 */
class AccurateVariantTest {
    @TempDir
    Path dir;

    @Test
    void annotateRunsTheAccurateModelsOnTheExamples() throws Exception {
        assumeTrue(BundledVariants.accurate(), "no accurate models in this build");
        Path out = dir.resolve("out");
        TrainEvaluateCommandTest.Run r = TrainEvaluateCommandTest.run("annotate", "--no-progress", "-o",
                out.toString(), Path.of("..", "examples", "documents").toString(), "--variant", "accurate",
                "--decode", "sparsemap", "--format", "json");
        assertThat(r.rc()).as(r.err()).isZero();
        List<Path> files;
        try (Stream<Path> s = Files.list(out)) {
            files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".json")).sorted().toList());
        }
        assertThat(files).hasSize(5);
        List<String> locations = new ArrayList<>();
        for (Path f : files) {
            JsonNode doc = new ObjectMapper().readTree(f.toFile());
            for (JsonNode s : doc.get("sentences")) {
                int n = s.get("tokens").size();
                double total = 0;
                for (JsonNode a : s.get("ner").get("analyses")) {
                    assertThat(a.get("tags")).hasSize(n);
                    total += a.get("weight").asDouble();
                }
                assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
                JsonNode best = s.get("ner").get("analyses").get(0);
                for (JsonNode e : best.get("entities")) {
                    if (e.get("type").asText().equals("LOC")) {
                        locations.add(s.get("tokens").get(e.get("start").asInt()).get("text").asText());
                    }
                }
                double trees = 0;
                for (JsonNode t : s.get("depparse").get("trees")) {
                    int roots = 0;
                    for (JsonNode h : t.get("heads")) {
                        assertThat(h.asInt()).isBetween(0, n);
                        roots += h.asInt() == 0 ? 1 : 0;
                    }
                    assertThat(roots).isEqualTo(1);
                    trees += t.get("weight").asDouble();
                }
                assertThat(trees).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            }
        }
        assertThat(locations).contains("Paris", "Atlanta");
    }
    @Test
    void theAccurateEnglishAlignerLinksParaphrases() throws Exception {
        assumeTrue(io.github.sparsestruct.models.ModelCatalog.entries().stream().anyMatch(e -> e.task().equals(
                "align") && e.language().equals("en") && e.variant().equals("accurate")),
                "no accurate English aligner in this build");
        Path a = Files.writeString(dir.resolve("a.txt"), "the film was very big and the audience loved it . "
                + "he died in paris in 1920 .\n");
        Path b = Files.writeString(dir.resolve("b.txt"), "the movie was extremely large and the viewers adored it . "
                + "he passed away in paris in 1920 .\n");
        Path out = dir.resolve("out");
        TrainEvaluateCommandTest.Run r = TrainEvaluateCommandTest.run("annotate", "--no-progress", "--tasks", "align",
                "--variant", "accurate", "--format", "json", "--align-to", b.toString(), "-o", out.toString(),
                a.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(Files.readString(out.resolve("a.json")));
        List<String> links = new ArrayList<>();
        for (JsonNode al : doc.get("alignments")) {
            for (JsonNode l : al.get("links")) {
                links.add(al.get("sourceSentence").asInt() + ":" + l.get(0).asInt() + "-" + l.get(1).asInt());
            }
        }
        // film-movie, big-large, audience-viewers, loved-adored, died-passed: words that differ
        assertThat(links).contains("0:1-1", "0:4-4", "0:7-7", "0:8-8", "0:12-12");
    }
}
