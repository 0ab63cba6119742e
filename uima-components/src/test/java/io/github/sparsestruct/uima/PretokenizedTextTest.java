package io.github.sparsestruct.uima;

import static org.assertj.core.api.Assertions.assertThat;

import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import org.apache.uima.fit.factory.JCasFactory;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.junit.jupiter.api.Test;

class PretokenizedTextTest {
    @Test
    void tokensAreJoinedBySpacesSentencesByNewlinesAndEachCoversItsForm() throws Exception {
        JCas jcas = JCasFactory.createJCas();
        PretokenizedText.fill(jcas, "d", "sv", new String[][] {{"Hej", "\uD835\uDD18", "!"}, {}, {"Ja"}});
        assertThat(jcas.getDocumentText()).isEqualTo("Hej \uD835\uDD18 !\n\nJa\n");
        assertThat(jcas.getDocumentLanguage()).isEqualTo("sv");
        assertThat(JCasUtil.select(jcas, Token.class)).extracting(Token::getCoveredText)
                .containsExactly("Hej", "\uD835\uDD18", "!", "Ja");
        assertThat(JCasUtil.select(jcas, Sentence.class)).extracting(s -> s.getBegin() + "-" + s.getEnd())
                .containsExactly("0-8", "9-9", "10-12");
        assertThat(SentenceForms.of(jcas)).hasSize(3);
        assertThat(DocumentMetaData.get(jcas).getDocumentId()).isEqualTo("d");
    }
}
