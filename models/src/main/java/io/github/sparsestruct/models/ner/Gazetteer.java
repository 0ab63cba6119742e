package io.github.sparsestruct.models.ner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Typed name lists (places, people, organisations) turned into per-token match features for the NER head.
 *
 * <p>Text form, one entry per line: {@code TYPE<TAB>phrase}, the phrase's tokens separated by single spaces; blank
 * lines and lines starting with {@code #} are skipped. Matching is case-insensitive (lower-cased with
 * {@link Locale#ROOT}). For every token span of at most {@link #maxLength()} tokens whose phrase is listed under a
 * type, the span's first token gets feature {@code B} of that type and its other tokens {@code I}; the same two
 * features are set again in a second block when the span's first character is an upper-case letter. So token t has
 * {@code 4 × types} features: {@code [B, I, B-capitalised, I-capitalised]} per type, in type order, each 0 or 1.
 * Every matching span counts, overlapping or nested ones included. Immutable and thread-safe.
 */
public final class Gazetteer {
    /** Features per type: B, I, B-capitalised, I-capitalised. */
    public static final int FEATURES_PER_TYPE = 4;

    private final List<String> types;
    /** Lower-cased phrase (tokens joined by single spaces) → bit set of its types. */
    private final Map<String, Integer> phrases;
    private final int maxLength;
    private final String text;

    private Gazetteer(List<String> types, Map<String, Integer> phrases, int maxLength, String text) {
        this.types = List.copyOf(types);
        this.phrases = phrases;
        this.maxLength = maxLength;
        this.text = text;
    }

    /**
     * Reads a gazetteer file (UTF-8, the text form above).
     *
     * @throws IOException              naming the file when it is missing or unreadable
     * @throws IllegalArgumentException naming the file and line when a line is malformed
     */
    public static Gazetteer read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "gazetteer file not found");
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException naming the line when a line has no tab, an empty type or phrase, or more
     *                                  than 30 types are listed
     */
    public static Gazetteer parse(String text) {
        TreeSet<String> typeSet = new TreeSet<>();
        List<String[]> entries = new ArrayList<>();
        int lineNo = 0;
        for (int from = 0; from <= text.length(); ) {
            int nl = text.indexOf('\n', from);
            int to = nl < 0 ? text.length() : nl;
            String line = text.substring(from, to).strip();
            from = to + 1;
            lineNo++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            String type = tab < 0 ? "" : line.substring(0, tab).strip();
            String phrase = tab < 0 ? "" : normalize(line.substring(tab + 1));
            if (type.isEmpty() || phrase.isEmpty()) {
                throw new IllegalArgumentException("gazetteer line " + lineNo + " is not 'TYPE<TAB>phrase': '"
                        + abbreviate(line) + "'");
            }
            typeSet.add(type);
            entries.add(new String[] {type, phrase});
        }
        if (typeSet.size() > 30) {
            throw new IllegalArgumentException("a gazetteer may list at most 30 types, this one has " + typeSet.size());
        }
        List<String> types = new ArrayList<>(typeSet);
        Map<String, Integer> bit = new HashMap<>();
        for (int t = 0; t < types.size(); t++) {
            bit.put(types.get(t), 1 << t);
        }
        Map<String, Integer> phrases = new HashMap<>(entries.size() * 2);
        int maxLength = 0;
        for (String[] e : entries) {
            phrases.merge(e[1], bit.get(e[0]), (a, b) -> a | b);
            int tokens = 1;
            for (int k = 0; k < e[1].length(); k++) {
                tokens += e[1].charAt(k) == ' ' ? 1 : 0;
            }
            maxLength = Math.max(maxLength, tokens);
        }
        return new Gazetteer(types, phrases, maxLength, text);
    }

    /** Lower-cased, tokens separated by single spaces (any run of whitespace becomes one space). */
    private static String normalize(String phrase) {
        String s = phrase.strip().toLowerCase(Locale.ROOT);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) && (c != ' ' || Character.isWhitespace(s.charAt(i + 1)))) {
                return String.join(" ", s.split("\\s+"));
            }
        }
        return s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /** The types, sorted; feature block k belongs to type k. */
    public List<String> types() {
        return types;
    }

    /** Number of distinct phrases. */
    public int size() {
        return phrases.size();
    }

    /** Tokens of the longest phrase. */
    public int maxLength() {
        return maxLength;
    }

    /** Features per token: {@code 4 × types}. */
    public int featureCount() {
        return FEATURES_PER_TYPE * types.size();
    }

    /** The text form this gazetteer was parsed from (what a model file stores). */
    public String text() {
        return text;
    }

    /** The types (bit k = type k) of a phrase given as lower-cased tokens joined by spaces; 0 when not listed. */
    public int typesOf(String phrase) {
        return phrases.getOrDefault(normalize(phrase), 0);
    }

    /**
     * Match features of a sentence, row-major [n × {@link #featureCount()}], each 0 or 1.
     *
     * @param forms the sentence's word forms (tokens with whitespace inside never match)
     */
    public float[] features(String[] forms) {
        int n = forms.length;
        int f = featureCount();
        float[] out = new float[n * f];
        String[] lower = new String[n];
        for (int i = 0; i < n; i++) {
            String low = forms[i].toLowerCase(Locale.ROOT);
            // a token that cannot be part of a listed phrase ends every span that reaches it
            lower[i] = low.isEmpty() || low.chars().anyMatch(Character::isWhitespace) ? null : low;
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < n; i++) {
            boolean capital = !forms[i].isEmpty() && Character.isUpperCase(forms[i].codePointAt(0));
            key.setLength(0);
            for (int len = 1; len <= maxLength && i + len <= n; len++) {
                String tok = lower[i + len - 1];
                if (tok == null) {
                    break;
                }
                if (len > 1) {
                    key.append(' ');
                }
                key.append(tok);
                Integer bits = phrases.get(key.toString());
                if (bits == null) {
                    continue;
                }
                for (int t = 0; t < types.size(); t++) {
                    if ((bits & (1 << t)) == 0) {
                        continue;
                    }
                    for (int k = i; k < i + len; k++) {
                        int base = k * f + t * FEATURES_PER_TYPE + (k == i ? 0 : 1);
                        out[base] = 1;
                        if (capital) {
                            out[base + 2] = 1;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Phrase counts per type (for logs and model cards). */
    public Map<String, Integer> countsByType() {
        Map<String, Integer> out = new TreeMap<>();
        for (int bits : phrases.values()) {
            for (int t = 0; t < types.size(); t++) {
                if ((bits & (1 << t)) != 0) {
                    out.merge(types.get(t), 1, Integer::sum);
                }
            }
        }
        return out;
    }
}
