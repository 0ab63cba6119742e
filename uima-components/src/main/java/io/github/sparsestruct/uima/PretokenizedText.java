package io.github.sparsestruct.uima;

import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import java.util.ArrayList;
import java.util.List;
import org.apache.uima.jcas.JCas;

/**
 * A CAS from text that is already split into sentences and tokens (a treebank, a corpus reader's output): the tokens
 * joined by a space, the sentences by a newline, with DKPro {@link Sentence}, {@link Token} and
 * {@link DocumentMetaData}, ready for the SparseStruct engines without a segmenter.
 */
public final class PretokenizedText {
    private PretokenizedText() {
    }

    /**
     * Fills an empty CAS.
     *
     * @param id        the document id (and title)
     * @param language  the document language
     * @param sentences the token forms of each sentence
     */
    public static void fill(JCas jcas, String id, String language, String[][] sentences) {
        StringBuilder text = new StringBuilder();
        List<int[]> sents = new ArrayList<>();
        List<int[]> toks = new ArrayList<>();
        for (String[] s : sentences) {
            int begin = text.length();
            for (int i = 0; i < s.length; i++) {
                if (i > 0) {
                    text.append(' ');
                }
                toks.add(new int[] {text.length(), text.length() + s[i].length()});
                text.append(s[i]);
            }
            sents.add(new int[] {begin, text.length()});
            text.append('\n');
        }
        // the text first: annotations are made on the sofa once it holds it
        jcas.setDocumentText(text.toString());
        jcas.setDocumentLanguage(language);
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
