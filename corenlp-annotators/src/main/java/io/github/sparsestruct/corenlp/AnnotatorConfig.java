package io.github.sparsestruct.corenlp;

import io.github.sparsestruct.models.analysis.AnalysisOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The properties of one annotator, read under its name ({@code NAME.model}, {@code NAME.decode}, ...), with errors
 * ({@link InvalidPropertyException}) that name the property, the value and the allowed values.
 */
final class AnnotatorConfig {
    private static final Logger LOG = LoggerFactory.getLogger(AnnotatorConfig.class);
    static final String MODEL = "model";
    /** The language of the bundled model ({@code en} by default). */
    static final String LANGUAGE = "language";
    /** The variant of the bundled model ({@code fast} by default), as DKPro's {@code modelVariant}. */
    static final String VARIANT = "variant";
    static final String DECODE = "decode";
    static final String MAX_ALTERNATIVES = "maxAlternatives";
    static final String MIN_WEIGHT = "minWeight";
    static final String MAX_SENTENCE_LENGTH = "maxSentenceLength";

    private final String name;
    private final Properties props;

    AnnotatorConfig(String name, Properties props, Set<String> ownKeys) {
        this.name = name;
        this.props = props == null ? new Properties() : props;
        warnUnknownKeys(ownKeys);
    }

    String name() {
        return name;
    }

    private String key(String k) {
        return name + "." + k;
    }

    /** The raw value, trimmed, or null. */
    String get(String k) {
        String v = props.getProperty(key(k));
        return v == null ? null : v.trim();
    }

    /** The model location (null = the bundled model). */
    String model() {
        String v = get(MODEL);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The language of the bundled model (null = English). */
    String language() {
        String v = get(LANGUAGE);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The variant of the bundled model (null = the default variant). */
    String variant() {
        String v = get(VARIANT);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The analysis options; the decoding is checked against {@code allowed} (lower case). */
    AnalysisOptions options(List<String> allowedDecodes) {
        String decode = get(DECODE);
        if (decode == null || decode.isEmpty()) {
            decode = AnalysisOptions.DEFAULT_DECODE;
        }
        String normal = decode.toLowerCase(Locale.ROOT).replace('-', '_');
        if (!allowedDecodes.contains(normal)) {
            throw new InvalidPropertyException(key(DECODE), key(DECODE) + " = '" + decode
                    + "' is not a decoding of this annotator; allowed: " + String.join(", ", allowedDecodes));
        }
        int alternatives = integer(MAX_ALTERNATIVES, AnalysisOptions.DEFAULT_MAX_ALTERNATIVES, 1);
        double weight = number(MIN_WEIGHT, AnalysisOptions.DEFAULT_MIN_WEIGHT);
        if (!(weight >= 0 && weight < 1)) {
            throw new InvalidPropertyException(key(MIN_WEIGHT), key(MIN_WEIGHT) + " = '" + get(MIN_WEIGHT)
                    + "' is out of range; allowed: a number in [0, 1)");
        }
        int length = integer(MAX_SENTENCE_LENGTH, AnalysisOptions.DEFAULT_MAX_SENTENCE_LENGTH, 1);
        return new AnalysisOptions(normal, alternatives, weight, length);
    }

    int integer(String k, int dflt, int min) {
        String v = get(k);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            int x = Integer.parseInt(v);
            if (x >= min) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidPropertyException(key(k), key(k) + " = '" + v + "' is not allowed; allowed: an integer >= "
                + min);
    }

    double number(String k, double dflt) {
        String v = get(k);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InvalidPropertyException(key(k), key(k) + " = '" + v
                    + "' is not a number; allowed: a number in [0, 1)", e);
        }
    }

    boolean bool(String k, boolean dflt) {
        String v = get(k);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidPropertyException(key(k), key(k) + " = '" + v
                    + "' is not allowed; allowed: true, false");
        };
    }

    private void warnUnknownKeys(Set<String> own) {
        List<String> unknown = new ArrayList<>();
        String prefix = name + ".";
        for (String k : props.stringPropertyNames()) {
            if (k.startsWith(prefix) && !own.contains(k.substring(prefix.length()))) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            LOG.warn("annotator '{}' ignores the properties {}; it reads {}", name, new TreeSet<>(unknown),
                    new TreeSet<>(own).stream().map(this::key).toList());
        }
    }
}
