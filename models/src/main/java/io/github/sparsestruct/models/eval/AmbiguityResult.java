package io.github.sparsestruct.models.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The ambiguity figures of a system over a corpus (see {@link AmbiguityEvaluator} for their definitions).
 *
 * @param partName                  what the parts are ({@code arc}, {@code span}), for tables
 * @param sentences                 number of sentences
 * @param supportSum                total number of alternatives
 * @param maxSupport                largest number of alternatives of a sentence
 * @param supportHistogram          sentences with 1, 2, 3, 4 and 5+ alternatives
 * @param top1                      part counts of the highest-weighted alternatives
 * @param oracle                    part counts of the per-sentence oracle alternatives
 * @param exactTop                  sentences whose top alternative is exactly gold
 * @param goldInSupport             sentences with gold among the alternatives
 * @param goldInSupportWhenTopWrong sentences with a wrong top alternative but gold among the others
 * @param calibration               the calibration bins of part weights
 */
public record AmbiguityResult(String partName, long sentences, long supportSum, int maxSupport,
                              long[] supportHistogram, PrfCounts top1, PrfCounts oracle, long exactTop,
                              long goldInSupport, long goldInSupportWhenTopWrong, Calibration calibration) {
    /**
     * Reliability bins of part weights: bin b covers weights [b/B, (b+1)/B), the last one including 1.
     *
     * @param count     parts per bin
     * @param correct   gold parts per bin
     * @param weightSum total weight per bin
     */
    public record Calibration(long[] count, long[] correct, double[] weightSum) {
        /** Number of parts with positive weight. */
        public long parts() {
            long n = 0;
            for (long c : count) {
                n += c;
            }
            return n;
        }

        /** Mean weight of bin {@code b} (NaN when empty). */
        public double meanWeight(int b) {
            return count[b] == 0 ? Double.NaN : weightSum[b] / count[b];
        }

        /** Share of gold parts in bin {@code b} (NaN when empty). */
        public double accuracy(int b) {
            return count[b] == 0 ? Double.NaN : (double) correct[b] / count[b];
        }

        /** Expected calibration error: Σ (n_b / N) |accuracy_b − meanWeight_b| (NaN without parts). */
        public double ece() {
            long n = parts();
            if (n == 0) {
                return Double.NaN;
            }
            double e = 0;
            for (int b = 0; b < count.length; b++) {
                if (count[b] > 0) {
                    e += (double) count[b] / n * Math.abs(accuracy(b) - meanWeight(b));
                }
            }
            return e;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Calibration c && Arrays.equals(count, c.count) && Arrays.equals(correct, c.correct)
                    && Arrays.equals(weightSum, c.weightSum);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(count) + Arrays.hashCode(correct)) + Arrays.hashCode(weightSum);
        }

        @Override
        public String toString() {
            return "Calibration[ece=" + ece() + ", parts=" + parts() + "]";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AmbiguityResult r && partName.equals(r.partName) && sentences == r.sentences
                && supportSum == r.supportSum && maxSupport == r.maxSupport
                && Arrays.equals(supportHistogram, r.supportHistogram) && top1.equals(r.top1)
                && oracle.equals(r.oracle) && exactTop == r.exactTop && goldInSupport == r.goldInSupport
                && goldInSupportWhenTopWrong == r.goldInSupportWhenTopWrong && calibration.equals(r.calibration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partName, sentences, supportSum, maxSupport, Arrays.hashCode(supportHistogram), top1,
                oracle, exactTop, goldInSupport, goldInSupportWhenTopWrong, calibration);
    }

    @Override
    public String toString() {
        return "AmbiguityResult[" + partName + ", " + sentences + " sentences, mean support " + meanSupport()
                + ", top-1 F1 " + top1.f1() + ", oracle F1 " + oracle.f1() + ", ECE " + ece() + "]";
    }

    /** Mean number of alternatives per sentence. */
    public double meanSupport() {
        return sentences == 0 ? Double.NaN : (double) supportSum / sentences;
    }

    /** Sentences whose top alternative is not exactly gold. */
    public long topWrong() {
        return sentences - exactTop;
    }

    /** Share of sentences with a wrong top whose gold structure is among the alternatives (NaN when none). */
    public double goldInSupportWhenTopWrongRate() {
        return topWrong() == 0 ? Double.NaN : (double) goldInSupportWhenTopWrong / topWrong();
    }

    /** Share of sentences whose top alternative is exactly gold. */
    public double exactTopRate() {
        return sentences == 0 ? Double.NaN : (double) exactTop / sentences;
    }

    /** Expected calibration error of part weights. */
    public double ece() {
        return calibration.ece();
    }

    /** The figures as JSON, scores as fractions. */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("parts", partName);
        o.put("sentences", sentences);
        ObjectNode support = o.putObject("support");
        putNumber(support, "mean", meanSupport());
        support.put("max", maxSupport);
        ObjectNode hist = support.putObject("histogram");
        for (int i = 0; i < supportHistogram.length; i++) {
            hist.put(i == supportHistogram.length - 1 ? (i + 1) + "+" : Integer.toString(i + 1), supportHistogram[i]);
        }
        o.set("top1", top1.toJson());
        o.set("oracle", oracle.toJson());
        o.put("oracleChoice", "per sentence, the alternative with the most correct parts (ties: fewer parts, then "
                + "higher weight); counts summed over the corpus");
        o.put("exactTop", exactTop);
        o.put("goldInSupport", goldInSupport);
        o.put("topWrong", topWrong());
        o.put("goldInSupportWhenTopWrong", goldInSupportWhenTopWrong);
        putNumber(o, "goldInSupportWhenTopWrongRate", goldInSupportWhenTopWrongRate());
        ObjectNode cal = o.putObject("calibration");
        putNumber(cal, "ece", calibration.ece());
        cal.put("parts", calibration.parts());
        ArrayNode bins = cal.putArray("bins");
        int nb = calibration.count().length;
        for (int b = 0; b < nb; b++) {
            ObjectNode bin = bins.addObject();
            bin.put("lo", (double) b / nb);
            bin.put("hi", (double) (b + 1) / nb);
            bin.put("count", calibration.count()[b]);
            putNumber(bin, "meanWeight", calibration.meanWeight(b));
            putNumber(bin, "accuracy", calibration.accuracy(b));
        }
        return o;
    }

    /** An aligned two-column text table of the figures. */
    public String table() {
        List<String[]> rows = rows();
        TextTable t = new TextTable().row("figure", "value");
        rows.forEach(t::row);
        return t.toString();
    }

    /** An aligned table with these figures beside a baseline's (say, k-best lists of the same mean size). */
    public String compare(String name, AmbiguityResult baseline, String baselineName) {
        List<String[]> a = rows();
        List<String[]> b = baseline.rows();
        TextTable t = new TextTable().row("figure", name, baselineName);
        for (int i = 0; i < a.size(); i++) {
            t.row(a.get(i)[0], a.get(i)[1], b.get(i)[1]);
        }
        return t.toString();
    }

    private List<String[]> rows() {
        List<String[]> r = new ArrayList<>();
        r.add(new String[] {"sentences", Long.toString(sentences)});
        r.add(new String[] {"support size, mean", TextTable.num(meanSupport(), 2)});
        StringBuilder h = new StringBuilder();
        for (long c : supportHistogram) {
            h.append(h.length() > 0 ? " / " : "").append(c);
        }
        r.add(new String[] {"support size 1 / 2 / 3 / 4 / 5+", h.toString()});
        r.add(new String[] {"top-1 " + partName + " P / R / F1 %", prf(top1)});
        r.add(new String[] {"oracle " + partName + " P / R / F1 %", prf(oracle)});
        r.add(new String[] {"top-1 exact match %", TextTable.pct(exactTopRate())});
        r.add(new String[] {"gold in support when top-1 wrong", goldInSupportWhenTopWrong + " / " + topWrong() + " ("
                + TextTable.pct(goldInSupportWhenTopWrongRate()) + "%)"});
        r.add(new String[] {partName + " weight ECE (" + calibration.count().length + " bins)",
            TextTable.num(calibration.ece(), 4)});
        return r;
    }

    private static String prf(PrfCounts c) {
        return TextTable.pct(c.precision()) + " / " + TextTable.pct(c.recall()) + " / " + TextTable.pct(c.f1());
    }

    private static void putNumber(ObjectNode o, String k, double v) {
        if (Double.isNaN(v)) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }
}
