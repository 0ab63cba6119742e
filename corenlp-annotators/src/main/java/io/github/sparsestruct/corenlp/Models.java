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

    static NerModel ner(String annotator, String location) {
        try {
            return ModelRegistry.ner(location);
        } catch (Exception e) {
            throw failure(annotator, "NER", location, e);
        }
    }

    static ParserModel parser(String annotator, String location) {
        try {
            return ModelRegistry.parser(location);
        } catch (Exception e) {
            throw failure(annotator, "dependency parser", location, e);
        }
    }

    static io.github.sparsestruct.models.align.AlignModel align(String annotator, String location) {
        try {
            return ModelRegistry.align(location);
        } catch (Exception e) {
            throw failure(annotator, "word alignment", location, e);
        }
    }

    private static InvalidPropertyException failure(String annotator, String what, String location, Exception e) {
        String where;
        try {
            Path f = ModelRegistry.file(location);
            where = f == null ? "the bundled English " + what + " model" : "model file " + f.toAbsolutePath();
        } catch (RuntimeException bad) {
            where = "model location '" + location + "'";
        }
        String detail = e.getMessage() == null ? e.toString() : e.getMessage();
        return new InvalidPropertyException(annotator + ".model", "annotator '" + annotator + "' cannot load " + where
                + " (" + annotator + ".model): " + detail + "; set " + annotator + ".model to a SparseStruct " + what
                + " model file", e);
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
