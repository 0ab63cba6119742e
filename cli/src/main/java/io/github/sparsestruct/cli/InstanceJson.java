package io.github.sparsestruct.cli;

import static io.github.sparsestruct.cli.InstanceSolver.MAPPER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * Reads the scores of a {@code solve} instance from its JSON: keys, numbers (with −∞ and the costs' +∞),
 * matrices, (T-1)xSxS tensors and vectors; malformed input is an {@link InstanceException}.
 */
final class InstanceJson {
    private InstanceJson() {
    }

    /** The text of a required string key. */
    static String text(JsonNode in, String key) {
        JsonNode n = in.get(key);
        if (n == null || n.isNull()) {
            throw new InstanceException("missing key '" + key + "'");
        }
        if (!n.isTextual()) {
            throw new InstanceException("'" + key + "' must be a string");
        }
        return n.asText();
    }

    /** The value of a boolean key. */
    static boolean bool(JsonNode n, String key) {
        if (!n.isBoolean()) {
            throw new InstanceException("'" + key + "' must be true or false");
        }
        return n.booleanValue();
    }

    /**
     * A score: a JSON number, or −∞ written as the token -Infinity, the string "-inf"/"-Infinity", or null.
     * NaN is rejected.
     */
    static double number(JsonNode n, String where) {
        double v;
        if (n == null || n.isNull()) {
            v = Double.NEGATIVE_INFINITY;
        } else if (n.isNumber()) {
            v = n.doubleValue();
        } else if (n.isTextual()) {
            String s = n.asText().trim().toLowerCase(Locale.ROOT);
            v = switch (s) {
                case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
                case "nan" -> Double.NaN;
                default -> throw new InstanceException(where + " must be a number, got \"" + n.asText() + "\"");
            };
        } else {
            throw new InstanceException(where + " must be a number, got " + n);
        }
        if (Double.isNaN(v)) {
            throw new InstanceException(where + " is NaN; scores must be numbers or -Infinity");
        }
        if (v == Double.POSITIVE_INFINITY && !where.startsWith("costs")) {
            throw new InstanceException(where + " is +Infinity; scores must be finite or -Infinity");
        }
        return v;
    }

    /** A non-empty rectangular matrix of scores (null when absent and not {@code required}). */
    static double[][] matrix(JsonNode in, String key, boolean required) {
        JsonNode n = in.get(key);
        if (n == null || n.isNull()) {
            if (required) {
                throw new InstanceException("missing key '" + key + "'");
            }
            return null;
        }
        if (!n.isArray() || n.size() == 0) {
            throw new InstanceException("'" + key + "' must be a non-empty array of arrays");
        }
        int rowsCount = n.size();
        double[][] m = new double[rowsCount][];
        for (int i = 0; i < rowsCount; i++) {
            JsonNode row = n.get(i);
            if (!row.isArray() || row.size() == 0) {
                throw new InstanceException("'" + key + "' row " + i + " must be a non-empty array");
            }
            if (i > 0 && row.size() != m[0].length) {
                throw new InstanceException("'" + key + "' is ragged: row 0 has " + m[0].length + " entries, row "
                        + i + " has " + row.size());
            }
            m[i] = new double[row.size()];
            for (int j = 0; j < row.size(); j++) {
                m[i][j] = number(row.get(j), key + "[" + i + "][" + j + "]");
            }
        }
        return m;
    }

    /** A (T-1)xSxS array of matrices. */
    static double[][][] tensor(JsonNode n, String key) {
        double[][][] t = new double[n.size()][][];
        for (int i = 0; i < n.size(); i++) {
            ObjectNode wrap = MAPPER.createObjectNode();
            wrap.set("x", n.get(i));
            t[i] = matrix(wrap, "x", true);
        }
        return t;
    }

    /** Copies an SxS matrix row-major into {@code dst} at {@code off}. */
    static void copySquare(double[][] m, int s, String what, double[] dst, int off) {
        if (m.length != s || m[0].length != s) {
            throw new InstanceException(what + " must be " + s + "x" + s + ", got " + m.length + "x" + m[0].length);
        }
        for (int a = 0; a < s; a++) {
            System.arraycopy(m[a], 0, dst, off + a * s, s);
        }
    }

    /** An optional vector of {@code len} scores (null when absent). */
    static double[] optVector(JsonNode in, String key, int len) {
        JsonNode n = in.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray() || n.size() != len) {
            throw new InstanceException("'" + key + "' must be an array of " + len + " numbers");
        }
        double[] v = new double[len];
        for (int i = 0; i < len; i++) {
            v[i] = number(n.get(i), key + "[" + i + "]");
        }
        return v;
    }

    /** A matrix row-major. */
    static double[] flatten(double[][] m) {
        int c = m[0].length;
        double[] x = new double[m.length * c];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, x, i * c, c);
        }
        return x;
    }
}
