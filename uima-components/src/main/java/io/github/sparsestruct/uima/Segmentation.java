package io.github.sparsestruct.uima;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;

/** Sentence and token segmentation with {@link BreakIterator}, for documents that come without it. */
final class Segmentation {
    private Segmentation() {
    }

    /**
     * Adds sentences (when {@code addSentences}) and tokens (when {@code addTokens}, inside every sentence) to the
     * document; spans of only whitespace or control characters are skipped.
     */
    static void segment(JCas jcas, boolean addSentences, boolean addTokens) {
        String text = jcas.getDocumentText();
        Locale locale = jcas.getDocumentLanguage() == null || jcas.getDocumentLanguage().equals("x-unspecified")
                ? Locale.ENGLISH : Locale.forLanguageTag(jcas.getDocumentLanguage());
        if (addSentences) {
            BreakIterator bi = BreakIterator.getSentenceInstance(locale);
            bi.setText(text);
            for (int b = bi.first(), e = bi.next(); e != BreakIterator.DONE; b = e, e = bi.next()) {
                int[] span = trim(text, b, e);
                if (span != null) {
                    new Sentence(jcas, span[0], span[1]).addToIndexes();
                }
            }
        }
        if (addTokens) {
            List<Sentence> sentences = new ArrayList<>(JCasUtil.select(jcas, Sentence.class));
            BreakIterator bi = BreakIterator.getWordInstance(locale);
            for (Sentence s : sentences) {
                String st = s.getCoveredText();
                bi.setText(st);
                for (int b = bi.first(), e = bi.next(); e != BreakIterator.DONE; b = e, e = bi.next()) {
                    int[] span = trim(st, b, e);
                    if (span != null) {
                        new Token(jcas, s.getBegin() + span[0], s.getBegin() + span[1]).addToIndexes();
                    }
                }
            }
        }
    }

    private static int[] trim(String text, int b, int e) {
        while (b < e && blank(text.charAt(b))) {
            b++;
        }
        while (e > b && blank(text.charAt(e - 1))) {
            e--;
        }
        return b < e ? new int[] {b, e} : null;
    }

    private static boolean blank(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c);
    }
}
