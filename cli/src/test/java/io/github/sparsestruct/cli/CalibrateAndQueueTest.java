package io.github.sparsestruct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.format.ParameterFiles;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.ner.NerModelCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} fits the calibration on dev and stores it; {@code calibrate} refits a model file; {@code annotate
 * --rank-by uncertainty} writes the queue, most uncertain first, and the JSON carries the uncertainty.
 */
class CalibrateAndQueueTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void trainStoresACalibrationAndCalibrateRefitsIt(@TempDir Path dir) throws Exception {
        TrainEvaluateCommandTest.Run t = TrainEvaluateCommandTest.trainTinyNer(dir);
        assertThat(t.rc()).as(t.err()).isZero();
        assertThat(t.err()).contains("train: calibrated marginals").contains("train: calibrated sparsemap");
        NerModel trained = NerModelCodec.load(ParameterFiles.load(dir.resolve("ner.zip"), "ner"));
        assertThat(trained.calibration().temperatures()).containsKeys(Decoding.MARGINALS, Decoding.SPARSEMAP,
                Decoding.DP_L2);
        JsonNode about = JSON.readTree(ParameterFiles.load(dir.resolve("ner.zip"), "ner")
                .getMetadata(ParameterFiles.ABOUT));
        assertThat(about.at("/calibration/decodings/sparsemap/temperature").asDouble())
                .isEqualTo(trained.calibration().temperature(Decoding.SPARSEMAP));

        // refit on other gold data, into another file; the first is left as it was
        Files.writeString(dir.resolve("dev2.iob2"), TrainEvaluateCommandTest.iob2(40, 9), StandardCharsets.UTF_8);
        TrainEvaluateCommandTest.Run c = TrainEvaluateCommandTest.run("calibrate", "--task", "ner", "--model",
                dir.resolve("ner.zip").toString(), "--dev", dir.resolve("dev2.iob2").toString(), "--out",
                dir.resolve("ner2.zip").toString(), "--coverage", "0.5,1,2");
        assertThat(c.rc()).as(c.err()).isZero();
        String[] lines = c.out().strip().split("\n");
        JsonNode report = JSON.readTree(lines[lines.length - 1]);
        assertThat(report.get("fits")).hasSize(3);
        assertThat(report.get("coverage")).hasSize(3);
        assertThat(c.out()).contains("k-best support");
        NerModel refit = NerModelCodec.load(ParameterFiles.load(dir.resolve("ner2.zip"), "ner"));
        for (JsonNode f : report.get("fits")) {
            Decoding d = Decoding.byId(f.get("decode").asText()).orElseThrow();
            assertThat(refit.calibration().temperature(d)).isEqualTo(f.get("temperature").asDouble());
            assertThat(f.at("/calibrated/brier").asDouble()).isLessThanOrEqualTo(f.at("/uncalibrated/brier")
                    .asDouble());
        }
        NerModel untouched = NerModelCodec.load(ParameterFiles.load(dir.resolve("ner.zip"), "ner"));
        assertThat(untouched.calibration()).isEqualTo(trained.calibration());
    }

    @Test
    void evaluateWritesAReportWithReliabilityDiagrams(@TempDir Path dir) throws Exception {
        String conllu = """
                1	I	I	PRON	PRP	_	2	nsubj	_	_
                2	saw	see	VERB	VBD	_	0	root	_	_
                3	the	the	DET	DT	_	4	det	_	_
                4	man	man	NOUN	NN	_	2	obj	_	_
                5	with	with	ADP	IN	_	7	case	_	_
                6	the	the	DET	DT	_	7	det	_	_
                7	telescope	telescope	NOUN	NN	_	2	obl	_	_
                8	.	.	PUNCT	.	_	2	punct	_	_

                1	The	the	DET	DT	_	2	det	_	_
                2	cat	cat	NOUN	NN	_	3	nsubj	_	_
                3	sat	sit	VERB	VBD	_	0	root	_	_
                4	.	.	PUNCT	.	_	3	punct	_	_

                """;
        Files.writeString(dir.resolve("dev.conllu"), conllu, StandardCharsets.UTF_8);
        Path report = dir.resolve("report");
        TrainEvaluateCommandTest.Run r = TrainEvaluateCommandTest.run("evaluate", "--task", "depparse", "--data",
                dir.resolve("dev.conllu").toString(), "--decode", "sparsemap", "--report", report.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        String html = Files.readString(report.resolve("report.html"));
        assertThat(html).contains("<svg").contains("arc weights (sparsemap)")
                .contains("best structure probability (sparsemap)").contains("class=\"diagonal\"");
        JsonNode json = JSON.readTree(Files.readString(report.resolve("report.json")));
        JsonNode parts = json.at("/reliability/parts");
        long total = 0;
        for (JsonNode b : parts.get("bins")) {
            total += b.get("count").asLong();
        }
        // every arc of weight >= 0.01 is binned: at least one per word
        assertThat(total).isEqualTo(parts.get("predictions").asLong()).isGreaterThanOrEqualTo(12);
        assertThat(parts.get("ece").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.at("/reliability/structures/predictions").asLong()).isEqualTo(2);
        // the rest of the JSON is evaluate's own
        assertThat(json.at("/attachment/sentences").asInt()).isEqualTo(2);
    }

    @Test
    void trainDistilsFromATeacherOnTaggedSentencesAndExtraText(@TempDir Path dir) throws Exception {
        TrainEvaluateCommandTest.Run t = TrainEvaluateCommandTest.trainTinyNer(dir);
        assertThat(t.rc()).as(t.err()).isZero();
        Path teacher = dir.resolve("teacher.zip");
        Files.move(dir.resolve("ner.zip"), teacher);
        // CoNLL-2003 style text (first column read, labels ignored), as the extra English corpora are
        Files.writeString(dir.resolve("extra.conll"), "-DOCSTART- O\n\nwe O\nmet O\nCleo I-PER\n\nin O\nLima B-LOC\n",
                StandardCharsets.UTF_8);
        assertThat(TeacherTargets.forms(dir.resolve("extra.conll"))).hasSize(2);
        assertThat(TeacherTargets.forms(dir.resolve("extra.conll")).get(0)).containsExactly("we", "met", "Cleo");
        TrainEvaluateCommandTest.Run s = TrainEvaluateCommandTest.trainTinyNer(dir, "--teacher", teacher.toString(),
                "--teacher-weight", "0.3", "--teacher-text", dir.resolve("extra.conll").toString());
        assertThat(s.rc()).as(s.err()).isZero();
        assertThat(s.err()).contains("distilling from").contains("200 tagged sentences and 2 of teacher text");
        assertThat(dir.resolve("ner.zip.teacher")).exists();
        assertThat(TrainEvaluateCommandTest.devF1(dir)).isGreaterThan(0.5);
        TrainEvaluateCommandTest.Run bad = TrainEvaluateCommandTest.trainTinyNer(dir, "--teacher", teacher.toString(),
                "--teacher-weight", "2");
        assertThat(bad.rc()).isNotZero();
        assertThat(bad.err()).contains("[0, 1]");
    }

    @Test
    void aParserGoesOnFromAModelAndDistilsFromATeacher(@TempDir Path dir) throws Exception {
        StringBuilder b = new StringBuilder();
        String[][] nouns = {{"cat", "mat"}, {"dog", "rug"}, {"man", "bed"}};
        for (int i = 0; i < 12; i++) {
            String[] w = nouns[i % 3];
            b.append("1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n2\t").append(w[0]).append("\t_\tNOUN\tNN\t_\t3\t"
                    + "nsubj\t_\t_\n3\tsat\tsit\tVERB\tVBD\t_\t0\troot\t_\t_\n4\ton\ton\tADP\tIN\t_\t6\tcase\t_\t_\n"
                    + "5\tthe\tthe\tDET\tDT\t_\t6\tdet\t_\t_\n6\t").append(w[1]).append("\t_\tNOUN\tNN\t_\t3\tobl\t_\t_\n"
                    + "7\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n");
        }
        Path train = dir.resolve("train.conllu");
        Files.writeString(train, b.toString(), StandardCharsets.UTF_8);
        TrainEvaluateCommandTest.Run first = TrainEvaluateCommandTest.run("train", "--task", "depparse", "--train",
                train.toString(), "--dev", train.toString(), "--out", dir.resolve("p.zip").toString(), "--epochs", "3",
                "--lstm-hidden", "8", "--lstm-layers", "1", "--no-progress");
        assertThat(first.rc()).as(first.err()).isZero();
        TrainEvaluateCommandTest.Run next = TrainEvaluateCommandTest.run("train", "--task", "depparse", "--train",
                train.toString(), "--dev", train.toString(), "--out", dir.resolve("q.zip").toString(), "--epochs", "2",
                "--init-from", dir.resolve("p.zip").toString(), "--teacher", dir.resolve("p.zip").toString(),
                "--teacher-weight", "0.4", "--learning-rate", "0.0005", "--no-progress");
        assertThat(next.rc()).as(next.err()).isZero();
        assertThat(next.err()).contains("going on from").contains("learningRate=5.0E-4")
                .contains("distilling from")
                .contains("(gold weight 0.40): 12 treebank sentences and 0 of teacher text");
        assertThat(dir.resolve("q.zip.teacher")).exists();
        // the student kept the first model's sizes
        assertThat(io.github.sparsestruct.models.BundledModels.parser(dir.resolve("q.zip")).config().encoder()
                .lstmHidden()).isEqualTo(8);
        TrainEvaluateCommandTest.Run sizes = TrainEvaluateCommandTest.run("train", "--task", "depparse", "--train",
                train.toString(), "--out", dir.resolve("r.zip").toString(), "--init-from",
                dir.resolve("p.zip").toString(), "--lstm-hidden", "16");
        assertThat(sizes.rc()).isEqualTo(2);
        assertThat(sizes.err()).contains("--init-from takes the model's encoder").hasLineCount(1);
        // teacher text: the teacher's silver trees of two plain-text sentences join the twelve treebank sentences
        Path txt = dir.resolve("extra.txt");
        java.nio.file.Files.writeString(txt, "We met Cleo in Paris. She left early.");
        TrainEvaluateCommandTest.Run silver = TrainEvaluateCommandTest.run("train", "--task", "depparse", "--train",
                train.toString(), "--out", dir.resolve("s.zip").toString(), "--epochs", "1", "--init-from",
                dir.resolve("p.zip").toString(), "--teacher", dir.resolve("p.zip").toString(), "--teacher-text",
                txt.toString(), "--no-progress");
        assertThat(silver.rc()).as(silver.err()).isZero();
        assertThat(silver.err()).contains("12 treebank sentences and 2 of teacher text");
        assertThat(dir.resolve("s.zip.teacher.text")).exists();
        TrainEvaluateCommandTest.Run text = TrainEvaluateCommandTest.run("train", "--task", "depparse", "--train",
                train.toString(), "--out", dir.resolve("r.zip").toString(), "--teacher-text", train.toString());
        assertThat(text.rc()).isEqualTo(2);
        assertThat(text.err()).contains("--teacher-text needs --teacher").hasLineCount(1);
        TrainEvaluateCommandTest.Run missing = TrainEvaluateCommandTest.run("train", "--task", "depparse", "--train",
                train.toString(), "--out", dir.resolve("r.zip").toString(), "--teacher", dir.resolve("p.zip")
                        .toString(), "--teacher-text", dir.resolve("nowhere.txt").toString());
        assertThat(missing.rc()).isEqualTo(2);
        assertThat(missing.err()).contains("--teacher-text").contains("nowhere.txt does not exist").hasLineCount(1);
        TrainEvaluateCommandTest.Run align = TrainEvaluateCommandTest.run("train", "--task", "align", "--train",
                train.toString(), "--out", dir.resolve("r.zip").toString(), "--init-from", dir.resolve("p.zip")
                        .toString());
        assertThat(align.rc()).isEqualTo(2);
        assertThat(align.err()).contains("--init-from applies to --task ner and depparse").hasLineCount(1);
        assertThat(dir.resolve("r.zip")).doesNotExist();
    }

    @Test
    void aNerModelGoesOnFromAModel(@TempDir Path dir) throws Exception {
        TrainEvaluateCommandTest.Run first = TrainEvaluateCommandTest.trainTinyNer(dir);
        assertThat(first.rc()).as(first.err()).isZero();
        double before = TrainEvaluateCommandTest.devF1(dir);
        Path source = dir.resolve("first.zip");
        Files.move(dir.resolve("ner.zip"), source);
        Files.delete(dir.resolve("ner.zip.ckpt"));
        TrainEvaluateCommandTest.Run next = TrainEvaluateCommandTest.run("train", "--task", "ner", "--train",
                dir.resolve("train.iob2").toString(), "--dev", dir.resolve("dev.iob2").toString(), "--out",
                dir.resolve("ner.zip").toString(), "--epochs", "2", "--patience", "0", "--batch-tokens", "100",
                "--init-from", source.toString(), "--learning-rate", "0.0003", "--no-progress");
        assertThat(next.rc()).as(next.err()).isZero();
        assertThat(next.err()).contains("going on from").contains("learningRate=3.0E-4");
        var a = io.github.sparsestruct.models.BundledModels.ner(source);
        var b = io.github.sparsestruct.models.BundledModels.ner(dir.resolve("ner.zip"));
        assertThat(b.config().encoder().lstmHidden()).isEqualTo(16);
        assertThat(b.tags()).isEqualTo(a.tags());
        assertThat(b.features().words().items()).isEqualTo(a.features().words().items());
        // two epochs at a small learning rate from a model that already tags the tiny data keep it tagging
        assertThat(TrainEvaluateCommandTest.devF1(dir)).isGreaterThanOrEqualTo(before - 0.05);
        TrainEvaluateCommandTest.Run gaz = TrainEvaluateCommandTest.run("train", "--task", "ner", "--train",
                dir.resolve("train.iob2").toString(), "--out", dir.resolve("r.zip").toString(), "--init-from",
                source.toString(), "--head-hidden", "8");
        assertThat(gaz.rc()).isEqualTo(2);
        assertThat(gaz.err()).contains("drop --encoder-from / --gazetteer / --word-vectors / --head-hidden")
                .hasLineCount(1);
        TrainEvaluateCommandTest.Run parser = TrainEvaluateCommandTest.run("train", "--task", "depparse", "--train",
                dir.resolve("train.iob2").toString(), "--out", dir.resolve("r.zip").toString(), "--init-from",
                source.toString());
        assertThat(parser.rc()).isNotZero();
        assertThat(dir.resolve("r.zip")).doesNotExist();
    }

    @Test
    void teacherTextReadsPlainTextAndFolders(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("text"));
        Files.writeString(folder.resolve("b.txt"), "Madam Speaker, the state of our Union is strong. We met in "
                + "Lima.\n\nThank you.", StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("a.conll"), "we O\nmet O\n", StandardCharsets.UTF_8);
        List<String[]> txt = TeacherTargets.forms(folder.resolve("b.txt"));
        assertThat(txt).hasSize(3);
        assertThat(txt.get(0)).containsExactly("Madam", "Speaker", ",", "the", "state", "of", "our", "Union", "is",
                "strong", ".");
        assertThat(txt.get(1)).containsExactly("We", "met", "in", "Lima", ".");
        assertThat(txt.get(2)).containsExactly("Thank", "you", ".");
        // a folder: its files by name (a.conll, then b.txt)
        List<String[]> all = TeacherTargets.forms(folder);
        assertThat(all).hasSize(4);
        assertThat(all.get(0)).containsExactly("we", "met");
        assertThat(all.get(3)).containsExactly("Thank", "you", ".");
        assertThat(TeacherTargets.plainText("  \n ")).isEmpty();
    }

    @Test
    void aColumnFileNamedTxtIsReadAsColumnsNotAsProse(@TempDir Path dir) throws Exception {
        // wikigold ships as wikigold.conll.txt: its tags must not become words of the teacher text
        Path wg = dir.resolve("wikigold.conll.txt");
        Files.writeString(wg, "-DOCSTART- O\n\n010 I-MISC\nis O\nthe O\nalbum O\n\nMorse I-PER\nwrote O\n",
                StandardCharsets.UTF_8);
        List<String[]> cols = TeacherTargets.forms(wg);
        assertThat(cols).hasSize(2);
        assertThat(cols.get(0)).containsExactly("010", "is", "the", "album");
        assertThat(cols.get(1)).containsExactly("Morse", "wrote");
        assertThat(TeacherTargets.looksLikeColumns("We met O'Neil.\nThen we left O\n")).isFalse();
        assertThat(TeacherTargets.looksLikeColumns("Paris B-LOC\n\nis O\n")).isTrue();
        assertThat(TeacherTargets.looksLikeColumns("\n\n")).isFalse();
        // prose whose lines happen to end in a capital O stays prose unless every line does
        assertThat(TeacherTargets.forms(Files.writeString(dir.resolve("p.txt"), "Say O\nand then we met Lima.\n",
                StandardCharsets.UTF_8))).hasSize(1);
    }

    @Test
    void calibrateNeedsAnOutputForTheBundledModelAndAKnownTask(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("dev.iob2"), TrainEvaluateCommandTest.iob2(5, 1), StandardCharsets.UTF_8);
        TrainEvaluateCommandTest.Run a = TrainEvaluateCommandTest.run("calibrate", "--task", "ner", "--dev",
                dir.resolve("dev.iob2").toString());
        assertThat(a.rc()).isEqualTo(2);
        assertThat(a.err()).contains("--out");
        TrainEvaluateCommandTest.Run b = TrainEvaluateCommandTest.run("calibrate", "--task", "pos", "--dev",
                dir.resolve("dev.iob2").toString(), "--out", dir.resolve("x.zip").toString());
        assertThat(b.rc()).isEqualTo(2);
        assertThat(b.err()).contains("unknown task 'pos'");
        // a model without a pretrained encoder has no precision to set; nothing is written
        TrainEvaluateCommandTest.Run c = TrainEvaluateCommandTest.run("calibrate", "--task", "ner", "--dev",
                dir.resolve("dev.iob2").toString(), "--out", dir.resolve("x.zip").toString(),
                "--pretrained-precision", "int8");
        assertThat(c.rc()).isEqualTo(2);
        assertThat(c.err()).contains("--pretrained-precision").contains("no pretrained encoder").hasLineCount(1);
        assertThat(dir.resolve("x.zip")).doesNotExist();
    }

    @Test
    void rankByUncertaintyWritesTheQueueMostUncertainFirst(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("a.txt"), "I saw the man with the telescope. The cat sat.\n");
        Files.writeString(in.resolve("b.txt"), "Jordan met Washington in Georgia on Friday.\n");
        Path out = dir.resolve("out");
        TrainEvaluateCommandTest.Run r = TrainEvaluateCommandTest.run("annotate", in.toString(), "-o",
                out.toString(), "--format", "json", "--rank-by", "uncertainty", "--no-progress");
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).contains("most uncertain sentences");
        List<String> lines = Files.readAllLines(out.resolve(UncertaintyQueue.FILE));
        assertThat(lines).hasSize(3);
        double last = Double.POSITIVE_INFINITY;
        for (String l : lines) {
            JsonNode q = JSON.readTree(l);
            double score = q.get("score").asDouble();
            assertThat(score).isBetween(0.0, 1.0).isLessThanOrEqualTo(last);
            last = score;
            // the score is P(some task's best analysis is wrong) from the per-task figures in meta
            double ner = q.at("/meta/ner/bestWrong").asDouble();
            double dep = q.at("/meta/depparse/bestWrong").asDouble();
            assertThat(score).isCloseTo(1 - (1 - ner) * (1 - dep), org.assertj.core.api.Assertions.within(1e-12));
            // Prodigy / doccano shape: text, tokens with offsets into text, spans, label, relations
            String text = q.get("text").asText();
            for (JsonNode t : q.get("tokens")) {
                assertThat(text.substring(t.get("start").asInt(), t.get("end").asInt())).isEqualTo(t.get("text")
                        .asText());
            }
            for (JsonNode s : q.get("spans")) {
                assertThat(s.get("token_end").asInt()).isGreaterThanOrEqualTo(s.get("token_start").asInt());
            }
            assertThat(q.get("label")).hasSize(q.get("spans").size());
            assertThat(q.get("relations").size()).isEqualTo(q.get("tokens").size() - 1);
        }
        // the same figures in the alternatives JSON, per sentence and per document
        JsonNode doc = JSON.readTree(Files.readString(out.resolve("a.json")));
        JsonNode s0 = doc.at("/sentences/0/depparse/uncertainty");
        assertThat(s0.get("support").asInt()).isEqualTo(doc.at("/sentences/0/depparse/trees").size() < 5
                ? doc.at("/sentences/0/depparse/trees").size() : s0.get("support").asInt());
        double p0 = doc.at("/sentences/0/depparse/uncertainty/bestWrong").asDouble();
        double p1 = doc.at("/sentences/1/depparse/uncertainty/bestWrong").asDouble();
        assertThat(doc.at("/uncertainty/depparse/bestWrong").asDouble())
                .isCloseTo(1 - (1 - p0) * (1 - p1), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(doc.at("/uncertainty/depparse/expectedWrongParts").asDouble()).isCloseTo(
                doc.at("/sentences/0/depparse/uncertainty/expectedWrongParts").asDouble()
                        + doc.at("/sentences/1/depparse/uncertainty/expectedWrongParts").asDouble(),
                org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void unknownRankingKeysAreRefused(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("a.txt"), "Hello.\n");
        TrainEvaluateCommandTest.Run r = TrainEvaluateCommandTest.run("annotate", in.toString(), "-o",
                dir.resolve("o").toString(), "--rank-by", "length", "--no-progress");
        assertThat(r.rc()).isNotZero();
        assertThat(r.err()).contains("unknown --rank-by 'length'");
    }
}
