package io.github.sparsestruct.models.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.depparse.ParsePrediction;
import io.github.sparsestruct.models.depparse.ParserEvaluation;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.ner.NerEvaluation;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.ner.NerPrediction;
import io.github.sparsestruct.models.testing.TinyModels;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KBestBaselineTest {
    private static final List<String[]> SENTENCES = List.of("Alice visited New York .".split(" "),
            "Yesterday Bob met Carol in Rome today .".split(" "), new String[] {"Lyon"});

    @Test
    void nerKBestListsStartWithMapAreDistinctAndWeighted() {
        NerModel m = TinyModels.ner(2, 9);
        List<NerPrediction> map = m.predict(SENTENCES, Decoding.MAP);
        List<NerPrediction> kb = m.predictKBest(SENTENCES, new int[] {1, 4, 3});
        assertThat(kb.get(0).alternatives()).hasSize(1);
        assertThat(kb.get(1).alternatives()).hasSize(4);
        for (int i = 0; i < SENTENCES.size(); i++) {
            NerPrediction p = kb.get(i);
            assertThat(p.tags()).containsExactly(map.get(i).tags());
            double sum = 0;
            Set<String> seen = new HashSet<>();
            for (int r = 0; r < p.alternatives().size(); r++) {
                sum += p.alternatives().get(r).weight();
                assertThat(seen.add(Arrays.toString(p.alternatives().get(r).tags()))).isTrue();
                if (r > 0) {
                    assertThat(p.alternatives().get(r).weight()).isLessThanOrEqualTo(
                            p.alternatives().get(r - 1).weight() + 1e-12);
                }
            }
            assertThat(sum).isCloseTo(1.0, offset(1e-9));
        }
    }

    @Test
    void parserKBestListsAreDistinctSingleRootTreesStartingWithMap() {
        ParserModel m = TinyModels.parser(2, 9);
        List<ParsePrediction> map = m.predict(SENTENCES, Decoding.MAP);
        List<ParsePrediction> kb = m.predictKBest(SENTENCES, new int[] {3, 5, 2});
        for (int i = 0; i < SENTENCES.size(); i++) {
            ParsePrediction p = kb.get(i);
            assertThat(p.heads()).containsExactly(map.get(i).heads());
            Set<String> seen = new HashSet<>();
            double sum = 0;
            for (ParsePrediction.WeightedTree t : p.trees()) {
                assertThat(seen.add(Arrays.toString(t.heads()))).isTrue();
                assertThat(Arrays.stream(t.heads()).filter(h -> h == 0).count()).isEqualTo(1);
                sum += t.weight();
            }
            assertThat(sum).isCloseTo(1.0, offset(1e-9));
        }
        // a one-word sentence has exactly one tree
        assertThat(kb.get(2).trees()).hasSize(1);
        assertThat(kb.get(0).trees()).hasSize(3);
    }

    @Test
    void sparseMapEvaluationsReportAKBestBaselineOfTheSameMeanSize() {
        List<NerSentence> ner = TinyModels.nerData(12, 4);
        NerEvaluation ne = NerEvaluation.run(TinyModels.ner(2, 4), ner, Decoding.SPARSEMAP, 8);
        assertThat(ne.kBest()).isNotNull();
        assertThat(ne.kBest().meanSupport()).isCloseTo(
                ne.ambiguity().meanSupport(), offset(1e-9));
        assertThat(NerEvaluation.run(TinyModels.ner(2, 4), ner, Decoding.MAP, 8).kBest()).isNull();
        List<DepSentence> dep = TinyModels.parseData(12, 4);
        ParserEvaluation pe = ParserEvaluation.run(TinyModels.parser(2, 4), dep, Decoding.SPARSEMAP, 8);
        assertThat(pe.kBest().meanSupport()).isCloseTo(
                pe.ambiguity().meanSupport(), offset(1e-9));
        assertThat(pe.toJson().has("ambiguityKBest")).isTrue();
    }
}
