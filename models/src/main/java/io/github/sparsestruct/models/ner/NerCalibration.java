package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.calibrate.ModelCalibrationSet;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.eval.Alternative;
import io.github.sparsestruct.models.eval.Parts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Calibrates a NER model on gold sentences: the tag scores are computed once ({@link NerModel#sentenceScores}), then
 * each decoding's temperature is fitted on the span weights ({@link TemperatureFit}). Parts are typed spans.
 */
public final class NerCalibration extends ModelCalibrationSet {
    /** The decodings a NER model calibrates. */
    public static final List<Decoding> DECODINGS = List.of(Decoding.MARGINALS, Decoding.SPARSEMAP, Decoding.DP_L2);

    private final NerModel model;
    private final List<NerModel.SentenceScores> scores;
    private final List<long[]> gold;
    private final List<String> types;

    private NerCalibration(NerModel model, List<NerModel.SentenceScores> scores, List<long[]> gold,
                           List<String> types) {
        super("span", DECODINGS, model::calibration, model::calibrate);
        this.model = model;
        this.scores = scores;
        this.gold = gold;
        this.types = types;
    }

    /** Scores the sentences (empty ones are skipped) with {@code model}; the set calibrates that model. */
    public static NerCalibration of(NerModel model, List<NerSentence> data) {
        TreeSet<String> typeSet = new TreeSet<>();
        for (String t : model.tags()) {
            if (!t.equals("O")) {
                typeSet.add(t.substring(2));
            }
        }
        List<String> types = List.copyOf(typeSet);
        List<String[]> forms = new ArrayList<>();
        List<long[]> gold = new ArrayList<>();
        for (NerSentence s : data) {
            if (s.length() > 0) {
                forms.add(s.forms());
                long[] g = Parts.spans(s.tags(), types);
                Arrays.sort(g);
                gold.add(g);
            }
        }
        return new NerCalibration(model, model.sentenceScores(forms), gold, types);
    }

    @Override
    public int size() {
        return scores.size();
    }

    @Override
    public Decoded decode(int i, Decoding mode) {
        return decoded(i, model.decode(scores.get(i), mode));
    }

    @Override
    public Decoded kBest(int i, int k) {
        return decoded(i, model.decodeKBest(scores.get(i), k));
    }

    private Decoded decoded(int i, NerPrediction p) {
        List<Alternative> alts = new ArrayList<>(p.alternatives().size());
        for (NerPrediction.WeightedTags w : p.alternatives()) {
            alts.add(new Alternative(w.weight(), Parts.spans(w.tags(), types)));
        }
        long[] parts = new long[p.spans().size()];
        double[] w = new double[parts.length];
        for (int k = 0; k < parts.length; k++) {
            NerPrediction.WeightedSpan sp = p.spans().get(k);
            parts[k] = Parts.span(sp.start(), sp.end(), types.indexOf(sp.type()));
            w[k] = sp.weight();
        }
        return new Decoded(gold.get(i), alts, parts, w, p.bestProbability());
    }
}
