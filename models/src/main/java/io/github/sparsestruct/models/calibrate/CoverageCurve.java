package io.github.sparsestruct.models.calibrate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.decode.Calibration;
import io.github.sparsestruct.models.decode.Decoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * What SparseMAP's support buys as its regularisation strength varies: at each temperature (γ·T), the mean support
 * size, top-1 and oracle F1, how often the support holds the gold structure when the top one is wrong, and the part
 * ECE; beside it, for every sentence, a k-best list of the same size as that sentence's support (Gibbs weights at
 * the calibrated marginals temperature), and the support cut to its {@code listed} heaviest structures (what
 * {@code --max-alternatives} shows; marginals unchanged).
 */
public final class CoverageCurve {
    private CoverageCurve() {
    }

    /**
     * One temperature of the curve.
     *
     * @param sparseMap the SparseMAP figures
     * @param kBest     k-best lists of the same sizes
     * @param cut       the SparseMAP support cut to its heaviest {@code listed} structures
     * @param listed    the cut
     */
    public record Point(CalibrationFigures sparseMap, CalibrationFigures kBest, CalibrationFigures cut, int listed) {
        /** A table row: T, then support / top-1 / oracle / gold-in-support-when-top-wrong / part ECE of each. */
        public String line() {
            return String.format(Locale.ROOT, "T=%6.3f  sparsemap %s  k-best %s  sparsemap<=%d %s%n",
                    sparseMap.temperature(), cells(sparseMap), cells(kBest), listed, cells(cut));
        }

        private static String cells(CalibrationFigures f) {
            return String.format(Locale.ROOT, "support %5.2f top1 %.4f oracle %.4f gold|wrong %.3f ECE %.4f",
                    f.ambiguity().meanSupport(), f.ambiguity().top1().f1(), f.ambiguity().oracle().f1(),
                    f.ambiguity().goldInSupportWhenTopWrongRate(), f.parts().ece());
        }

        /** The point as JSON. */
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("temperature", sparseMap.temperature());
            o.set("sparsemap", sparseMap.toJson());
            o.set("kBest", kBest.toJson());
            o.put("listed", listed);
            o.set("sparsemapCut", cut.toJson());
            return o;
        }
    }

    /**
     * Sweeps the SparseMAP temperature over {@code temperatures}; the set's calibration is restored afterwards.
     *
     * @param listed the cut of the third column (at least 1)
     */
    public static List<Point> sweep(CalibrationSet set, double[] temperatures, int listed) {
        if (listed < 1) {
            throw new IllegalArgumentException("listed must be at least 1, got " + listed);
        }
        Calibration base = set.calibration();
        List<Point> points = new ArrayList<>();
        try {
            for (double t : temperatures) {
                set.calibrate(base.with(Decoding.SPARSEMAP, t));
                List<CalibrationSet.Decoded> sm = decodeAll(set, i -> set.decode(i, Decoding.SPARSEMAP));
                List<CalibrationSet.Decoded> kb = decodeAll(set, i -> set.kBest(i, sm.get(i).alternatives().size()));
                List<CalibrationSet.Decoded> cut = sm.stream().map(d -> cut(d, listed)).toList();
                String part = set.partName();
                points.add(new Point(CalibrationFigures.of(Decoding.SPARSEMAP, t, part, sm),
                        CalibrationFigures.of(Decoding.MARGINALS, t, part, kb),
                        CalibrationFigures.of(Decoding.SPARSEMAP, t, part, cut), listed));
            }
        } finally {
            set.calibrate(base);
        }
        return points;
    }

    /** The curve as JSON. */
    public static ArrayNode toJson(List<Point> points) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        points.forEach(p -> a.add(p.toJson()));
        return a;
    }

    private static List<CalibrationSet.Decoded> decodeAll(CalibrationSet set,
                                                          java.util.function.IntFunction<CalibrationSet.Decoded> f) {
        return IntStream.range(0, set.size()).parallel().mapToObj(f).toList();
    }

    private static CalibrationSet.Decoded cut(CalibrationSet.Decoded d, int listed) {
        if (d.alternatives().size() <= listed) {
            return d;
        }
        return new CalibrationSet.Decoded(d.gold(), d.alternatives().subList(0, listed), d.parts(), d.weights(),
                d.bestProbability());
    }
}
