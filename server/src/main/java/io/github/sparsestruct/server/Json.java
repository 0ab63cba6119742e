package io.github.sparsestruct.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** JSON in and out of the server: strict parsing (no duplicate keys, nothing after the value) and error bodies. */
public final class Json {
    /** The server's mapper: duplicate keys and trailing content are errors; messages quote no input. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private Json() {
    }

    /** The body parsed as JSON, or a 400 naming where it stops being JSON. */
    public static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw HttpError.badRequest("the body is empty; send a JSON object");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw HttpError.badRequest("the body is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpError.badRequest("the body cannot be read as JSON");
        }
    }

    /** {@code {"error": message, "status": status}} as UTF-8 bytes. */
    public static byte[] error(int status, String message) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("error", message);
        o.put("status", status);
        return bytes(o);
    }

    /** A JSON value as UTF-8 bytes. */
    public static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
