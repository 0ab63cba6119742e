package io.github.sparsestruct.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.uima.AnnotationPipeline;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code POST /v1/annotate} body, checked against the server's limits: {@code text} (segmented as {@code annotate}
 * segments plain text) or pre-tokenised {@code sentences} (arrays of token strings), and optionally {@code id},
 * {@code tasks}, {@code decode}, {@code maxAlternatives}, {@code minWeight} and {@code maxSentenceLength}, with the
 * defaults of {@code bin/sparsestruct annotate}.
 *
 * @param id        the document id written into the JSON, or null
 * @param text      the text, or null when {@code sentences} is given
 * @param sentences the token forms of each sentence, or null when {@code text} is given
 * @param tasks     the tasks to run, a subset of the server's
 * @param options   the decoding options
 */
record AnnotateRequest(String id, String text, String[][] sentences, List<String> tasks, AnalysisOptions options) {
    private static final Set<String> FIELDS = Set.of("id", "text", "sentences", "tasks", "decode", "maxAlternatives",
            "minWeight", "maxSentenceLength");

    /** Reads and checks a request body; every problem is a 400 or 413 naming the field. */
    static AnnotateRequest parse(JsonNode body, ServerConfig config) {
        if (body == null || !body.isObject()) {
            throw HttpError.badRequest("the body must be a JSON object with \"text\" or \"sentences\"");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw HttpError.badRequest("unknown field \"" + f + "\"; the fields are: "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        JsonNode text = body.get("text");
        JsonNode sents = body.get("sentences");
        if ((text == null || text.isNull()) == (sents == null || sents.isNull())) {
            throw HttpError.badRequest("give exactly one of \"text\" (a string) and \"sentences\" (arrays of tokens)");
        }
        String id = optionalString(body, "id");
        String t = null;
        String[][] s = null;
        if (text != null && !text.isNull()) {
            if (!text.isTextual()) {
                throw HttpError.badRequest("\"text\" must be a string");
            }
            t = text.asText();
        } else {
            s = sentences(sents, config);
        }
        List<String> tasks = tasks(body.get("tasks"), config);
        String decode = optionalString(body, "decode");
        decode = decode == null ? AnalysisOptions.DEFAULT_DECODE : decode;
        int maxAlt = optionalInt(body, "maxAlternatives", AnalysisOptions.DEFAULT_MAX_ALTERNATIVES);
        if (maxAlt < 1 || maxAlt > config.maxAlternatives()) {
            throw HttpError.badRequest("\"maxAlternatives\" must be in 1.." + config.maxAlternatives()
                    + " on this server, got " + maxAlt);
        }
        double minWeight = AnalysisOptions.DEFAULT_MIN_WEIGHT;
        JsonNode mw = body.get("minWeight");
        if (mw != null && !mw.isNull()) {
            if (!mw.isNumber() || !(mw.asDouble() >= 0 && mw.asDouble() < 1)) {
                throw HttpError.badRequest("\"minWeight\" must be a number in [0, 1)");
            }
            minWeight = mw.asDouble();
        }
        int maxLen = optionalInt(body, "maxSentenceLength", Math.min(AnalysisOptions.DEFAULT_MAX_SENTENCE_LENGTH,
                config.maxSentenceTokens()));
        if (maxLen < 1 || maxLen > config.maxSentenceTokens()) {
            throw HttpError.badRequest("\"maxSentenceLength\" (sentences longer are decoded in chunks) must be in 1.."
                    + config.maxSentenceTokens() + " on this server, got " + maxLen);
        }
        AnalysisOptions options;
        try {
            options = new AnalysisOptions(decode, maxAlt, minWeight, maxLen);
            for (String task : tasks) {
                options.decoding(task.equals(AnnotationPipeline.NER) ? Decoding.Task.NER : Decoding.Task.PARSE);
            }
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("\"decode\": " + e.getMessage());
        }
        return new AnnotateRequest(id, t, s, tasks, options);
    }

    private static String[][] sentences(JsonNode sents, ServerConfig config) {
        if (!sents.isArray()) {
            throw HttpError.badRequest("\"sentences\" must be an array of arrays of token strings");
        }
        String[][] out = new String[sents.size()][];
        long all = 0;
        for (int i = 0; i < sents.size(); i++) {
            JsonNode s = sents.get(i);
            if (!s.isArray()) {
                throw HttpError.badRequest("sentence " + i + " must be an array of token strings");
            }
            if (s.size() > config.maxSentenceTokens()) {
                throw HttpError.tooLarge("sentence " + i + " has " + s.size() + " tokens; this server accepts "
                        + "sentences of at most " + config.maxSentenceTokens() + " tokens (split it, or start the "
                        + "server with a larger --max-sentence-tokens)");
            }
            all += s.size();
            out[i] = new String[s.size()];
            for (int k = 0; k < s.size(); k++) {
                JsonNode tok = s.get(k);
                if (!tok.isTextual() || !goodToken(tok.asText())) {
                    throw HttpError.badRequest("sentence " + i + ", token " + k + ": a token must be a non-empty "
                            + "string without spaces or control characters");
                }
                out[i][k] = tok.asText();
            }
        }
        if (all > config.maxTokens()) {
            throw HttpError.tooLarge("the request has " + all + " tokens; this server analyses at most "
                    + config.maxTokens() + " per request (send the text in parts, or start the server with a larger "
                    + "--max-tokens)");
        }
        return out;
    }

    private static boolean goodToken(String t) {
        if (t.isEmpty()) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> tasks(JsonNode n, ServerConfig config) {
        if (n == null || n.isNull()) {
            return config.tasks();
        }
        if (!n.isArray() || n.isEmpty()) {
            throw HttpError.badRequest("\"tasks\" must be a non-empty array of: " + String.join(", ", config.tasks()));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode t : n) {
            String v = t.isTextual() ? t.asText().trim().toLowerCase(Locale.ROOT) : String.valueOf(t);
            if (!config.tasks().contains(v)) {
                throw HttpError.badRequest("task " + t + " is not served here; this server runs: "
                        + String.join(", ", config.tasks()));
            }
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        // the engines run in the order annotate runs them, whatever the order asked for
        return ServerConfig.TASKS.stream().filter(out::contains).toList();
    }

    private static String optionalString(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw HttpError.badRequest("\"" + field + "\" must be a string");
        }
        return n.asText();
    }

    private static int optionalInt(JsonNode body, String field, int dflt) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw HttpError.badRequest("\"" + field + "\" must be an integer");
        }
        return n.asInt();
    }
}
