package io.github.sparsestruct.models.analysis;

import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.align.AlignModel;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.format.ModelFormatException;
import io.github.sparsestruct.models.ner.NerModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads models once per JVM and shares them: every UIMA engine instance, CoreNLP annotator and thread asking for the
 * same location gets the same model object (analyzers serialise calls on it). A location is a file path, a
 * {@code file:} URI, or empty / {@code null} / {@code bundled} for the bundled English model of the task. A file that
 * changed on disk (size or modification time) is loaded again.
 */
public final class ModelRegistry {
    /** The location that names the bundled model. */
    public static final String BUNDLED = "bundled";
    private static final Map<String, Object> CACHE = new ConcurrentHashMap<>();

    private ModelRegistry() {
    }

    /** The NER model at a location (see the class comment); errors name the file and the problem. */
    public static NerModel ner(String location) throws IOException {
        return (NerModel) get(BundledModels.NER, location);
    }

    /** The parser at a location (see the class comment); errors name the file and the problem. */
    public static ParserModel parser(String location) throws IOException {
        return (ParserModel) get(BundledModels.DEPPARSE, location);
    }

    /** The word aligner at a location (see the class comment); errors name the file and the problem. */
    public static AlignModel align(String location) throws IOException {
        return (AlignModel) get(BundledModels.ALIGN, location);
    }

    /** The file a location names, or null for the bundled model. */
    public static Path file(String location) {
        if (location == null || location.isBlank() || location.trim().toLowerCase(Locale.ROOT).equals(BUNDLED)) {
            return null;
        }
        String l = location.trim();
        return l.startsWith("file:") ? Paths.get(URI.create(l)) : Paths.get(l);
    }

    /** Forgets every loaded model (tests; long-running servers swapping model files). */
    public static void clear() {
        CACHE.clear();
    }

    private static Object get(String task, String location) throws IOException {
        Path file = file(location);
        String key;
        if (file == null) {
            key = task + "|bundled";
        } else {
            Path abs = file.toAbsolutePath().normalize();
            if (!Files.isRegularFile(abs)) {
                throw new ModelFormatException("model file " + abs + " does not exist or is not a file");
            }
            key = task + "|" + abs + "|" + Files.size(abs) + "|" + Files.getLastModifiedTime(abs).toMillis();
            file = abs;
        }
        Path f = file;
        try {
            return CACHE.computeIfAbsent(key, k -> {
                try {
                    return switch (task) {
                        case BundledModels.NER -> BundledModels.ner(f);
                        case BundledModels.ALIGN -> BundledModels.align(f);
                        default -> BundledModels.parser(f);
                    };
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
