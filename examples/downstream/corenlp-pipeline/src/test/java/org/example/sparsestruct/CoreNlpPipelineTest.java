package org.example.sparsestruct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.stanford.nlp.pipeline.Annotation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the properties-file pipeline on sentences of examples/documents and checks the weighted alternatives. */
class CoreNlpPipelineTest {
    @Test
    void propertiesPipelineFillsCandidatesTreesAndCoreNlpKeys() throws Exception {
        Annotation doc = new Annotation("Virginia said the University of Virginia will stay open. "
                + "I saw the man with the telescope.");
        CoreNlpPipeline.pipeline().annotate(doc);
        List<String> lines = CoreNlpPipeline.describe(doc);
        List<String[]> span = lines.stream().filter(l -> l.startsWith("CANDIDATE\tUniversity of Virginia\t"))
                .map(l -> l.split("\t")).toList();
        assertTrue(span.size() >= 2, "University of Virginia should be kept with two types: " + lines);
        // marginal weights of exactly the span: at most 1 together (the rest is on readings with no entity on
        // exactly that span, e.g. inside a longer one), and most of the mass
        double sum = span.stream().mapToDouble(r -> Double.parseDouble(r[3])).sum();
        assertTrue(sum > 0.5 && sum <= 1.0 + 1e-9, "the span's readings weigh " + sum + ": " + lines);
        // the telescope sentence keeps at least two weighted trees whose weights sum to 1
        int second = lines.indexOf(lines.stream().filter(l -> l.startsWith("SENTENCE I saw")).findFirst().orElseThrow());
        List<String[]> trees = lines.subList(second, lines.size()).stream().filter(l -> l.startsWith("TREE"))
                .map(l -> l.split("\t")).toList();
        assertTrue(trees.size() >= 2, "two trees expected: " + lines);
        assertEquals(1.0, trees.stream().mapToDouble(r -> Double.parseDouble(r[2])).sum(), 0.01);
        // CoreNLP's own keys: a NER tag and a UPOS tag on every token, the best tree as a SemanticGraph
        assertTrue(lines.stream().filter(l -> l.startsWith("TOKEN")).allMatch(l -> l.split("\t").length == 4));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("BEST ") && l.contains("telescope")));
    }
}
