package io.github.sparsestruct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparsestruct.models.testing.TinyModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job on a folder of documents the test writes, with tiny models. */
class AnnotateCommandTest {
    @TempDir
    static Path dir;
    private static Path ner;
    private static Path parser;
    private static Path docs;
    private static Path align;
    private static final Path ORIGINAL = Path.of("..", "examples", "documents", "04-paraphrase-original.txt");
    private static final Path SIMPLIFIED = Path.of("..", "examples", "documents", "04-paraphrase-simplified.txt");

    @BeforeAll
    static void setUp() throws Exception {
        ner = TinyModels.writeNer(dir.resolve("ner.zip"), 2, 1);
        parser = TinyModels.writeParser(dir.resolve("parser.zip"), 2, 1);
        align = TinyModels.writeAlign(dir.resolve("align.zip"), 4, 1);
        docs = dir.resolve("docs");
        Files.createDirectories(docs.resolve("sub"));
        Files.writeString(docs.resolve("a.txt"), "Alice visited New York. Bob met Carol in Rome.");
        Files.writeString(docs.resolve("sub/b.txt"), "Acme Corp opened an office in Paris \uD83D\uDE00 \u0007.");
        Files.writeString(docs.resolve("empty.txt"), "");
        Files.writeString(docs.resolve("notes.md"), "skipped: not *.txt");
        Files.writeString(docs.resolve("c.conllu"), """
                # text = Dan works for Initech .
                1\tDan\t_\tPROPN\t_\t_\t2\tnsubj\t_\t_
                2\tworks\t_\tVERB\t_\t_\t0\troot\t_\t_
                3\tfor\t_\tADP\t_\t_\t4\tcase\t_\t_
                4\tInitech\t_\tPROPN\t_\t_\t2\tobl\t_\t_
                5\t.\t_\tPUNCT\t_\t_\t2\tpunct\t_\t_

                """);
    }

    private static TrainEvaluateCommandTest.Run annotate(Path out, String... more) {
        String[] base = {"annotate", "--ner-model", ner.toString(), "--parser-model", parser.toString(), "-o",
            out.toString(), "--no-progress"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return TrainEvaluateCommandTest.run(args);
    }

    private static List<String> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted()
                    .toList();
        }
    }

    @Test
    void aFolderGivesEveryOutputPerDocumentAndASummary() throws Exception {
        Path out = dir.resolve("out1");
        TrainEvaluateCommandTest.Run r = annotate(out, docs.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(files(out)).containsExactly("a.conllu", "a.html", "a.json", "a.xmi", "c.conllu", "c.html",
                "c.json", "c.xmi", "empty.conllu", "empty.html", "empty.json", "empty.xmi", "sub/b.conllu",
                "sub/b.html", "sub/b.json", "sub/b.xmi");
        assertThat(r.out()).contains("annotated 4 documents, 4 sentences").contains("mean alternatives per sentence");
        JsonNode a = new ObjectMapper().readTree(Files.readString(out.resolve("a.json")));
        assertThat(a.get("id").asText()).isEqualTo("a");
        assertThat(a.get("sentences")).hasSize(2);
        assertThat(a.get("sentences").get(0).get("ner").get("analyses").size()).isPositive();
        assertThat(a.get("sentences").get(1).get("depparse").get("trees").size()).isPositive();
        JsonNode c = new ObjectMapper().readTree(Files.readString(out.resolve("c.json")));
        assertThat(c.get("sentences").get(0).get("tokens")).hasSize(5);
        String conllu = Files.readString(out.resolve("a.conllu"));
        assertThat(conllu).contains("Alice").contains("visited");
        assertThat(Files.readString(out.resolve("sub/b.html"))).contains("<svg class=\"arcs\"");
        assertThat(Files.readString(out.resolve("a.xmi"), StandardCharsets.UTF_8)).contains("TreeAnalysis");
    }

    @Test
    void xmiWrittenByAnnotateCanBeAnnotatedAgainWithTheSameResult() throws Exception {
        Path out = dir.resolve("out2");
        assertThat(annotate(out, "--format", "xmi,json", docs.resolve("a.txt").toString()).rc()).isZero();
        Path again = dir.resolve("out3");
        TrainEvaluateCommandTest.Run r = annotate(again, "--format", "json", "--tasks", "depparse",
                out.resolve("a.xmi").toString());
        assertThat(r.rc()).as(r.err()).isZero();
        JsonNode first = new ObjectMapper().readTree(Files.readString(out.resolve("a.json")));
        JsonNode second = new ObjectMapper().readTree(Files.readString(again.resolve("a.json")));
        assertThat(second.get("sentences").get(0).get("tokens")).isEqualTo(first.get("sentences").get(0)
                .get("tokens"));
        assertThat(second.get("sentences").get(1).get("depparse").get("trees").get(0).get("heads"))
                .isEqualTo(first.get("sentences").get(1).get("depparse").get("trees").get(0).get("heads"));
    }

    @Test
    void twoThreadsWriteExactlyWhatOneThreadWrites() throws Exception {
        Path one = dir.resolve("t1");
        Path two = dir.resolve("t2");
        assertThat(annotate(one, "--format", "json", docs.toString()).rc()).isZero();
        assertThat(annotate(two, "--format", "json", "--threads", "2", docs.toString()).rc()).isZero();
        for (String f : files(one)) {
            assertThat(Files.readString(two.resolve(f))).as(f).isEqualTo(Files.readString(one.resolve(f)));
        }
    }

    @Test
    void unreadableInputsFailClearlyAndTheOthersAreStillWrittenWhole() throws Exception {
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.write(bad.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, ' ', (byte) 0xFF});
        Files.writeString(bad.resolve("broken.xmi"), "<xmi:XMI this is not xml");
        Files.writeString(bad.resolve("good.txt"), "Carol visited Lyon.");
        Path out = dir.resolve("out4");
        TrainEvaluateCommandTest.Run r = annotate(out, bad.toString(), dir.resolve("missing.txt").toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("3 inputs could not be annotated").contains("latin1.txt").contains("UTF-8")
                .contains("broken.xmi").contains("missing.txt").contains("no such file");
        assertThat(files(out)).containsExactly("good.conllu", "good.html", "good.json", "good.xmi");
    }

    @Test
    void badOptionsAndModelsAreOneClearError() throws Exception {
        Path out = dir.resolve("out5");
        TrainEvaluateCommandTest.Run r = annotate(out, "--format", "pdf", docs.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("unknown format 'pdf'").contains("json, html, xmi, conllu");
        Path corrupt = dir.resolve("corrupt.zip");
        Files.writeString(corrupt, "not a model");
        r = TrainEvaluateCommandTest.run("annotate", "--ner-model", corrupt.toString(), "--tasks", "ner", "-o",
                out.toString(), docs.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("corrupt.zip");
        r = annotate(out, "--decode", "beam", docs.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("beam").contains("sparsemap");
    }

    @Test
    void aVariantOrLanguageWithoutABundledModelIsOneErrorNamingThoseThatExist() throws Exception {
        Path out = dir.resolve("out-variant");
        TrainEvaluateCommandTest.Run r = TrainEvaluateCommandTest.run("annotate", "--variant", "large", "-o",
                out.toString(), docs.resolve("a.txt").toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("no bundled 'ner' model for language 'en', variant 'large'")
                .contains("en/fast");
        r = TrainEvaluateCommandTest.run("annotate", "--language", "de", "--tasks", "depparse", "-o", out.toString(),
                docs.resolve("a.txt").toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("no bundled 'depparse' model for language 'de'").contains("en/fast");
        assertThat(out.resolve("a.json")).doesNotExist();
    }

    @Test
    void alignTaskAlignsTheSentencesAndWordsOfTwoFilesIntoJsonAndHeatMaps() throws Exception {
        Path out = dir.resolve("align1");
        TrainEvaluateCommandTest.Run r = annotate(out, "--tasks", "align", "--align-model", align.toString(),
                "--align-to", SIMPLIFIED.toString(), ORIGINAL.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).contains("aligned 3 sentence pairs");
        assertThat(files(out)).containsExactly("04-paraphrase-original.conllu", "04-paraphrase-original.html",
                "04-paraphrase-original.json", "04-paraphrase-original.xmi");
        JsonNode doc = new ObjectMapper().readTree(Files.readString(out.resolve("04-paraphrase-original.json")));
        JsonNode al = doc.get("alignments");
        // three sentences on each side, aligned one to one in order
        assertThat(al).hasSize(3);
        for (int k = 0; k < 3; k++) {
            JsonNode a = al.get(k);
            assertThat(a.get("sourceSentence").asInt()).isEqualTo(k);
            assertThat(a.get("targetSentence").asInt()).isEqualTo(k);
            assertThat(a.get("targetDocument").asText()).isEqualTo("04-paraphrase-simplified");
            assertThat(a.get("sentenceWeight").asDouble()).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
            assertThat(a.get("sourceLength").asInt()).isEqualTo(doc.get("sentences").get(k).get("tokens").size());
            double total = 0;
            for (JsonNode x : a.get("alignments")) {
                total += x.get("weight").asDouble();
            }
            assertThat(total).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(a.get("links")).isEqualTo(a.get("alignments").get(0).get("links"));
        }
        String html = Files.readString(out.resolve("04-paraphrase-original.html"));
        assertThat(html.split("<table class=\"heat\">", -1)).hasSize(4);
        // target words come from the simplified text
        assertThat(html).contains("<th class=\"col\"><span>passed</span></th>")
                .contains("<th class=\"row\">approved</th>");
        assertThat(Files.readString(out.resolve("04-paraphrase-original.xmi"))).contains("WordAlignment")
                .contains("sofaID=\"target\"");
    }

    @Test
    void alignToAFolderPairsDocumentsByRelativeNameAndAMissingCounterpartFailsThatDocumentOnly() throws Exception {
        Path src = dir.resolve("align-src");
        Path tgt = dir.resolve("align-tgt");
        Files.createDirectories(src.resolve("sub"));
        Files.createDirectories(tgt.resolve("sub"));
        Files.writeString(src.resolve("x.txt"), "The a1 b2 c3 d4. Then e5 of f6 g7.");
        Files.writeString(src.resolve("sub/y.txt"), "a1 b2 c3.");
        Files.writeString(src.resolve("z.txt"), "h8 the a1.");
        Files.writeString(tgt.resolve("x.txt"), "The a1 b2 extra1 d4. Then e5 f6 g7.");
        Files.writeString(tgt.resolve("sub/y.txt"), "a1 extra2 c3.");
        Path out = dir.resolve("align2");
        TrainEvaluateCommandTest.Run r = annotate(out, "--tasks", "align", "--align-model", align.toString(),
                "--format", "json", "--align-to", tgt.toString(), src.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("1 input could not be annotated").contains("no counterpart")
                .contains(tgt.resolve("z.txt").toString());
        assertThat(files(out)).containsExactly("sub/y.json", "x.json");
        JsonNode x = new ObjectMapper().readTree(Files.readString(out.resolve("x.json")));
        assertThat(x.get("alignments")).hasSize(2);
        assertThat(x.get("alignments").get(1).get("targetDocument").asText()).isEqualTo("x");
    }

    @Test
    void badAlignOptionsAreOneClearError() throws Exception {
        Path out = dir.resolve("align3");
        TrainEvaluateCommandTest.Run r = annotate(out, "--tasks", "align", ORIGINAL.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("--align-to");
        r = annotate(out, "--tasks", "align", "--align-model", align.toString(), "--decoder", "hungarian",
                "--align-to", SIMPLIFIED.toString(), ORIGINAL.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("hungarian").contains("matching, sequential");
        r = annotate(out, "--tasks", "align", "--align-model", dir.resolve("no-aligner.zip").toString(),
                "--align-to", SIMPLIFIED.toString(), ORIGINAL.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("no-aligner.zip");
        r = annotate(out, "--tasks", "ner", "--align-to", SIMPLIFIED.toString(), ORIGINAL.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("align");
        r = annotate(out, "--tasks", "align", "--align-model", align.toString(), "--align-to",
                SIMPLIFIED.toString(), ORIGINAL.toString(), SIMPLIFIED.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("one file but there are 2 input documents");
    }
}
