package io.github.sparsestruct.server.inception;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.sparsestruct.server.HttpError;

/**
 * The body of an INCEpTION external recommender {@code predict} call (protocol v1): {@code metadata} ({@code layer},
 * {@code feature}, {@code projectId}, {@code anchoringMode}, {@code crossSentence}, {@code range} with
 * {@code begin} / {@code end}), {@code document} ({@code xmi}, {@code documentId}, {@code userId}) and
 * {@code typeSystem} (a UIMA type system description in XML). Only what the analysis needs is kept.
 *
 * @param layer      the layer (type name) to predict
 * @param feature    its feature that takes the label
 * @param anchoring  {@code metadata.anchoringMode} ({@code tokens}, {@code singleToken}, ...), or null
 * @param begin      first character of the range to predict in (0 when none is given)
 * @param end        one past its last (-1: to the end of the document)
 * @param xmi        the document CAS as XMI
 * @param typeSystem the type system XML
 */
record PredictRequest(String layer, String feature, String anchoring, int begin, int end, String xmi,
                      String typeSystem) {
    /** Reads a body; a missing or mistyped member is a 400 naming it. */
    static PredictRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw HttpError.badRequest("the body must be a JSON object with metadata, document and typeSystem");
        }
        JsonNode meta = object(body, "metadata");
        JsonNode doc = object(body, "document");
        String layer = string(meta, "metadata.layer");
        String feature = string(meta, "metadata.feature");
        int begin = 0;
        int end = -1;
        JsonNode range = meta.get("range");
        if (range != null && !range.isNull()) {
            if (!range.isObject() || !range.path("begin").canConvertToInt() || !range.path("end").canConvertToInt()
                    || !range.path("begin").isIntegralNumber() || !range.path("end").isIntegralNumber()) {
                throw HttpError.badRequest("metadata.range must be an object with integer begin and end");
            }
            begin = range.get("begin").asInt();
            end = range.get("end").asInt();
            if (begin < 0 || end < begin) {
                throw HttpError.badRequest("metadata.range must have 0 <= begin <= end, got [" + begin + ", " + end
                        + ")");
            }
        }
        String anchoring = meta.path("anchoringMode").isTextual() ? meta.get("anchoringMode").asText() : null;
        return new PredictRequest(layer, feature, anchoring, begin, end, string(doc, "document.xmi"),
                string(body, "typeSystem"));
    }

    private static JsonNode object(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        if (n == null || !n.isObject()) {
            throw HttpError.badRequest("the request has no \"" + name + "\" object (INCEpTION external recommender "
                    + "protocol v1)");
        }
        return n;
    }

    private static String string(JsonNode parent, String path) {
        String name = path.substring(path.lastIndexOf('.') + 1);
        JsonNode n = parent.get(name);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw HttpError.badRequest("the request has no string \"" + path + "\"");
        }
        return n.asText();
    }
}
