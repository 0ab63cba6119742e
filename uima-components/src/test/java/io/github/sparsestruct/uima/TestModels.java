package io.github.sparsestruct.uima;

import io.github.sparsestruct.models.testing.TinyModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny model files written once per test JVM (TinyModels: real models trained for a few steps, so uncertain). */
final class TestModels {
    private static Path dir;
    private static Path ner;
    private static Path parser;
    private static Path nerTrained;
    private static Path align;

    private TestModels() {
    }

    /** The tiny NER model file. */
    static synchronized String ner() {
        if (ner == null) {
            try {
                ner = TinyModels.writeNer(dir().resolve("ner.zip"), 3, 5);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ner.toString();
    }

    /** A tiny NER model trained longer: it finds the entities of {@link Docs#SENTENCES} (few alternatives). */
    static synchronized String nerTrained() {
        if (nerTrained == null) {
            try {
                nerTrained = TinyModels.writeNer(dir().resolve("ner-trained.zip"), 60, 5);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return nerTrained.toString();
    }

    /** The tiny parser model file. */
    static synchronized String parser() {
        if (parser == null) {
            try {
                parser = TinyModels.writeParser(dir().resolve("parser.zip"), 3, 5);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parser.toString();
    }

    /** The tiny word aligner file (both decoders, a few steps: uncertain, so sparsemap gives alternatives). */
    static synchronized String align() {
        if (align == null) {
            try {
                align = TinyModels.writeAlign(dir().resolve("align.zip"), 8, 5);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return align.toString();
    }

    private static Path dir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("sparsestruct-uima-models");
            dir.toFile().deleteOnExit();
        }
        return dir;
    }
}
