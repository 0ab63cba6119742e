package io.github.sparsestruct.models.pretrained;

/**
 * Opens a {@link PretrainedEncoder} of one identifier; registered as a {@link java.util.ServiceLoader} service
 * ({@code META-INF/services/io.github.sparsestruct.models.pretrained.PretrainedEncoderProvider}).
 */
public interface PretrainedEncoderProvider {
    /** The identifier of the encoder this provider opens (as recorded in model files). */
    String id();

    /**
     * Opens the encoder, converting its weights into the runtime's cache on first use.
     *
     * @param precision {@code fp32} or {@code int8}
     * @throws IllegalArgumentException for an unknown precision
     * @throws java.io.UncheckedIOException when the weights cannot be read or converted
     */
    PretrainedEncoder open(String precision);
}
