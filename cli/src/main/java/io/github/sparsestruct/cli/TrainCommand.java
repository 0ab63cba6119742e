package io.github.sparsestruct.cli;

import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.train.LearningRateSchedule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparsestruct train}: trains a NER model or a dependency parser with a Fenchel-Young loss. It checks the
 * options ({@link TrainOptions}, {@link NerTrainOptions}) and hands over to the {@link TaskTraining} run, or with
 * {@code --export-checkpoint} to the {@link CheckpointExport}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a NER model (IOB2 data), a dependency parser (CoNLL-U data) or a word aligner",
            "(MultiMWA TSV data).",
            "Shows a progress bar (loss, tokens/s), evaluates on dev after each epoch, stops early",
            "when dev stops improving, keeps the best epoch, and checkpoints every epoch to OUT.ckpt",
            "(resume with --resume). With --export-checkpoint CKPT it trains nothing: it writes the",
            "best epoch of a checkpoint (of a run still going or stopped) as the model file --out."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TrainOptions options;

    @Mixin
    NerTrainOptions ner;

    @Mixin
    DistillOptions distill;

    @Option(names = "--export-checkpoint", paramLabel = "CKPT",
            description = "train nothing: write the best epoch's parameters of this checkpoint (OUT.ckpt of a train "
                    + "run of --task, still running or stopped) as the model file --out, with the header train "
                    + "writes (history, epochs, time); --train and --dev are recorded in it")
    Path exportCheckpoint;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (exportCheckpoint != null) {
            return CheckpointExport.run(options, ner, exportCheckpoint, err);
        }
        String refused = refusal();
        if (refused != null) {
            err.println("train: " + refused);
            return 2;
        }
        LearningRateSchedule schedule = parse(LearningRateSchedule.class, options.lrSchedule);
        if (!(options.emaDecay >= 0 && options.emaDecay < 1)) {
            err.println("train: --ema-decay must be in [0, 1) (0: no averaging), not " + options.emaDecay);
            return 2;
        }
        return new TaskTraining(options, ner, distill, schedule, err).run();
    }

    /** Why the options do not go together, or null when they do. */
    private String refusal() {
        String task = options.task;
        boolean isNer = BundledModels.NER.equals(task);
        if (options.train == null) {
            return "--train FILE is required";
        }
        if (ner.encoderFrom != null && !isNer) {
            return "--encoder-from applies to --task ner only";
        }
        if (ner.encoderFrom != null && (options.lstmHidden != null || options.lstmLayers != null)) {
            return "--encoder-from takes the parser's encoder sizes; drop --lstm-hidden / --lstm-layers";
        }
        if (ner.gazetteerFile != null && !isNer) {
            return "--gazetteer applies to --task ner only";
        }
        if (ner.vectorsFile != null && !isNer) {
            return "--word-vectors applies to --task ner only";
        }
        if (ner.expandWords != 0 && (ner.encoderFrom == null || ner.vectorsFile == null || ner.expandWords < 0)) {
            return "--expand-vocabulary N needs N >= 0, --encoder-from and --word-vectors";
        }
        if (ner.headHidden != 0 && !isNer) {
            return "--head-hidden applies to --task ner only";
        }
        if (ner.headHidden < 0) {
            return "--head-hidden must be 0 (linear) or positive, not " + ner.headHidden;
        }
        if (distill.teacher != null && !isNer && !BundledModels.DEPPARSE.equals(task)) {
            return "--teacher applies to --task ner and depparse";
        }
        if (distill.teacherText != null && distill.teacher == null) {
            return "--teacher-text needs --teacher (the teacher labels the text)";
        }
        for (Path p : distill.teacherText == null ? java.util.List.<Path>of()
                : distill.teacherText) {
            if (!java.nio.file.Files.exists(p)) {
                // before the teacher runs (minutes on a real corpus), not after
                return "--teacher-text " + p + " does not exist";
            }
        }
        if (distill.initFrom != null && !isNer && !BundledModels.DEPPARSE.equals(task)) {
            return "--init-from applies to --task ner and depparse";
        }
        if (distill.initFrom != null && (ner.encoderFrom != null || ner.gazetteerFile != null
                || ner.vectorsFile != null || ner.headHidden != 0)) {
            return "--init-from takes the model's encoder, gazetteer, vectors and head; drop --encoder-from / "
                    + "--gazetteer / --word-vectors / --head-hidden";
        }
        if (distill.initFrom != null && (options.lstmHidden != null || options.lstmLayers != null
                || options.pretrained != null)) {
            return "--init-from takes the model's encoder; drop --lstm-hidden / --lstm-layers / --pretrained";
        }
        if (options.threads < 1) {
            return "--threads must be at least 1, not " + options.threads;
        }
        if (options.threads > 1 && !isNer && !BundledModels.DEPPARSE.equals(task)) {
            return "--threads applies to --task ner and depparse; " + task + " trains on one thread";
        }
        return null;
    }

    /** The constant of an enum named {@code value} (any case, '-' for '_'); the message lists the allowed ones. */
    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.replace('-', '_'))) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException("unknown value '" + value + "'; allowed: " + allowed);
    }
}
