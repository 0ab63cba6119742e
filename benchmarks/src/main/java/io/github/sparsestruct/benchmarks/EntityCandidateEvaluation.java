package io.github.sparsestruct.benchmarks;

import de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.models.data.Iob2Reader;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.eval.NerEvaluator;
import io.github.sparsestruct.models.eval.Span;
import io.github.sparsestruct.type.EntityCandidate;
import io.github.sparsestruct.uima.EntityCandidateFilter;
import io.github.sparsestruct.uima.PretokenizedText;
import io.github.sparsestruct.uima.SparseStructAnnotatorBase;
import io.github.sparsestruct.uima.SparseStructNamedEntityRecognizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.fit.factory.AnalysisEngineFactory;
import org.apache.uima.fit.factory.JCasFactory;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;

/**
 * Evaluates the {@link EntityCandidateFilter} on IOB2 data (UNER English-EWT dev): the precision / recall curve of the
 * entity candidates kept at each marginal-weight threshold, against the precision and recall of MAP decoding, and the
 * recall the candidates reach at MAP's precision (the best recall over all thresholds whose precision is at least
 * MAP's). Documents of {@value #DOC_SENTENCES} sentences are run through the real engine (one instance with
 * {@code decoding=map}, one with the decoding evaluated and {@code minWeight} = the lowest threshold).
 *
 * <p>Run (from the repository root; the last line is JSON):
 * <pre>
 * OMP_NUM_THREADS=1 bin/sparsestruct-bench EntityCandidateEvaluation --model bundled --decode sparsemap \
 *     --data ../shared/data/uner-english-ewt/en_ewt-ud-dev.iob2 [--max-sentences N] [--out FILE]
 * </pre>
 * (formerly uima-components' test {@code EntityCandidateEvaluationRun}, started with
 * {@code -Dtest=EntityCandidateEvaluationRun}).
 */
public final class EntityCandidateEvaluation {
    static final int DOC_SENTENCES = 100;
    static final double[] GRID = {0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65,
        0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0};

    private EntityCandidateEvaluation() {
    }

    /**
     * Counts at one threshold.
     *
     * @param threshold lowest marginal weight kept
     * @param correct   kept candidates that are gold entities
     * @param predicted kept candidates
     * @param gold      gold entities
     */
    public record Point(double threshold, int correct, int predicted, int gold) {
        /** Precision (1 when nothing is predicted). */
        public double precision() {
            return predicted == 0 ? 1.0 : (double) correct / predicted;
        }

        /** Recall. */
        public double recall() {
            return gold == 0 ? 0.0 : (double) correct / gold;
        }

        /** F1. */
        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    /**
     * The evaluation.
     *
     * @param decode              the decoding of the candidates
     * @param sentences           sentences evaluated
     * @param map                 MAP decoding's counts (threshold NaN)
     * @param best                the rank-1 analysis of {@code decode} (threshold NaN)
     * @param curve               the candidates at each threshold of {@link #GRID}
     * @param atMapPrecision      the highest-recall threshold (over every distinct candidate weight) whose precision
     *                            is at least MAP's, or null if none reaches it
     */
    public record Result(String decode, int sentences, Point map, Point best, List<Point> curve, Point atMapPrecision) {
        /** One line of JSON with the figures. */
        public String json() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "{\"decode\":\"%s\",\"sentences\":%d,\"gold\":%d,", decode, sentences,
                    map.gold()));
            b.append("\"map\":").append(point(map)).append(",\"best\":").append(point(best));
            b.append(",\"recallAtMapPrecision\":").append(atMapPrecision == null ? "null"
                    : String.format(Locale.ROOT, "%.6f", atMapPrecision.recall()));
            b.append(",\"thresholdAtMapPrecision\":").append(atMapPrecision == null ? "null"
                    : String.format(Locale.ROOT, "%.6f", atMapPrecision.threshold()));
            b.append(",\"curve\":[");
            for (int i = 0; i < curve.size(); i++) {
                b.append(i == 0 ? "" : ",").append(point(curve.get(i)));
            }
            return b.append("]}").toString();
        }

        /** A table of the curve. */
        public String table() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "%-10s %9s %9s %9s %9s%n", "threshold", "precision", "recall", "F1", "predicted"));
            b.append(String.format(Locale.ROOT, "%-10s %9.4f %9.4f %9.4f %9d%n", "MAP", map.precision(),
                    map.recall(), map.f1(), map.predicted()));
            b.append(String.format(Locale.ROOT, "%-10s %9.4f %9.4f %9.4f %9d%n", decode + "@1", best.precision(),
                    best.recall(), best.f1(), best.predicted()));
            for (Point p : curve) {
                b.append(String.format(Locale.ROOT, "%-10.2f %9.4f %9.4f %9.4f %9d%n", p.threshold(), p.precision(),
                        p.recall(), p.f1(), p.predicted()));
            }
            b.append(atMapPrecision == null ? "no threshold reaches MAP's precision\n" : String.format(Locale.ROOT,
                    "recall at MAP's precision (%.4f): %.4f (threshold %.6f; MAP recall %.4f)%n", map.precision(),
                    atMapPrecision.recall(), atMapPrecision.threshold(), map.recall()));
            return b.toString();
        }

        private static String point(Point p) {
            return String.format(Locale.ROOT,
                    "{\"threshold\":%s,\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f,\"correct\":%d,\"predicted\":%d}",
                    Double.isNaN(p.threshold()) ? "null" : String.format(Locale.ROOT, "%.4f", p.threshold()),
                    p.precision(), p.recall(), p.f1(), p.correct(), p.predicted());
        }
    }

    /**
     * Runs the evaluation.
     *
     * @param model        model location ({@code bundled}, a path)
     * @param data         IOB2 file
     * @param decode       decoding of the candidates (sparsemap, marginals, dp_l2)
     * @param maxSentences first sentences only (0: all)
     */
    public static Result run(String model, Path data, String decode, int maxSentences) throws Exception {
        List<NerSentence> all = Iob2Reader.read(data);
        if (maxSentences > 0 && all.size() > maxSentences) {
            all = all.subList(0, maxSentences);
        }
        AnalysisEngine mapEngine = AnalysisEngineFactory.createEngine(SparseStructNamedEntityRecognizer.class,
                SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, model, SparseStructAnnotatorBase.PARAM_DECODING, "map");
        AnalysisEngine engine = AnalysisEngineFactory.createEngine(SparseStructNamedEntityRecognizer.class,
                SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, model, SparseStructAnnotatorBase.PARAM_DECODING, decode,
                SparseStructAnnotatorBase.PARAM_MIN_WEIGHT, GRID[0]);
        JCas jcas = JCasFactory.createJCas();
        int gold = 0;
        int mapCorrect = 0;
        int mapPredicted = 0;
        int bestCorrect = 0;
        int bestPredicted = 0;
        List<double[]> scored = new ArrayList<>(); // {score, correct}
        for (int from = 0; from < all.size(); from += DOC_SENTENCES) {
            List<NerSentence> doc = all.subList(from, Math.min(all.size(), from + DOC_SENTENCES));
            String[][] forms = doc.stream().map(NerSentence::forms).toArray(String[][]::new);
            jcas.reset();
            PretokenizedText.fill(jcas, "doc" + from, "en", forms);
            Set<String> goldKeys = goldKeys(jcas, doc);
            gold += goldKeys.size();
            mapEngine.process(jcas);
            for (NamedEntity ne : JCasUtil.select(jcas, NamedEntity.class)) {
                mapPredicted++;
                mapCorrect += goldKeys.contains(key(ne.getBegin(), ne.getEnd(), ne.getValue())) ? 1 : 0;
            }
            jcas.reset();
            PretokenizedText.fill(jcas, "doc" + from, "en", forms);
            engine.process(jcas);
            for (NamedEntity ne : JCasUtil.select(jcas, NamedEntity.class)) {
                bestPredicted++;
                bestCorrect += goldKeys.contains(key(ne.getBegin(), ne.getEnd(), ne.getValue())) ? 1 : 0;
            }
            for (EntityCandidate c : EntityCandidateFilter.select(jcas, GRID[0])) {
                scored.add(new double[] {c.getScore(),
                    goldKeys.contains(key(c.getBegin(), c.getEnd(), c.getValue())) ? 1 : 0});
            }
        }
        mapEngine.destroy();
        engine.destroy();
        List<Point> curve = new ArrayList<>();
        for (double t : GRID) {
            curve.add(at(scored, t, gold));
        }
        Point map = new Point(Double.NaN, mapCorrect, mapPredicted, gold);
        Point atMap = null;
        TreeSet<Double> thresholds = new TreeSet<>();
        scored.forEach(s -> thresholds.add(s[0]));
        for (double t : thresholds) {
            Point p = at(scored, t, gold);
            if (p.precision() >= map.precision() && (atMap == null || p.recall() > atMap.recall())) {
                atMap = p;
            }
        }
        return new Result(decode, all.size(), map, new Point(Double.NaN, bestCorrect, bestPredicted, gold), curve,
                atMap);
    }

    static Point at(List<double[]> scored, double threshold, int gold) {
        int correct = 0;
        int predicted = 0;
        for (double[] s : scored) {
            if (s[0] >= threshold) {
                predicted++;
                correct += (int) s[1];
            }
        }
        return new Point(threshold, correct, predicted, gold);
    }

    private static Set<String> goldKeys(JCas jcas, List<NerSentence> doc) {
        List<Token> tokens = new ArrayList<>(JCasUtil.select(jcas, Token.class));
        Set<String> keys = new HashSet<>();
        int offset = 0;
        for (NerSentence s : doc) {
            for (Span sp : NerEvaluator.spans(s.tags())) {
                keys.add(key(tokens.get(offset + sp.start()).getBegin(), tokens.get(offset + sp.end() - 1).getEnd(),
                        sp.type()));
            }
            offset += s.forms().length;
        }
        return keys;
    }

    private static String key(int begin, int end, String type) {
        return begin + ":" + end + ":" + type;
    }

    /**
     * A check of the run itself: a lower threshold keeps a superset of the candidates, so recall cannot fall as the
     * threshold falls, and every point counts the same gold mentions as MAP.
     *
     * @throws IllegalStateException when the curve breaks it
     */
    static void check(Result r) {
        for (int i = 1; i < r.curve().size(); i++) {
            Point a = r.curve().get(i - 1);
            Point b = r.curve().get(i);
            if (!(b.threshold() > a.threshold()) || b.correct() > a.correct() || b.gold() != r.map().gold()) {
                throw new IllegalStateException("inconsistent curve at threshold " + b.threshold());
            }
        }
    }

    /** See the class comment: prints the table and, last, one line of JSON. */
    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args, List.of("--model", "--data", "--decode", "--max-sentences", "--out"));
        Path data = Path.of(o.require("--data"));
        if (!Files.isRegularFile(data)) {
            throw new IllegalArgumentException("data file " + data + " does not exist");
        }
        Result r = run(o.get("--model", "bundled"), data, o.get("--decode", "sparsemap"),
                o.getInt("--max-sentences", 0));
        check(r);
        String text = r.table() + r.json() + "\n";
        System.out.print(text);
        String out = o.get("--out", null);
        if (out != null) {
            Files.writeString(Path.of(out), text);
        }
    }
}
