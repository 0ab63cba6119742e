package io.github.sparsestruct.models.calibrate;

import io.github.sparsestruct.models.decode.Calibration;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.eval.Alternative;
import java.util.List;

/**
 * Gold sentences a model has scored once and can decode again at any temperature: what {@link TemperatureFit} fits
 * on and {@link CoverageCurve} sweeps (the encoder runs once; each trial only decodes). Implementations hold the
 * scores and the gold parts; {@link #decode} must be safe to call from several threads at once.
 */
public interface CalibrationSet {
    /** Number of sentences. */
    int size();

    /** What the parts are ({@code span}, {@code arc}). */
    String partName();

    /** The decodings this task calibrates, in the order they are fitted. */
    List<Decoding> decodings();

    /** The calibration the model applies now. */
    Calibration calibration();

    /** Sets the calibration the model applies. */
    void calibrate(Calibration c);

    /** Decodes sentence {@code i} with the current calibration. */
    Decoded decode(int i, Decoding mode);

    /** The {@code k} best structures of sentence {@code i}, Gibbs-weighted at the current marginals temperature. */
    Decoded kBest(int i, int k);

    /**
     * One decoded sentence against its gold parts.
     *
     * @param gold            the gold parts, sorted
     * @param alternatives    the listed structures, heaviest first (the MAP structure alone for dense decodings)
     * @param parts           every candidate part with a positive weight
     * @param weights         their marginal weights
     * @param bestProbability the probability of the best structure (NaN where the decoding has none)
     */
    record Decoded(long[] gold, List<Alternative> alternatives, long[] parts, double[] weights,
                   double bestProbability) {
        /** Whether the best structure is exactly gold. */
        public boolean bestExact() {
            return alternatives.get(0).sameStructure(gold);
        }
    }
}
