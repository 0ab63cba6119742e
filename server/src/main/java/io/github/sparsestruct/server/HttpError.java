package io.github.sparsestruct.server;

/**
 * A request that the server answers with an error status and a JSON body {@code {"error": message, "status": code}}
 * (no stack trace). The message names what was wrong and what to do; it never quotes the request's text.
 */
public final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final int retryAfterSeconds;
    private String allow;

    /** An error with this status and message. */
    public HttpError(int status, String message) {
        this(status, message, 0);
    }

    /** An error with a {@code Retry-After} header of {@code retryAfterSeconds} (when positive). */
    public HttpError(int status, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400 Bad Request. */
    public static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    /** 413 Content Too Large: the request is over one of the server's limits. */
    public static HttpError tooLarge(String message) {
        return new HttpError(413, message);
    }

    /** 422 Unprocessable Content: well-formed, but it cannot be analysed (no tokens, say). */
    public static HttpError unprocessable(String message) {
        return new HttpError(422, message);
    }

    /** 405 Method Not Allowed, with {@code Allow: allowed}. */
    public static HttpError methodNotAllowed(String allowed) {
        HttpError e = new HttpError(405, "use " + allowed + " here");
        e.allow = allowed;
        return e;
    }

    /** The methods for an {@code Allow} header, or null. */
    public String allow() {
        return allow;
    }

    /** 503 Service Unavailable with {@code Retry-After}. */
    public static HttpError unavailable(String message, int retryAfterSeconds) {
        return new HttpError(503, message, retryAfterSeconds);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** Seconds for {@code Retry-After}, or 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
