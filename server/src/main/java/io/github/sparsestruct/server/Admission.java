package io.github.sparsestruct.server;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded concurrency: a fixed set of worker threads (each with its own engines) and a bounded queue in front of
 * them. A request that finds every worker busy and the queue full is answered 503 with {@code Retry-After} at once;
 * one that waits in the queue or runs past its time budget is answered 503 when the budget is spent. A task that
 * already runs when its budget is spent finishes on its worker (the models cannot be interrupted) and its result is
 * dropped; the size limits bound how long that can be.
 */
final class Admission {
    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);
    private final ThreadPoolExecutor pool;
    private final Metrics metrics;
    /** One per request admitted (running or waiting): threads + queue in all. */
    private final Semaphore places;

    Admission(int threads, int queue, Metrics metrics) {
        this.metrics = metrics;
        this.places = new Semaphore(threads + queue);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory workers = r -> {
            Thread t = new Thread(r, "sparsestruct-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                workers, new ThreadPoolExecutor.AbortPolicy());
        pool.prestartAllCoreThreads();
    }

    /**
     * Runs {@code task} on a worker and returns its result, or fails with an {@link HttpError}: 503 when saturated or
     * out of time (the budget runs from {@code startNanos}), the task's own {@link HttpError}, else 500.
     */
    <T> T run(Callable<T> task, long startNanos, long budgetMillis) {
        long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(budgetMillis);
        Future<T> f = admit(() -> {
            if (System.nanoTime() - deadline > 0) {
                // its caller has given up already (and counted it)
                throw HttpError.unavailable("over the time budget", 1);
            }
            return task.call();
        });
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // a task still waiting sees its deadline when it starts and skips the work (giving its place back then)
            throw overBudget(budgetMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HttpError.unavailable("the server is shutting down", 5);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof HttpError h) {
                throw h;
            }
            // the class and where it happened, not its message: a message could quote the request's text
            LOG.error("request failed: {} at {}", c.getClass().getName(),
                    c.getStackTrace().length > 0 ? c.getStackTrace()[0] : "?");
            throw new HttpError(500, "internal error (" + c.getClass().getSimpleName() + "); the server log names "
                    + "where it happened");
        }
    }

    /** Takes a place for the task (or answers 503) and queues it; the place is given back when it ends. */
    private <T> Future<T> admit(Callable<T> task) {
        if (!places.tryAcquire()) {
            metrics.rejected();
            throw HttpError.unavailable("the server is busy: all " + pool.getMaximumPoolSize() + " workers are "
                    + "analysing and " + pool.getQueue().size() + " requests are waiting; retry later", 1);
        }
        try {
            return pool.submit(() -> {
                try {
                    return task.call();
                } finally {
                    places.release();
                }
            });
        } catch (RejectedExecutionException e) {
            places.release();
            throw HttpError.unavailable("the server is shutting down", 5);
        }
    }

    private HttpError overBudget(long budgetMillis) {
        metrics.overBudget();
        return HttpError.unavailable("the request did not finish within the server's time budget of "
                + budgetMillis + " ms; send less text per request or retry later", 1);
    }

    /** Requests waiting for a worker. */
    int queued() {
        return pool.getQueue().size();
    }

    /** Worker threads. */
    int workers() {
        return pool.getMaximumPoolSize();
    }

    /** Runs {@code r} on a worker, in a place of its own like a request's (tests: to hold one busy). */
    Future<?> submit(Runnable r) {
        return admit(() -> {
            r.run();
            return null;
        });
    }

    /** Stops the workers once the tasks already accepted are done (waits up to {@code millis}). */
    void shutdown(long millis) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
            LOG.warn("workers still busy after {} ms at shutdown", millis);
        }
    }
}
