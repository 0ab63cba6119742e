package io.github.sparsestruct.uima;

import static org.apache.uima.fit.factory.AnalysisEngineFactory.createEngineDescription;

import io.github.sparsestruct.models.ModelCatalog;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.models.analysis.NerAnalyzer;
import io.github.sparsestruct.models.analysis.ParseAnalyzer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.uima.analysis_engine.AnalysisEngineDescription;
import org.apache.uima.resource.ResourceInitializationException;

/**
 * The SparseStruct engines of one annotation job and the analyzers that serve them in a {@link BatchRunner}, built
 * the same way for every caller that must give the same output for the same options ({@code bin/sparsestruct
 * annotate} and {@code bin/sparsestruct serve}): NER, then the parser, then the word aligner (views mode), each with
 * the model, variant, language and decoding options given here.
 *
 * @param tasks             ner, depparse, align (in any order; the engines run in that order)
 * @param nerModel          NER model file or {@code bundled}
 * @param parserModel       parser model file or {@code bundled}
 * @param alignModel        aligner model file or {@code bundled}
 * @param language          language of the bundled models
 * @param variant           variant of the bundled models
 * @param options           decoding, alternatives kept, lightest weight, longest sentence decoded whole
 * @param alignDecoder      align: matching or sequential
 * @param targetView        align: the view holding the counterpart document
 */
public record AnnotationPipeline(List<String> tasks, String nerModel, String parserModel, String alignModel,
                                 String language, String variant, AnalysisOptions options, String alignDecoder,
                                 String targetView) {
    /** NER. */
    public static final String NER = "ner";
    /** Dependency parsing. */
    public static final String DEPPARSE = "depparse";
    /** Word alignment. */
    public static final String ALIGN = "align";

    public AnnotationPipeline {
        tasks = tasks.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).toList();
    }

    /** Bundled models of the default language for {@code tasks}, with {@code variant} and {@code options}. */
    public static AnnotationPipeline bundled(List<String> tasks, String variant, AnalysisOptions options) {
        return new AnnotationPipeline(tasks, ModelRegistry.BUNDLED, ModelRegistry.BUNDLED, ModelRegistry.BUNDLED,
                ModelCatalog.DEFAULT_LANGUAGE, variant, options, "matching", "target");
    }

    /** The same pipeline with other decoding options. */
    public AnnotationPipeline withOptions(AnalysisOptions o) {
        return new AnnotationPipeline(tasks, nerModel, parserModel, alignModel, language, variant, o, alignDecoder,
                targetView);
    }

    /** The same pipeline with other tasks. */
    public AnnotationPipeline withTasks(List<String> t) {
        return new AnnotationPipeline(t, nerModel, parserModel, alignModel, language, variant, options, alignDecoder,
                targetView);
    }

    /** Whether {@code task} is one of the tasks. */
    public boolean has(String task) {
        return tasks.contains(task);
    }

    /** The engines of the tasks as one aggregate: NER, parser, aligner, with {@link #parameters} each. */
    public AnalysisEngineDescription engines() throws ResourceInitializationException {
        List<AnalysisEngineDescription> parts = new ArrayList<>();
        if (has(NER)) {
            parts.add(createEngineDescription(SparseStructNamedEntityRecognizer.class, parameters(nerModel)));
        }
        if (has(DEPPARSE)) {
            parts.add(createEngineDescription(SparseStructParser.class, parameters(parserModel)));
        }
        if (has(ALIGN)) {
            List<Object> p = new ArrayList<>(List.of(parameters(alignModel)));
            p.addAll(List.of(SparseStructAligner.PARAM_MODE, SparseStructAligner.MODE_VIEWS,
                    SparseStructAligner.PARAM_DECODER, alignDecoder.trim().toLowerCase(Locale.ROOT),
                    SparseStructAligner.PARAM_TARGET_VIEW, targetView));
            parts.add(createEngineDescription(SparseStructAligner.class, p.toArray()));
        }
        return createEngineDescription(parts.toArray(new AnalysisEngineDescription[0]));
    }

    /**
     * The parameters every engine of the pipeline gets: model location and variant, the decoding options, segmenting
     * documents that come without sentences, and the language when it is not the default one.
     */
    public Object[] parameters(String model) {
        List<Object> p = new ArrayList<>(List.of(SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, model,
                SparseStructAnnotatorBase.PARAM_MODEL_VARIANT, variant,
                SparseStructAnnotatorBase.PARAM_DECODING, options.decode(),
                SparseStructAnnotatorBase.PARAM_MAX_ALTERNATIVES, options.maxAlternatives(),
                SparseStructAnnotatorBase.PARAM_MIN_WEIGHT, options.minWeight(),
                SparseStructAnnotatorBase.PARAM_MAX_SENTENCE_LENGTH, options.maxSentenceLength(),
                SparseStructAnnotatorBase.PARAM_SEGMENT_IF_MISSING, true));
        if (!ModelCatalog.language(language).equals(ModelCatalog.DEFAULT_LANGUAGE)) {
            // the bundled models of another language
            p.addAll(List.of(SparseStructAnnotatorBase.PARAM_LANGUAGE, language));
        }
        return p.toArray();
    }

    /**
     * The NER and parser analyzers of the tasks, as {@code analyze(forms)} functions for {@link BatchRunner} (their
     * models are the engines': one per location in the JVM, through {@link ModelRegistry}). Loading them up front
     * makes a missing or corrupt model one clear error, and checks the options against each model's decodings.
     *
     * @throws IOException when a model cannot be read
     * @throws IllegalArgumentException when the options do not fit a model (the message lists the allowed ones)
     */
    public List<Function<List<String[]>, ?>> analyzers() throws IOException {
        List<Function<List<String[]>, ?>> out = new ArrayList<>();
        if (has(NER)) {
            out.add(new NerAnalyzer(ModelRegistry.ner(nerModel, language, variant), options)::analyze);
        }
        if (has(DEPPARSE)) {
            out.add(new ParseAnalyzer(ModelRegistry.parser(parserModel, language, variant), options)::analyze);
        }
        return out;
    }
}
