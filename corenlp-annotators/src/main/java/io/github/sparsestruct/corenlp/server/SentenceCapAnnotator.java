package io.github.sparsestruct.corenlp.server;

import edu.stanford.nlp.ling.CoreAnnotation;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.Annotator;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.corenlp.InvalidPropertyException;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Refuses a document with a sentence longer than {@code NAME.maxTokens} tokens. {@link SafeServer} runs it before the
 * word aligner, which aligns an over-long pair whole (with the matching MAP) rather than in chunks, so that no
 * request makes the server decode a sentence beyond its cap. The NER and the parser need no such guard: they decode
 * longer sentences in chunks of at most their {@code maxSentenceLength}.
 */
public class SentenceCapAnnotator implements Annotator {
    /** The property holding the cap, under the annotator's name. */
    public static final String MAX_TOKENS = "maxTokens";
    private final String name;
    private final int maxTokens;
    private final String reason;

    /** The CoreNLP constructor; {@code NAME.maxTokens} (an integer ≥ 1) is required. */
    public SentenceCapAnnotator(String name, Properties props) {
        this.name = name;
        String key = name + "." + MAX_TOKENS;
        String v = props == null ? null : props.getProperty(key);
        int cap = -1;
        try {
            cap = v == null ? -1 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            // reported below
        }
        if (cap < 1) {
            throw new InvalidPropertyException(key, key + " = '" + v + "' is not allowed; allowed: an integer >= 1");
        }
        this.maxTokens = cap;
        String why = props.getProperty(name + ".reason");
        this.reason = why == null || why.isBlank() ? "" : " (" + why.trim() + ")";
    }

    /** The cap. */
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public void annotate(Annotation annotation) {
        List<CoreMap> sentences = annotation.get(CoreAnnotations.SentencesAnnotation.class);
        if (sentences == null) {
            return;
        }
        for (int i = 0; i < sentences.size(); i++) {
            List<CoreLabel> tokens = sentences.get(i).get(CoreAnnotations.TokensAnnotation.class);
            int n = tokens == null ? 0 : tokens.size();
            if (n > maxTokens) {
                throw new SentenceTooLongException(i, n, maxTokens, reason);
            }
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // CoreNLP's Annotator interface uses the raw CoreAnnotation type
    public Set<Class<? extends CoreAnnotation>> requires() {
        return Set.of(CoreAnnotations.TokensAnnotation.class, CoreAnnotations.SentencesAnnotation.class);
    }

    @Override
    @SuppressWarnings("rawtypes") // CoreNLP's Annotator interface uses the raw CoreAnnotation type
    public Set<Class<? extends CoreAnnotation>> requirementsSatisfied() {
        return Set.of();
    }

    @Override
    public String toString() {
        return name + "(maxTokens=" + maxTokens + ")";
    }

    /** A sentence over the cap: names its index and length, never its text. */
    public static final class SentenceTooLongException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int sentence;
        private final int tokens;

        SentenceTooLongException(int sentence, int tokens, int cap, String reason) {
            super("sentence " + sentence + " (0-based) has " + tokens + " tokens; this server takes sentences of at "
                    + "most " + cap + " tokens" + reason + ": split it or send shorter sentences");
            this.sentence = sentence;
            this.tokens = tokens;
        }

        /** The sentence's 0-based index. */
        public int sentence() {
            return sentence;
        }

        /** Its number of tokens. */
        public int tokens() {
            return tokens;
        }
    }
}
