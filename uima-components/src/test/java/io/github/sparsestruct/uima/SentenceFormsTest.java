package io.github.sparsestruct.uima;

import static org.assertj.core.api.Assertions.assertThat;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import java.util.List;
import org.apache.uima.fit.factory.JCasFactory;
import org.apache.uima.jcas.JCas;
import org.junit.jupiter.api.Test;

class SentenceFormsTest {
    @Test
    void givesEachSentencesTokenTextsInOrderAndEmptyArraysForSentencesWithoutTokens() throws Exception {
        JCas jcas = JCasFactory.createJCas();
        jcas.setDocumentText("Hi \uD835\uDD18lm.  Bye"); // a non-BMP letter: two chars
        new Sentence(jcas, 0, 8).addToIndexes();
        new Sentence(jcas, 8, 10).addToIndexes(); // the two spaces: a sentence without tokens
        new Sentence(jcas, 10, 13).addToIndexes();
        new Token(jcas, 0, 2).addToIndexes();
        new Token(jcas, 3, 7).addToIndexes();
        new Token(jcas, 7, 8).addToIndexes();
        Token normalised = new Token(jcas, 10, 13);
        normalised.setText("bye"); // a token whose form differs from the text it covers
        normalised.addToIndexes();
        List<String[]> forms = SentenceForms.of(jcas);
        assertThat(forms).hasSize(3);
        assertThat(forms.get(0)).containsExactly("Hi", "\uD835\uDD18lm", ".");
        assertThat(forms.get(1)).isEmpty();
        assertThat(forms.get(2)).containsExactly("bye");
    }
}
