package org.example.sparsestruct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the sample pipeline on the repository's example documents and checks what it wrote. */
class PipelineTest {
    private static final Path DOCS = Path.of("../../documents");

    @Test
    void pipelineWritesDkproOutputsAndTheUsersEngineSeesTheAlternatives(@TempDir Path out) throws Exception {
        Pipeline.main(new String[] {DOCS.toString(), out.toString()});
        long texts;
        try (Stream<Path> s = Files.list(DOCS)) {
            texts = s.filter(p -> p.toString().endsWith(".txt")).count();
        }
        try (Stream<Path> xmi = Files.list(out.resolve("xmi"))) {
            assertEquals(texts, xmi.filter(p -> p.toString().endsWith(".xmi")).count());
        }
        String conllu = Files.readString(out.resolve("conllu").resolve("02-attachment.txt.conllu"));
        assertTrue(conllu.contains("telescope"), conllu);

        List<String[]> rows = Files.readAllLines(out.resolve("ambiguity.tsv")).stream().map(l -> l.split("\t"))
                .toList();
        // the attachment sentence keeps two trees (README: 0.543 / 0.457)
        assertTrue(rows.stream().anyMatch(r -> r[0].equals("02-attachment.txt") && r[2].equals("trees")
                && Integer.parseInt(r[3]) >= 2 && Double.parseDouble(r[4]) < 1.0), "no ambiguous tree");
        // "University of Virginia" is kept both as LOC and as ORG (README: 0.58 / 0.42)
        List<String[]> span = rows.stream().filter(r -> r[2].equals("candidate")
                && r[3].equals("University of Virginia")).toList();
        assertTrue(span.size() >= 2, "University of Virginia should have two readings");
        double sum = span.stream().mapToDouble(r -> Double.parseDouble(r[5])).sum();
        // marginal weights of exactly the span: at most 1 together (the rest is on readings with no entity on
        // exactly that span), and most of the mass
        assertTrue(sum > 0.5 && sum <= 1.0 + 1e-9, "the span's readings weigh " + sum);
    }

    @Test
    void theApacheModulesBringNoGplArtifact() {
        String cp = System.getProperty("java.class.path");
        assertFalse(cp.contains("stanford-corenlp"), cp);
        assertFalse(cp.contains("sparsestruct-corenlp-annotators"), cp);
        assertFalse(cp.contains("sparsestruct-cli"), cp);
        assertThrows(ClassNotFoundException.class, () -> Class.forName("edu.stanford.nlp.pipeline.StanfordCoreNLP"));
    }
}
