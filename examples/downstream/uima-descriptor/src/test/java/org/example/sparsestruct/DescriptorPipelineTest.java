package org.example.sparsestruct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.junit.jupiter.api.Test;

/** The XML aggregate on two sentences of examples/documents: the best entities, the candidates and the trees. */
class DescriptorPipelineTest {
    @Test
    void xmlAggregateWritesBestEntitiesCandidatesAndWeightedTrees() throws Exception {
        AnalysisEngine ae = DescriptorPipeline.engine();
        List<String> lines = DescriptorPipeline.run(ae, "Virginia said the University of Virginia will stay open. "
                + "I saw the man with the telescope.");
        ae.destroy();
        assertTrue(lines.contains("BEST\tVirginia\tLOC"), lines.toString());
        List<String[]> span = lines.stream().filter(l -> l.startsWith("CANDIDATE\tUniversity of Virginia\t"))
                .map(l -> l.split("\t")).toList();
        assertTrue(span.size() >= 2, lines.toString());
        // marginal weights of exactly the span "University of Virginia" (LOC / ORG): at most 1 together (the rest is
        // on readings with no entity on exactly that span), and most of the mass
        double sum = span.stream().mapToDouble(r -> Double.parseDouble(r[3])).sum();
        assertTrue(sum > 0.5 && sum <= 1.0 + 1e-9, "the span's readings weigh " + sum + ": " + lines);
        List<String[]> trees = lines.stream().filter(l -> l.startsWith("TREE\tI saw")).map(l -> l.split("\t"))
                .toList();
        assertTrue(trees.size() >= 2, lines.toString());
        assertEquals(1.0, trees.stream().mapToDouble(r -> Double.parseDouble(r[3])).sum(), 0.01);
        assertTrue(trees.stream().anyMatch(r -> r[2].equals("1")));
    }
}
