package io.github.sparsestruct.server;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself (a malformed request line, headers too large, a request during shutdown) as the same
 * JSON as the server's own errors, never an HTML page or a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {
    JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setShowOrigin(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = Json.error(code, reason(code, message));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        if (code == 503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static String reason(int code, String message) {
        String r = HttpStatus.getMessage(code);
        if (code == 503) {
            return "the server is shutting down or unavailable; retry later";
        }
        // Jetty's own messages name the protocol problem, never the content
        return message == null || message.isBlank() || message.equals(r) ? r : r + ": " + message;
    }
}
