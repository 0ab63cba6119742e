package io.github.sparsestruct.uima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link ThroughputRunner} from Maven when {@code -Dsparsestruct.bench.ner=...} is given (see that class for the
 * command; {@code tiny} names the test models); otherwise only checks that it counts tokens on a few sentences.
 */
class ThroughputRun {
    static final Path DEV = Path.of("../../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu");

    private static String model(String property, String tiny) {
        String v = System.getProperty(property, "bundled");
        return v.equals("tiny") ? tiny : v;
    }

    @Test
    void run() throws Exception {
        String ner = System.getProperty("sparsestruct.bench.ner");
        assumeTrue(ner != null && !ner.isBlank(), "set -Dsparsestruct.bench.ner to run the throughput benchmark");
        Path data = Path.of(System.getProperty("sparsestruct.bench.data", DEV.toString()));
        List<String> texts = ThroughputRunner.texts(data,
                Integer.parseInt(System.getProperty("sparsestruct.bench.maxSentences", "0")));
        List<String> decodes = List.of(System.getProperty("sparsestruct.bench.decodes", "map,marginals,sparsemap")
                .split(","));
        String report = ThroughputRunner.report(ThroughputRunner.run(model("sparsestruct.bench.ner",
                TestModels.nerTrained()), model("sparsestruct.bench.parser", TestModels.parser()), texts, decodes),
                texts.size());
        System.out.print(report);
        String out = System.getProperty("sparsestruct.bench.out");
        if (out != null && !out.isBlank()) {
            Files.writeString(Path.of(out), report);
        }
    }

    @Test
    void runnerCountsEveryTokenOncePerMode() throws Exception {
        List<String> texts = List.of("Alice visited Paris.", "Bob works for Acme Corp in New York.");
        List<ThroughputRunner.Figure> f = ThroughputRunner.run(TestModels.ner(), TestModels.parser(), texts,
                List.of("map", "sparsemap"));
        assertThat(f).extracting(ThroughputRunner.Figure::tokens).containsExactly(13L, 13L);
        assertThat(ThroughputRunner.report(f, 2)).contains("\"decode\":\"sparsemap\",\"tokens\":13");
    }
}
