package io.github.sparsestruct.corenlp.server;

/** A request the server answers with an error status and a plain-text message (which never holds the text). */
final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
