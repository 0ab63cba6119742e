package io.github.sparsestruct.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.ModelCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code annotate --tasks align --language fr --align-to} with the bundled French–English aligner (multilingual
 * BERT, converted once into the build's test cache): the sentences of a French text and of its English translation,
 * where one French sentence became two English ones, are paired in order, and the words of the pairs are linked to
 * their translations. Skipped when the build bundles no French aligner.
 */
class FrenchEnglishAlignTest {
    @TempDir
    Path dir;

    @Test
    void frenchSentencesAndWordsAlignWithTheirEnglishTranslation() throws Exception {
        assumeTrue(ModelCatalog.entries().stream().anyMatch(e -> e.task().equals(BundledModels.ALIGN)
                && e.language().equals("fr")), "no French aligner in this build");
        Path fr = Files.writeString(dir.resolve("conte.txt"), "Le chat dort sur le tapis. Marie a acheté une "
                + "voiture rouge hier. Les enfants jouent dans le jardin.\n");
        Path en = Files.writeString(dir.resolve("tale.txt"), "The cat sleeps on the carpet. Mary bought a car "
                + "yesterday. It is red. The children play in the garden.\n");
        Path out = dir.resolve("out");
        TrainEvaluateCommandTest.Run r = TrainEvaluateCommandTest.run("annotate", "--no-progress", "--tasks", "align",
                "--language", "fr", "--format", "json", "--align-to", en.toString(), "-o", out.toString(),
                fr.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(Files.readString(out.resolve("conte.json")));
        List<String> pairs = new ArrayList<>();
        for (JsonNode a : doc.get("alignments")) {
            pairs.add(a.get("sourceSentence").asInt() + "-" + a.get("targetSentence").asInt());
        }
        // "Marie a acheté une voiture rouge hier." is "Mary bought a car yesterday. It is red."
        assertThat(pairs).containsExactly("0-0", "1-1", "1-2", "2-3");
        List<String> first = new ArrayList<>();
        doc.get("sentences").get(0).get("tokens").forEach(t -> first.add(t.get("text").asText()));
        assertThat(first).containsExactly("Le", "chat", "dort", "sur", "le", "tapis", ".");
        // Le chat dort sur le tapis . / The cat sleeps on the carpet .: chat-cat, dort-sleeps, tapis-carpet
        assertThat(links(doc, 0)).contains("1-1", "2-2", "5-5");
        // Les enfants jouent dans le jardin . / The children play in the garden .: enfants-children, jardin-garden
        assertThat(links(doc, 3)).contains("1-1", "5-5");
    }

    /** The best alignment's links of the k-th sentence pair as {@code i-j} (French position, English position). */
    private static List<String> links(JsonNode doc, int k) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : doc.get("alignments").get(k).get("links")) {
            out.add(l.get(0).asInt() + "-" + l.get(1).asInt());
        }
        return out;
    }
}
