package io.github.sparsestruct.cli;

import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.EncoderConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of {@code sparsestruct train} that every task takes: data, model file, sizes and the training run. */
final class TrainOptions {
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

    @Option(names = "--ema-decay", defaultValue = "0", paramLabel = "D",
            description = "keep an exponential moving average of the parameters with this decay per step (e.g. "
                    + "0.999); dev scores and the saved model use the average (default 0: none)")
    double emaDecay;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "ner, depparse: split every batch over N threads, each with its own copy of the model "
                    + "(data-parallel; run with OMP_NUM_THREADS=1; default 1)")
    int threads;

    @Option(names = "--pretrained", paramLabel = "ENCODER",
            description = "ner, depparse, align: also read a frozen pretrained encoder's layers (bert-base-cased: the "
                    + "accurate variant; bert-base-multilingual-cased: the cross-lingual aligners, which also score "
                    + "word pairs by the cosine of its first layer; both need the sparsestruct-encoder-bert module); "
                    + "its fp32 outputs on the "
                    + "training and dev sentences are computed once and cached (--pretrained-vectors)")
    String pretrained;

    @Option(names = "--pretrained-precision", defaultValue = "int8", paramLabel = "P",
            description = "the precision the trained model runs its pretrained encoder at: int8 (default) or fp32")
    String pretrainedPrecision;

    @Option(names = "--pretrained-vectors", paramLabel = "FILE",
            description = "cache file of the pretrained encoder's outputs on the training and dev sentences "
                    + "(default: under the cache directory, named by the encoder and a hash of the sentences)")
    Path pretrainedVectors;

    @Option(names = "--possible-links",
            description = "align: train towards the possible gold links as well as the sure ones (sure links first), "
                    + "as the alignment error rate rewards (ALIBI)")
    boolean possibleLinks;

    @Option(names = "--resume", description = "resume from OUT.ckpt when it exists")
    boolean resume;

    @Option(names = "--no-progress", description = "no progress bar (log lines only)")
    boolean noProgress;

    /** The task's encoder with the BiLSTM sizes given. */
    EncoderConfig sized(EncoderConfig e) {
        return e.withLstm(lstmHidden == null ? e.lstmHidden() : lstmHidden,
                lstmLayers == null ? e.lstmLayers() : lstmLayers);
    }

    /** The task's optimizer with the learning rate given. */
    Adam.Config optimizer(Adam.Config o) {
        return learningRate == null ? o : o.withLearningRate(learningRate);
    }

    /** The first {@code --max-train-sentences} of the training data. */
    <S> List<S> limit(List<S> data) {
        return maxTrain == null || maxTrain >= data.size() ? data : data.subList(0, maxTrain);
    }

    /** {@code OUT.ckpt}, the checkpoint of a run. */
    Path checkpointFile() {
        return out.resolveSibling(out.getFileName() + ".ckpt");
    }
}
