package io.github.sparsestruct.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.depparse.ParserEvaluation;
import io.github.sparsestruct.models.ner.NerEvaluation;
import io.github.sparsestruct.models.testing.TinyModels;
import org.junit.jupiter.api.Test;

class MarginalCalibrationTest {
    @Test
    void eceIsTheCountWeightedGapBetweenAccuracyAndMeanWeightPerBin() {
        MarginalCalibration c = new MarginalCalibration();
        // gold {1, 5}; candidates: 1 (0.95, right), 2 (0.95, wrong), 3 (0.15, wrong), 4 (0.005, below the floor)
        c.add(new long[] {1, 5}, new long[] {1, 2, 3, 4}, new double[] {0.95, 0.95, 0.15, 0.005});
        assertThat(c.parts()).isEqualTo(3);
        // bin [.9, 1]: 2 parts, accuracy 0.5, mean 0.95 -> 0.45 * 2/3; bin [.1, .2): 1 part, accuracy 0, mean 0.15
        assertThat(c.ece()).isCloseTo(0.45 * 2 / 3 + 0.15 / 3, offset(1e-12));
        assertThat(c.toJson().get("bins").get(9).get("count").asInt()).isEqualTo(2);
        assertThat(new MarginalCalibration().ece()).isZero();
    }

    @Test
    void evaluationsReportTheCalibrationOfEveryCandidateNotOnlyTheKeptAlternatives() {
        NerEvaluation ne = NerEvaluation.run(TinyModels.ner(2, 4), TinyModels.nerData(12, 4), Decoding.MARGINALS, 8);
        assertThat(ne.marginals().parts()).isPositive();
        assertThat(ne.toJson().get("spanMarginals").get("ece").asDouble()).isBetween(0.0, 1.0);
        ParserEvaluation pe = ParserEvaluation.run(TinyModels.parser(2, 4), TinyModels.parseData(8, 4),
                Decoding.MARGINALS, 8);
        // every word has head marginals summing to 1, so at least one candidate arc per word passes the floor
        assertThat(pe.marginals().parts()).isGreaterThanOrEqualTo(8 * 6);
        assertThat(pe.toJson().has("arcMarginals")).isTrue();
    }
}
