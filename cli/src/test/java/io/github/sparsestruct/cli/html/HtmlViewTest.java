package io.github.sparsestruct.cli.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sparsestruct.models.analysis.AlignAnalysis;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import io.github.sparsestruct.models.analysis.NerAnalyzer;
import io.github.sparsestruct.models.analysis.ParseAnalysis;
import io.github.sparsestruct.models.analysis.ParseAnalyzer;
import io.github.sparsestruct.models.testing.TinyModels;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlViewTest {
    private static final List<String[]> SENTENCES = List.of("Alice saw Bob with the telescope in Paris .".split(" "),
            new String[] {"<script>alert(1)</script>", "&", "\"q\"", "\uD83D\uDE00"}, new String[0]);
    private static List<AlternativesJson.Sentence> sentences;
    private static AlignAnalysis al;
    private static List<AlternativesJson.SentenceAlignment> alignments;

    @BeforeAll
    static void document() {
        AnalysisOptions o = AnalysisOptions.defaults().withLimits(4, 0.0, 100);
        List<NerAnalysis> ner = new NerAnalyzer(TinyModels.ner(2, 3), o).analyze(SENTENCES);
        List<ParseAnalysis> dep = new ParseAnalyzer(TinyModels.parser(2, 3), o).analyze(SENTENCES);
        sentences = TinyModels.jsonSentences(SENTENCES, ner, dep);
        // sentence 1 aligned with sentence 2
        al = new AlignAnalysis(9, 4, List.of(new AlignAnalysis.Link(0, 0, 1), new AlignAnalysis.Link(1, 2,
                1)), List.of(new AlignAnalysis.Alignment(1, 0.75, List.of(new AlignAnalysis.Link(0, 0, 0.75),
                new AlignAnalysis.Link(1, 2, 0.75))), new AlignAnalysis.Alignment(2, 0.25,
                List.of(new AlignAnalysis.Link(0, 0, 0.25)))), List.of(new AlignAnalysis.Link(0, 0, 1.0),
                new AlignAnalysis.Link(1, 2, 0.75)), "matching", "sparsemap", false);
        alignments = List.of(new AlternativesJson.SentenceAlignment(0, null, 1, 1.0, al));
    }

    private static String render() {
        return HtmlView.render("doc <1>", sentences, alignments);
    }

    private static int count(String html, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(html);
        int c = 0;
        while (m.find()) {
            c++;
        }
        return c;
    }

    @Test
    void pageShowsEveryAlternativeWithItsWeightAndMarksTheBest() {
        String html = render();
        int analyses = 0;
        int trees = 0;
        for (AlternativesJson.Sentence s : sentences) {
            analyses += s.ner().analyses().size();
            trees += s.parse().trees().size();
        }
        assertThat(count(html, "<tr class=\"analysis")).isEqualTo(analyses);
        assertThat(count(html, "<tr class=\"tree")).isEqualTo(trees - 1); // the empty sentence draws no tree
        assertThat(count(html, "<tr class=\"analysis best\"")).isEqualTo(3);
        assertThat(count(html, "<svg class=\"arcs\"")).isEqualTo(2);
        assertThat(html).contains("<table class=\"heat\">").contains("td class=\"cell best\"");
        assertThat(count(html.substring(0, html.indexOf("id=\"s1\"")), "<g class=\"arc"))
                .isGreaterThanOrEqualTo(sentences.get(0).parse().arcs().size());
        // self-contained: nothing is fetched (the only URL is the SVG namespace)
        assertThat(html).doesNotContain(" src=").doesNotContain("<link").doesNotContain("url(")
                .doesNotContain("https://");
    }

    @Test
    void alignmentHeatMapShowsLinkWeightsMarksTheBestLinksAndLabelsTargetWordsFromTheTargetDocument() {
        String html = render();
        String heat = html.substring(html.indexOf("<table class=\"heat\">"));
        assertThat(count(heat, "td class=\"cell best\"")).isEqualTo(2);
        assertThat(count(heat, "<td class=\"cell")).isEqualTo(9 * 4);
        assertThat(heat).contains("title=\"saw – &quot;q&quot;: 0.750\"");
        assertThat(html).contains("2 alternatives");
        // an alignment into another document takes its target words from that document, or numbers them
        List<AlternativesJson.SentenceAlignment> other = List.of(new AlternativesJson.SentenceAlignment(0, "other", 0,
                1.0, al));
        List<AlternativesJson.Sentence> target = TinyModels.jsonSentences(List.<String[]>of(
                new String[] {"w0", "w1", "w2", "w3"}), null, null);
        assertThat(HtmlView.render("doc", sentences, other, java.util.Map.of("other", target)))
                .contains("<span>w2</span>").contains("other, sentence 1");
        assertThat(HtmlView.render("doc", sentences, other)).contains("<span>#3</span>");
    }

    @Test
    void tokensAreEscaped() {
        String html = render();
        assertThat(html).doesNotContain("<script>alert").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("doc &lt;1&gt;").contains("\uD83D\uDE00");
    }

    @Test
    void pageRendersInHeadlessChromiumWithoutScriptErrors(@TempDir Path dir) throws Exception {
        String chromium = null;
        for (String c : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
            if (new File(c).canExecute()) {
                chromium = c;
                break;
            }
        }
        assumeTrue(chromium != null, "Chromium is not installed (apt-get install chromium); skipping the browser check");
        String dom = dump(chromium, dir, "doc.html", render());
        // the checker itself: a page with a failing script is caught
        String broken = render().replace("</body>", "<script>noSuchFunction();</script></body>");
        assertThat(dump(chromium, dir, "broken.html", broken)).contains("data-error=\"");
        assertThat(dom).contains("data-rendered=\"ok\"").doesNotContain("data-error=\"");
        assertThat(count(dom, "<tr class=\"analysis best\"")).isEqualTo(3);
        assertThat(dom).contains("<svg class=\"arcs\"");
    }

    private static String dump(String chromium, Path dir, String name, String html) throws Exception {
        Path page = dir.resolve(name);
        Files.writeString(page, html, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("profile-" + name), "--dump-dom", page.toUri().toString())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return dom;
    }
}
