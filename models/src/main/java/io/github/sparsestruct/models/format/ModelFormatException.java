package io.github.sparsestruct.models.format;

import java.io.IOException;

/**
 * A model file that cannot be used: missing, truncated, corrupt, of another format version or of another task.
 * The message names the file and says what to do.
 */
public class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An error with a message naming the file and the remedy. */
    public ModelFormatException(String message) {
        super(message);
    }

    /** An error with a message naming the file and the remedy, caused by {@code cause}. */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
