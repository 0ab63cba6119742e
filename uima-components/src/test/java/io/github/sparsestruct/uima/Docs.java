package io.github.sparsestruct.uima;

import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import java.util.ArrayList;
import java.util.List;
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
        StringBuilder text = new StringBuilder();
        List<int[]> sents = new ArrayList<>();
        List<int[]> toks = new ArrayList<>();
        for (String[] s : sentences) {
            int sb = text.length();
            for (int i = 0; i < s.length; i++) {
                if (i > 0) {
                    text.append(' ');
                }
                toks.add(new int[] {text.length(), text.length() + s[i].length()});
                text.append(s[i]);
            }
            sents.add(new int[] {sb, text.length()});
            text.append('\n');
        }
        jcas.setDocumentText(text.toString());
        jcas.setDocumentLanguage("en");
        for (int[] s : sents) {
            new Sentence(jcas, s[0], s[1]).addToIndexes();
        }
        for (int[] t : toks) {
            new Token(jcas, t[0], t[1]).addToIndexes();
        }
        DocumentMetaData m = DocumentMetaData.create(jcas);
        m.setDocumentId(id);
        m.setDocumentTitle(id);
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
