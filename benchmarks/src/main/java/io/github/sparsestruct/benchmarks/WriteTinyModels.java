package io.github.sparsestruct.benchmarks;

import io.github.sparsestruct.models.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the tests' tiny model files (real models trained for a few steps) into a folder, for smoke runs of the
 * runners: {@code WriteTinyModels DIR} writes {@code ner.zip} (3 steps), {@code ner-trained.zip} (60 steps),
 * {@code parser.zip} (3 steps) and {@code align.zip} (8 steps), seed 5, as the UIMA tests' {@code TestModels} do.
 */
public final class WriteTinyModels {
    private WriteTinyModels() {
    }

    /** {@code DIR}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: WriteTinyModels DIR");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        System.out.println(TinyModels.writeNer(dir.resolve("ner.zip"), 3, 5));
        System.out.println(TinyModels.writeNer(dir.resolve("ner-trained.zip"), 60, 5));
        System.out.println(TinyModels.writeParser(dir.resolve("parser.zip"), 3, 5));
        System.out.println(TinyModels.writeAlign(dir.resolve("align.zip"), 8, 5));
    }
}
