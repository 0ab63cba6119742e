package io.github.sparsestruct.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code --name value} options of a runner's command line, checked against the names it allows. */
final class Options {
    private final Map<String, String> values = new LinkedHashMap<>();

    private Options() {
    }

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException for an option it does not allow or without a value
     */
    static Options parse(String[] args, List<String> allowed) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!allowed.contains(a)) {
                throw new IllegalArgumentException("unknown option " + a + "; allowed: " + String.join(", ", allowed));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            o.values.put(a, args[++i]);
        }
        return o;
    }

    /** The value, or {@code fallback} when the option is not given. */
    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** The value of an option that must be given. */
    String require(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return v;
    }

    /** An integer value, or {@code fallback}. */
    int getInt(String name, int fallback) {
        String v = values.get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }
}
