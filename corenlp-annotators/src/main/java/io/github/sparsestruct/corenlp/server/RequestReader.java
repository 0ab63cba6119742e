package io.github.sparsestruct.corenlp.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a request within the server's caps: the body (at most {@code maxRequestBytes}, else HTTP 413), its text (in
 * the Content-Type's charset, form-decoded when sent as a form) and the {@code properties} URL parameter (a query
 * over {@value #MAX_QUERY_CHARS} characters: HTTP 414).
 */
final class RequestReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The longest URL query accepted (the properties); longer: HTTP 414. */
    static final int MAX_QUERY_CHARS = 16_384;
    private static final String FORM = "application/x-www-form-urlencoded";

    private RequestReader() {
    }

    /** The request body, at most {@code cap} bytes: HTTP 413 otherwise, judged before reading when it can. */
    static byte[] body(HttpExchange ex, int cap, RequestLog log) throws HttpError, IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "Content-Length '" + length + "' is not a number");
            }
            log.bytes = n;
            if (n > cap) {
                throw tooLarge(n + " bytes", cap);
            }
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(cap + 1);
        }
        if (body.length > cap) {
            log.bytes = body.length;
            throw tooLarge("over " + cap + " bytes", cap);
        }
        log.bytes = body.length;
        return body;
    }

    private static HttpError tooLarge(String size, int cap) {
        return new HttpError(413, "the request body (" + size + ") is over this server's limit of " + cap
                + " bytes; send the text in smaller parts");
    }

    /** The text: the body in the Content-Type's charset (default UTF-8), form-decoded when sent as a form. */
    static String text(Headers headers, byte[] body) throws HttpError {
        String type = headers.getFirst("Content-Type");
        Charset cs = StandardCharsets.UTF_8;
        String mime = "";
        if (type != null) {
            String[] parts = type.split(";");
            mime = parts[0].trim().toLowerCase(Locale.ROOT);
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                    String name = p.substring("charset=".length()).replace("\"", "").trim();
                    try {
                        cs = Charset.forName(name);
                    } catch (IllegalArgumentException e) {
                        throw new HttpError(400, "Content-Type charset '" + name + "' is not supported");
                    }
                }
            }
        }
        String text = new String(body, cs);
        if (mime.equals(FORM)) {
            // as CoreNLP's server does (curl --data sends this type); send text/plain to keep '+' and '%' as they are
            try {
                text = URLDecoder.decode(text, cs);
            } catch (IllegalArgumentException e) {
                // not form-encoded after all: keep it as sent
            }
        }
        return text;
    }

    /** The {@code properties} (or {@code props}) URL parameter: a JSON object of strings, numbers or booleans. */
    static Map<String, String> properties(String rawQuery) throws HttpError {
        Map<String, String> out = new TreeMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        if (rawQuery.length() > MAX_QUERY_CHARS) {
            throw new HttpError(414, "the URL query is over " + MAX_QUERY_CHARS + " characters");
        }
        String json = null;
        for (String param : rawQuery.split("&")) {
            int eq = param.indexOf('=');
            String name = decode(eq < 0 ? param : param.substring(0, eq));
            if (name.equals("properties") || name.equals("props")) {
                if (json != null) {
                    throw new HttpError(400, "the properties are given twice");
                }
                json = eq < 0 ? "" : decode(param.substring(eq + 1));
            }
        }
        if (json == null || json.isBlank()) {
            return out;
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new HttpError(400, "the properties parameter is not a JSON object: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new HttpError(400, "the properties parameter is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull()) {
                throw new HttpError(400, "property '" + e.getKey() + "' must be a string, number or boolean");
            }
            out.put(e.getKey(), v.asText());
        }
        return out;
    }

    private static String decode(String s) throws HttpError {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "the URL query is not URL-encoded: " + e.getMessage());
        }
    }
}
