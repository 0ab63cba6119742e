package io.github.sparsestruct.benchmarks;

import io.github.sparsestruct.models.BundledModels;
import java.nio.file.Path;

/**
 * Load time of model files, each loaded three times in one JVM (the first load pays for class loading and graph
 * set-up); a file whose path contains {@code depparse} loads as a parser, any other as a NER model:
 * <pre>
 * OMP_NUM_THREADS=1 taskset -c 0 bin/sparsestruct-bench LoadTime models/en/ner/model.zip models/en/depparse/model.zip
 * </pre>
 * (formerly {@code bench/LoadTime.java}).
 */
public final class LoadTime {
    private LoadTime() {
    }

    /** {@code MODEL...}. */
    public static void main(String[] a) throws Exception {
        org.nd4j.linalg.factory.Nd4j.create(1);
        for (int i = 0; i < 3; i++) {
            for (String f : a) {
                long t0 = System.nanoTime();
                if (f.contains("depparse")) {
                    BundledModels.parser(Path.of(f));
                } else {
                    BundledModels.ner(Path.of(f));
                }
                System.out.printf("%s %d ms%n", f, (System.nanoTime() - t0) / 1_000_000);
            }
        }
    }
}
