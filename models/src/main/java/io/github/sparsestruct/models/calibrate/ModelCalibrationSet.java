package io.github.sparsestruct.models.calibrate;

import io.github.sparsestruct.models.decode.Calibration;
import io.github.sparsestruct.models.decode.Decoding;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link CalibrationSet} bound to a model: the calibration it reads and sets is the model's, and {@link #fitAll()}
 * fits every decoding the task calibrates, in order, leaving the model calibrated. Subclasses (a NER model's, a
 * parser's) hold the scores and gold parts and decode.
 */
public abstract class ModelCalibrationSet implements CalibrationSet {
    private final String partName;
    private final List<Decoding> decodings;
    private final Supplier<Calibration> current;
    private final Consumer<Calibration> apply;

    /**
     * A set whose parts are {@code partName}, fitting {@code decodings}, reading and setting a model's calibration.
     */
    protected ModelCalibrationSet(String partName, List<Decoding> decodings, Supplier<Calibration> current,
                                  Consumer<Calibration> apply) {
        this.partName = partName;
        this.decodings = List.copyOf(decodings);
        this.current = current;
        this.apply = apply;
    }

    /** Fits every decoding of {@link #decodings()} in turn; the model keeps the fitted calibration. */
    public final List<TemperatureFit.Fit> fitAll() {
        return decodings.stream().map(d -> TemperatureFit.fit(this, d)).toList();
    }

    @Override
    public final String partName() {
        return partName;
    }

    @Override
    public final List<Decoding> decodings() {
        return decodings;
    }

    @Override
    public final Calibration calibration() {
        return current.get();
    }

    @Override
    public final void calibrate(Calibration c) {
        apply.accept(c);
    }
}
