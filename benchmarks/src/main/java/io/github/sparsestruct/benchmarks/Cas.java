package io.github.sparsestruct.benchmarks;

import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import java.util.ArrayList;
import java.util.List;
import org.apache.uima.jcas.JCas;

/** Fills a CAS with tokenised sentences (as the UIMA tests' {@code Docs} do). */
final class Cas {
    private Cas() {
    }

    /** Tokens separated by a space, sentences by a newline; DKPro sentences, tokens and document metadata. */
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
}
