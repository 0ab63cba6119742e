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

    @Test
    void anEmptyTextAndA500TokenSentenceGetDefinedAlignments() throws Exception {
        assumeTrue(ModelCatalog.entries().stream().anyMatch(e -> e.task().equals(BundledModels.ALIGN)
                && e.language().equals("fr")), "no French aligner in this build");
        StringBuilder fr = new StringBuilder();
        StringBuilder en = new StringBuilder();
        for (int i = 0; i < 100; i++) { // one sentence of 500 tokens on each side: beyond 512 word pieces
            fr.append(i == 0 ? "Le" : "le").append(" chat dort bien ,");
            en.append(i == 0 ? "The" : "the").append(" cat sleeps well ,");
        }
        Path longFr = Files.writeString(dir.resolve("long.txt"), fr + " fin.\n");
        Path longEn = Files.writeString(dir.resolve("long-en.txt"), en + " end.\n");
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        Path out = dir.resolve("out");
        TrainEvaluateCommandTest.Run r = TrainEvaluateCommandTest.run("annotate", "--no-progress", "--tasks", "align",
                "--language", "fr", "--format", "json", "--align-to", longEn.toString(), "-o", out.toString(),
                longFr.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(Files.readString(out.resolve("long.json")));
        assertThat(doc.get("sentences").get(0).get("tokens")).hasSize(502);
        assertThat(doc.get("alignments")).hasSize(1);
        // chat-cat in the last window as in the first: positions 1 and 496 on both sides
        assertThat(links(doc, 0)).contains("1-1", "496-496");
        TrainEvaluateCommandTest.Run e = TrainEvaluateCommandTest.run("annotate", "--no-progress", "--tasks", "align",
                "--language", "fr", "--format", "json", "--align-to", longEn.toString(), "-o", out.toString(),
                empty.toString());
        assertThat(e.rc()).as(e.err()).isZero();
        JsonNode none = new ObjectMapper().readTree(Files.readString(out.resolve("empty.json")));
        assertThat(none.get("sentences")).isEmpty();
        assertThat(none.get("alignments")).isEmpty();
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
