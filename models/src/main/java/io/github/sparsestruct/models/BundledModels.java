package io.github.sparsestruct.models;

import io.github.sparsestruct.models.align.AlignModel;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.format.ModelFormatException;
import io.github.sparsestruct.models.format.ParameterFiles;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.nn.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads models from a model file, or the bundled English models shipped in this jar (from {@code models/en/TASK/}
 * in the source tree) when no file is given. Tasks: {@value #NER}, {@value #DEPPARSE}, {@value #ALIGN}.
 */
public final class BundledModels {
    /** The NER task name (model files of this task hold a {@link NerModel}). */
    public static final String NER = "ner";
    /** The dependency parsing task name (model files of this task hold a {@link ParserModel}). */
    public static final String DEPPARSE = "depparse";
    /** The word alignment task name (model files of this task hold an {@link AlignModel}). */
    public static final String ALIGN = "align";

    private BundledModels() {
    }

    /** Classpath location of a bundled model. */
    public static String resource(String task) {
        return "/io/github/sparsestruct/models/en/" + task + "/model.zip";
    }

    /** Whether this build carries a bundled model for the task (English, the default variant). */
    public static boolean hasBundled(String task) {
        return BundledModels.class.getResource(resource(task)) != null;
    }

    /**
     * Reads the bundled model of a task for a language and variant ({@link ModelCatalog}) into a parameter store.
     *
     * @throws ModelFormatException naming the languages and variants bundled for the task when there is none
     */
    public static ParameterStore store(String task, String language, String variant) throws IOException {
        ModelCatalog.Entry e = ModelCatalog.find(task, language, variant);
        InputStream in = BundledModels.class.getResourceAsStream(e.resource());
        if (in == null) {
            throw new ModelFormatException("the bundled " + e + " model is listed but missing (" + e.resource() + ")");
        }
        try (in) {
            return ParameterFiles.load(in, "bundled " + e + " model", task);
        }
    }

    /** The bundled NER model for a language and variant (null: English, {@value ModelCatalog#DEFAULT_VARIANT}). */
    public static NerModel ner(String language, String variant) throws IOException {
        return NerModel.load(store(NER, language, variant));
    }

    /** The bundled parser for a language and variant (null: English, {@value ModelCatalog#DEFAULT_VARIANT}). */
    public static ParserModel parser(String language, String variant) throws IOException {
        return ParserModel.load(store(DEPPARSE, language, variant));
    }

    /** The bundled word aligner for a language and variant (null: English, the default variant). */
    public static AlignModel align(String language, String variant) throws IOException {
        return AlignModel.load(store(ALIGN, language, variant));
    }

    /** Reads a model file, or the bundled model of the task when {@code file} is null, into a parameter store. */
    public static ParameterStore store(String task, Path file) throws IOException {
        if (file != null) {
            if (!Files.exists(file)) {
                throw new ModelFormatException("model file " + file + " does not exist");
            }
            return ParameterFiles.load(file, task);
        }
        InputStream in = BundledModels.class.getResourceAsStream(resource(task));
        if (in == null) {
            throw new ModelFormatException("this build has no bundled '" + task + "' model (" + resource(task)
                    + "); train one with 'sparsestruct train --task " + task + "' and pass it with --model");
        }
        try (in) {
            return ParameterFiles.load(in, "bundled " + task + " model", task);
        }
    }

    /** The NER model in a file, or the bundled English one when {@code file} is null. */
    public static NerModel ner(Path file) throws IOException {
        return NerModel.load(store(NER, file));
    }

    /** The parser in a file, or the bundled English one when {@code file} is null. */
    public static ParserModel parser(Path file) throws IOException {
        return ParserModel.load(store(DEPPARSE, file));
    }

    /** The word aligner in a file, or the bundled English one when {@code file} is null. */
    public static AlignModel align(Path file) throws IOException {
        return AlignModel.load(store(ALIGN, file));
    }
}
