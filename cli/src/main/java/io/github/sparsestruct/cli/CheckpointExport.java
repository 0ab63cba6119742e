package io.github.sparsestruct.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.align.AlignModel;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.format.ParameterFiles;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.nn.Json;
import io.github.sparsestruct.models.train.EpochStats;
import io.github.sparsestruct.models.train.LearningRateSchedule;
import io.github.sparsestruct.models.train.TrainableModel;
import io.github.sparsestruct.models.train.TrainingStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code sparsestruct train --export-checkpoint}: the model a checkpoint holds, with the best epoch's parameters (the
 * last ones before a first epoch ended), written as {@code --out} with {@link TrainedModelFile}'s header plus where it
 * came from.
 */
final class CheckpointExport {
    private CheckpointExport() {
    }

    /** Exports checkpoint {@code ckpt} of a {@code --task} run; 0 when written, 2 for an unknown task. */
    static int run(TrainOptions options, NerTrainOptions ner, Path ckpt, PrintWriter err) throws IOException {
        String task = options.task;
        InMemoryParameterStore ck = ParameterFiles.load(ckpt, "checkpoint-" + task);
        TrainableModel<?> model;
        String config;
        switch (task) {
            case BundledModels.NER -> {
                NerModel m = NerModel.load(ck);
                model = m;
                config = m.config().toString();
            }
            case BundledModels.DEPPARSE -> {
                ParserModel m = ParserModel.load(ck);
                model = m;
                config = m.config().toString();
            }
            case BundledModels.ALIGN -> {
                AlignModel m = AlignModel.load(ck);
                model = m;
                config = m.config().toString();
            }
            default -> {
                err.println("train: unknown task '" + task + "'; expected ner, depparse or align");
                return 2;
            }
        }
        ObjectMapper mapper = new ObjectMapper();
        JsonNode state = mapper.readTree(ck.requireMetadata("trainer/state"));
        int best = state.path("bestEpoch").asInt(0);
        if (best > 0) {
            for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
                e.getValue().assign(ck.require("best/" + e.getKey(), e.getValue().dataType())
                        .reshape(e.getValue().shape()));
            }
        }
        List<EpochStats> epochs = new ArrayList<>();
        for (JsonNode e : state.path("epochs")) {
            epochs.add(Json.read(e.toString(), EpochStats.class));
        }
        JsonNode bestScore = state.get("bestScore");
        TrainingStats stats = new TrainingStats(epochs, best, bestScore == null || bestScore.isNull() ? null
                : bestScore.asDouble(), false, 0, 0);
        LearningRateSchedule schedule;
        if (state.hasNonNull("schedule")) {
            schedule = TrainCommand.parse(LearningRateSchedule.class, state.get("schedule").asText());
        } else {
            schedule = LearningRateSchedule.CONSTANT;
        }
        double emaDecay = state.path("averageDecay").asDouble(0);
        TrainedModelFile file = new TrainedModelFile(options, ner);
        ObjectNode about = file.header(stats, config, schedule, emaDecay);
        about.remove("threads");
        about.put("exportedFrom", ckpt.toString());
        about.put("exportedAfterEpoch", epochs.size());
        file.save(model, about);
        err.printf(Locale.ROOT, "train: wrote %s from %s: best epoch %d of %d%s%n", options.out, ckpt, best,
                epochs.size(), stats.bestScore() == null ? "" : String.format(Locale.ROOT, ", dev %.4f",
                        stats.bestScore()));
        return 0;
    }
}
