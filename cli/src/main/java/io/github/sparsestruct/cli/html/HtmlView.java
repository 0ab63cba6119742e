package io.github.sparsestruct.cli.html;

import io.github.sparsestruct.models.analysis.AlignAnalysis;
import io.github.sparsestruct.models.analysis.AlternativesJson.Sentence;
import io.github.sparsestruct.models.analysis.AlternativesJson.SentenceAlignment;
import io.github.sparsestruct.models.analysis.AlternativesJson.Token;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import io.github.sparsestruct.models.analysis.ParseAnalysis;
import io.github.sparsestruct.models.analysis.Uncertainty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders one document's analyses (the records the alternatives JSON is written from, {@code docs/alternatives-json.md})
 * as a self-contained HTML
 * page (inline CSS, SVG and a few lines of script; nothing fetched from the network): per sentence, the weighted
 * entity analyses with their spans, the candidate entities, the dependency arcs drawn with their marginal weight over
 * the best tree, the weighted trees, and heat maps of word alignments. The top structure is marked "best".
 */
public final class HtmlView {
    private static final String[] COLOURS = {"#f6c28b", "#9ed0f0", "#b7e4a7", "#e9b3e6", "#f3e08a", "#c8c8f0"};

    private HtmlView() {
    }

    /** The HTML page of a document (alignments to other documents show their target words by index). */
    public static String render(String id, List<Sentence> sentences, List<SentenceAlignment> alignments) {
        return render(id, sentences, alignments, Map.of());
    }

    /**
     * The HTML page of a document whose alignments may point into other documents.
     *
     * @param id         the document's id (null: "document")
     * @param sentences  its sentences with their analyses
     * @param alignments its sentence alignments (null or empty: none)
     * @param others     the sentences of the documents its alignments name as target document, by id (their tokens
     *                   label the heat maps' columns; a document absent here has its words numbered)
     */
    public static String render(String id, List<Sentence> sentences, List<SentenceAlignment> alignments,
                                Map<String, List<Sentence>> others) {
        StringBuilder h = new StringBuilder(16384);
        String title = id == null ? "document" : id;
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" · SparseStruct</title><style>").append(CSS)
                .append("</style></head><body data-rendered=\"pending\">\n");
        h.append("<header><h1>").append(esc(title)).append("</h1><p>Weighted alternatives computed by SparseStruct. ")
                .append("The structure marked <span class=\"best-tag\">best</span> is the heaviest; weights of one ")
                .append("sentence's alternatives sum to 1.</p></header>\n<main>\n");
        Map<String, String> colours = new HashMap<>();
        for (int i = 0; i < sentences.size(); i++) {
            sentence(h, i, sentences.get(i), colours);
        }
        if (alignments != null && !alignments.isEmpty()) {
            h.append("<section class=\"alignments\"><h2>Word alignments</h2>\n");
            int k = 0;
            for (SentenceAlignment a : alignments) {
                List<Sentence> target = a.targetDocument() != null ? others.get(a.targetDocument()) : sentences;
                alignment(h, a, k++, sentences, target);
            }
            h.append("</section>\n");
        }
        h.append("</main>\n<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return h.toString();
    }

    /** One line: P(best is wrong), expected wrong parts, support size (nothing where the figures are undefined). */
    private static void uncertainty(StringBuilder h, Uncertainty u, String parts) {
        if (u == null || Double.isNaN(u.expectedWrongParts())) {
            return;
        }
        h.append("<p class=\"uncertainty\">");
        if (!Double.isNaN(u.bestWrong())) {
            h.append("P(best is wrong) <b>").append(String.format(Locale.ROOT, "%.2f", u.bestWrong())).append("</b> · ");
        }
        h.append("expected wrong ").append(parts).append(" <b>")
                .append(String.format(Locale.ROOT, "%.2f", u.expectedWrongParts())).append("</b> · support <b>")
                .append(u.support()).append("</b></p>\n");
    }

    private static void sentence(StringBuilder h, int index, Sentence s, Map<String, String> colours) {
        List<String> tokens = new ArrayList<>();
        for (Token t : s.tokens()) {
            tokens.add(t.text());
        }
        h.append("<section class=\"sentence\" id=\"s").append(index).append("\"><h2>Sentence ").append(index + 1)
                .append("</h2>\n<p class=\"text\">").append(esc(String.join(" ", tokens))).append("</p>\n");
        NerAnalysis ner = s.ner();
        if (ner != null) {
            h.append("<div class=\"ner\"><h3>Entity analyses <small>(").append(esc(ner.decode()))
                    .append(ner.chunked() ? ", long sentence decoded in chunks" : "")
                    .append(")</small></h3>\n");
            uncertainty(h, ner.uncertainty(), "entities");
            h.append("<table class=\"analyses\">");
            for (NerAnalysis.Analysis a : ner.analyses()) {
                int rank = a.rank();
                h.append("<tr class=\"analysis").append(rank == 1 ? " best" : "").append("\" data-rank=\"")
                        .append(rank).append("\"><td class=\"rank\">").append(rank == 1
                                ? "<span class=\"best-tag\">best</span>" : "#" + rank).append("</td>");
                weightCell(h, a.weight());
                h.append("<td class=\"tokens\">");
                spans(h, tokens, a.entities(), colours);
                if (a.entities().isEmpty()) {
                    h.append("<span class=\"none\">(no entities)</span>");
                }
                h.append("</td></tr>\n");
            }
            h.append("</table>\n");
            if (!ner.candidates().isEmpty()) {
                h.append("<details open><summary>Candidate entities and their marginal weight</summary>")
                        .append("<table class=\"candidates\"><tr><th>span</th><th>type</th><th>weight</th></tr>");
                for (NerAnalysis.Entity c : ner.candidates()) {
                    h.append("<tr class=\"candidate\"><td>")
                            .append(esc(String.join(" ", tokens.subList(c.start(), Math.min(tokens.size(), c.end())))))
                            .append("</td><td><span class=\"ent\" style=\"background:")
                            .append(colour(c.type(), colours)).append("\">").append(esc(c.type()))
                            .append("</span></td>");
                    weightCell(h, c.weight());
                    h.append("</tr>");
                }
                h.append("</table></details>\n");
            }
            h.append("</div>\n");
        }
        ParseAnalysis dep = s.parse();
        if (dep != null && !tokens.isEmpty()) {
            h.append("<div class=\"depparse\"><h3>Dependency trees <small>(").append(esc(dep.decode()))
                    .append(dep.chunked() ? ", long sentence parsed in chunks" : "")
                    .append(")</small></h3>\n");
            uncertainty(h, dep.uncertainty(), "heads");
            arcs(h, tokens, dep);
            h.append("<table class=\"trees\">");
            for (ParseAnalysis.Tree t : dep.trees()) {
                int rank = t.rank();
                h.append("<tr class=\"tree").append(rank == 1 ? " best" : "").append("\" data-rank=\"").append(rank)
                        .append("\" data-heads=\"");
                List<String> heads = new ArrayList<>();
                for (int x : t.heads()) {
                    heads.add(Integer.toString(x));
                }
                h.append(String.join(" ", heads)).append("\"><td class=\"rank\">")
                        .append(rank == 1 ? "<span class=\"best-tag\">best</span>" : "#" + rank).append("</td>");
                weightCell(h, t.weight());
                h.append("<td class=\"diff\">").append(esc(treeDiff(t, dep, tokens))).append("</td></tr>\n");
            }
            h.append("</table></div>\n");
        }
        h.append("</section>\n");
    }

    /** What a tree changes relative to the best one, e.g. "telescope → man (nmod)". */
    private static String treeDiff(ParseAnalysis.Tree t, ParseAnalysis dep, List<String> tokens) {
        if (t == dep.trees().get(0) || t.rank() == 1) {
            return "the best tree";
        }
        List<String> out = new ArrayList<>();
        for (int m = 0; m < t.heads().length; m++) {
            int hd = t.heads()[m];
            if (hd != bestHead(dep, m + 1)) {
                out.add(tokens.get(m) + " → " + (hd == 0 ? "ROOT" : tokens.get(hd - 1)) + " ("
                        + (m < t.deprels().length ? String.valueOf(t.deprels()[m]) : "") + ")");
            }
        }
        return out.isEmpty() ? "same arcs as the best tree, other labels" : "attaches " + String.join(", ", out);
    }

    /** The head of word {@code m} (1-based) in the best tree, 0 when there is none. */
    private static int bestHead(ParseAnalysis dep, int m) {
        int[] heads = dep.trees().isEmpty() ? new int[0] : dep.trees().get(0).heads();
        return m - 1 < heads.length ? heads[m - 1] : 0;
    }

    /** The relation of word {@code m} (1-based) in the best tree, "" when there is none. */
    private static String bestRelation(ParseAnalysis dep, int m) {
        String[] rels = dep.trees().isEmpty() ? new String[0] : dep.trees().get(0).deprels();
        return m - 1 < rels.length ? String.valueOf(rels[m - 1]) : "";
    }

    private static void spans(StringBuilder h, List<String> tokens, List<NerAnalysis.Entity> entities,
                              Map<String, String> colours) {
        int[] start = new int[tokens.size() + 1];
        String[] type = new String[tokens.size() + 1];
        java.util.Arrays.fill(start, -1);
        for (NerAnalysis.Entity e : entities) {
            int a = e.start();
            if (a < tokens.size()) {
                start[a] = e.end();
                type[a] = e.type();
            }
        }
        for (int i = 0; i < tokens.size(); ) {
            if (start[i] > i) {
                int end = Math.min(tokens.size(), start[i]);
                h.append("<span class=\"ent\" style=\"background:").append(colour(type[i], colours)).append("\">")
                        .append(esc(String.join(" ", tokens.subList(i, end)))).append("<sub>").append(esc(type[i]))
                        .append("</sub></span> ");
                i = end;
            } else {
                h.append(esc(tokens.get(i))).append(' ');
                i++;
            }
        }
    }

    private static void arcs(StringBuilder h, List<String> tokens, ParseAnalysis dep) {
        int n = tokens.size();
        double[] x = new double[n + 1];
        double pos = 40;
        x[0] = 16;
        for (int i = 0; i < n; i++) {
            double w = Math.max(28, 8.2 * tokens.get(i).length() + 14);
            x[i + 1] = pos + w / 2;
            pos += w;
        }
        int maxSpan = 1;
        for (ParseAnalysis.Arc a : dep.arcs()) {
            maxSpan = Math.max(maxSpan, Math.abs(a.head() - a.dependent()));
        }
        double top = Math.min(260, 26 + 18.0 * maxSpan);
        double base = top + 12;
        double width = pos + 20;
        h.append("<svg class=\"arcs\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(fmt(width))
                .append("\" height=\"").append(fmt(base + 46)).append("\" viewBox=\"0 0 ").append(fmt(width))
                .append(' ').append(fmt(base + 46)).append("\">");
        h.append("<text class=\"tok root\" x=\"").append(fmt(x[0])).append("\" y=\"").append(fmt(base + 18))
                .append("\">ROOT</text>");
        String[] upos = dep.upos();
        for (int i = 0; i < n; i++) {
            h.append("<text class=\"tok\" x=\"").append(fmt(x[i + 1])).append("\" y=\"").append(fmt(base + 18))
                    .append("\">").append(esc(tokens.get(i))).append("</text>");
            if (upos.length > i) {
                h.append("<text class=\"pos\" x=\"").append(fmt(x[i + 1])).append("\" y=\"").append(fmt(base + 34))
                        .append("\">").append(esc(String.valueOf(upos[i]))).append("</text>");
            }
        }
        Set<String> drawn = new HashSet<>();
        for (ParseAnalysis.Arc a : dep.arcs()) {
            int hd = a.head();
            int m = a.dependent();
            if (hd < 0 || hd > n || m < 1 || m > n) {
                continue;
            }
            double w = a.weight();
            boolean inBest = bestHead(dep, m) == hd;
            drawn.add(hd + ">" + m);
            arc(h, x, hd, m, w, inBest, top, base, inBest ? bestRelation(dep, m)
                    : a.deprel() == null ? "" : a.deprel());
        }
        for (int m = 1; m <= n; m++) {
            int hd = bestHead(dep, m);
            if (!drawn.contains(hd + ">" + m)) {
                arc(h, x, hd, m, 1.0, true, top, base, bestRelation(dep, m));
            }
        }
        h.append("</svg>\n");
    }

    private static void arc(StringBuilder h, double[] x, int hd, int m, double w, boolean inBest, double top,
                            double base, String label) {
        double x1 = x[hd];
        double x2 = x[m];
        double height = Math.min(top - 10, 14 + 18.0 * Math.abs(hd - m));
        double y = base - height;
        String d = "M" + fmt(x1) + "," + fmt(base) + " C" + fmt(x1) + "," + fmt(y) + " " + fmt(x2) + "," + fmt(y) + " "
                + fmt(x2) + "," + fmt(base - 4);
        h.append("<g class=\"arc").append(inBest ? " best" : " alt").append("\" data-head=\"").append(hd)
                .append("\" data-dep=\"").append(m).append("\" data-weight=\"").append(fmt3(w)).append("\"><title>")
                .append(esc(label)).append(' ').append(hd == 0 ? "ROOT" : "w" + hd).append(" → w").append(m)
                .append(": weight ").append(fmt3(w)).append("</title><path d=\"").append(d)
                .append("\" stroke-width=\"").append(fmt(0.8 + 2.6 * w)).append("\" stroke-opacity=\"")
                .append(fmt(0.25 + 0.75 * w)).append("\"/>");
        if (inBest && !label.isEmpty()) {
            h.append("<text class=\"lab\" x=\"").append(fmt((x1 + x2) / 2)).append("\" y=\"").append(fmt(base - 0.75 * height - 2)).append("\">").append(esc(label)).append("</text>");
        }
        h.append("</g>");
    }

    /** A sentence's token texts, or "#0", "#1", ... when the document is not at hand. */
    private static List<String> sentenceTokens(List<Sentence> doc, int sentence, int length) {
        List<String> out = new ArrayList<>();
        Sentence s = doc == null || sentence < 0 || sentence >= doc.size() ? null : doc.get(sentence);
        if (s != null && s.tokens().size() == length) {
            for (Token t : s.tokens()) {
                out.add(t.text());
            }
            return out;
        }
        for (int i = 0; i < length; i++) {
            out.add("#" + i);
        }
        return out;
    }

    private static void alignment(StringBuilder h, SentenceAlignment sa, int k, List<Sentence> doc,
                                  List<Sentence> targetDoc) {
        AlignAnalysis a = sa.alignment();
        List<String> src = sentenceTokens(doc, sa.sourceSentence(), a.sourceLength());
        List<String> tgt = sentenceTokens(targetDoc, sa.targetSentence(), a.targetLength());
        double[][] w = new double[src.size()][tgt.size()];
        for (AlignAnalysis.Link l : a.linkWeights()) {
            int i = l.source();
            int j = l.target();
            if (i >= 0 && i < src.size() && j >= 0 && j < tgt.size()) {
                w[i][j] = l.weight();
            }
        }
        Set<String> best = new HashSet<>();
        for (AlignAnalysis.Link l : a.links()) {
            best.add(l.source() + ":" + l.target());
        }
        String target = sa.targetDocument() != null ? sa.targetDocument() + ", " : "";
        h.append("<div class=\"heatmap\" id=\"a").append(k).append("\"><h3>Sentence ")
                .append(sa.sourceSentence() + 1).append(" ↔ ").append(esc(target)).append("sentence ")
                .append(sa.targetSentence() + 1).append(" <small>(")
                .append(esc(a.decoder())).append(", ").append(esc(a.decode()))
                .append(", sentence weight ").append(fmt3(sa.sentenceWeight())).append(", ")
                .append(a.alignments().size()).append(" alternative")
                .append(a.alignments().size() == 1 ? "" : "s")
                .append(")</small></h3><table class=\"heat\"><tr><th></th>");
        for (String t : tgt) {
            h.append("<th class=\"col\"><span>").append(esc(t)).append("</span></th>");
        }
        h.append("</tr>");
        for (int i = 0; i < src.size(); i++) {
            h.append("<tr><th class=\"row\">").append(esc(src.get(i))).append("</th>");
            for (int j = 0; j < tgt.size(); j++) {
                boolean b = best.contains(i + ":" + j);
                h.append("<td class=\"cell").append(b ? " best" : "").append("\" style=\"background:rgba(31,95,191,")
                        .append(fmt3(w[i][j])).append(")\" title=\"").append(esc(src.get(i))).append(" – ")
                        .append(esc(tgt.get(j))).append(": ").append(fmt3(w[i][j])).append("\">")
                        .append(b ? "●" : "").append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table></div>\n");
    }

    private static void weightCell(StringBuilder h, double w) {
        h.append("<td class=\"weight\"><span class=\"bar\"><span style=\"width:").append(fmt(100 * w))
                .append("%\"></span></span> ").append(fmt3(w)).append("</td>");
    }

    private static String colour(String type, Map<String, String> colours) {
        return colours.computeIfAbsent(type, t -> COLOURS[colours.size() % COLOURS.length]);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fmt3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** Escapes text for HTML element content and attribute values. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n') {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2430;background:#fafbfc}
            header{padding:14px 28px;background:#1f2d3d;color:#fff}header h1{margin:0 0 4px;font-size:20px}
            header p{margin:0;opacity:.85}main{padding:8px 28px 40px}
            section.sentence{background:#fff;border:1px solid #dde3ea;border-radius:8px;margin:16px 0;padding:10px 16px}
            h2{font-size:16px;margin:4px 0}h3{font-size:14px;margin:12px 0 6px;color:#44546a}small{font-weight:normal}
            .text{color:#44546a;margin:2px 0 8px}table{border-collapse:collapse}td,th{padding:3px 8px;text-align:left}
            tr.best td{font-weight:600}tr.analysis,tr.tree{border-top:1px solid #eef1f4}
            .best-tag{background:#1f7a3d;color:#fff;border-radius:4px;padding:1px 6px;font-size:12px}
            .ent{border-radius:4px;padding:1px 4px;margin:0 1px}.ent sub{font-size:10px;margin-left:3px;opacity:.8}
            .bar{display:inline-block;width:80px;height:8px;background:#e6eaef;border-radius:4px;vertical-align:middle}
            .bar span{display:block;height:8px;background:#1f5fbf;border-radius:4px}.weight{white-space:nowrap}
            svg.arcs{display:block;overflow:visible;max-width:100%}svg .tok{text-anchor:middle;font-size:13px}
            svg .pos{text-anchor:middle;font-size:10px;fill:#7a8794}svg .root{font-size:10px;fill:#7a8794}
            svg .arc path{fill:none;stroke:#9aa7b4}svg .arc.best path{stroke:#1f2d3d}
            svg .arc.alt path{stroke:#d0542c;stroke-dasharray:4 3}svg .lab{text-anchor:middle;font-size:10px;fill:#44546a}
            svg .arc.hl path{stroke:#1f5fbf!important;stroke-dasharray:none}
            table.heat td.cell{width:18px;height:18px;border:1px solid #eef1f4;text-align:center;font-size:10px;color:#fff}
            table.heat td.best{outline:2px solid #1f7a3d}th.col span{writing-mode:vertical-rl;font-weight:normal}
            th.row{font-weight:normal;text-align:right}details{margin-top:6px}
            .none{color:#7a8794;font-weight:normal;font-size:12px}tr.analysis.best td.tokens{font-weight:normal}
            """;

    private static final String SCRIPT = """
            window.addEventListener('error',function(e){document.body.setAttribute('data-error',String(e.message));});
            (function(){
              document.querySelectorAll('tr.tree').forEach(function(row){
                var heads=row.getAttribute('data-heads').split(' ');
                var svg=row.closest('.depparse').querySelector('svg');
                row.addEventListener('mouseenter',function(){
                  heads.forEach(function(h,i){
                    var g=svg.querySelector('g.arc[data-head="'+h+'"][data-dep="'+(i+1)+'"]');
                    if(g){g.classList.add('hl');}
                  });
                });
                row.addEventListener('mouseleave',function(){
                  svg.querySelectorAll('g.hl').forEach(function(g){g.classList.remove('hl');});
                });
              });
              document.body.setAttribute('data-rendered','ok');
            })();
            """;
}
