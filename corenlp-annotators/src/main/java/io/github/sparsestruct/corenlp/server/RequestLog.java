package io.github.sparsestruct.corenlp.server;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.util.CoreMap;
import java.util.List;

/** One line of the request log: sizes and outcome, never text. */
final class RequestLog {
    String method;
    String path;
    String from;
    int status;
    long bytes = -1;
    int chars = -1;
    int sentences = -1;
    int tokens = -1;
    int longest = -1;
    String annotators;
    String format;
    String error;

    /** Records the sentence and token counts and the longest sentence of an annotated document. */
    void sizes(Annotation doc) {
        List<CoreMap> ss = doc.get(CoreAnnotations.SentencesAnnotation.class);
        List<CoreLabel> ts = doc.get(CoreAnnotations.TokensAnnotation.class);
        sentences = ss == null ? 0 : ss.size();
        tokens = ts == null ? 0 : ts.size();
        longest = 0;
        if (ss != null) {
            for (CoreMap s : ss) {
                List<CoreLabel> t = s.get(CoreAnnotations.TokensAnnotation.class);
                longest = Math.max(longest, t == null ? 0 : t.size());
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(method).append(' ').append(path).append(" from ").append(from).append(": ").append(status);
        if (bytes >= 0) {
            b.append(", ").append(bytes).append(" bytes");
        }
        if (chars >= 0) {
            b.append(", ").append(chars).append(" chars");
        }
        if (sentences >= 0) {
            b.append(", ").append(sentences).append(" sentences, ").append(tokens).append(" tokens (longest ")
                    .append(longest).append(')');
        }
        if (annotators != null) {
            b.append(", annotators ").append(annotators);
        }
        if (format != null) {
            b.append(", output ").append(format);
        }
        if (error != null) {
            String e = error.length() > 300 ? error.substring(0, 300) + "..." : error;
            b.append(", refused: ").append(e);
        }
        return b.toString();
    }
}
