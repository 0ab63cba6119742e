package io.github.sparsestruct.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.align.AlignConfig;
import io.github.sparsestruct.models.align.AlignDecoder;
import io.github.sparsestruct.models.align.AlignEvaluation;
import io.github.sparsestruct.models.align.AlignLoss;
import io.github.sparsestruct.models.align.AlignModel;
import io.github.sparsestruct.models.calibrate.TemperatureFit;
import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.data.AlignmentReader;
import io.github.sparsestruct.models.data.ConlluReader;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.data.Iob2Reader;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.depparse.ArcLoss;
import io.github.sparsestruct.models.depparse.ParserCalibration;
import io.github.sparsestruct.models.depparse.ParserConfig;
import io.github.sparsestruct.models.depparse.ParserEvaluation;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.format.ParameterFiles;
import io.github.sparsestruct.models.ner.Gazetteer;
import io.github.sparsestruct.models.ner.NerCalibration;
import io.github.sparsestruct.models.ner.NerConfig;
import io.github.sparsestruct.models.ner.NerEvaluation;
import io.github.sparsestruct.models.ner.NerLoss;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.ner.WordVectors;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.pretrained.TrainingVectors;
import io.github.sparsestruct.models.pretrained.VectorTable;
import io.github.sparsestruct.models.train.LearningRateSchedule;
import io.github.sparsestruct.models.train.TrainableModel;
import io.github.sparsestruct.models.train.Trainer;
import io.github.sparsestruct.models.train.TrainerConfig;
import io.github.sparsestruct.models.train.TrainingStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One training run of {@code sparsestruct train} for its task (NER on IOB2, the dependency parser on CoNLL-U, the
 * aligner on MultiMWA TSV): reads the data, builds the model from the options, trains it with dev evaluation and a
 * checkpoint every epoch (resumed with {@code --resume}) and writes the model file with the dev scores.
 */
final class TaskTraining {
    private final TrainOptions options;
    private final NerTrainOptions ner;
    private final DistillOptions distill;
    private final LearningRateSchedule schedule;
    private final PrintWriter err;
    private final TrainedModelFile file;

    TaskTraining(TrainOptions options, NerTrainOptions ner, DistillOptions distill, LearningRateSchedule schedule,
                 PrintWriter err) {
        this.options = options;
        this.ner = ner;
        this.distill = distill;
        this.schedule = schedule;
        this.err = err;
        this.file = new TrainedModelFile(options, ner);
    }

    /** Trains the task's model and writes it; 0 when written, 2 for an unknown task or an empty gazetteer. */
    int run() throws IOException {
        int status;
        switch (options.task) {
            case BundledModels.NER -> status = ner();
            case BundledModels.DEPPARSE -> status = depparse();
            case BundledModels.ALIGN -> status = align();
            default -> {
                err.println("train: unknown task '" + options.task + "'; expected ner, depparse or align");
                return 2;
            }
        }
        if (status == 0) {
            err.println("train: wrote " + options.out);
        }
        return status;
    }

    private int ner() throws IOException {
        List<NerSentence> tr = options.limit(Iob2Reader.read(options.train));
        List<NerSentence> dv = options.dev == null ? null : Iob2Reader.read(options.dev);
        NerLoss loss = options.loss == null ? NerLoss.CRF : TrainCommand.parse(NerLoss.class, options.loss);
        NerConfig cfg = NerConfig.defaults().withLoss(loss).withHeadHidden(ner.headHidden);
        cfg = cfg.withEncoder(pretrained(options.sized(cfg.encoder())))
                .withOptimizer(options.optimizer(cfg.optimizer()));
        Gazetteer gaz = ner.gazetteerFile == null ? null : Gazetteer.read(ner.gazetteerFile);
        if (gaz != null && gaz.size() == 0) {
            err.println("train: gazetteer " + ner.gazetteerFile + " lists no phrase (lines TYPE<TAB>phrase)");
            return 2;
        }
        WordVectors vectors = ner.vectorsFile == null ? null : WordVectors.read(ner.vectorsFile);
        if (options.pretrained != null && ner.encoderFrom != null) {
            err.println("train: --pretrained and --encoder-from cannot be combined (the copied encoder reads no "
                    + "pretrained layers)");
            return 2;
        }
        NerModel model;
        if (distill.initFrom != null) {
            NerModel source = BundledModels.ner(distill.initFrom);
            model = source.continueWith(options.optimizer(source.config().optimizer()));
            cfg = model.config();
            err.println("train: going on from " + distill.initFrom + " (" + cfg + ")");
        } else if (ner.encoderFrom == null) {
            model = NerModel.create(cfg, tr, gaz, vectors, options.seed);
        } else {
            ParserModel source = BundledModels.parser(ner.encoderFrom);
            model = NerModel.createFrom(cfg, tr, source.features(), source.config().encoder(),
                    source.network().parameters(), gaz, vectors, ner.expandWords, options.seed);
            cfg = model.config();
        }
        attachPretrained(model.features(), cfg.encoder(), tr.stream().map(NerSentence::forms).toList(),
                dv == null ? List.of() : dv.stream().map(NerSentence::forms).toList());
        List<NerSentence> trainSet = distill.teacher == null ? tr : TeacherTargets.attach(model, distill, tr,
                options.out, io.github.sparsestruct.models.ModelCatalog.DEFAULT_LANGUAGE, err);
        Trainer<NerSentence> trainer = trainer(model);
        if (dv != null) {
            trainer.devEvaluator(e -> NerEvaluation.run(model, dv, Decoding.MAP, 64).accuracy().f1());
        }
        TrainingStats stats = runTraining(trainer, trainSet);
        ObjectNode about = file.header(stats, cfg.toString(), schedule, options.emaDecay);
        if (dv != null) {
            about.set("dev", NerEvaluation.run(model, dv, Decoding.MAP, 64).toJson());
            calibrated(about, NerCalibration.of(model, dv).fitAll());
        }
        file.save(model, about);
        return 0;
    }

    private int depparse() throws IOException {
        List<DepSentence> tr = options.limit(ConlluReader.read(options.train));
        List<DepSentence> dv = options.dev == null ? null : ConlluReader.read(options.dev);
        ArcLoss loss = options.loss == null ? ArcLoss.SPARSEMAP : TrainCommand.parse(ArcLoss.class, options.loss);
        ParserConfig cfg = ParserConfig.defaults().withLoss(loss);
        cfg = cfg.withEncoder(pretrained(options.sized(cfg.encoder())))
                .withOptimizer(options.optimizer(cfg.optimizer()));
        ParserModel model;
        if (distill.initFrom == null) {
            model = ParserModel.create(cfg, tr, options.seed);
        } else {
            ParserModel source = BundledModels.parser(distill.initFrom);
            model = source.continueWith(options.optimizer(source.config().optimizer()));
            cfg = model.config();
            err.println("train: going on from " + distill.initFrom + " (" + cfg + ")");
        }
        List<DepSentence> trainSet = distill.teacher == null ? tr : TeacherTargets.attach(model, distill, tr,
                options.out, io.github.sparsestruct.models.ModelCatalog.DEFAULT_LANGUAGE, err);
        attachPretrained(model.features(), cfg.encoder(), trainSet.stream().map(DepSentence::forms).toList(),
                dv == null ? List.of() : dv.stream().map(DepSentence::forms).toList());
        Trainer<DepSentence> trainer = trainer(model);
        if (dv != null) {
            trainer.devEvaluator(e -> ParserEvaluation.run(model, dv, Decoding.MAP, 64).accuracy()
                    .withoutPunct().las());
        }
        TrainingStats stats = runTraining(trainer, trainSet);
        ObjectNode about = file.header(stats, cfg.toString(), schedule, options.emaDecay);
        if (dv != null) {
            about.set("dev", ParserEvaluation.run(model, dv, Decoding.MAP, 64).toJson());
            calibrated(about, ParserCalibration.of(model, dv).fitAll());
        }
        file.save(model, about);
        return 0;
    }

    private int align() throws IOException {
        List<AlignPair> tr = options.limit(withoutDevStory(AlignmentReader.read(options.train)));
        List<AlignPair> dv = options.dev == null ? null : AlignmentReader.read(options.dev);
        boolean alibi = Files.isDirectory(options.train);
        AlignConfig cfg = AlignConfig.defaults().with(
                options.loss == null ? AlignLoss.SPARSEMAP : TrainCommand.parse(AlignLoss.class, options.loss),
                options.decoder == null ? AlignDecoder.MATCHING
                        : TrainCommand.parse(AlignDecoder.class, options.decoder));
        cfg = cfg.withEncoder(pretrained(options.sized(cfg.encoder()))).withOptimizer(options.optimizer(
                cfg.optimizer())).withPossibleTargets(options.possibleLinks);
        AlignModel model = AlignModel.create(cfg, tr, options.seed);
        attachPretrained(model.features(), cfg.encoder(), bothSides(tr), dv == null ? List.of() : bothSides(dv));
        AlignDecoder evalDecoder = cfg.decoder() == AlignDecoder.BOTH ? AlignDecoder.MATCHING : cfg.decoder();
        Trainer<AlignPair> trainer = trainer(model);
        if (dv != null) {
            // with sure and possible links (ALIBI) the model is chosen by AER, otherwise by sure-link F1
            trainer.devEvaluator(e -> {
                AlignEvaluation ev = AlignEvaluation.run(model, dv, evalDecoder, Decoding.MAP, 64);
                return alibi ? 1 - ev.aer().aer() : ev.result().links().f1();
            });
        }
        TrainingStats stats = runTraining(trainer, tr);
        ObjectNode about = file.header(stats, cfg.toString(), schedule, options.emaDecay);
        about.put("licence", alibi ? "trained on ALIBI word alignments (Xu & Yvon 2016, CC BY-SA 4.0; texts from "
                + "Wikisource, public domain)" : "trained on MultiMWA-Wiki (Lan, Jiang & Xu 2021; no licence stated "
                + "upstream, research use; sentences from English Wikipedia, CC BY-SA)");
        if (dv != null) {
            about.set("dev", AlignEvaluation.run(model, dv, evalDecoder, Decoding.MAP, 64).toJson());
        }
        file.save(model, about);
        return 0;
    }

    /**
     * The training pairs without the {@code --dev} story when {@code --train} is a folder of ALIBI stories that
     * holds it (so that one story can be held out of the folder for dev).
     */
    private List<AlignPair> withoutDevStory(List<AlignPair> train) throws IOException {
        if (options.dev == null || !Files.isDirectory(options.train) || !Files.isDirectory(options.dev)) {
            return train;
        }
        Path dev = options.dev.toRealPath();
        Path parent = dev.getParent();
        if (parent == null || !parent.equals(options.train.toRealPath())) {
            return train;
        }
        String prefix = dev.getFileName() + "/";
        List<AlignPair> kept = train.stream().filter(p -> !p.id().startsWith(prefix)).toList();
        err.println("train: leaving the dev story " + dev.getFileName() + " out of training (" + (train.size()
                - kept.size()) + " of " + train.size() + " pairs)");
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("--train " + options.train + " holds no story besides the dev story "
                    + dev.getFileName());
        }
        return kept;
    }

    private static List<String[]> bothSides(List<AlignPair> pairs) {
        List<String[]> out = new java.util.ArrayList<>(2 * pairs.size());
        for (AlignPair p : pairs) {
            out.add(p.source());
            out.add(p.target());
        }
        return out;
    }

    /** Reports the calibration fitted on dev (the model keeps it and saves it) and records it in {@code about}. */
    private void calibrated(ObjectNode about, List<TemperatureFit.Fit> fits) {
        fits.forEach(f -> err.print("train: calibrated " + f.line()));
        about.set("calibration", CalibrateCommand.calibrationAbout(options.dev, fits));
    }

    /** The encoder configuration with {@code --pretrained}'s encoder, or as it is without the option. */
    private EncoderConfig pretrained(EncoderConfig e) {
        return options.pretrained == null ? e
                : TrainingVectors.withPretrained(e, options.pretrained, options.pretrainedPrecision);
    }

    /** With a pretrained encoder: its vectors of the training and dev sentences, computed once, for the featurizer. */
    private void attachPretrained(TokenFeaturizer features, EncoderConfig e, List<String[]> train,
                                  List<String[]> dev) throws IOException {
        if (e.pretrained() == null) {
            return;
        }
        List<String[]> all = new java.util.ArrayList<>(train);
        all.addAll(dev);
        VectorTable t = TrainingVectors.attach(features, e.pretrained(), all, options.pretrainedVectors);
        err.println("train: pretrained encoder " + e.pretrained().encoder() + ": vectors of " + t.size()
                + " sentences");
    }

    private <S> Trainer<S> trainer(TrainableModel<S> model) throws IOException {
        TrainerConfig cfg = TrainerConfig.defaults().withMaxEpochs(options.epochs).withPatience(options.patience)
                .withBatches(64, options.batchTokens);
        Trainer<S> trainer = new Trainer<>(model, cfg.withSeed(options.seed).withSchedule(schedule)
                .withAverageDecay(options.emaDecay));
        trainer.workers(options.threads);
        Path ckpt = options.checkpointFile();
        String kind = "checkpoint-" + options.task;
        if (options.resume && Files.exists(ckpt)) {
            trainer.resume(ParameterFiles.load(ckpt, kind));
            err.println("train: resumed from " + ckpt + " after epoch " + trainer.completedEpochs());
        }
        trainer.checkpointSink(store -> {
            try {
                ParameterFiles.save(ckpt, kind, store, null);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write checkpoint " + ckpt, e);
            }
        });
        return trainer;
    }

    private <S> TrainingStats runTraining(Trainer<S> trainer, List<S> data) {
        trainer.listener(new TrainingProgress(err, options.noProgress));
        return trainer.train(data);
    }
}
