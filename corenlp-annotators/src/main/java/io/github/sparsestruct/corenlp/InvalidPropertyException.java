package io.github.sparsestruct.corenlp;

/**
 * A property value our annotators do not accept, or a model they cannot load: the message names the property (e.g.
 * {@code ssner.decode}), the value and the allowed values. CoreNLP wraps it when it creates an annotator by
 * reflection; {@link #find(Throwable)} gets it back out of the cause chain.
 */
public class InvalidPropertyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String property;

    /**
     * @param property the property's full name, e.g. {@code ssner.decode}
     * @param message  what is wrong and what is allowed
     */
    public InvalidPropertyException(String property, String message) {
        super(message);
        this.property = property;
    }

    /** The same, with the cause (e.g. the model loader's error). */
    public InvalidPropertyException(String property, String message, Throwable cause) {
        super(message, cause);
        this.property = property;
    }

    /** The property's full name, e.g. {@code ssner.decode}. */
    public String property() {
        return property;
    }

    /** The first {@code InvalidPropertyException} along the cause chain of {@code t}, or null. */
    public static InvalidPropertyException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InvalidPropertyException e) {
                return e;
            }
        }
        return null;
    }
}
