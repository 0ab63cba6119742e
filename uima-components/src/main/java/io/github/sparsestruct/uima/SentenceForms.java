package io.github.sparsestruct.uima;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;

/**
 * The token forms of a CAS's sentences as the SparseStruct engines hand them to the models ({@link Token#getText()}
 * of the tokens each sentence covers, in order). Callers that batch several documents through the models before the
 * engines run (a {@code PredictionMemo} scope) collect the same forms with it, so the engines are served.
 */
public final class SentenceForms {
    private SentenceForms() {
    }

    /** One array of token forms per sentence, in document order (empty for a sentence without tokens). */
    public static List<String[]> of(JCas jcas) {
        Map<Sentence, List<Token>> covered = JCasUtil.indexCovered(jcas, Sentence.class, Token.class);
        List<String[]> out = new ArrayList<>();
        for (Sentence sentence : JCasUtil.select(jcas, Sentence.class)) {
            out.add(of(covered.getOrDefault(sentence, List.of())));
        }
        return out;
    }

    /**
     * The forms of a sentence's tokens, in order: {@link Token#getText()}, the form if set, else the covered text. The
     * one definition the engines and the batching callers share (the prediction memo serves a sentence only when the
     * forms are equal).
     */
    public static String[] of(List<Token> tokens) {
        String[] f = new String[tokens.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = tokens.get(i).getText();
        }
        return f;
    }
}
