package io.github.sparsestruct.models.depparse;

import io.github.sparsestruct.models.calibrate.ModelCalibrationSet;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.decode.SparseDistribution;
import io.github.sparsestruct.models.eval.Alternative;
import io.github.sparsestruct.models.eval.Parts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Calibrates a parser on gold trees: the arc scores are computed once ({@link ParserModel#arcScores}), then each
 * decoding's temperature is fitted on the arc weights ({@link TemperatureFit}). Parts are unlabelled arcs; a tree
 * is exact when every head is right.
 */
public final class ParserCalibration extends ModelCalibrationSet {
    /** The decodings a parser calibrates. */
    public static final List<Decoding> DECODINGS = List.of(Decoding.MARGINALS, Decoding.SPARSEMAP);

    private final ParserModel model;
    private final List<double[]> scores;
    private final List<long[]> gold;

    private ParserCalibration(ParserModel model, List<double[]> scores, List<long[]> gold) {
        super("arc", DECODINGS, model::calibration, model::calibrate);
        this.model = model;
        this.scores = scores;
        this.gold = gold;
    }

    /** Scores the sentences (empty ones are skipped) with {@code model}; the set calibrates that model. */
    public static ParserCalibration of(ParserModel model, List<DepSentence> data) {
        List<String[]> forms = new ArrayList<>();
        List<long[]> gold = new ArrayList<>();
        for (DepSentence s : data) {
            if (s.length() > 0) {
                forms.add(s.forms());
                gold.add(Parts.arcs(s.heads()));
            }
        }
        return new ParserCalibration(model, model.arcScores(forms), gold);
    }

    @Override
    public int size() {
        return scores.size();
    }

    @Override
    public Decoded decode(int i, Decoding mode) {
        return decoded(i, model.decodeArcs(words(i), scores.get(i), mode));
    }

    @Override
    public Decoded kBest(int i, int k) {
        return decoded(i, model.kBestArcs(words(i), scores.get(i), k));
    }

    private int words(int i) {
        return (int) Math.round(Math.sqrt(scores.get(i).length)) - 1;
    }

    private Decoded decoded(int i, SparseDistribution d) {
        int n = words(i);
        int nn = n + 1;
        List<Alternative> alts = new ArrayList<>(d.size());
        for (int k = 0; k < d.size(); k++) {
            alts.add(new Alternative(d.weights()[k], Parts.arcs(d.structures().get(k))));
        }
        long[] parts = new long[n * nn];
        double[] w = new double[parts.length];
        int c = 0;
        for (int m = 1; m < nn; m++) {
            for (int h = 0; h < nn; h++) {
                double x = h == m ? 0 : d.marginals()[h * nn + m];
                if (x > 0) {
                    parts[c] = Parts.arc(h, m);
                    w[c++] = x;
                }
            }
        }
        return new Decoded(gold.get(i), alts, Arrays.copyOf(parts, c), Arrays.copyOf(w, c), d.bestProbability());
    }
}
