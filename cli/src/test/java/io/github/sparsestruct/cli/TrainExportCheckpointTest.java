package io.github.sparsestruct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.sparsestruct.models.format.ParameterFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --export-checkpoint}: a checkpoint's best epoch as a model file (formerly bench/CheckpointToModel). */
class TrainExportCheckpointTest {
    @Test
    void aCheckpointsBestEpochBecomesTheModelTrainWrote(@TempDir Path dir) throws Exception {
        TrainEvaluateCommandTest.Run t = TrainEvaluateCommandTest.trainTinyNer(dir);
        assertThat(t.rc()).as(t.err()).isZero();
        Path ckpt = dir.resolve("ner.zip.ckpt");
        assertThat(ckpt).exists();
        double trained = TrainEvaluateCommandTest.devF1(dir);
        Files.move(dir.resolve("ner.zip"), dir.resolve("trained.zip"));

        TrainEvaluateCommandTest.Run e = TrainEvaluateCommandTest.run("train", "--task", "ner", "--export-checkpoint",
                ckpt.toString(), "--out", dir.resolve("ner.zip").toString(), "--train",
                dir.resolve("train.iob2").toString(), "--dev", dir.resolve("dev.iob2").toString());
        assertThat(e.rc()).as(e.err()).isZero();
        assertThat(e.err()).contains("best epoch").contains("of 12");
        // the same parameters as the model train kept (its best epoch), so the same dev score
        assertThat(TrainEvaluateCommandTest.devF1(dir)).isEqualTo(trained);
        JsonNode about = InstanceSolver.MAPPER.readTree(ParameterFiles.load(dir.resolve("ner.zip"), "ner")
                .getMetadata(ParameterFiles.ABOUT));
        assertThat(about.get("task").asText()).isEqualTo("ner");
        assertThat(about.get("epochs").asInt()).isEqualTo(12);
        assertThat(about.get("history")).hasSize(12);
        assertThat(about.get("exportedFrom").asText()).isEqualTo(ckpt.toString());
        assertThat(about.get("trainData").asText()).endsWith("train.iob2");
    }

    @Test
    void exportNeedsACheckpointOfTheTaskAndTrainingNeedsData(@TempDir Path dir) throws Exception {
        TrainEvaluateCommandTest.Run noData = TrainEvaluateCommandTest.run("train", "--task", "ner", "--out",
                dir.resolve("m.zip").toString());
        assertThat(noData.rc()).isEqualTo(2);
        assertThat(noData.err()).contains("--train FILE is required");
        TrainEvaluateCommandTest.Run missing = TrainEvaluateCommandTest.run("train", "--task", "ner",
                "--export-checkpoint", dir.resolve("none.ckpt").toString(), "--out", dir.resolve("m.zip").toString());
        assertThat(missing.rc()).isNotZero();
        assertThat(missing.err()).contains("none.ckpt");
    }
}
