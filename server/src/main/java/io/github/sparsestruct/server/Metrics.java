package io.github.sparsestruct.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Request and latency counters of a running server ({@code GET /metrics}): per endpoint, the requests answered, by
 * status class, and a latency histogram over fixed bucket bounds (milliseconds), from which p50 / p99 are read as the
 * upper bound of the bucket that holds them. Thread-safe; nothing is kept per request.
 */
public final class Metrics {
    /** Upper bounds of the latency buckets, in milliseconds (the last bucket is unbounded). */
    static final long[] BOUNDS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000,
        60_000};

    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong overBudget = new AtomicLong();
    private final long startedMillis = System.currentTimeMillis();

    /** One endpoint's counters. */
    private static final class Endpoint {
        final AtomicLong count = new AtomicLong();
        final AtomicLongArray byClass = new AtomicLongArray(6);
        final AtomicLongArray buckets = new AtomicLongArray(BOUNDS_MS.length + 1);
        final AtomicLong totalMicros = new AtomicLong();
        final AtomicLong maxMicros = new AtomicLong();
    }

    /** A request started. */
    void started() {
        inFlight.incrementAndGet();
    }

    /** A request to {@code endpoint} was answered with {@code status} after {@code nanos}. */
    void finished(String endpoint, int status, long nanos) {
        inFlight.decrementAndGet();
        Endpoint e = endpoints.computeIfAbsent(endpoint, k -> new Endpoint());
        e.count.incrementAndGet();
        e.byClass.incrementAndGet(Math.min(5, Math.max(1, status / 100)));
        long micros = nanos / 1_000;
        e.totalMicros.addAndGet(micros);
        e.maxMicros.accumulateAndGet(micros, Math::max);
        long ms = micros / 1_000;
        int b = 0;
        while (b < BOUNDS_MS.length && ms >= BOUNDS_MS[b]) {
            b++;
        }
        e.buckets.incrementAndGet(b);
    }

    /** A request was turned away because every worker was busy and the queue full. */
    void rejected() {
        rejected.incrementAndGet();
    }

    /** A request ran out of its time budget. */
    void overBudget() {
        overBudget.incrementAndGet();
    }

    /** Requests being handled now. */
    public long inFlight() {
        return inFlight.get();
    }

    /** Requests turned away as saturated so far. */
    public long rejectedCount() {
        return rejected.get();
    }

    /** The counters as JSON. */
    ObjectNode toJson(long queued, int workers) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("uptimeSeconds", (System.currentTimeMillis() - startedMillis) / 1000);
        o.put("inFlight", inFlight.get());
        o.put("queued", queued);
        o.put("workers", workers);
        o.put("rejectedSaturated", rejected.get());
        o.put("overTimeBudget", overBudget.get());
        ObjectNode eps = o.putObject("endpoints");
        endpoints.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(en -> {
            Endpoint e = en.getValue();
            ObjectNode n = eps.putObject(en.getKey());
            long c = e.count.get();
            n.put("requests", c);
            ObjectNode st = n.putObject("status");
            for (int k = 1; k <= 5; k++) {
                st.put(k + "xx", e.byClass.get(k));
            }
            ObjectNode lat = n.putObject("latencyMs");
            lat.put("mean", c == 0 ? 0 : e.totalMicros.get() / 1000.0 / c);
            lat.put("max", e.maxMicros.get() / 1000.0);
            lat.put("p50", quantile(e, 0.50));
            lat.put("p99", quantile(e, 0.99));
            var hist = lat.putArray("buckets");
            for (int b = 0; b <= BOUNDS_MS.length; b++) {
                ObjectNode h = hist.addObject();
                if (b < BOUNDS_MS.length) {
                    h.put("le", BOUNDS_MS[b]);
                } else {
                    h.putNull("le");
                }
                h.put("count", e.buckets.get(b));
            }
        });
        return o;
    }

    /** The upper bound of the bucket holding quantile q (the max for the open last bucket), in milliseconds. */
    private static double quantile(Endpoint e, double q) {
        long total = 0;
        for (int b = 0; b <= BOUNDS_MS.length; b++) {
            total += e.buckets.get(b);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b < BOUNDS_MS.length; b++) {
            seen += e.buckets.get(b);
            if (seen >= rank) {
                return BOUNDS_MS[b];
            }
        }
        return e.maxMicros.get() / 1000.0;
    }
}
