package io.github.sparsestruct.cli;

/** Bad input of one {@code solve} instance: reported as {@code {"id": …, "error": …}}. */
final class InstanceException extends RuntimeException {
    InstanceException(String message) {
        super(message);
    }
}
