package io.github.sparsestruct.corenlp.server;

import io.github.sparsestruct.corenlp.SparseStructAlignAnnotator;
import io.github.sparsestruct.corenlp.SparseStructJsonOutputter;
import io.github.sparsestruct.corenlp.SparseStructNerAnnotator;
import io.github.sparsestruct.corenlp.SparseStructParserAnnotator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a request may change: an allow-list. A request may choose the annotators (among the server's), the output
 * format, {@code output.prettyPrint}, and for each SparseStruct annotator its decoding and how many alternatives to
 * keep; every other property (model files, {@code maxSentenceLength}, annotator and outputter classes, tokenizer and
 * splitter settings, anything unknown) is the operator's, and a request that sets one is refused (HTTP 400).
 */
final class RequestPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(RequestPolicy.class);
    /** The most alternatives a request may ask an annotator to keep. */
    static final int MAX_ALTERNATIVES = 50;
    /** The name of the sentence-length guard run before the aligner. */
    static final String CAP = "sscap";
    /** The output formats a request may choose, and CoreNLP's {@code outputFormat} for each. */
    static final Map<String, String> FORMATS = formats();
    private static final String SPARSESTRUCT = "sparsestruct";
    private static final String MAX_SENTENCE_LENGTH = "maxSentenceLength";
    private static final String MAX_ALTERNATIVES_KEY = "maxAlternatives";

    /** Our annotators, and the properties a request may set under their names. */
    enum Kind {
        NER(SparseStructNerAnnotator.class, List.of("decode", MAX_ALTERNATIVES_KEY, "minWeight",
                SparseStructNerAnnotator.BUILD_ENTITY_MENTIONS)),
        PARSER(SparseStructParserAnnotator.class, List.of("decode", MAX_ALTERNATIVES_KEY, "minWeight",
                SparseStructParserAnnotator.POS)),
        ALIGN(SparseStructAlignAnnotator.class, List.of("decode", MAX_ALTERNATIVES_KEY, "minWeight",
                SparseStructAlignAnnotator.DECODER, SparseStructAlignAnnotator.PAIRS));

        final Class<?> type;
        final List<String> requestKeys;

        Kind(Class<?> type, List<String> requestKeys) {
            this.type = type;
            this.requestKeys = requestKeys;
        }

        static Kind of(String className) {
            for (Kind k : values()) {
                if (k.type.getName().equals(className == null ? null : className.trim())) {
                    return k;
                }
            }
            return null;
        }
    }

    private final Properties base;
    private final List<String> allowed;
    private final List<String> defaults;
    private final Map<String, Kind> ours = new LinkedHashMap<>();
    private final String defaultFormat;
    private final int maxSentenceLength;

    /**
     * The policy of these settings; the server-side properties get the caps ({@code NAME.maxSentenceLength} of every
     * SparseStruct annotator lowered to the hard cap) and the guard.
     *
     * @throws IllegalArgumentException when the settings contradict themselves (e.g. a default annotator that is
     *                                  not among the allowed ones)
     */
    RequestPolicy(ServerSettings settings) {
        this.base = settings.properties();
        this.allowed = settings.annotators();
        this.maxSentenceLength = settings.maxSentenceLength();
        if (allowed.contains(CAP)) {
            throw new IllegalArgumentException("the annotator name '" + CAP + "' is the server's own; rename yours");
        }
        List<String> d = ServerSettings.split(base.getProperty("annotators", ""));
        this.defaults = d.isEmpty() ? allowed : d;
        for (String a : defaults) {
            if (!allowed.contains(a)) {
                throw new IllegalArgumentException("the default annotator '" + a + "' (annotators) is not among "
                        + "those requests may choose (--annotators " + String.join(",", allowed) + ")");
            }
        }
        for (String a : allowed) {
            Kind k = Kind.of(base.getProperty("customAnnotatorClass." + a));
            if (k != null) {
                ours.put(a, k);
                capSentenceLength(a);
            }
        }
        String format = base.getProperty("outputFormat");
        if (format == null || format.isBlank()) {
            base.setProperty("outputFormat", "custom");
            base.setProperty("customOutputter", SparseStructJsonOutputter.class.getName());
        }
        this.defaultFormat = formatName(base);
        quietTokenizer();
        base.setProperty("customAnnotatorClass." + CAP, SentenceCapAnnotator.class.getName());
        base.setProperty(CAP + "." + SentenceCapAnnotator.MAX_TOKENS, Integer.toString(maxSentenceLength));
        base.setProperty(CAP + ".reason", "the word aligner aligns a longer sentence whole");
        base.setProperty("annotators", String.join(",", defaults));
    }

    private static Map<String, String> formats() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SPARSESTRUCT, "custom");
        for (String f : List.of("json", "text", "conll", "conllu", "xml")) {
            m.put(f, f);
        }
        return Map.copyOf(m);
    }

    /** {@code NAME.maxSentenceLength} = the least of its value (default 250) and the hard cap. */
    private void capSentenceLength(String name) {
        String key = name + "." + MAX_SENTENCE_LENGTH;
        String v = base.getProperty(key);
        int n = ServerSettings.DEFAULT_MAX_SENTENCE_LENGTH;
        if (v != null && !v.isBlank()) {
            try {
                n = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("server property " + key + " = '" + v
                        + "' is not allowed; allowed: an integer >= 1", e);
            }
        }
        if (n > maxSentenceLength) {
            LOG.warn("server property {} = {} is over the hard cap: lowered to --max-sentence-length {}", key, n,
                    maxSentenceLength);
            n = maxSentenceLength;
        }
        base.setProperty(key, Integer.toString(n));
    }

    /**
     * CoreNLP's tokenizer logs the first character it cannot tokenize, a piece of the text; {@code noneDelete} drops
     * such characters as its default does, without logging them.
     */
    private void quietTokenizer() {
        String opts = base.getProperty("tokenize.options");
        if (opts == null || opts.isBlank()) {
            base.setProperty("tokenize.options", "untokenizable=noneDelete");
        } else if (!opts.contains("untokenizable")) {
            base.setProperty("tokenize.options", opts.trim() + ",untokenizable=noneDelete");
        }
    }

    /** The output format of these properties by the name a request gives it ({@code sparsestruct}, {@code json}...). */
    static String formatName(Properties p) {
        String f = p.getProperty("outputFormat", "").trim().toLowerCase(Locale.ROOT);
        boolean ours = SparseStructJsonOutputter.class.getName().equals(p.getProperty("customOutputter", "").trim());
        return f.equals("custom") && ours ? SPARSESTRUCT : f;
    }

    /** The server-side properties of the default pipeline (caps applied). */
    Properties base() {
        Properties copy = new Properties();
        copy.putAll(base);
        return copy;
    }

    /** The annotators a request may choose. */
    List<String> allowed() {
        return allowed;
    }

    /** The hard cap on a sentence decoded whole. */
    int maxSentenceLength() {
        return maxSentenceLength;
    }

    /** The SparseStruct annotators among the allowed ones. */
    Map<String, Kind> ours() {
        return Map.copyOf(ours);
    }

    /**
     * The properties of the pipeline for a request: the server's, with the request's allowed choices.
     *
     * @param request the request's properties (may be empty)
     * @throws HttpError 400, naming the property, when the request sets one it may not or an allowed one to a value
     *                   that is not allowed
     */
    Properties effective(Map<String, String> request) throws HttpError {
        Properties p = base();
        List<String> annotators = defaults;
        for (Map.Entry<String, String> e : request.entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            switch (key) {
                case "annotators" -> annotators = annotators(value);
                case "outputFormat" -> format(p, value);
                // CoreNLP reads output.prettyPrint (default true); prettyPrint is taken as the same
                case "output.prettyPrint", "prettyPrint" ->
                        p.setProperty("output.prettyPrint", bool(key, value));
                case "inputFormat" -> {
                    if (!value.equalsIgnoreCase("text")) {
                        throw bad(key, value, "text");
                    }
                }
                default -> annotatorProperty(p, key, value);
            }
        }
        List<String> run = new ArrayList<>(annotators);
        for (int i = 0; i < run.size(); i++) {
            if (ours.get(run.get(i)) == Kind.ALIGN) {
                run.add(i, CAP);
                break;
            }
        }
        p.setProperty("annotators", String.join(",", run));
        return p;
    }

    private List<String> annotators(String value) throws HttpError {
        List<String> list = ServerSettings.split(value);
        if (list.isEmpty()) {
            throw bad("annotators", value, "a comma-separated list of " + String.join(", ", allowed));
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String a : list) {
            if (!allowed.contains(a)) {
                throw new HttpError(400, "annotators: '" + a + "' is not an annotator of this server; allowed: "
                        + String.join(", ", allowed));
            }
            if (!seen.add(a)) {
                throw new HttpError(400, "annotators: '" + a + "' is listed twice");
            }
        }
        return list;
    }

    private void format(Properties p, String value) throws HttpError {
        String f = value.toLowerCase(Locale.ROOT);
        String core = FORMATS.get(f);
        if (core == null) {
            throw bad("outputFormat", value, String.join(", ", FORMATS.keySet().stream().sorted().toList()));
        }
        p.setProperty("outputFormat", core);
        if (f.equals(SPARSESTRUCT)) {
            p.setProperty("customOutputter", SparseStructJsonOutputter.class.getName());
        }
    }

    private void annotatorProperty(Properties p, String key, String value) throws HttpError {
        int dot = key.indexOf('.');
        Kind kind = dot > 0 ? ours.get(key.substring(0, dot)) : null;
        String sub = dot > 0 ? key.substring(dot + 1) : "";
        if (kind == null || !kind.requestKeys.contains(sub)) {
            throw new HttpError(400, "the request sets '" + key + "', which this server does not let a request "
                    + "change (model files, length limits, classes and tokenizer settings are the operator's); a "
                    + "request may set: " + describe());
        }
        if (sub.equals(MAX_ALTERNATIVES_KEY)) {
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n < 1 || n > MAX_ALTERNATIVES) {
                throw bad(key, value, "an integer from 1 to " + MAX_ALTERNATIVES);
            }
        }
        // other values are checked by the annotator itself (an InvalidPropertyException naming the allowed ones)
        p.setProperty(key, value);
    }

    private static String bool(String key, String value) throws HttpError {
        String v = value.toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw bad(key, value, "true, false");
        }
        return v;
    }

    private static HttpError bad(String key, String value, String allowed) {
        return new HttpError(400, key + " = '" + value + "' is not allowed; allowed: " + allowed);
    }

    /** The properties a request may set, for error messages. */
    String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("annotators (a list of " + String.join(", ", allowed) + "; default " + String.join(",", defaults)
                + ")");
        parts.add("outputFormat (" + String.join(", ", FORMATS.keySet().stream().sorted().toList()) + "; default "
                + defaultFormat + ")");
        parts.add("output.prettyPrint");
        for (Map.Entry<String, Kind> e : ours.entrySet()) {
            for (String k : e.getValue().requestKeys) {
                parts.add(e.getKey() + "." + k);
            }
        }
        return String.join(", ", parts);
    }
}
