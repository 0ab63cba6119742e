package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.decode.Decoding;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.eval.Alternative;
import io.github.sparsestruct.models.eval.Alternatives;
import io.github.sparsestruct.models.eval.AmbiguityEvaluator;
import io.github.sparsestruct.models.eval.AmbiguityResult;
import io.github.sparsestruct.models.eval.NerEvaluator;
import io.github.sparsestruct.models.eval.NerResult;
import io.github.sparsestruct.models.eval.EvaluationReport;
import io.github.sparsestruct.models.eval.MarginalCalibration;
import io.github.sparsestruct.models.eval.Parts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Evaluates a NER model on gold data with one decoding mode: conlleval-style entity figures of the best analysis,
 * the ambiguity figures of its weighted alternatives (spans as parts), and encoder + decoding throughput.
 *
 * @param decode          the decoding mode
 * @param accuracy        entity precision / recall / F1 of the best analysis
 * @param ambiguity       support size, oracle, gold-in-support and calibration of the alternatives
 * @param tokensPerSecond encoder + decoding throughput over the whole data (one thread)
 * @param kBest           for sparsemap decoding, the same figures for the k-best baseline with the same support size
 *                        per sentence (weights: the model's Gibbs distribution restricted to the list); else null
 * @param marginals       calibration of every candidate span's marginal weight (see {@link NerPrediction#spans()})
 */
public record NerEvaluation(Decoding decode, NerResult accuracy, AmbiguityResult ambiguity, double tokensPerSecond,
                            AmbiguityResult kBest, MarginalCalibration marginals) {
    /** Decodes every sentence (in batches of {@code batchSize}) and scores the result. */
    public static NerEvaluation run(NerModel model, List<NerSentence> data, Decoding decode, int batchSize) {
        NerEvaluator ner = new NerEvaluator();
        AmbiguityEvaluator amb = new AmbiguityEvaluator("span");
        AmbiguityEvaluator kb = new AmbiguityEvaluator("span");
        MarginalCalibration mc = new MarginalCalibration();
        TreeSet<String> typeSet = new TreeSet<>();
        for (String t : model.tags()) {
            if (!t.equals("O")) {
                typeSet.add(t.substring(2));
            }
        }
        List<String> types = new ArrayList<>(typeSet);
        long tokens = 0;
        double seconds = 0;
        for (int from = 0; from < data.size(); from += batchSize) {
            List<NerSentence> batch = data.subList(from, Math.min(data.size(), from + batchSize));
            List<String[]> forms = new ArrayList<>(batch.size());
            for (NerSentence s : batch) {
                forms.add(s.forms());
                tokens += s.length();
            }
            long t0 = System.nanoTime();
            List<NerPrediction> preds = model.predict(forms, decode);
            seconds += (System.nanoTime() - t0) / 1e9;
            for (int i = 0; i < batch.size(); i++) {
                NerSentence gold = batch.get(i);
                NerPrediction p = preds.get(i);
                ner.add(gold, p.tags());
                List<Alternative> alts = new ArrayList<>();
                for (NerPrediction.WeightedTags w : p.alternatives()) {
                    alts.add(new Alternative(w.weight(), Parts.spans(w.tags(), types)));
                }
                amb.add(Alternatives.of(Parts.spans(gold.tags(), types), alts));
                long[] parts = new long[p.spans().size()];
                double[] w = new double[parts.length];
                for (int k = 0; k < parts.length; k++) {
                    NerPrediction.WeightedSpan sp = p.spans().get(k);
                    parts[k] = Parts.span(sp.start(), sp.end(), types.indexOf(sp.type()));
                    w[k] = sp.weight();
                }
                long[] g = Parts.spans(gold.tags(), types);
                Arrays.sort(g);
                mc.add(g, parts, w);
            }
            if (decode.mixture()) {
                int[] k = new int[batch.size()];
                for (int i = 0; i < k.length; i++) {
                    k[i] = preds.get(i).alternatives().size();
                }
                List<NerPrediction> kp = model.predictKBest(forms, k);
                for (int i = 0; i < batch.size(); i++) {
                    List<Alternative> alts = new ArrayList<>();
                    for (NerPrediction.WeightedTags w : kp.get(i).alternatives()) {
                        alts.add(new Alternative(w.weight(), Parts.spans(w.tags(), types)));
                    }
                    kb.add(Alternatives.of(Parts.spans(batch.get(i).tags(), types), alts));
                }
            }
        }
        return new NerEvaluation(decode, ner.result(), amb.result(), seconds > 0 ? tokens / seconds : 0,
                decode.mixture() ? kb.result() : null, mc);
    }

    /** The figures as one report (JSON, tables). */
    public EvaluationReport report() {
        return new EvaluationReport("ner", decode, "entities", accuracy.toJson(), accuracy.table(), ambiguity, kBest,
                "span", marginals, tokensPerSecond);
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
