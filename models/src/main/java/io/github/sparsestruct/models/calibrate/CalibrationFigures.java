package io.github.sparsestruct.models.calibrate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.eval.Alternatives;
import io.github.sparsestruct.models.eval.AmbiguityEvaluator;
import io.github.sparsestruct.models.eval.AmbiguityResult;
import io.github.sparsestruct.models.eval.ReliabilityBins;
import java.util.Arrays;
import java.util.List;

/**
 * What a decoding's weights are worth on gold data at one temperature.
 *
 * @param mode        the decoding
 * @param temperature its temperature
 * @param brier       the Brier score of the part weights, per sentence: Σ over every possible part of
 *                    (weight − [part is gold])², i.e. over the candidates with a positive weight plus 1 for each
 *                    gold part without weight (a proper score: lowest in expectation for the true probabilities)
 * @param parts       reliability of the part weights (every candidate of weight ≥ {@link #MIN_PART_WEIGHT})
 * @param structures  reliability of the best structure's probability against its exact match
 * @param ambiguity   support size, oracle and gold-in-support of the listed structures
 */
public record CalibrationFigures(Decoding mode, double temperature, double brier, ReliabilityBins parts,
                                 ReliabilityBins structures, AmbiguityResult ambiguity) {
    /** Candidate parts lighter than this are not counted in the part reliability (they would swamp the first bin). */
    public static final double MIN_PART_WEIGHT = 0.01;

    /** The figures of {@code mode} over a whole set at its current calibration. */
    public static CalibrationFigures of(CalibrationSet set, Decoding mode) {
        List<CalibrationSet.Decoded> d = java.util.stream.IntStream.range(0, set.size()).parallel()
                .mapToObj(i -> set.decode(i, mode)).toList();
        return of(mode, set.calibration().temperature(mode), set.partName(), d);
    }

    /** The figures of decoded sentences. */
    public static CalibrationFigures of(Decoding mode, double temperature, String partName,
                                        List<CalibrationSet.Decoded> decoded) {
        double brier = 0;
        ReliabilityBins parts = new ReliabilityBins();
        ReliabilityBins structures = new ReliabilityBins();
        AmbiguityEvaluator amb = new AmbiguityEvaluator(partName);
        for (CalibrationSet.Decoded d : decoded) {
            brier += brier(d);
            for (int k = 0; k < d.parts().length; k++) {
                if (d.weights()[k] >= MIN_PART_WEIGHT) {
                    parts.add(d.weights()[k], Arrays.binarySearch(d.gold(), d.parts()[k]) >= 0);
                }
            }
            structures.add(d.bestProbability(), d.bestExact());
            amb.add(Alternatives.of(d.gold(), d.alternatives()));
        }
        return new CalibrationFigures(mode, temperature, decoded.isEmpty() ? Double.NaN : brier / decoded.size(),
                parts, structures, amb.result());
    }

    /** Σ over every possible part of (weight − gold)² for one sentence. */
    static double brier(CalibrationSet.Decoded d) {
        double s = 0;
        int goldSeen = 0;
        for (int k = 0; k < d.parts().length; k++) {
            double w = d.weights()[k];
            boolean g = Arrays.binarySearch(d.gold(), d.parts()[k]) >= 0;
            if (g) {
                goldSeen++;
            }
            s += (w - (g ? 1 : 0)) * (w - (g ? 1 : 0));
        }
        return s + (d.gold().length - goldSeen);
    }

    /** The figures as JSON. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("decode", mode.id());
        o.put("temperature", temperature);
        o.put("brier", brier);
        if (Double.isNaN(brier)) {
            o.putNull("brier");
        }
        o.set("parts", parts.toJson());
        o.set("structures", structures.toJson());
        ObjectNode a = o.putObject("support");
        a.put("mean", ambiguity.meanSupport());
        a.put("top1F1", ambiguity.top1().f1());
        a.put("oracleF1", ambiguity.oracle().f1());
        a.put("goldInSupport", ambiguity.goldInSupport());
        double r = ambiguity.goldInSupportWhenTopWrongRate();
        if (Double.isNaN(r)) {
            a.putNull("goldInSupportWhenTopWrongRate");
        } else {
            a.put("goldInSupportWhenTopWrongRate", r);
        }
        return o;
    }
}
