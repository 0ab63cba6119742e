package io.github.sparsestruct.server;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.uima.analysis_engine.AnalysisEngineProcessException;
import org.apache.uima.fit.component.JCasAnnotator_ImplBase;
import org.apache.uima.fit.descriptor.ConfigurationParameter;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;

/**
 * The server's size limits on a segmented document, checked before the models see it (first engine of the server's
 * pipelines): no sentence longer than {@link #PARAM_MAX_SENTENCE_TOKENS} tokens and at most {@link #PARAM_MAX_TOKENS}
 * tokens in all; otherwise the document fails with a {@link Exceeded} that the server answers with 413. Writes
 * nothing.
 */
public class SentenceLimits extends JCasAnnotator_ImplBase {
    /** Longest sentence accepted, in tokens. */
    public static final String PARAM_MAX_SENTENCE_TOKENS = "maxSentenceTokens";
    @ConfigurationParameter(name = PARAM_MAX_SENTENCE_TOKENS, mandatory = true)
    private int maxSentenceTokens;

    /** Most tokens in one document. */
    public static final String PARAM_MAX_TOKENS = "maxTokens";
    @ConfigurationParameter(name = PARAM_MAX_TOKENS, mandatory = true)
    private int maxTokens;

    /** A limit the document is over; the message says which and by how much. */
    public static final class Exceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exceeded(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public void process(JCas jcas) throws AnalysisEngineProcessException {
        try {
            check(JCasUtil.select(jcas, Sentence.class).stream().toList(),
                    JCasUtil.indexCovered(jcas, Sentence.class, Token.class), maxSentenceTokens, maxTokens);
        } catch (Exceeded e) {
            throw new AnalysisEngineProcessException(e);
        }
    }

    /**
     * Fails with {@link Exceeded} when a sentence of {@code sentences} has more than {@code maxSentence} tokens or all
     * of them more than {@code maxAll}.
     */
    static void check(List<Sentence> sentences, Map<Sentence, ? extends Collection<Token>> tokens, int maxSentence,
                      int maxAll) {
        long all = 0;
        for (int i = 0; i < sentences.size(); i++) {
            Collection<Token> t = tokens.get(sentences.get(i));
            int n = t == null ? 0 : t.size();
            if (n > maxSentence) {
                throw new Exceeded("sentence " + i + " (characters " + sentences.get(i).getBegin() + "-"
                        + sentences.get(i).getEnd() + ") has " + n + " tokens; this server accepts sentences of at "
                        + "most " + maxSentence + " tokens (split it, or start the server with a larger "
                        + "--max-sentence-tokens)");
            }
            all += n;
        }
        if (all > maxAll) {
            throw new Exceeded("the request has " + all + " tokens; this server analyses at most " + maxAll
                    + " per request (send the text in parts, or start the server with a larger --max-tokens)");
        }
    }
}
