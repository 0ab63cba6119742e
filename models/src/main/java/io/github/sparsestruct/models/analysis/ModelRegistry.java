package io.github.sparsestruct.models.analysis;

import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.ModelCatalog;
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
 * {@code file:} URI, or empty / {@code null} / {@code bundled} for a bundled model of the task, chosen by language and
 * variant ({@link ModelCatalog}; by default English and {@value ModelCatalog#DEFAULT_VARIANT}). A file that changed
 * on disk (size or modification time) is loaded again.
 */
public final class ModelRegistry {
    /** The location that names the bundled model. */
    public static final String BUNDLED = "bundled";
    private static final Map<String, Object> CACHE = new ConcurrentHashMap<>();

    private ModelRegistry() {
    }

    /** The NER model at a location (see the class comment); errors name the file and the problem. */
    public static NerModel ner(String location) throws IOException {
        return ner(location, null, null);
    }

    /**
     * The NER model at a location, or, for {@code bundled}, the bundled one for a language and variant (null: the
     * defaults); a language or variant without a bundled model is an error naming those that exist.
     */
    public static NerModel ner(String location, String language, String variant) throws IOException {
        return (NerModel) get(BundledModels.NER, location, language, variant);
    }

    /** The parser at a location (see the class comment); errors name the file and the problem. */
    public static ParserModel parser(String location) throws IOException {
        return parser(location, null, null);
    }

    /** The parser at a location, or the bundled one for a language and variant (see {@link #ner(String, String,
     * String)}). */
    public static ParserModel parser(String location, String language, String variant) throws IOException {
        return (ParserModel) get(BundledModels.DEPPARSE, location, language, variant);
    }

    /** The word aligner at a location (see the class comment); errors name the file and the problem. */
    public static AlignModel align(String location) throws IOException {
        return align(location, null, null);
    }

    /** The word aligner at a location, or the bundled one for a language and variant (see {@link #ner(String,
     * String, String)}). */
    public static AlignModel align(String location, String language, String variant) throws IOException {
        return (AlignModel) get(BundledModels.ALIGN, location, language, variant);
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

    private static Object get(String task, String location, String language, String variant) throws IOException {
        // once per process: warns where OpenBLAS runs generic kernels on a CPU that has vector ones
        io.github.sparsestruct.models.cpu.OpenBlasCore.check();
        Path file = file(location);
        String key;
        ModelCatalog.Entry bundled = null;
        if (file == null) {
            bundled = ModelCatalog.find(task, language, variant);
            key = task + "|bundled|" + bundled.language() + "|" + bundled.variant();
        } else {
            Path abs = file.toAbsolutePath().normalize();
            if (!Files.isRegularFile(abs)) {
                throw new ModelFormatException("model file " + abs + " does not exist or is not a file");
            }
            key = task + "|" + abs + "|" + Files.size(abs) + "|" + Files.getLastModifiedTime(abs).toMillis();
            file = abs;
        }
        Path f = file;
        String l = bundled == null ? null : bundled.language();
        String v = bundled == null ? null : bundled.variant();
        try {
            return CACHE.computeIfAbsent(key, k -> {
                try {
                    return switch (task) {
                        case BundledModels.NER -> f == null ? BundledModels.ner(l, v) : BundledModels.ner(f);
                        case BundledModels.ALIGN -> f == null ? BundledModels.align(l, v) : BundledModels.align(f);
                        default -> f == null ? BundledModels.parser(l, v) : BundledModels.parser(f);
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
