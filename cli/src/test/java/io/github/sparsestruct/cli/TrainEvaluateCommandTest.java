package io.github.sparsestruct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** train → model file → evaluate through the command line, on tiny data the test writes itself. */
class TrainEvaluateCommandTest {
    record Run(int rc, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println(cmd.getCommandName() + ": " + ex.getMessage());
            return 1;
        });
        int rc = cl.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    /** Sentences where capitalised names after "met" are PER and after "in" are LOC. */
    static String iob2(int n, long seed) {
        Random rnd = new Random(seed);
        String[] names = {"Ann", "Bob", "Cleo", "Dan"};
        String[] places = {"Paris", "Oslo", "Lima", "Rome"};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            List<String[]> toks = new ArrayList<>();
            toks.add(new String[] {"we", "O"});
            toks.add(new String[] {"met", "O"});
            toks.add(new String[] {names[rnd.nextInt(4)], "B-PER"});
            toks.add(new String[] {"in", "O"});
            toks.add(new String[] {places[rnd.nextInt(4)], "B-LOC"});
            b.append("# sent_id = s").append(i).append('\n');
            for (int t = 0; t < toks.size(); t++) {
                b.append(t + 1).append('\t').append(toks.get(t)[0]).append('\t').append(toks.get(t)[1])
                        .append("\t-\t-\n");
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * Trains a small NER model on 200 synthetic sentences in {@code dir} (train.iob2, dev.iob2, ner.zip) with the
     * given extra options; returns the run.
     */
    static Run trainTinyNer(Path dir, String... extra) throws Exception {
        Files.writeString(dir.resolve("train.iob2"), iob2(200, 1), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("dev.iob2"), iob2(10, 2), StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("train", "--task", "ner", "--train",
                dir.resolve("train.iob2").toString(), "--dev", dir.resolve("dev.iob2").toString(), "--out",
                dir.resolve("ner.zip").toString(), "--epochs", "12", "--patience", "0", "--lstm-hidden", "16",
                "--batch-tokens", "100", "--no-progress"));
        args.addAll(List.of(extra));
        return run(args.toArray(new String[0]));
    }

    /** Evaluates {@code dir}/ner.zip on {@code dir}/dev.iob2 (as {@link #trainTinyNer} writes them); the entity F1. */
    static double devF1(Path dir) throws Exception {
        Run e = run("evaluate", "--task", "ner", "--model", dir.resolve("ner.zip").toString(), "--data",
                dir.resolve("dev.iob2").toString());
        assertThat(e.rc()).as(e.err()).isZero();
        String[] lines = e.out().strip().split("\n");
        return InstanceSolver.MAPPER.readTree(lines[lines.length - 1]).at("/entities/overall/f1").asDouble();
    }

    @Test
    void trainWritesAModelThatEvaluateScoresAndReportsAsJson(@TempDir Path dir) throws Exception {
        Run t = trainTinyNer(dir);
        assertThat(t.rc()).as(t.err()).isZero();
        Path dev = dir.resolve("dev.iob2");
        Path model = dir.resolve("ner.zip");
        assertThat(model).exists();
        assertThat(dir.resolve("ner.zip.ckpt")).exists();
        assertThat(t.err()).contains("epoch 1:");
        for (String decode : new String[] {"map", "sparsemap", "marginals"}) {
            Run e = run("evaluate", "--task", "ner", "--model", model.toString(), "--data", dev.toString(),
                    "--decode", decode);
            assertThat(e.rc()).as(e.err()).isZero();
            String[] lines = e.out().strip().split("\n");
            JsonNode json = InstanceSolver.MAPPER.readTree(lines[lines.length - 1]);
            assertThat(json.get("task").asText()).isEqualTo("ner");
            assertThat(json.get("decode").asText()).isEqualTo(decode);
            assertThat(json.at("/entities/overall/f1").asDouble()).as(decode).isGreaterThan(0.9);
            assertThat(json.at("/ambiguity/support/mean").asDouble()).isGreaterThanOrEqualTo(1.0);
            assertThat(e.out()).contains("PER").contains("LOC");
        }
    }

    @Test
    void nerTrainingCanStartFromAParsersEncoder(@TempDir Path dir) throws Exception {
        Path train = dir.resolve("train.iob2");
        Path dev = dir.resolve("dev.iob2");
        Files.writeString(train, iob2(120, 1), StandardCharsets.UTF_8);
        Files.writeString(dev, iob2(10, 2), StandardCharsets.UTF_8);
        Path parser = io.github.sparsestruct.models.testing.TinyModels.writeParser(dir.resolve("parser.zip"), 2, 1);
        Path model = dir.resolve("ner.zip");
        Run t = run("train", "--task", "ner", "--train", train.toString(), "--dev", dev.toString(), "--out",
                model.toString(), "--epochs", "8", "--patience", "0", "--batch-tokens", "100", "--learning-rate",
                "0.02", "--encoder-from", parser.toString(), "--no-progress");
        assertThat(t.rc()).as(t.err()).isZero();
        var ner = io.github.sparsestruct.models.BundledModels.ner(model);
        var source = io.github.sparsestruct.models.BundledModels.parser(parser);
        assertThat(ner.config().encoder().lstmHidden()).isEqualTo(source.config().encoder().lstmHidden());
        assertThat(ner.config().optimizer().learningRate()).isEqualTo(0.02);
        assertThat(ner.features().words().items()).isEqualTo(source.features().words().items());
        Run e = run("evaluate", "--task", "ner", "--model", model.toString(), "--data", dev.toString());
        assertThat(e.rc()).as(e.err()).isZero();
        String[] lines = e.out().strip().split("\n");
        assertThat(InstanceSolver.MAPPER.readTree(lines[lines.length - 1]).at("/entities/overall/f1").asDouble())
                .isGreaterThan(0.9);

        Run notAParser = run("train", "--task", "ner", "--train", train.toString(), "--out",
                dir.resolve("x.zip").toString(), "--encoder-from", model.toString(), "--no-progress");
        assertThat(notAParser.rc()).isNotZero();
        assertThat(notAParser.err()).contains("ner.zip").doesNotContain("Exception:");
        Run sized = run("train", "--task", "ner", "--train", train.toString(), "--out", dir.resolve("y.zip").toString(),
                "--encoder-from", parser.toString(), "--lstm-layers", "1");
        assertThat(sized.rc()).isEqualTo(2);
        assertThat(sized.err()).contains("--lstm-layers");
        Run wrongTask = run("train", "--task", "align", "--train", train.toString(), "--out",
                dir.resolve("z.zip").toString(), "--encoder-from", parser.toString());
        assertThat(wrongTask.rc()).isEqualTo(2);
        assertThat(wrongTask.err()).contains("--task ner only");
        assertThat(dir.resolve("y.zip")).doesNotExist();
    }

    @Test
    void vocabularyExpansionAddsTheVectorsWordsToAParsersEncoder(@TempDir Path dir) throws Exception {
        Path train = dir.resolve("train.iob2");
        Path dev = dir.resolve("dev.iob2");
        Files.writeString(train, iob2(120, 1), StandardCharsets.UTF_8);
        Files.writeString(dev, iob2(10, 2), StandardCharsets.UTF_8);
        Path parser = io.github.sparsestruct.models.testing.TinyModels.writeParser(dir.resolve("parser.zip"), 2, 1);
        var source = io.github.sparsestruct.models.BundledModels.parser(parser);
        StringBuilder vec = new StringBuilder();
        Random r = new Random(3);
        List<String> words = new ArrayList<>(source.features().words().items().subList(3,
                source.features().words().size()));
        words.addAll(List.of("lima", "cleo", "zanzibar"));
        for (String w : words) {
            vec.append(w).append(String.format(java.util.Locale.ROOT, " %.3f %.3f%n", r.nextGaussian(),
                    r.nextGaussian()));
        }
        Path vectors = dir.resolve("vectors.txt");
        Files.writeString(vectors, vec.toString(), StandardCharsets.UTF_8);
        Path model = dir.resolve("ner.zip");
        Run t = run("train", "--task", "ner", "--train", train.toString(), "--dev", dev.toString(), "--out",
                model.toString(), "--epochs", "8", "--patience", "0", "--batch-tokens", "100", "--learning-rate",
                "0.02", "--encoder-from", parser.toString(), "--word-vectors", vectors.toString(),
                "--expand-vocabulary", "2", "--no-progress");
        assertThat(t.rc()).as(t.err()).isZero();
        var ner = io.github.sparsestruct.models.BundledModels.ner(model);
        List<String> known = source.features().words().items();
        List<String> expanded = ner.features().words().items();
        assertThat(expanded.subList(0, known.size())).isEqualTo(known);
        assertThat(expanded.subList(known.size(), expanded.size()))
                .as("the first two vector words the parser does not know").hasSize(2)
                .allMatch(w -> !known.contains(w)).isSubsetOf("lima", "cleo", "zanzibar");
        assertThat(headerValue(dir, "expandVocabulary").asInt()).isEqualTo(2);
        Run e = run("evaluate", "--task", "ner", "--model", model.toString(), "--data", dev.toString());
        assertThat(e.rc()).as(e.err()).isZero();

        Run noParser = run("train", "--task", "ner", "--train", train.toString(), "--out",
                dir.resolve("x.zip").toString(), "--word-vectors", vectors.toString(), "--expand-vocabulary", "5");
        assertThat(noParser.rc()).isEqualTo(2);
        assertThat(noParser.err()).contains("--expand-vocabulary N needs").hasLineCount(1);
        Run noVectors = run("train", "--task", "ner", "--train", train.toString(), "--out",
                dir.resolve("x.zip").toString(), "--encoder-from", parser.toString(), "--expand-vocabulary", "5");
        assertThat(noVectors.rc()).isEqualTo(2);
        assertThat(noVectors.err()).contains("--encoder-from and --word-vectors").hasLineCount(1);
        assertThat(dir.resolve("x.zip")).doesNotExist();
    }

    /** A field of {@code dir}/ner.zip's header (the first one of that name, e.g. in the training record). */
    static com.fasterxml.jackson.databind.JsonNode headerValue(Path dir, String field) throws Exception {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(dir.resolve("ner.zip").toFile())) {
            String header = new String(zip.getInputStream(zip.getEntry("header.json")).readAllBytes(),
                    StandardCharsets.UTF_8);
            com.fasterxml.jackson.databind.JsonNode value = InstanceSolver.MAPPER.readTree(header).findValue(field);
            assertThat(value).as(field).isNotNull();
            return value;
        }
    }

    @Test
    void aLinearlyDecayingRateFitsTheDataAndIsRecordedInTheModel(@TempDir Path dir) throws Exception {
        Run t = trainTinyNer(dir, "--lr-schedule", "linear");
        assertThat(t.rc()).as(t.err()).isZero();
        assertThat(devF1(dir)).isGreaterThan(0.9);
        assertThat(headerValue(dir, "lrSchedule").asText()).isEqualTo("linear");
    }

    @Test
    void parameterAveragingFitsTheDataIsRecordedAndABadDecayGetsOneClearLine(@TempDir Path dir) throws Exception {
        Run t = trainTinyNer(dir, "--ema-decay", "0.9");
        assertThat(t.rc()).as(t.err()).isZero();
        assertThat(devF1(dir)).isGreaterThan(0.9);
        assertThat(headerValue(dir, "emaDecay").asDouble()).isEqualTo(0.9);
        Run bad = run("train", "--task", "ner", "--train", dir.resolve("train.iob2").toString(), "--out",
                dir.resolve("x.zip").toString(), "--ema-decay", "1");
        assertThat(bad.rc()).isEqualTo(2);
        assertThat(bad.err()).contains("--ema-decay must be in [0, 1)").hasLineCount(1);
        assertThat(dir.resolve("x.zip")).doesNotExist();
    }

    @Test
    void aHiddenTagLayerFitsTheDataIsStoredAndBadWidthsGetOneClearLine(@TempDir Path dir) throws Exception {
        Path gaz = dir.resolve("names.tsv");
        Files.writeString(gaz, "PER\tann\nLOC\tparis\n", StandardCharsets.UTF_8);
        Run t = trainTinyNer(dir, "--head-hidden", "6", "--gazetteer", gaz.toString());
        assertThat(t.rc()).as(t.err()).isZero();
        assertThat(devF1(dir)).isGreaterThan(0.9);
        io.github.sparsestruct.models.ner.NerModel m =
                io.github.sparsestruct.models.BundledModels.ner(dir.resolve("ner.zip"));
        assertThat(m.config().headHidden()).isEqualTo(6);
        assertThat(m.parameters().get("ner/hid/W").shape()[1]).isEqualTo(6L);

        Path train = dir.resolve("train.iob2");
        Run negative = run("train", "--task", "ner", "--train", train.toString(), "--out",
                dir.resolve("x.zip").toString(), "--head-hidden", "-2");
        assertThat(negative.rc()).isEqualTo(2);
        assertThat(negative.err()).contains("--head-hidden must be 0 (linear) or positive").hasLineCount(1);
        Run parser = run("train", "--task", "depparse", "--train", train.toString(), "--out",
                dir.resolve("y.zip").toString(), "--head-hidden", "4");
        assertThat(parser.rc()).isEqualTo(2);
        assertThat(parser.err()).contains("--head-hidden applies to --task ner only").hasLineCount(1);
        assertThat(dir.resolve("x.zip")).doesNotExist();
        assertThat(dir.resolve("y.zip")).doesNotExist();
    }

    @Test
    void trainingOnTwoThreadsFitsTheDataAndBadThreadCountsGetOneClearLine(@TempDir Path dir) throws Exception {
        Run t = trainTinyNer(dir, "--threads", "2");
        assertThat(t.rc()).as(t.err()).isZero();
        Path train = dir.resolve("train.iob2");
        assertThat(devF1(dir)).isGreaterThan(0.9);

        Run zero = run("train", "--task", "ner", "--train", train.toString(), "--out", dir.resolve("x.zip").toString(),
                "--threads", "0");
        assertThat(zero.rc()).isEqualTo(2);
        assertThat(zero.err()).contains("--threads must be at least 1");
        Run align = run("train", "--task", "align", "--train", train.toString(), "--out",
                dir.resolve("y.zip").toString(), "--threads", "2");
        assertThat(align.rc()).isEqualTo(2);
        assertThat(align.err()).contains("--threads applies to --task ner and depparse");
        assertThat(dir.resolve("x.zip")).doesNotExist();
        assertThat(dir.resolve("y.zip")).doesNotExist();
    }

    @Test
    void aGazetteerIsStoredInTheModelAndABadOneGetsOneClearLine(@TempDir Path dir) throws Exception {
        Path gaz = dir.resolve("names.tsv");
        Files.writeString(gaz, "# test list\nPER\tann\nPER\tbob\nLOC\tparis\nLOC\tnew york\n", StandardCharsets.UTF_8);
        Run t = trainTinyNer(dir, "--gazetteer", gaz.toString());
        assertThat(t.rc()).as(t.err()).isZero();
        io.github.sparsestruct.models.ner.NerModel m =
                io.github.sparsestruct.models.BundledModels.ner(dir.resolve("ner.zip"));
        assertThat(m.gazetteer().text()).isEqualTo(Files.readString(gaz, StandardCharsets.UTF_8));
        assertThat(m.gazetteer().types()).containsExactly("LOC", "PER");
        assertThat(devF1(dir)).isGreaterThan(0.9);

        Path bad = dir.resolve("bad.tsv");
        Files.writeString(bad, "PER\tann\nLOC paris\n", StandardCharsets.UTF_8);
        Run b = run("train", "--task", "ner", "--train", dir.resolve("train.iob2").toString(), "--out",
                dir.resolve("x.zip").toString(), "--gazetteer", bad.toString());
        assertThat(b.rc()).isNotZero();
        assertThat(b.err()).contains("bad.tsv").contains("line 2");
        Run missing = run("train", "--task", "ner", "--train", dir.resolve("train.iob2").toString(), "--out",
                dir.resolve("x.zip").toString(), "--gazetteer", dir.resolve("none.tsv").toString());
        assertThat(missing.rc()).isNotZero();
        assertThat(missing.err()).contains("none.tsv");
        Path empty = dir.resolve("empty.tsv");
        Files.writeString(empty, "# nothing listed\n", StandardCharsets.UTF_8);
        Run none = run("train", "--task", "ner", "--train", dir.resolve("train.iob2").toString(), "--out",
                dir.resolve("x.zip").toString(), "--gazetteer", empty.toString());
        assertThat(none.rc()).isEqualTo(2);
        assertThat(none.err()).contains("empty.tsv").contains("lists no phrase");
        Run parse = run("train", "--task", "depparse", "--train", dir.resolve("train.iob2").toString(), "--out",
                dir.resolve("y.zip").toString(), "--gazetteer", gaz.toString());
        assertThat(parse.rc()).isEqualTo(2);
        assertThat(parse.err()).contains("--gazetteer applies to --task ner only");
        assertThat(dir.resolve("x.zip")).doesNotExist();
        assertThat(dir.resolve("y.zip")).doesNotExist();
    }

    @Test
    void wordVectorsAreStoredInTheModelAndABadFileGetsOneClearLine(@TempDir Path dir) throws Exception {
        Path vec = dir.resolve("vectors.txt");
        Files.writeString(vec, "ann 1 0 0.5\nparis 0 1 -0.5\n. 0 0 1\n", StandardCharsets.UTF_8);
        Run t = trainTinyNer(dir, "--word-vectors", vec.toString(), "--head-hidden", "4");
        assertThat(t.rc()).as(t.err()).isZero();
        io.github.sparsestruct.models.ner.NerModel m =
                io.github.sparsestruct.models.BundledModels.ner(dir.resolve("ner.zip"));
        assertThat(m.vectors().size()).isEqualTo(3);
        assertThat(m.vectors().vector("Paris")).containsExactly(0f, 1f, -0.5f);
        assertThat(m.parameters().get("ner/hid/W").shape()[0]).as("encoder 32 + 3 x 3 + 1 vector features")
                .isEqualTo(32L + 10);
        assertThat(devF1(dir)).isGreaterThan(0.9);
        assertThat(headerValue(dir, "wordVectors").asText()).isEqualTo(vec.toString());

        Path train = dir.resolve("train.iob2");
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "ann 1 0\nparis 0 x\n", StandardCharsets.UTF_8);
        Run b = run("train", "--task", "ner", "--train", train.toString(), "--out", dir.resolve("x.zip").toString(),
                "--word-vectors", bad.toString());
        assertThat(b.rc()).isNotZero();
        assertThat(b.err()).contains("bad.txt:2").contains("'x' is not a number").hasLineCount(1);
        Run missing = run("train", "--task", "ner", "--train", train.toString(), "--out",
                dir.resolve("x.zip").toString(), "--word-vectors", dir.resolve("none.txt").toString());
        assertThat(missing.rc()).isNotZero();
        assertThat(missing.err()).contains("none.txt").hasLineCount(1);
        Run parse = run("train", "--task", "depparse", "--train", train.toString(), "--out",
                dir.resolve("y.zip").toString(), "--word-vectors", vec.toString());
        assertThat(parse.rc()).isEqualTo(2);
        assertThat(parse.err()).contains("--word-vectors applies to --task ner only").hasLineCount(1);
        assertThat(dir.resolve("x.zip")).doesNotExist();
        assertThat(dir.resolve("y.zip")).doesNotExist();
    }

    /** MultiMWA-style pairs: near-copies with one word dropped and one inserted. */
    static String alignTsv(int n, long seed) {
        Random rnd = new Random(seed);
        String[] vocab = {"the", "cat", "dog", "sat", "ran", "on", "a", "mat", "."};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int len = 4 + rnd.nextInt(4);
            List<String> src = new ArrayList<>();
            for (int k = 0; k < len; k++) {
                src.add(vocab[rnd.nextInt(vocab.length)]);
            }
            int drop = rnd.nextInt(len);
            List<String> tgt = new ArrayList<>();
            StringBuilder links = new StringBuilder();
            tgt.add("well");
            for (int k = 0; k < len; k++) {
                if (k != drop) {
                    links.append(links.length() == 0 ? "" : " ").append(k).append('-').append(tgt.size());
                    tgt.add(src.get(k));
                }
            }
            b.append(i).append(':').append(i).append('\t').append(String.join(" ", src)).append("\tN/A\t")
                    .append(String.join(" ", tgt)).append("\tN/A\t1\t1\t").append(links).append("\t\t");
            if (i + 1 < n) {
                b.append('\n');
            }
        }
        return b.toString();
    }

    @Test
    void alignTrainAndEvaluateReportLinkScoresAsJson(@TempDir Path dir) throws Exception {
        Path train = dir.resolve("train.tsv");
        Path dev = dir.resolve("dev.tsv");
        Files.writeString(train, alignTsv(60, 1), StandardCharsets.UTF_8);
        Files.writeString(dev, alignTsv(8, 2), StandardCharsets.UTF_8);
        Path model = dir.resolve("align.zip");
        Run t = run("train", "--task", "align", "--train", train.toString(), "--dev", dev.toString(), "--out",
                model.toString(), "--epochs", "3", "--lstm-hidden", "8", "--decoder", "both", "--no-progress");
        assertThat(t.rc()).as(t.err()).isZero();
        assertThat(model).exists();
        for (String decoder : new String[] {"matching", "sequential"}) {
            for (String decode : new String[] {"map", "sparsemap", "marginals"}) {
                Run e = run("evaluate", "--task", "align", "--model", model.toString(), "--data", dev.toString(),
                        "--decoder", decoder, "--decode", decode);
                assertThat(e.rc()).as(e.err()).isZero();
                String[] lines = e.out().strip().split("\n");
                JsonNode json = InstanceSolver.MAPPER.readTree(lines[lines.length - 1]);
                assertThat(json.get("task").asText()).isEqualTo("align");
                assertThat(json.get("decoder").asText()).isEqualTo(decoder);
                assertThat(json.at("/alignment/links/gold").asInt()).isPositive();
                assertThat(e.out()).contains("sure links");
                if (!decode.equals("marginals")) {
                    assertThat(json.at("/alignment/links/f1").asDouble()).as(decoder + " " + decode)
                            .isGreaterThan(0.8);
                }
            }
        }
        Run bad = run("train", "--task", "align", "--train", train.toString(), "--out", model.toString(),
                "--loss", "dp_l2", "--decoder", "matching");
        assertThat(bad.rc()).isEqualTo(1);
        assertThat(bad.err()).contains("sequential");
    }

    /** Writes an ALIBI story folder FR_EN of n copied sentences (even positions sure, odd ones possible); sure links. */
    static int alibiStory(Path root, String fr, String en, int n, long seed) throws java.io.IOException {
        Random rnd = new Random(seed);
        String[] vocab = {"le", "chat", "dort", "sur", "un", "tapis", ".", "et", "rêve"};
        StringBuilder a = new StringBuilder();
        StringBuilder ali = new StringBuilder();
        int sure = 0;
        for (int i = 0; i < n; i++) {
            int len = 3 + rnd.nextInt(4);
            List<String> words = new ArrayList<>();
            StringBuilder links = new StringBuilder();
            for (int k = 0; k < len; k++) {
                words.add(vocab[rnd.nextInt(vocab.length)]);
                links.append(k).append(k % 2 == 0 ? '-' : 'p').append(k).append(' ');
                sure += k % 2 == 0 ? 1 : 0;
            }
            a.append(i).append('\t').append(String.join(" ", words)).append('\n');
            ali.append(i).append('\t').append(links).append('\n');
        }
        Path dir = Files.createDirectories(root.resolve(fr + "_" + en));
        Files.writeString(dir.resolve(fr + "_sents.txt"), a, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(en + "_sents.txt"), a, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("ali_w2w_" + fr + "_" + en + ".txt"), ali, StandardCharsets.UTF_8);
        return sure;
    }

    @Test
    void alignTrainsAndEvaluatesOnAlibiStoryFoldersWithAer(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("alibi");
        alibiStory(data, "Un", "One", 40, 1);
        int devSure = alibiStory(data, "Deux", "Two", 10, 2);
        Path model = dir.resolve("align.zip");
        Run t = run("train", "--task", "align", "--train", data.toString(), "--dev", data.resolve("Deux_Two")
                .toString(), "--out", model.toString(), "--epochs", "2", "--lstm-hidden", "8", "--possible-links",
                "--no-progress");
        assertThat(t.rc()).as(t.err()).isZero();
        assertThat(t.err()).contains("leaving the dev story Deux_Two out of training (10 of 50 pairs)");
        Run e = run("evaluate", "--task", "align", "--model", model.toString(), "--data", data.resolve("Deux_Two")
                .toString());
        assertThat(e.rc()).as(e.err()).isZero();
        String[] lines = e.out().strip().split("\n");
        JsonNode json = InstanceSolver.MAPPER.readTree(lines[lines.length - 1]);
        assertThat(json.at("/aer/sure").asInt()).isEqualTo(devSure);
        assertThat(json.at("/aer/aer").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.at("/aer/sureLinks/gold").asInt()).isEqualTo(devSure);
        assertThat(json.has("argmaxBaseline")).as("no pretrained encoder, no ArgMax baseline").isFalse();
        assertThat(e.out()).contains("AER");
        Run all = run("evaluate", "--task", "align", "--model", model.toString(), "--data", data.toString());
        assertThat(all.rc()).as(all.err()).isZero();
        assertThat(all.out()).contains("\"pairs\":50");

        Files.writeString(data.resolve("Deux_Two/Two_sents.txt"), "0\tle chat\n");
        Run truncated = run("evaluate", "--task", "align", "--model", model.toString(), "--data",
                data.resolve("Deux_Two").toString());
        assertThat(truncated.rc()).isEqualTo(1);
        assertThat(truncated.err()).contains("Deux_Two").contains("10 French segments, 1 English segments");
    }

    @Test
    void missingOrCorruptModelsAndUnknownValuesGiveOneClearLine(@TempDir Path dir) throws Exception {
        Path dev = dir.resolve("dev.iob2");
        Files.writeString(dev, iob2(3, 3), StandardCharsets.UTF_8);
        Run missing = run("evaluate", "--task", "ner", "--model", dir.resolve("nope.zip").toString(), "--data",
                dev.toString());
        assertThat(missing.rc()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.zip").contains("does not exist");
        Path corrupt = dir.resolve("corrupt.zip");
        Files.write(corrupt, new byte[] {'P', 'K', 3, 4, 0, 0});
        Run bad = run("evaluate", "--task", "ner", "--model", corrupt.toString(), "--data", dev.toString());
        assertThat(bad.rc()).isEqualTo(1);
        assertThat(bad.err()).contains("corrupt.zip");
        Run decode = run("evaluate", "--task", "ner", "--model", corrupt.toString(), "--data", dev.toString(),
                "--decode", "beam");
        assertThat(decode.rc()).isEqualTo(1);
        assertThat(decode.err()).contains("beam").contains("allowed").contains("sparsemap");
        Run schedule = run("train", "--task", "ner", "--train", dev.toString(), "--out", dir.resolve("m").toString(),
                "--lr-schedule", "cosine");
        assertThat(schedule.rc()).isNotZero();
        assertThat(schedule.err()).contains("cosine").contains("allowed: constant, linear");
        assertThat(dir.resolve("m")).doesNotExist();
        Run task = run("train", "--task", "pos", "--train", dev.toString(), "--out", dir.resolve("m").toString());
        assertThat(task.rc()).isEqualTo(2);
        assertThat(task.err()).contains("expected ner, depparse or align");
    }
}
