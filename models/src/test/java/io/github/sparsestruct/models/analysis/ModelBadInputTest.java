package io.github.sparsestruct.models.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.depparse.ParsePrediction;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.ner.NerPrediction;
import io.github.sparsestruct.models.testing.TinyModels;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ModelBadInputTest {
    private static NerModel ner;
    private static ParserModel parser;

    @BeforeAll
    static void models() {
        ner = TinyModels.ner(2, 1);
        parser = TinyModels.parser(2, 1);
    }

    @Test
    void anEmptySentenceIsAClearErrorNamingIt() {
        List<String[]> s = List.of(new String[] {"Paris"}, new String[0]);
        assertThatThrownBy(() -> ner.predict(s, Decoding.MAP)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sentence 1 is empty");
        assertThatThrownBy(() -> parser.predict(s, Decoding.MAP)).hasMessageContaining("sentence 1 is empty");
    }

    @ParameterizedTest
    @EnumSource(Decoding.class)
    void nonBmpControlAndUnseenCharactersAreTaggedLikeAnyToken(Decoding mode) {
        String[] s = {"\uD834\uDD1E", "caf\u00E9", "\u0000", "\t", "\uD83D\uDE00\uD83D\uDE00", "Z\u0301", "\uFFFF"};
        NerPrediction p = ner.predict(List.<String[]>of(s), mode).get(0);
        assertThat(p.tags()).hasSize(s.length).doesNotContainNull();
        for (double[] row : p.marginals()) {
            assertThat(Arrays.stream(row).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    static java.util.stream.Stream<Decoding> parseDecodings() {
        return Decoding.Task.PARSE.decodings().stream();
    }

    @ParameterizedTest
    @MethodSource("parseDecodings")
    void aFiveHundredWordSentenceParsesIntoOneTree(Decoding mode) {
        String[] s = new String[500];
        for (int i = 0; i < s.length; i++) {
            s[i] = i % 11 == 10 ? "." : "w" + (i % 17) + (i % 3 == 0 ? "\uD83D\uDE00" : "");
        }
        ParsePrediction p = parser.predict(List.<String[]>of(s), mode).get(0);
        assertThat(p.heads()).hasSize(500);
        assertThat(Arrays.stream(p.heads()).filter(h -> h == 0).count()).isEqualTo(1);
        double sum = 0;
        for (ParsePrediction.WeightedTree t : p.trees()) {
            sum += t.weight();
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }
}
