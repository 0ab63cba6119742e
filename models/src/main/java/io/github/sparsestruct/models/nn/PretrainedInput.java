package io.github.sparsestruct.models.nn;

/**
 * The frozen pretrained encoder an {@link Encoder} reads: its identifier (see
 * {@link io.github.sparsestruct.models.pretrained.PretrainedEncoders}), how many layers it returns per token and
 * their width, and the numeric precision the model was validated with. The encoder mixes the layers with learned
 * weights: γ · Σ_l softmax(w)_l · h_l (a scalar mix), which joins the other token features.
 *
 * @param encoder   the pretrained encoder's identifier, e.g. {@code bert-base-cased}
 * @param layers    layers per token
 * @param dim       width of each layer
 * @param precision {@code fp32} or {@code int8}: the runtime's default for this model
 */
public record PretrainedInput(String encoder, int layers, int dim, String precision) {
    /** Validates the sizes. */
    public PretrainedInput {
        if (encoder == null || encoder.isBlank() || layers < 1 || dim < 1) {
            throw new IllegalArgumentException("pretrained input needs an encoder name, layers >= 1 and dim >= 1: "
                    + encoder + ", " + layers + ", " + dim);
        }
        if (!"fp32".equals(precision) && !"int8".equals(precision)) {
            throw new IllegalArgumentException("precision must be fp32 or int8, got " + precision);
        }
    }

    /** Floats per token in a batch of pretrained vectors (layers × dim). */
    public int width() {
        return layers * dim;
    }
}
