package io.github.sparsestruct.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.format.ParameterFiles;
import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.nn.ParameterStore;
import io.github.sparsestruct.models.train.EpochStats;
import io.github.sparsestruct.models.train.LearningRateSchedule;
import io.github.sparsestruct.models.train.TrainableModel;
import io.github.sparsestruct.models.train.TrainingStats;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;

/**
 * The model file {@code sparsestruct train} writes ({@code --out}): the model's parameters under a header that records
 * the task, the data, the options, the training history and time, and the machine.
 */
final class TrainedModelFile {
    private final TrainOptions options;
    private final NerTrainOptions ner;

    TrainedModelFile(TrainOptions options, NerTrainOptions ner) {
        this.options = options;
        this.ner = ner;
    }

    /** The header of a model trained (or exported) with this schedule and average decay. */
    ObjectNode header(TrainingStats stats, String config, LearningRateSchedule schedule, double emaDecay) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("task", options.task);
        a.put("trainData", options.train == null ? null : options.train.toString());
        a.put("devData", options.dev == null ? null : options.dev.toString());
        a.put("loss", options.loss == null ? "default" : options.loss);
        if (ner.encoderFrom != null) {
            a.put("encoderFrom", ner.encoderFrom.toString());
        }
        if (ner.gazetteerFile != null) {
            a.put("gazetteer", ner.gazetteerFile.toString());
        }
        if (ner.vectorsFile != null) {
            a.put("wordVectors", ner.vectorsFile.toString());
        }
        if (ner.expandWords > 0) {
            a.put("expandVocabulary", ner.expandWords);
        }
        a.put("config", config);
        a.put("seed", options.seed);
        a.put("lrSchedule", schedule.name().toLowerCase(Locale.ROOT));
        a.put("emaDecay", emaDecay);
        a.put("threads", options.threads);
        a.put("epochs", stats.epochs().size());
        a.put("bestEpoch", stats.bestEpoch());
        // summed over every epoch in the history, so a run resumed from a checkpoint reports the whole training
        double seconds = 0;
        long tokens = 0;
        for (EpochStats e : stats.epochs()) {
            seconds += e.seconds();
            tokens += e.tokens();
        }
        a.put("trainingSeconds", seconds);
        a.put("trainTokensPerSecond", seconds > 0 ? tokens / seconds : 0);
        a.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch")
                + ", Java " + Runtime.version());
        a.put("trainedAt", Instant.now().toString());
        ArrayNode hist = a.putArray("history");
        for (EpochStats e : stats.epochs()) {
            ObjectNode h = hist.addObject();
            h.put("epoch", e.epoch());
            h.put("lossPerToken", e.lossPerToken());
            h.put("tokensPerSecond", e.tokensPerSecond());
            if (e.devScore() != null) {
                h.put("dev", e.devScore());
            }
        }
        return a;
    }

    /** Writes the model with this header as {@code --out}. */
    void save(TrainableModel<?> model, ObjectNode header) throws IOException {
        ParameterStore store = new InMemoryParameterStore();
        model.save(store);
        ParameterFiles.save(options.out, options.task, store, header);
    }
}
