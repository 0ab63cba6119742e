package io.github.sparsestruct.server;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;

/**
 * The server's size limits on a segmented document, checked before the models see it: no sentence longer than
 * {@code maxSentence} tokens, at most {@code maxAll} tokens in all; otherwise an {@link HttpError} 413 that says which
 * limit and by how much.
 */
final class SentenceLimits {
    private SentenceLimits() {
    }

    /** Checks every sentence of the document. */
    static void check(JCas jcas, int maxSentence, int maxAll) {
        check(List.copyOf(JCasUtil.select(jcas, Sentence.class)),
                JCasUtil.indexCovered(jcas, Sentence.class, Token.class), maxSentence, maxAll);
    }

    /** Checks {@code sentences}, whose tokens {@code tokens} gives. */
    static void check(List<Sentence> sentences, Map<Sentence, ? extends Collection<Token>> tokens, int maxSentence,
                      int maxAll) {
        long all = 0;
        for (int i = 0; i < sentences.size(); i++) {
            Collection<Token> t = tokens.get(sentences.get(i));
            int n = t == null ? 0 : t.size();
            if (n > maxSentence) {
                throw HttpError.tooLarge("sentence " + i + " (characters " + sentences.get(i).getBegin() + "-"
                        + sentences.get(i).getEnd() + ") has " + n + " tokens; this server accepts sentences of at "
                        + "most " + maxSentence + " tokens (split it, or start the server with a larger "
                        + "--max-sentence-tokens)");
            }
            all += n;
        }
        if (all > maxAll) {
            throw HttpError.tooLarge("the request has " + all + " tokens; this server analyses at most " + maxAll
                    + " per request (send the text in parts, or start the server with a larger --max-tokens)");
        }
    }
}
