package io.github.sparsestruct.corenlp.server;

import java.nio.charset.StandardCharsets;

/** What the server answers a request: the status, the content type and the body. */
record Reply(int status, String contentType, byte[] body) {
    /** A plain-text reply: the message and a newline. */
    static Reply text(int status, String message) {
        return new Reply(status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
