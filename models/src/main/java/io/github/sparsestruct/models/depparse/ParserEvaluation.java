package io.github.sparsestruct.models.depparse;

import io.github.sparsestruct.models.decode.Decoding;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.eval.Alternative;
import io.github.sparsestruct.models.eval.Alternatives;
import io.github.sparsestruct.models.eval.AmbiguityEvaluator;
import io.github.sparsestruct.models.eval.AmbiguityResult;
import io.github.sparsestruct.models.eval.DependencyEvaluator;
import io.github.sparsestruct.models.eval.DependencyResult;
import io.github.sparsestruct.models.eval.EvaluationReport;
import io.github.sparsestruct.models.eval.MarginalCalibration;
import io.github.sparsestruct.models.eval.Parts;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a parser on gold data with one decoding mode: UAS / LAS / UPOS accuracy of the best tree (punctuation
 * included and excluded), the ambiguity figures of its weighted trees (arcs as parts), and throughput.
 *
 * @param decode          the decoding mode
 * @param accuracy        attachment and tagging scores of the best analysis
 * @param ambiguity       support size, oracle UAS, gold-in-support and arc-weight calibration
 * @param tokensPerSecond encoder + decoding throughput over the whole data (one thread)
 * @param kBest           for sparsemap decoding, the same figures for the k-best baseline with the same support size
 *                        per sentence (weights: the model's Gibbs distribution restricted to the list); else null
 * @param marginals       calibration of every arc's marginal weight
 */
public record ParserEvaluation(Decoding decode, DependencyResult accuracy, AmbiguityResult ambiguity,
                               double tokensPerSecond, AmbiguityResult kBest, MarginalCalibration marginals) {
    /** Parses every sentence (in batches of {@code batchSize}) and scores the result. */
    public static ParserEvaluation run(ParserModel model, List<DepSentence> data, Decoding decode, int batchSize) {
        DependencyEvaluator dep = new DependencyEvaluator();
        AmbiguityEvaluator amb = new AmbiguityEvaluator("arc");
        AmbiguityEvaluator kb = new AmbiguityEvaluator("arc");
        MarginalCalibration mc = new MarginalCalibration();
        long tokens = 0;
        double seconds = 0;
        for (int from = 0; from < data.size(); from += batchSize) {
            List<DepSentence> batch = data.subList(from, Math.min(data.size(), from + batchSize));
            List<String[]> forms = new ArrayList<>(batch.size());
            for (DepSentence s : batch) {
                forms.add(s.forms());
                tokens += s.length();
            }
            long t0 = System.nanoTime();
            List<ParsePrediction> preds = model.predict(forms, decode);
            seconds += (System.nanoTime() - t0) / 1e9;
            for (int i = 0; i < batch.size(); i++) {
                DepSentence gold = batch.get(i);
                ParsePrediction p = preds.get(i);
                dep.add(gold, p.heads(), p.deprels(), p.upos());
                List<Alternative> alts = new ArrayList<>();
                for (ParsePrediction.WeightedTree t : p.trees()) {
                    alts.add(new Alternative(t.weight(), Parts.arcs(t.heads())));
                }
                amb.add(Alternatives.of(Parts.arcs(gold.heads()), alts));
                int n = gold.length();
                long[] parts = new long[(n + 1) * n];
                double[] w = new double[parts.length];
                int k = 0;
                for (int m = 1; m <= n; m++) {
                    for (int h = 0; h <= n; h++) {
                        parts[k] = Parts.arc(h, m);
                        w[k++] = h == m ? 0 : p.arcMarginals()[h][m];
                    }
                }
                mc.add(Parts.arcs(gold.heads()), parts, w);
            }
            if (decode.mixture()) {
                int[] k = new int[batch.size()];
                for (int i = 0; i < k.length; i++) {
                    k[i] = preds.get(i).trees().size();
                }
                List<ParsePrediction> kp = model.predictKBest(forms, k);
                for (int i = 0; i < batch.size(); i++) {
                    List<Alternative> alts = new ArrayList<>();
                    for (ParsePrediction.WeightedTree t : kp.get(i).trees()) {
                        alts.add(new Alternative(t.weight(), Parts.arcs(t.heads())));
                    }
                    kb.add(Alternatives.of(Parts.arcs(batch.get(i).heads()), alts));
                }
            }
        }
        return new ParserEvaluation(decode, dep.result(), amb.result(), seconds > 0 ? tokens / seconds : 0,
                decode.mixture() ? kb.result() : null, mc);
    }

    /** The figures as one report (JSON, tables). */
    public EvaluationReport report() {
        return new EvaluationReport("depparse", decode, "attachment", accuracy.toJson(), accuracy.table(), ambiguity, kBest,
                "arc", marginals, tokensPerSecond);
    }

    /** All figures as one JSON object. */
    public ObjectNode toJson() {
        return report().toJson();
    }

    /** Human-readable tables. */
    public String table() {
        return report().table();
    }
}
