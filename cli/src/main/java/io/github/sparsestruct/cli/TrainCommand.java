package io.github.sparsestruct.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.align.AlignConfig;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.align.AlignDecoder;
import io.github.sparsestruct.models.align.AlignEvaluation;
import io.github.sparsestruct.models.align.AlignLoss;
import io.github.sparsestruct.models.align.AlignModel;
import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.data.AlignmentReader;
import io.github.sparsestruct.models.data.ConlluReader;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.data.Iob2Reader;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.depparse.ArcLoss;
import io.github.sparsestruct.models.depparse.ParserConfig;
import io.github.sparsestruct.models.depparse.ParserEvaluation;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.format.ParameterFiles;
import io.github.sparsestruct.models.ner.Gazetteer;
import io.github.sparsestruct.models.ner.WordVectors;
import io.github.sparsestruct.models.ner.NerConfig;
import io.github.sparsestruct.models.ner.NerEvaluation;
import io.github.sparsestruct.models.ner.NerLoss;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.nn.Json;
import io.github.sparsestruct.models.nn.ParameterStore;
import io.github.sparsestruct.models.train.EpochStats;
import io.github.sparsestruct.models.train.LearningRateSchedule;
import io.github.sparsestruct.models.train.StepResult;
import io.github.sparsestruct.models.train.TrainableModel;
import io.github.sparsestruct.models.train.Trainer;
import io.github.sparsestruct.models.train.TrainerConfig;
import io.github.sparsestruct.models.train.TrainingListener;
import io.github.sparsestruct.models.train.TrainingStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsestruct train}: trains a NER model or a dependency parser with a Fenchel-Young loss. */
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

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "ner, depparse or align")
    String task;

    @Option(names = "--train", paramLabel = "FILE",
            description = "training data (required, except with --export-checkpoint, where it is only recorded)")
    Path train;

    @Option(names = "--dev", paramLabel = "FILE", description = "development data (early stopping)")
    Path dev;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "model file to write")
    Path out;

    @Option(names = "--loss", paramLabel = "LOSS",
            description = "ner: crf (default), sparsemap, dp_l2; depparse: sparsemap (default), crf, hinge; "
                    + "align: sparsemap (default), dp_l2 (sequential decoder)")
    String loss;

    @Option(names = "--decoder", paramLabel = "DECODER",
            description = "align: matching (default), sequential, or both (the sum of both losses)")
    String decoder;

    @Option(names = "--epochs", defaultValue = "30", paramLabel = "N", description = "most epochs (default 30)")
    int epochs;

    @Option(names = "--patience", defaultValue = "5", paramLabel = "N",
            description = "stop after N epochs without dev improvement (default 5)")
    int patience;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "random seed (default 1)")
    long seed;

    @Option(names = "--batch-tokens", defaultValue = "1000", paramLabel = "N",
            description = "tokens per batch, approximately (default 1000)")
    int batchTokens;

    @Option(names = "--max-train-sentences", paramLabel = "N",
            description = "use only the first N training sentences (quick experiments)")
    Integer maxTrain;

    @Option(names = "--lstm-hidden", paramLabel = "N", description = "BiLSTM size per direction (default: task's)")
    Integer lstmHidden;

    @Option(names = "--lstm-layers", paramLabel = "N", description = "BiLSTM layers (default: task's)")
    Integer lstmLayers;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam learning rate (default 0.002)")
    Double learningRate;

    @Option(names = "--lr-schedule", defaultValue = "constant", paramLabel = "SCHEDULE",
            description = "constant (default) or linear: decay the learning rate linearly to 0 over --epochs")
    String lrSchedule;

    private LearningRateSchedule schedule;

    @Option(names = "--ema-decay", defaultValue = "0", paramLabel = "D",
            description = "keep an exponential moving average of the parameters with this decay per step (e.g. "
                    + "0.999); dev scores and the saved model use the average (default 0: none)")
    double emaDecay;

    @Option(names = "--encoder-from", paramLabel = "PARSER",
            description = "ner: start the encoder from this dependency parser model's trained encoder (its "
                    + "vocabularies and sizes; the tag head starts from the seed)")
    Path encoderFrom;

    @Option(names = "--gazetteer", paramLabel = "FILE",
            description = "ner: name lists (lines TYPE<TAB>phrase) whose match features add to the tag scores; "
                    + "the list is stored in the model")
    Path gazetteerFile;

    @Option(names = "--word-vectors", paramLabel = "FILE",
            description = "ner: pretrained word vectors (GloVe text format: a word and its values per line) whose "
                    + "window features (previous, current, next word) add to the tag scores; stored in the model")
    Path vectorsFile;

    @Option(names = "--expand-vocabulary", defaultValue = "0", paramLabel = "N",
            description = "ner, with --encoder-from and --word-vectors: add up to N words of the vector file that the "
                    + "parser never saw to the word vocabulary, their embeddings mapped from their vectors by a ridge "
                    + "regression fitted on the words it knows (default 0: none)")
    int expandWords;

    @Option(names = "--head-hidden", defaultValue = "0", paramLabel = "N",
            description = "ner: a tanh hidden layer of N units between the encoder (and the gazetteer features) and "
                    + "the tag scores, so gazetteer matches are weighed in context (default 0: a linear tag layer)")
    int headHidden;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "ner, depparse: split every batch over N threads, each with its own copy of the model "
                    + "(data-parallel; run with OMP_NUM_THREADS=1; default 1)")
    int threads;

    @Option(names = "--resume", description = "resume from OUT.ckpt when it exists")
    boolean resume;

    @Option(names = "--no-progress", description = "no progress bar (log lines only)")
    boolean noProgress;

    @Option(names = "--export-checkpoint", paramLabel = "CKPT",
            description = "train nothing: write the best epoch's parameters of this checkpoint (OUT.ckpt of a train "
                    + "run of --task, still running or stopped) as the model file --out, with the header train "
                    + "writes (history, epochs, time); --train and --dev are recorded in it")
    Path exportCheckpoint;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (exportCheckpoint != null) {
            return exportCheckpoint(err);
        }
        if (train == null) {
            err.println("train: --train FILE is required");
            return 2;
        }
        if (encoderFrom != null && !BundledModels.NER.equals(task)) {
            err.println("train: --encoder-from applies to --task ner only");
            return 2;
        }
        if (encoderFrom != null && (lstmHidden != null || lstmLayers != null)) {
            err.println("train: --encoder-from takes the parser's encoder sizes; drop --lstm-hidden / --lstm-layers");
            return 2;
        }
        if (gazetteerFile != null && !BundledModels.NER.equals(task)) {
            err.println("train: --gazetteer applies to --task ner only");
            return 2;
        }
        if (vectorsFile != null && !BundledModels.NER.equals(task)) {
            err.println("train: --word-vectors applies to --task ner only");
            return 2;
        }
        if (expandWords != 0 && (encoderFrom == null || vectorsFile == null || expandWords < 0)) {
            err.println("train: --expand-vocabulary N needs N >= 0, --encoder-from and --word-vectors");
            return 2;
        }
        if (headHidden != 0 && !BundledModels.NER.equals(task)) {
            err.println("train: --head-hidden applies to --task ner only");
            return 2;
        }
        if (headHidden < 0) {
            err.println("train: --head-hidden must be 0 (linear) or positive, not " + headHidden);
            return 2;
        }
        if (threads < 1) {
            err.println("train: --threads must be at least 1, not " + threads);
            return 2;
        }
        if (threads > 1 && !BundledModels.NER.equals(task) && !BundledModels.DEPPARSE.equals(task)) {
            err.println("train: --threads applies to --task ner and depparse; " + task + " trains on one thread");
            return 2;
        }
        schedule = parse(LearningRateSchedule.class, lrSchedule);
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            err.println("train: --ema-decay must be in [0, 1) (0: no averaging), not " + emaDecay);
            return 2;
        }
        switch (task) {
            case BundledModels.NER -> {
                List<NerSentence> tr = limit(Iob2Reader.read(train));
                List<NerSentence> dv = dev == null ? null : Iob2Reader.read(dev);
                NerConfig cfg = NerConfig.defaults().withLoss(nerLoss()).withHeadHidden(headHidden);
                cfg = cfg.withEncoder(sized(cfg.encoder())).withOptimizer(optimizer(cfg.optimizer()));
                Gazetteer gaz = gazetteerFile == null ? null : Gazetteer.read(gazetteerFile);
                if (gaz != null && gaz.size() == 0) {
                    err.println("train: gazetteer " + gazetteerFile + " lists no phrase (lines TYPE<TAB>phrase)");
                    return 2;
                }
                WordVectors vectors = vectorsFile == null ? null : WordVectors.read(vectorsFile);
                NerModel model;
                if (encoderFrom == null) {
                    model = NerModel.create(cfg, tr, gaz, vectors, seed);
                } else {
                    ParserModel source = BundledModels.parser(encoderFrom);
                    model = NerModel.createFrom(cfg, tr, source.features(), source.config().encoder(),
                            source.network().parameters(), gaz, vectors, expandWords, seed);
                    cfg = model.config();
                }
                Trainer<NerSentence> trainer = trainer(model);
                if (dv != null) {
                    trainer.devEvaluator(e -> NerEvaluation.run(model, dv, Decoding.MAP, 64).accuracy().f1());
                }
                TrainingStats stats = runTraining(trainer, model, tr);
                ObjectNode about = about(stats, cfg.toString());
                if (dv != null) {
                    about.set("dev", NerEvaluation.run(model, dv, Decoding.MAP, 64).toJson());
                }
                save(model, about);
            }
            case BundledModels.DEPPARSE -> {
                List<DepSentence> tr = limit(ConlluReader.read(train));
                List<DepSentence> dv = dev == null ? null : ConlluReader.read(dev);
                ParserConfig cfg = ParserConfig.defaults().withLoss(arcLoss());
                cfg = cfg.withEncoder(sized(cfg.encoder())).withOptimizer(optimizer(cfg.optimizer()));
                ParserModel model = ParserModel.create(cfg, tr, seed);
                Trainer<DepSentence> trainer = trainer(model);
                if (dv != null) {
                    trainer.devEvaluator(e -> ParserEvaluation.run(model, dv, Decoding.MAP, 64).accuracy()
                            .withoutPunct().las());
                }
                TrainingStats stats = runTraining(trainer, model, tr);
                ObjectNode about = about(stats, cfg.toString());
                if (dv != null) {
                    about.set("dev", ParserEvaluation.run(model, dv, Decoding.MAP, 64).toJson());
                }
                save(model, about);
            }
            case BundledModels.ALIGN -> {
                List<AlignPair> tr = limit(AlignmentReader.read(train));
                List<AlignPair> dv = dev == null ? null : AlignmentReader.read(dev);
                AlignConfig cfg = AlignConfig.defaults().with(
                        loss == null ? AlignLoss.SPARSEMAP : parse(AlignLoss.class, loss),
                        decoder == null ? AlignDecoder.MATCHING : parse(AlignDecoder.class, decoder));
                cfg = cfg.withEncoder(sized(cfg.encoder())).withOptimizer(optimizer(cfg.optimizer()));
                AlignModel model = AlignModel.create(cfg, tr, seed);
                AlignDecoder evalDecoder = cfg.decoder() == AlignDecoder.BOTH ? AlignDecoder.MATCHING : cfg.decoder();
                Trainer<AlignPair> trainer = trainer(model);
                if (dv != null) {
                    trainer.devEvaluator(e -> AlignEvaluation.run(model, dv, evalDecoder, Decoding.MAP, 64)
                            .result().links().f1());
                }
                TrainingStats stats = runTraining(trainer, model, tr);
                ObjectNode about = about(stats, cfg.toString());
                about.put("licence", "trained on MultiMWA-Wiki (Lan, Jiang & Xu 2021; no licence stated upstream, "
                        + "research use; sentences from English Wikipedia, CC BY-SA)");
                if (dv != null) {
                    about.set("dev", AlignEvaluation.run(model, dv, evalDecoder, Decoding.MAP, 64).toJson());
                }
                save(model, about);
            }
            default -> {
                err.println("train: unknown task '" + task + "'; expected ner, depparse or align");
                return 2;
            }
        }
        err.println("train: wrote " + out);
        return 0;
    }

    /**
     * {@code --export-checkpoint}: the model a checkpoint holds, with the best epoch's parameters (the last ones
     * before a first epoch ended), written as {@link #out} with {@link #about}'s header plus where it came from.
     */
    private int exportCheckpoint(PrintWriter err) throws IOException {
        InMemoryParameterStore ck = ParameterFiles.load(exportCheckpoint, "checkpoint-" + task);
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
        if (state.hasNonNull("schedule")) {
            schedule = parse(LearningRateSchedule.class, state.get("schedule").asText());
        } else {
            schedule = LearningRateSchedule.CONSTANT;
        }
        emaDecay = state.path("averageDecay").asDouble(0);
        ObjectNode about = about(stats, config);
        about.remove("threads");
        about.put("exportedFrom", exportCheckpoint.toString());
        about.put("exportedAfterEpoch", epochs.size());
        save(model, about);
        err.printf(Locale.ROOT, "train: wrote %s from %s: best epoch %d of %d%s%n", out, exportCheckpoint, best,
                epochs.size(), stats.bestScore() == null ? "" : String.format(Locale.ROOT, ", dev %.4f",
                        stats.bestScore()));
        return 0;
    }

    private io.github.sparsestruct.models.nn.EncoderConfig sized(io.github.sparsestruct.models.nn.EncoderConfig e) {
        return e.withLstm(lstmHidden == null ? e.lstmHidden() : lstmHidden,
                lstmLayers == null ? e.lstmLayers() : lstmLayers);
    }

    private io.github.sparsestruct.models.nn.Adam.Config optimizer(io.github.sparsestruct.models.nn.Adam.Config o) {
        return learningRate == null ? o : o.withLearningRate(learningRate);
    }

    private <S> List<S> limit(List<S> data) {
        return maxTrain == null || maxTrain >= data.size() ? data : data.subList(0, maxTrain);
    }

    private NerLoss nerLoss() {
        return loss == null ? NerLoss.CRF : parse(NerLoss.class, loss);
    }

    private ArcLoss arcLoss() {
        return loss == null ? ArcLoss.SPARSEMAP : parse(ArcLoss.class, loss);
    }

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

    private Path checkpointFile() {
        return out.resolveSibling(out.getFileName() + ".ckpt");
    }

    private <S> Trainer<S> trainer(TrainableModel<S> model) throws IOException {
        TrainerConfig cfg = TrainerConfig.defaults().withMaxEpochs(epochs).withPatience(patience)
                .withBatches(64, batchTokens);
        Trainer<S> trainer = new Trainer<>(model, cfg.withSeed(seed).withSchedule(schedule)
                .withAverageDecay(emaDecay));
        trainer.workers(threads);
        Path ckpt = checkpointFile();
        if (resume && Files.exists(ckpt)) {
            trainer.resume(ParameterFiles.load(ckpt, "checkpoint-" + task));
            spec.commandLine().getErr().println("train: resumed from " + ckpt + " after epoch "
                    + trainer.completedEpochs());
        }
        trainer.checkpointSink(store -> {
            try {
                ParameterFiles.save(ckpt, "checkpoint-" + task, store, null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("could not write checkpoint " + ckpt, e);
            }
        });
        return trainer;
    }

    private <S> TrainingStats runTraining(Trainer<S> trainer, TrainableModel<S> model, List<S> data) {
        PrintWriter err = spec.commandLine().getErr();
        final ProgressBar[] bar = new ProgressBar[1];
        final double[] lossSum = new double[2];
        trainer.listener(new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int batches, StepResult step) {
                if (noProgress) {
                    return;
                }
                if (batch == 0) {
                    bar[0] = new ProgressBarBuilder().setTaskName("epoch " + epoch).setInitialMax(batches)
                            .setStyle(ProgressBarStyle.ASCII).setConsumer(
                                    new me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer(System.err))
                            .setUpdateIntervalMillis(500).build();
                    lossSum[0] = 0;
                    lossSum[1] = 0;
                }
                lossSum[0] += step.loss();
                lossSum[1] += step.tokens();
                bar[0].step();
                bar[0].setExtraMessage(String.format(Locale.ROOT, " loss/token %.4f", lossSum[0] / lossSum[1]));
                if (batch == batches - 1) {
                    bar[0].close();
                }
            }

            @Override
            public void onEpoch(EpochStats s) {
                err.printf(Locale.ROOT, "epoch %d: loss/token %.4f, %.0f tokens/s, %.0f s%s%n", s.epoch(),
                        s.lossPerToken(), s.tokensPerSecond(), s.seconds(),
                        s.devScore() == null ? "" : String.format(Locale.ROOT, ", dev %.2f%s", 100 * s.devScore(),
                                s.best() ? " (best)" : ""));
                err.flush();
            }
        });
        return trainer.train(data);
    }

    private ObjectNode about(TrainingStats stats, String config) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("task", task);
        a.put("trainData", train == null ? null : train.toString());
        a.put("devData", dev == null ? null : dev.toString());
        a.put("loss", loss == null ? "default" : loss);
        if (encoderFrom != null) {
            a.put("encoderFrom", encoderFrom.toString());
        }
        if (gazetteerFile != null) {
            a.put("gazetteer", gazetteerFile.toString());
        }
        if (vectorsFile != null) {
            a.put("wordVectors", vectorsFile.toString());
        }
        if (expandWords > 0) {
            a.put("expandVocabulary", expandWords);
        }
        a.put("config", config);
        a.put("seed", seed);
        a.put("lrSchedule", schedule.name().toLowerCase(Locale.ROOT));
        a.put("emaDecay", emaDecay);
        a.put("threads", threads);
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

    private void save(TrainableModel<?> model, ObjectNode about) throws IOException {
        ParameterStore store = new io.github.sparsestruct.models.nn.InMemoryParameterStore();
        model.save(store);
        ParameterFiles.save(out, task, store, about);
    }
}
