package io.github.sparsestruct.models.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Aligned plain-text tables: first column left-aligned, the others right-aligned, two spaces between columns. */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();

    /** Adds a row (the first added is the heading). */
    TextTable row(String... cells) {
        rows.add(cells);
        return this;
    }

    /** A percentage with two decimals, or "-" for NaN. */
    static String pct(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }

    /** A number with the given decimals, or "-" for NaN. */
    static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    @Override
    public String toString() {
        int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                String c = i < r.length ? r[i] : "";
                if (i > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(width[i] - c.length());
                line.append(i == 0 ? c + pad : pad + c);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
