package io.github.sparsestruct.benchmarks.corenlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparsestruct.models.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoreNlpThroughputTest {
    @Test
    void runnerMeasuresEveryDecodingOnTheTextLinesOfAConlluFile(@TempDir Path dir) throws Exception {
        Path conllu = Files.writeString(dir.resolve("tiny.conllu"), """
                # sent_id = a
                # text = Alice visited New York.
                1\tAlice\t_\t_\t_\t_\t0\troot\t_\t_

                # sent_id = b
                # text = The dog saw a cat.
                1\tThe\t_\t_\t_\t_\t0\troot\t_\t_

                # sent_id = c
                # text = Bob met Carol in Rome.
                1\tBob\t_\t_\t_\t_\t0\troot\t_\t_
                """);
        assertThat(CoreNlpThroughput.texts(conllu, 0)).containsExactly("Alice visited New York.",
                "The dog saw a cat.", "Bob met Carol in Rome.");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<CoreNlpThroughput.Result> results = CoreNlpThroughput.run(new String[] {"--data", conllu.toString(),
            "--ner", TinyModels.writeNer(dir.resolve("ner.zip"), 12, 17).toString(),
            "--parser", TinyModels.writeParser(dir.resolve("parser.zip"), 8, 17).toString(),
            "--sentences-per-document", "2", "--warmup-documents", "1"},
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertThat(results).extracting(CoreNlpThroughput.Result::decode)
                .containsExactly("tokenize,ssplit", "map", "marginals", "sparsemap", "dp_l2");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.sentences()).isEqualTo(3);
            assertThat(r.tokens()).isEqualTo(5 + 6 + 6);
            assertThat(r.documents()).isEqualTo(2);
        });
        assertThat(results.get(4).parserDecode()).isEqualTo("sparsemap");
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.get("results")).hasSize(5);
        assertThat(json.get("results").get(3).get("tokens").asInt()).isEqualTo(17);
    }

    @Test
    void unknownOptionsListTheAllowedOnes() {
        assertThatThrownBy(() -> CoreNlpThroughput.run(new String[] {"--threads", "4"}, System.err))
                .hasMessageContaining("allowed: --data");
    }
}
