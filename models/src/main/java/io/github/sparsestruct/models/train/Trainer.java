package io.github.sparsestruct.models.train;

import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.nn.Json;
import io.github.sparsestruct.models.nn.LengthBuckets;
import io.github.sparsestruct.models.nn.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop shared by the task models: length-bucketed batches shuffled per epoch from a seed, a dev
 * evaluation after each epoch with early stopping (the best epoch's parameters are restored at the end), per-batch
 * and per-epoch callbacks, and checkpoints (model, optimizer state, loop state, best parameters) that
 * {@link #resume} continues from. With {@link TrainerConfig#averageDecay} above 0 it also keeps an exponential moving
 * average of the parameters: the dev evaluation scores the average, and the best epoch's average is what the model
 * ends with (the optimizer goes on from the un-averaged parameters).
 *
 * @param <S> the sentence type
 */
public final class Trainer<S> {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final String STATE = "trainer/state";
    private static final String OPTIMIZER = "optimizer/";
    private static final String BEST = "best/";
    private static final String AVERAGE = "average/";

    private final TrainableModel<S> model;
    private final TrainerConfig config;
    private DevEvaluator dev;
    private TrainingListener listener = new TrainingListener() {
    };
    private Consumer<ParameterStore> checkpointSink;
    private final List<EpochStats> history = new ArrayList<>();
    private int bestEpoch;
    private Double bestScore;
    private int badEpochs;
    private Map<String, INDArray> best;
    /** The moving average of the parameters (null until the first step, or without averaging). */
    private Map<String, INDArray> average;
    private long averageSteps;
    private int workers = 1;

    /** A trainer of a model with the given settings. */
    public Trainer(TrainableModel<S> model, TrainerConfig config) {
        this.model = model;
        this.config = config;
    }

    /** Sets the dev evaluator (enables early stopping and best-epoch restoring). */
    public Trainer<S> devEvaluator(DevEvaluator evaluator) {
        this.dev = evaluator;
        return this;
    }

    /** Sets the progress listener. */
    public Trainer<S> listener(TrainingListener l) {
        this.listener = l;
        return this;
    }

    /** After every epoch, writes a checkpoint ({@link #checkpoint}) into a new in-memory store and passes it on. */
    public Trainer<S> checkpointSink(Consumer<ParameterStore> sink) {
        this.checkpointSink = sink;
        return this;
    }

    /**
     * Trains on this many threads, each computing the gradient of a share of every batch on its own copy of the model
     * ({@link DataParallel}); 1 (the default) trains on the calling thread only.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Trainer<S> workers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("training needs at least one worker thread, not " + n);
        }
        this.workers = n;
        return this;
    }

    /** Number of epochs completed (including those before a resume). */
    public int completedEpochs() {
        return history.size();
    }

    /**
     * Trains from the next epoch to {@code maxEpochs} or until early stopping, then restores the best dev epoch's
     * parameters (when there is a dev evaluator).
     *
     * @throws IllegalArgumentException if the training data is empty
     */
    public TrainingStats train(List<S> train) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training sentences");
        }
        int[] lengths = new int[train.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = model.length(train.get(i));
        }
        try (DataParallel<S> parallel = workers > 1 ? new DataParallel<>(model, workers) : null) {
            return train(train, lengths, parallel);
        }
    }

    private TrainingStats train(List<S> train, int[] lengths, DataParallel<S> parallel) {
        long t0 = System.nanoTime();
        long tokens = 0;
        double trainSeconds = 0;
        boolean stopped = false;
        for (int epoch = history.size() + 1; epoch <= config.maxEpochs(); epoch++) {
            if (dev != null && config.patience() > 0 && badEpochs >= config.patience()) {
                stopped = true;
                break;
            }
            Random rng = new Random(config.seed() * 1_000_003L + epoch);
            List<int[]> batches = LengthBuckets.batches(lengths, config.batchSentences(), config.batchTokens(), rng);
            double loss = 0;
            long epochTokens = 0;
            long sentences = 0;
            long e0 = System.nanoTime();
            for (int b = 0; b < batches.size(); b++) {
                List<S> batch = new ArrayList<>(batches.get(b).length);
                for (int i : batches.get(b)) {
                    batch.add(train.get(i));
                }
                model.optimizer().rateScale(config.schedule().factor(epoch, b, batches.size(),
                        config.maxEpochs()));
                if (config.averageDecay() > 0 && average == null) {
                    average = snapshot();
                }
                StepResult step = parallel != null ? parallel.step(batch, rng) : model.trainStep(batch, rng);
                updateAverage();
                loss += step.loss();
                epochTokens += step.tokens();
                sentences += step.sentences();
                listener.onBatch(epoch, b, batches.size(), step);
            }
            double seconds = (System.nanoTime() - e0) / 1e9;
            trainSeconds += seconds;
            tokens += epochTokens;
            Double score = null;
            boolean isBest = false;
            if (dev != null) {
                // the dev score is the average's; the live parameters come back for the next epoch
                Map<String, INDArray> live = average == null ? null : snapshot();
                if (live != null) {
                    restore(average);
                }
                score = dev.evaluate(epoch);
                if (bestScore == null || score > bestScore) {
                    bestScore = score;
                    bestEpoch = epoch;
                    badEpochs = 0;
                    isBest = true;
                    best = snapshot();
                } else {
                    badEpochs++;
                }
                if (live != null) {
                    restore(live);
                }
            }
            EpochStats stats = new EpochStats(epoch, loss, epochTokens, sentences, batches.size(), seconds,
                    epochTokens / seconds, score, isBest);
            history.add(stats);
            LOG.info("epoch {}: loss/token {}, {} tokens/s{}", epoch, String.format("%.4f", stats.lossPerToken()),
                    Math.round(stats.tokensPerSecond()), score == null ? "" : ", dev " + score
                            + (isBest ? " (best)" : ""));
            listener.onEpoch(stats);
            if (checkpointSink != null) {
                InMemoryParameterStore store = new InMemoryParameterStore();
                checkpoint(store);
                checkpointSink.accept(store);
            }
        }
        if (best != null) {
            restore(best);
            LOG.info("restored the {}parameters of epoch {} (dev {})", average == null ? "" : "averaged ",
                    bestEpoch, bestScore);
        } else if (average != null) {
            restore(average);
        }
        double total = (System.nanoTime() - t0) / 1e9;
        return new TrainingStats(List.copyOf(history), bestEpoch, bestScore, stopped,
                trainSeconds > 0 ? tokens / trainSeconds : 0, total);
    }

    /**
     * avg ← d·avg + (1 − d)·θ after step t of the average, with d = min(decay, (1 + t) / (10 + t)), so that the
     * first steps, far from where training goes, weigh little for long.
     */
    private void updateAverage() {
        if (average == null) {
            return;
        }
        averageSteps++;
        double d = Math.min(config.averageDecay(), (1.0 + averageSteps) / (10.0 + averageSteps));
        for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
            INDArray a = average.get(e.getKey());
            a.muli(d).addi(e.getValue().mul(1 - d));
        }
    }

    private Map<String, INDArray> snapshot() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
            out.put(e.getKey(), e.getValue().dup());
        }
        return out;
    }

    private void restore(Map<String, INDArray> snap) {
        for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
            e.getValue().assign(snap.get(e.getKey()));
        }
    }

    /**
     * Writes a checkpoint: the model ({@link TrainableModel#save}, so the model can be rebuilt from it), the
     * optimizer state, the loop state (epochs done, dev history), the best epoch's parameters and the moving
     * average of the parameters when there is one.
     */
    public void checkpoint(ParameterStore store) {
        model.save(store);
        model.optimizer().save(store, OPTIMIZER);
        store.putMetadata(STATE, Json.write(new State(history, bestEpoch, bestScore, badEpochs, config.schedule(),
                config.maxEpochs(), config.averageDecay(), averageSteps)));
        if (average != null) {
            for (Map.Entry<String, INDArray> e : average.entrySet()) {
                store.put(AVERAGE + e.getKey(), e.getValue());
            }
        }
        if (best != null) {
            for (Map.Entry<String, INDArray> e : best.entrySet()) {
                store.put(BEST + e.getKey(), e.getValue());
            }
        }
    }

    /**
     * Continues from a checkpoint written by {@link #checkpoint} for this model's architecture: parameters,
     * optimizer state, loop state and best parameters; the next {@link #train} call starts at the following epoch.
     *
     * @throws IllegalArgumentException if the checkpoint's learning-rate schedule differs from this trainer's, or,
     *                                  for a decaying schedule, its number of epochs (the rate would jump), or its
     *                                  parameter-average decay
     */
    public void resume(ParameterStore store) {
        model.loadParameters(store);
        model.optimizer().load(store, OPTIMIZER, model.parameters());
        State s = Json.read(store.requireMetadata(STATE), State.class);
        // checkpoints written before schedules existed trained at a constant rate
        LearningRateSchedule was = s.schedule() == null ? LearningRateSchedule.CONSTANT : s.schedule();
        if (was != config.schedule() || (was != LearningRateSchedule.CONSTANT && s.maxEpochs() != null
                && s.maxEpochs() != config.maxEpochs())) {
            throw new IllegalArgumentException("the checkpoint was trained with the " + describe(was, s.maxEpochs())
                    + "; resume it with the same, not the " + describe(config.schedule(), config.maxEpochs()));
        }
        double decay = s.averageDecay() == null ? 0 : s.averageDecay();
        if (decay != config.averageDecay()) {
            throw new IllegalArgumentException("the checkpoint was trained " + describeAverage(decay)
                    + "; resume it the same way, not " + describeAverage(config.averageDecay()));
        }
        history.clear();
        history.addAll(s.epochs());
        bestEpoch = s.bestEpoch();
        bestScore = s.bestScore();
        badEpochs = s.badEpochs();
        best = null;
        if (bestEpoch > 0) {
            best = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
                best.put(e.getKey(), store.require(BEST + e.getKey(), e.getValue().dataType())
                        .reshape(e.getValue().shape()));
            }
        }
        average = null;
        averageSteps = s.averageSteps() == null ? 0 : s.averageSteps();
        if (averageSteps > 0) {
            average = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
                average.put(e.getKey(), store.require(AVERAGE + e.getKey(), e.getValue().dataType())
                        .reshape(e.getValue().shape()));
            }
        }
        LOG.info("resuming after epoch {}", history.size());
    }

    /** "constant learning-rate schedule", or "linear learning-rate schedule over N epochs". */
    private static String describe(LearningRateSchedule s, Integer epochs) {
        return s.name().toLowerCase(java.util.Locale.ROOT) + " learning-rate schedule"
                + (s == LearningRateSchedule.CONSTANT ? "" : " over " + epochs + " epochs");
    }

    /** "with parameter averaging at decay D", or "without parameter averaging". */
    private static String describeAverage(double decay) {
        return decay == 0 ? "without parameter averaging" : "with parameter averaging at decay " + decay;
    }

    /**
     * The loop state of a checkpoint; {@code schedule}, {@code maxEpochs}, {@code averageDecay} and
     * {@code averageSteps} are null in older checkpoints.
     */
    record State(List<EpochStats> epochs, int bestEpoch, Double bestScore, int badEpochs,
                 LearningRateSchedule schedule, Integer maxEpochs, Double averageDecay, Long averageSteps) {
    }
}
