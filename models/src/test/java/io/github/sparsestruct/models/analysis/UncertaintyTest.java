package io.github.sparsestruct.models.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.models.depparse.ParsePrediction;
import io.github.sparsestruct.models.ner.NerPrediction;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The uncertainty figures against hand-computed values. */
class UncertaintyTest {
    @Test
    void nerCountsExpectedFalseAndMissedEntities() {
        String[] best = {"B-PER", "O", "B-LOC"};
        String[] other = {"B-ORG", "O", "B-LOC"};
        NerPrediction p = new NerPrediction(best, List.of(new NerPrediction.WeightedTags(best, 0.7),
                new NerPrediction.WeightedTags(other, 0.3)), new double[3][9], List.of(
                new NerPrediction.WeightedSpan(2, 3, "LOC", 1.0), new NerPrediction.WeightedSpan(0, 1, "PER", 0.7),
                new NerPrediction.WeightedSpan(0, 1, "ORG", 0.3)), 0.64);
        Uncertainty u = Uncertainty.of(p, "sparsemap");
        assertThat(u.bestWrong()).isCloseTo(0.36, within(1e-12));
        // PER wrong with 0.3, LOC never, ORG missed with 0.3
        assertThat(u.expectedWrongParts()).isCloseTo(0.6, within(1e-12));
        assertThat(u.support()).isEqualTo(2);
        assertThat(Uncertainty.of(p, "map")).isEqualTo(Uncertainty.UNDEFINED);
        NerPrediction l2 = new NerPrediction(best, p.alternatives(), p.marginals(), p.spans(), Double.NaN);
        assertThat(Uncertainty.of(l2, "dp_l2").bestWrong()).isNaN();
        assertThat(Uncertainty.of(l2, "dp_l2").expectedWrongParts()).isCloseTo(0.6, within(1e-12));
    }

    @Test
    void parserCountsExpectedWrongHeads() {
        int[] heads = {2, 0, 2};
        double[][] m = new double[4][4];
        m[2][1] = 0.9;
        m[3][1] = 0.1;
        m[0][2] = 1.0;
        m[2][3] = 0.6;
        m[1][3] = 0.4;
        ParsePrediction p = new ParsePrediction(heads, new String[3], new String[3], List.of(
                new ParsePrediction.WeightedTree(heads, new String[3], 0.6),
                new ParsePrediction.WeightedTree(new int[] {2, 0, 1}, new String[3], 0.4)), m, 0.55);
        Uncertainty u = Uncertainty.of(p, "sparsemap");
        assertThat(u.bestWrong()).isCloseTo(0.45, within(1e-12));
        assertThat(u.expectedWrongParts()).isCloseTo(0.1 + 0 + 0.4, within(1e-12));
        assertThat(u.support()).isEqualTo(2);
    }

    @Test
    void aDocumentCombinesItsSentences() {
        Uncertainty d = Uncertainty.document(Arrays.asList(new Uncertainty(0.5, 1.0, 3), null,
                new Uncertainty(0.2, 0.5, 1)));
        assertThat(d.bestWrong()).isCloseTo(1 - 0.5 * 0.8, within(1e-12));
        assertThat(d.expectedWrongParts()).isCloseTo(1.5, within(1e-12));
        assertThat(d.support()).isEqualTo(3);
        assertThat(Uncertainty.document(List.of(Uncertainty.UNDEFINED)).bestWrong()).isNaN();
        assertThat(Uncertainty.document(List.of()).bestWrong()).isZero();
    }

    @Test
    void undefinedFiguresAreNullInTheJson() {
        assertThat(AlternativesJson.uncertaintyJson(Uncertainty.UNDEFINED).toString())
                .isEqualTo("{\"bestWrong\":null,\"expectedWrongParts\":null,\"support\":1}");
        assertThat(AlternativesJson.uncertaintyJson(new Uncertainty(0.25, 1.5, 2)).toString())
                .isEqualTo("{\"bestWrong\":0.25,\"expectedWrongParts\":1.5,\"support\":2}");
    }
}
