package io.github.sparsestruct.uima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link EntityCandidateEvaluation} from Maven when {@code -Dsparsestruct.eval.model=...} is given (skipped
 * otherwise); see that class for the command. Properties: {@code sparsestruct.eval.model} (a path or {@code bundled}),
 * {@code sparsestruct.eval.data} (IOB2; default UNER English-EWT dev in {@code ../shared/data}),
 * {@code sparsestruct.eval.decode} (default sparsemap), {@code sparsestruct.eval.maxSentences} (default all),
 * {@code sparsestruct.eval.out} (a file to write the table and JSON to, besides standard output).
 */
class EntityCandidateEvaluationRun {
    @Test
    void run() throws Exception {
        String model = System.getProperty("sparsestruct.eval.model");
        assumeTrue(model != null && !model.isBlank(), "set -Dsparsestruct.eval.model to run the evaluation");
        Path data = Path.of(System.getProperty("sparsestruct.eval.data", EntityCandidateFilterTest.DEV.toString()));
        EntityCandidateEvaluation.Result r = EntityCandidateEvaluation.run(
                model.equals("tiny") ? TestModels.nerTrained() : model, data,
                System.getProperty("sparsestruct.eval.decode", "sparsemap"),
                Integer.parseInt(System.getProperty("sparsestruct.eval.maxSentences", "0")));
        // a sanity check of the run itself: a lower threshold keeps a superset of the candidates, so recall cannot
        // fall as the threshold falls, and every point counts the same gold mentions as MAP
        for (int i = 1; i < r.curve().size(); i++) {
            assertThat(r.curve().get(i).threshold()).isGreaterThan(r.curve().get(i - 1).threshold());
            assertThat(r.curve().get(i).correct()).isLessThanOrEqualTo(r.curve().get(i - 1).correct());
            assertThat(r.curve().get(i).gold()).isEqualTo(r.map().gold());
        }
        String text = r.table() + r.json() + "\n";
        System.out.print(text);
        String out = System.getProperty("sparsestruct.eval.out");
        if (out != null && !out.isBlank()) {
            Files.writeString(Path.of(out), text);
        }
    }
}
