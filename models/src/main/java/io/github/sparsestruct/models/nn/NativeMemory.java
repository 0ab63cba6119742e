package io.github.sparsestruct.models.nn;

/**
 * Keeps ND4J's off-heap memory in check. ND4J frees an array's native buffer only when the Java object is garbage
 * collected, and a training loop allocates hundreds of megabytes of native arrays per step while producing little
 * Java garbage, so without help the process grows by tens of megabytes per step until the machine runs out of
 * memory. {@link #step()} runs a collection every {@code sparsestruct.gcEvery} steps (system property, default 5; 0
 * turns it off), which bounds the native footprint at a small cost per step (BENCHMARKS.md, Training).
 */
public final class NativeMemory {
    private static final int EVERY = Integer.getInteger("sparsestruct.gcEvery", 5);
    private static int count;

    private NativeMemory() {
    }

    /** Counts one training step or prediction batch; collects garbage every few. */
    public static void step() {
        boolean collect;
        synchronized (NativeMemory.class) {
            collect = EVERY > 0 && ++count % EVERY == 0;
        }
        if (collect) {
            System.gc();
        }
    }
}
