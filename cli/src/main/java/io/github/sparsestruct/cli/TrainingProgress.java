package io.github.sparsestruct.cli;

import io.github.sparsestruct.models.train.EpochStats;
import io.github.sparsestruct.models.train.StepResult;
import io.github.sparsestruct.models.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** What {@code sparsestruct train} shows while it trains: a progress bar per epoch (unless off) and a line per epoch. */
final class TrainingProgress implements TrainingListener {
    private final PrintWriter err;
    private final boolean noProgress;
    private ProgressBar bar;
    private double lossSum;
    private double tokenSum;

    TrainingProgress(PrintWriter err, boolean noProgress) {
        this.err = err;
        this.noProgress = noProgress;
    }

    @Override
    public void onBatch(int epoch, int batch, int batches, StepResult step) {
        if (noProgress) {
            return;
        }
        if (batch == 0) {
            bar = new ProgressBarBuilder().setTaskName("epoch " + epoch).setInitialMax(batches)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new InteractiveConsoleProgressBarConsumer(System.err))
                    .setUpdateIntervalMillis(500).build();
            lossSum = 0;
            tokenSum = 0;
        }
        lossSum += step.loss();
        tokenSum += step.tokens();
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, " loss/token %.4f", lossSum / tokenSum));
        if (batch == batches - 1) {
            bar.close();
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
}
