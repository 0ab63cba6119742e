package io.github.sparsestruct.cli.html;

import io.github.sparsestruct.models.eval.ReliabilityBins;
import java.util.List;
import java.util.Locale;

/**
 * The HTML report of {@code evaluate --report DIR}: the evaluation table and, per kind of part and for whole
 * structures, a reliability diagram (accuracy against mean weight per bin, the diagonal for perfect calibration, bar
 * widths by count) as inline SVG: one self-contained file, no script.
 */
public final class ReliabilityReport {
    private static final int SIZE = 260;
    private static final int PAD = 36;

    private ReliabilityReport() {
    }

    /**
     * One diagram.
     *
     * @param title what is binned ("span weights", "best structure probability")
     * @param bins  the bins
     */
    public record Diagram(String title, ReliabilityBins bins) {
    }

    /** The report page: a title, the evaluation table as preformatted text, and the diagrams. */
    public static String page(String title, String table, List<Diagram> diagrams) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(HtmlView.esc(title))
                .append("</title><style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
                        + "pre{background:#f6f6f6;padding:1em;overflow:auto}figure{display:inline-block;margin:1em}"
                        + "figcaption{font-size:90%;max-width:").append(SIZE + 2 * PAD).append("px}"
                        + "table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right}</style></head>"
                        + "<body>\n<h1>").append(HtmlView.esc(title)).append("</h1>\n<pre>").append(HtmlView.esc(table))
                .append("</pre>\n<h2>Reliability</h2>\n<p>Each bar is a bin of weights: its height is how often those "
                        + "parts (or best structures) are right, its position the bin's mean weight; on the diagonal "
                        + "the weights mean what they say. Bars are darker the more parts they hold.</p>\n");
        for (Diagram d : diagrams) {
            diagram(h, d);
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void diagram(StringBuilder h, Diagram d) {
        ReliabilityBins b = d.bins();
        long max = 1;
        for (int i = 0; i < ReliabilityBins.BINS; i++) {
            max = Math.max(max, b.count(i));
        }
        int w = SIZE + 2 * PAD;
        h.append("<figure class=\"reliability\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w)
                .append("\" height=\"").append(w).append("\" role=\"img\" aria-label=\"")
                .append(HtmlView.esc(d.title())).append(" reliability diagram\">");
        h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>", PAD, PAD, SIZE, SIZE));
        h.append(String.format(Locale.ROOT, "<line class=\"diagonal\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                + "stroke=\"#888\" stroke-dasharray=\"4 3\"/>", PAD, PAD + SIZE, PAD + SIZE, PAD));
        double bw = SIZE / (double) ReliabilityBins.BINS;
        for (int i = 0; i < ReliabilityBins.BINS; i++) {
            long c = b.count(i);
            if (c == 0) {
                continue;
            }
            double acc = b.accuracy(i);
            double shade = 0.25 + 0.75 * Math.log1p(c) / Math.log1p(max);
            double x = PAD + i * bw;
            double top = PAD + SIZE * (1 - acc);
            h.append(String.format(Locale.ROOT, "<rect class=\"bin\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                    + "height=\"%.1f\" fill=\"rgba(40,90,160,%.2f)\"><title>weights %.1f-%.1f: %d parts, mean weight "
                    + "%.3f, right %.3f</title></rect>", x + 1, top, bw - 2, PAD + SIZE - top, shade, i / 10.0,
                    (i + 1) / 10.0, c, b.meanConfidence(i), acc));
            double cx = PAD + SIZE * b.meanConfidence(i);
            h.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#c33\"/>", cx, top));
        }
        for (int t = 0; t <= 10; t += 5) {
            double v = t / 10.0;
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">"
                    + "%.1f</text>", PAD + SIZE * v, PAD + SIZE + 14, v));
            h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">"
                    + "%.1f</text>", PAD - 4, PAD + SIZE * (1 - v) + 3, v));
        }
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">weight"
                + "</text><text x=\"12\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 "
                + "%d)\">right</text>", PAD + SIZE / 2, PAD + SIZE + 30, PAD + SIZE / 2, PAD + SIZE / 2));
        h.append("</svg><figcaption><b>").append(HtmlView.esc(d.title())).append("</b>: ")
                .append(String.format(Locale.ROOT, "ECE %.4f over %d", b.ece(), b.size())).append("</figcaption>")
                .append("</figure>\n");
    }
}
