package io.github.sparsestruct.models.train;

import io.github.sparsestruct.models.nn.NativeMemory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Synchronous data-parallel training steps: a batch is split into one share per worker (balanced by tokens), each
 * worker computes the gradient of its share on its own copy of the model ({@link TrainableModel#replica}), the
 * gradients are combined into the gradient of the whole batch's objective, the model's optimizer makes one update,
 * and the copies take the new parameters. The update is the one a single thread would make on the same batch; only
 * the dropout masks differ (each share draws its own from a seed taken from the step's generator, so a run is
 * reproducible whatever the threads' timing).
 *
 * <p>Why: the network's matrices are too small for ND4J's own threads to pay (two OpenMP threads train the parser no
 * faster than one), while two shares of a batch on two cores run side by side. Run with one ND4J thread per
 * worker ({@code OMP_NUM_THREADS=1}).
 *
 * @param <S> the sentence type
 */
public final class DataParallel<S> implements AutoCloseable {
    private final TrainableModel<S> model;
    private final List<TrainableModel<S>> replicas = new ArrayList<>();
    private final ExecutorService pool;

    /**
     * Data-parallel steps for a model over {@code workers} threads (the calling thread and {@code workers - 1}
     * others), each with its own copy of the model.
     *
     * @throws IllegalArgumentException if {@code workers < 2}
     * @throws UnsupportedOperationException if the model cannot be copied
     */
    public DataParallel(TrainableModel<S> model, int workers) {
        if (workers < 2) {
            throw new IllegalArgumentException("data-parallel training needs at least 2 workers, not " + workers);
        }
        this.model = model;
        for (int i = 1; i < workers; i++) {
            replicas.add(model.replica());
        }
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(workers - 1, r -> {
            Thread t = new Thread(r, "train-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The workers' copies of the model (for tests). */
    List<TrainableModel<S>> replicas() {
        return replicas;
    }

    /** Number of workers. */
    public int workers() {
        return replicas.size() + 1;
    }

    /**
     * One optimisation step on a batch: shares on the workers, one update of the model, parameters copied to the
     * workers. A batch of one sentence takes a plain {@link TrainableModel#trainStep}.
     */
    public StepResult step(List<S> batch, Random rng) {
        if (batch.size() < 2) {
            StepResult r = model.trainStep(batch, rng);
            syncReplicas();
            return r;
        }
        List<List<S>> shares = split(batch, Math.min(workers(), batch.size()));
        long[] seeds = new long[shares.size()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = rng.nextLong();
        }
        List<Future<BatchGradient>> others = new ArrayList<>();
        for (int i = 1; i < shares.size(); i++) {
            TrainableModel<S> r = replicas.get(i - 1);
            List<S> share = shares.get(i);
            long seed = seeds[i];
            others.add(pool.submit(() -> r.gradient(share, new Random(seed))));
        }
        List<BatchGradient> parts = new ArrayList<>();
        try {
            parts.add(model.gradient(shares.get(0), new Random(seeds[0])));
        } finally {
            // the workers finish their shares before this step returns or throws, so no step overlaps the next
            for (Future<BatchGradient> f : others) {
                BatchGradient g = await(f);
                if (!parts.isEmpty()) {
                    parts.add(g);
                }
            }
        }
        double loss = 0;
        long tokens = 0;
        for (BatchGradient p : parts) {
            loss += p.loss();
            tokens += p.tokens();
        }
        Map<String, INDArray> combined = combine(parts, tokens);
        double norm = model.optimizer().update(model.parameters(), combined);
        syncReplicas();
        NativeMemory.step();
        return new StepResult(loss, Math.toIntExact(tokens), batch.size(), norm);
    }

    /**
     * The gradient of the whole batch's objective (its summed loss / its tokens) from the shares' gradients (each of
     * its share's loss / the share's tokens): Σ_i (tokens_i / tokens) · g_i.
     */
    static Map<String, INDArray> combine(List<BatchGradient> parts, long tokens) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (BatchGradient p : parts) {
            double w = (double) p.tokens() / tokens;
            for (Map.Entry<String, INDArray> e : p.gradients().entrySet()) {
                INDArray g = e.getValue().mul(w);
                out.merge(e.getKey(), g, INDArray::addi);
            }
        }
        return out;
    }

    /**
     * Splits a batch into {@code k} non-empty shares of about equal tokens (each sentence, longest first, to the
     * share with the fewest tokens so far), keeping the batch order within a share.
     */
    List<List<S>> split(List<S> batch, int k) {
        Integer[] order = new Integer[batch.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(model.length(batch.get(b)), model.length(batch.get(a))));
        long[] load = new long[k];
        int[] owner = new int[batch.size()];
        for (int j = 0; j < order.length; j++) {
            int best = 0;
            for (int s = 1; s < k; s++) {
                if (load[s] < load[best]) {
                    best = s;
                }
            }
            // the first k sentences open the k shares, so no share stays empty
            int target = j < k ? j : best;
            owner[order[j]] = target;
            load[target] += model.length(batch.get(order[j]));
        }
        List<List<S>> shares = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < batch.size(); i++) {
            shares.get(owner[i]).add(batch.get(i));
        }
        return shares;
    }

    /** Copies the model's parameters into every worker's copy. */
    private void syncReplicas() {
        Map<String, INDArray> master = model.parameters();
        for (TrainableModel<S> r : replicas) {
            for (Map.Entry<String, INDArray> e : r.parameters().entrySet()) {
                e.getValue().assign(master.get(e.getKey()));
            }
        }
    }

    private static BatchGradient await(Future<BatchGradient> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a training worker", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("a training worker failed: " + c, c);
        }
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
