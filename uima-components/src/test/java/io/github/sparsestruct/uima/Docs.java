package io.github.sparsestruct.uima;

import org.apache.uima.fit.factory.JCasFactory;
import org.apache.uima.jcas.JCas;
import org.apache.uima.resource.ResourceInitializationException;
import org.apache.uima.UIMAException;

/** Builds test documents. */
final class Docs {
    static final String[][] SENTENCES = {
        {"Alice", "visited", "Paris", "."},
        {"Bob", "Smith", "works", "for", "Acme", "Corp", "in", "New", "York", "."},
        {"Yesterday", "Carol", "met", "Dan", "Brown", "."},
        {"Globex", "Inc", "opened", "an", "office", "in", "Rome", "."},
        {"the", "dog", "saw", "a", "cat", "."},
    };

    private Docs() {
    }

    /** A document of the given tokenised sentences: tokens separated by a space, sentences by a newline. */
    static JCas jcas(String id, String[][] sentences) throws UIMAException {
        JCas jcas = JCasFactory.createJCas();
        fill(jcas, id, sentences);
        return jcas;
    }

    /** Fills an empty JCas (see {@link #jcas}). */
    static void fill(JCas jcas, String id, String[][] sentences) {
        PretokenizedText.fill(jcas, id, "en", sentences);
    }

    /** An empty JCas with our and DKPro's types. */
    static JCas empty() throws ResourceInitializationException {
        try {
            return JCasFactory.createJCas();
        } catch (UIMAException e) {
            throw new ResourceInitializationException(e);
        }
    }
}
