package io.github.sparsestruct.corenlp;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.ner.NerModel;
import java.nio.file.Path;
import java.util.List;

/** What both annotators share: loading models through the registry with clear errors, reading sentences. */
final class Models {
    private Models() {
    }

    /** The model of {@code NAME.model}, or the bundled one of {@code NAME.language} and {@code NAME.variant}. */
    static NerModel ner(AnnotatorConfig config) {
        try {
            return ModelRegistry.ner(config.model(), config.language(), config.variant());
        } catch (Exception e) {
            throw failure(config, "NER", e);
        }
    }

    /** The parser of {@code NAME.model}, or the bundled one of {@code NAME.language} and {@code NAME.variant}. */
    static ParserModel parser(AnnotatorConfig config) {
        try {
            return ModelRegistry.parser(config.model(), config.language(), config.variant());
        } catch (Exception e) {
            throw failure(config, "dependency parser", e);
        }
    }

    /** The aligner of {@code NAME.model}, or the bundled one of {@code NAME.language} and {@code NAME.variant}. */
    static io.github.sparsestruct.models.align.AlignModel align(AnnotatorConfig config) {
        try {
            return ModelRegistry.align(config.model(), config.language(), config.variant());
        } catch (Exception e) {
            throw failure(config, "word alignment", e);
        }
    }

    private static InvalidPropertyException failure(AnnotatorConfig config, String what, Exception e) {
        String annotator = config.name();
        String location = config.model();
        String where;
        try {
            Path f = ModelRegistry.file(location);
            where = f == null ? "the bundled " + what + " model (" + annotator + ".language = "
                    + io.github.sparsestruct.models.ModelCatalog.language(config.language()) + ", " + annotator
                    + ".variant = " + (config.variant() == null ? io.github.sparsestruct.models.ModelCatalog
                    .DEFAULT_VARIANT : config.variant()) + ")" : "model file " + f.toAbsolutePath();
        } catch (RuntimeException bad) {
            where = "model location '" + location + "'";
        }
        String detail = e.getMessage() == null ? e.toString() : e.getMessage();
        boolean bundled = location == null || ModelRegistry.BUNDLED.equalsIgnoreCase(location.trim());
        String which = !bundled ? AnnotatorConfig.MODEL : config.variant() != null ? AnnotatorConfig.VARIANT
                : config.language() != null ? AnnotatorConfig.LANGUAGE : AnnotatorConfig.MODEL;
        String key = annotator + "." + which;
        return new InvalidPropertyException(key, "annotator '" + annotator + "' cannot load " + where
                + " (" + key + "): " + detail + "; set " + annotator + ".model to a SparseStruct " + what
                + " model file" + (bundled ? ", or " + annotator + ".language / " + annotator + ".variant to a bundled"
                + " one" : ""), e);
    }

    /**
     * The common body of an annotator: the token forms of every sentence go to {@code analyze} in one call (so the
     * model batches them), and each sentence's result to {@code fill}.
     *
     * @return the sentences
     */
    static <A> List<CoreMap> analyze(String annotator, Annotation annotation,
                                     java.util.function.Function<List<String[]>, List<A>> analyze,
                                     java.util.function.BiConsumer<CoreMap, A> fill) {
        List<CoreMap> sentences = sentences(annotator, annotation);
        List<String[]> forms = new java.util.ArrayList<>(sentences.size());
        for (CoreMap s : sentences) {
            forms.add(forms(s));
        }
        List<A> analyses = analyze.apply(forms);
        for (int i = 0; i < sentences.size(); i++) {
            fill.accept(sentences.get(i), analyses.get(i));
        }
        return sentences;
    }

    /** The document's sentences, or an error saying what to run first. */
    static List<CoreMap> sentences(String annotator, Annotation annotation) {
        List<CoreMap> sentences = annotation.get(CoreAnnotations.SentencesAnnotation.class);
        if (sentences == null) {
            throw new IllegalArgumentException("annotator '" + annotator + "' needs sentences and tokens: run "
                    + "tokenize,ssplit before it");
        }
        return sentences;
    }

    /** The token forms of a sentence: the original text of each token (as UIMA's covered text). */
    static String[] forms(CoreMap sentence) {
        List<CoreLabel> tokens = sentence.get(CoreAnnotations.TokensAnnotation.class);
        String[] out = new String[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            CoreLabel t = tokens.get(i);
            String f = t.originalText();
            out[i] = f == null || f.isEmpty() ? t.word() : f;
        }
        return out;
    }
}
