package io.github.sparsestruct.corenlp.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's HTTP plumbing: routes a request ({@code POST /} to the {@link AnnotateEndpoint}, {@code GET /ready}
 * and {@code GET /live} answer 200, other paths 404, other methods 405), turns an {@link HttpError} into its status
 * and message and any other failure into HTTP 500, writes the reply and logs one {@link RequestLog} line.
 */
final class RequestHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SafeServer.class);

    private final AnnotateEndpoint annotate;

    RequestHandler(AnnotateEndpoint annotate) {
        this.annotate = annotate;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        long start = System.nanoTime();
        RequestLog log = new RequestLog();
        log.method = ex.getRequestMethod();
        log.path = ex.getRequestURI().getRawPath();
        log.from = ex.getRemoteAddress() == null ? "?" : ex.getRemoteAddress().getAddress().getHostAddress();
        Reply reply;
        try {
            reply = route(ex, log);
        } catch (HttpError e) {
            log.error = e.getMessage();
            reply = Reply.text(e.status(), e.getMessage());
        } catch (RuntimeException | IOException e) {
            LOG.error("request failed: {}", e.toString());
            reply = Reply.text(500, "internal error (" + e.getClass().getSimpleName() + "); see the server log");
        }
        log.status = reply.status();
        long ms = (System.nanoTime() - start) / 1_000_000;
        LOG.info("{}, {} ms", log, ms);
        try {
            Headers h = ex.getResponseHeaders();
            h.set("Content-Type", reply.contentType());
            if (reply.status() >= 400) {
                // the body may not have been read
                h.set("Connection", "close");
            }
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(reply.status(), head ? -1 : reply.body().length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        } finally {
            ex.close();
        }
    }

    private Reply route(HttpExchange ex, RequestLog log) throws HttpError, IOException {
        String path = log.path;
        String method = ex.getRequestMethod();
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (path.equals("/ready") || path.equals("/live")) {
            if (!read) {
                throw new HttpError(405, path + " answers GET");
            }
            return Reply.text(200, path.substring(1));
        }
        if (!path.equals("/")) {
            throw new HttpError(404, "no such path; POST the text to /");
        }
        if (!method.equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            throw new HttpError(405, "POST the text to / (optionally with a properties URL parameter: a JSON "
                    + "object); GET /ready for health checks");
        }
        return annotate.annotate(ex, log);
    }
}
