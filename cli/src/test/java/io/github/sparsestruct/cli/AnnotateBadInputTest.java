package io.github.sparsestruct.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparsestruct.models.testing.TinyModels;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code annotate} does with careless and hostile input: each case of issue 21 the CLI owns, reproduced. */
class AnnotateBadInputTest {
    @TempDir
    static Path dir;
    private static Path ner;
    private static Path parser;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void models() throws Exception {
        ner = TinyModels.writeNer(dir.resolve("ner.zip"), 2, 1);
        parser = TinyModels.writeParser(dir.resolve("parser.zip"), 2, 1);
    }

    private static TrainEvaluateCommandTest.Run annotate(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("annotate", "--ner-model", ner.toString(), "--parser-model",
                parser.toString(), "-o", out.toString(), "--no-progress"));
        args.addAll(List.of(more));
        return TrainEvaluateCommandTest.run(args.toArray(new String[0]));
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    private static String words(int n) {
        StringBuilder b = new StringBuilder();
        String[] w = {"Alice", "saw", "the", "man", "in", "Rome", "with", "a", "telescope", "and"};
        for (int i = 0; i < n; i++) {
            b.append(w[i % w.length]).append(' ');
        }
        return b.append('.').toString();
    }

    @Test
    void aVeryLongSentenceIsAnnotatedInChunksWithOneArcPerWordAndTheOtherDocumentsToo() throws Exception {
        Path in = Files.createDirectories(dir.resolve("long"));
        Files.writeString(in.resolve("long.txt"), words(3000));
        Files.writeString(in.resolve("small.txt"), "Bob met Carol in Paris.");
        Path out = dir.resolve("long-out");
        TrainEvaluateCommandTest.Run r = annotate(out, "--format", "json", "--max-sentence-length", "100",
                in.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(files(out)).containsExactly("long.json", "small.json");
        JsonNode s = JSON.readTree(out.resolve("long.json").toFile()).get("sentences").get(0);
        assertThat(s.get("tokens")).hasSize(3001);
        JsonNode dep = s.get("depparse");
        assertThat(dep.get("decode").asText()).isEqualTo("map");
        assertThat(dep.get("trees")).hasSize(1);
        assertThat(dep.get("trees").get(0).get("weight").asDouble()).isEqualTo(1.0);
        JsonNode heads = dep.get("trees").get(0).get("heads");
        assertThat(heads).hasSize(3001);
        // one root per chunk of 100 words, every head inside the word's own chunk
        int roots = 0;
        for (int m = 1; m <= 3001; m++) {
            int h = heads.get(m - 1).asInt();
            if (h == 0) {
                roots++;
            } else {
                assertThat((h - 1) / 100).as("head of word %d", m).isEqualTo((m - 1) / 100);
            }
        }
        assertThat(roots).isEqualTo(31);
        // the arcs are those of the one tree, each of weight 1: no (n+1)x(n+1) matrix behind them
        assertThat(dep.get("arcs")).hasSize(3001);
        for (JsonNode a : dep.get("arcs")) {
            assertThat(a.get("weight").asDouble()).isEqualTo(1.0);
            assertThat(a.get("head").asInt()).isEqualTo(heads.get(a.get("dependent").asInt() - 1).asInt());
        }
    }

    @Test
    void aDocumentOverTheSizeLimitFailsByNameBeforeItIsReadAndTheOthersAreAnnotated() throws Exception {
        Path in = Files.createDirectories(dir.resolve("size"));
        Files.writeString(in.resolve("big.txt"), words(2000));
        Files.writeString(in.resolve("ok.txt"), "Bob met Carol in Paris.");
        Path out = dir.resolve("size-out");
        TrainEvaluateCommandTest.Run r = annotate(out, "--format", "json", "--max-document-size", "4k",
                in.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("1 input could not be annotated").contains("big.txt")
                .contains("over the limit of 4096").contains("--max-document-size");
        assertThat(files(out)).containsExactly("ok.json");
        // a text file over 2 GB (sparse: no disk used) with the default limit: named, not read, the run goes on
        Path huge = in.resolve("huge.txt");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        Files.delete(in.resolve("big.txt"));
        Path out2 = dir.resolve("size-out2");
        TrainEvaluateCommandTest.Run r2 = annotate(out2, "--format", "json", in.toString());
        Files.delete(huge);
        assertThat(r2.rc()).isEqualTo(1);
        assertThat(r2.err()).contains(huge + ": 3221225472 bytes, over the limit of 1048576 (--max-document-size");
        assertThat(files(out2)).containsExactly("ok.json");
        assertThat(annotate(out, "--max-document-size", "lots", in.toString()).err())
                .contains("not a size in bytes");
    }

    @Test
    void twoInputsNeverShareAnOutput() throws Exception {
        Path d1 = Files.createDirectories(dir.resolve("clash/d1"));
        Path d2 = Files.createDirectories(dir.resolve("clash/d2"));
        Path f = Files.createDirectories(dir.resolve("clash/f"));
        Files.writeString(d1.resolve("a.txt"), "Alice visited Rome.");
        Files.writeString(d2.resolve("a.txt"), "Bob visited Paris.");
        Files.writeString(f.resolve("x.txt"), "Carol visited Lyon.");
        Files.writeString(f.resolve("x.conllu"), "1\tDan\t_\t_\t_\t_\t0\troot\t_\t_\n2\truns\t_\t_\t_\t_\t1\tdep\t_\t_"
                + "\n\n");
        Path first = dir.resolve("clash-xmi");
        assertThat(annotate(first, "--format", "xmi", f.resolve("x.txt").toString()).rc()).isZero();
        Files.copy(first.resolve("x.xmi"), f.resolve("x.xmi"));
        Path out = dir.resolve("clash-out");
        TrainEvaluateCommandTest.Run r = annotate(out, "--format", "json", d1.resolve("a.txt").toString(),
                d2.resolve("a.txt").toString(), f.toString(), f.resolve("x.txt").toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("2 inputs could not be annotated")
                .contains(d1.resolve("a.txt") + ": its output name 'a' is also that of " + d2.resolve("a.txt"))
                .contains(d2.resolve("a.txt") + ": its output name 'a' is also that of " + d1.resolve("a.txt"))
                .contains("share the output name 'x'");
        // x.txt named twice (in its folder and by itself) is annotated once
        assertThat(files(out)).containsExactly("x.conllu.json", "x.txt.json", "x.xmi.json");
        assertThat(r.out()).contains("annotated 3 documents");
        assertThat(Files.readString(out.resolve("x.conllu.json"))).contains("\"Dan\"");
        assertThat(Files.readString(out.resolve("x.txt.json"))).contains("\"Lyon\"");
        assertThat(Files.readString(out.resolve("x.xmi.json"))).contains("\"Lyon\"");
    }

    @Test
    void annotatingAnOutputFolderAgainReplacesTheAlternativesInsteadOfAddingASecondSet() throws Exception {
        Path in = Files.createDirectories(dir.resolve("again"));
        Files.writeString(in.resolve("a.txt"), "Alice visited New York. Bob met Carol in Rome.");
        Path out = dir.resolve("again-out");
        assertThat(annotate(out, in.toString()).rc()).isZero();
        Path out2 = dir.resolve("again-out2");
        TrainEvaluateCommandTest.Run r = annotate(out2, out.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        // a.xmi and a.conllu of the first run both name 'a': each keeps its extension
        assertThat(r.err()).contains("share the output name 'a'");
        JsonNode before = JSON.readTree(out.resolve("a.json").toFile()).get("sentences");
        JsonNode after = JSON.readTree(out2.resolve("a.xmi.json").toFile()).get("sentences");
        assertThat(after).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode s = after.get(i);
            assertThat(sum(s.get("depparse").get("trees"))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(sum(s.get("ner").get("analyses"))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(s.get("depparse")).isEqualTo(before.get(i).get("depparse"));
            assertThat(s.get("ner")).isEqualTo(before.get(i).get("ner"));
        }
        String xmi1 = Files.readString(out.resolve("a.xmi"));
        String xmi2 = Files.readString(out2.resolve("a.xmi.xmi"));
        for (String type : List.of(":TreeAnalysis ", ":Dependency ", ":ROOT ", ":NamedEntity ", ":AnalysisMetadata ",
            ":TagDistribution ", ":ArcCandidate ", ":EntityAnalysis ", ":EntityCandidate ")) {
            assertThat(count(xmi2, type)).as(type).isEqualTo(count(xmi1, type));
        }
    }

    private static double sum(JsonNode alternatives) {
        double s = 0;
        for (JsonNode a : alternatives) {
            s += a.get("weight").asDouble();
        }
        return s;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void standardConlluWithEmptyNodesAndMultiwordTokensIsReadAndABadLineIsNamed() throws Exception {
        Path in = Files.createDirectories(dir.resolve("conllu"));
        Files.writeString(in.resolve("ud.conllu"), """
                # sent_id = 1
                # text = I don't write, you do.
                1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t3:nsubj\t_
                2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_
                2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t4:aux\t_
                3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t4:advmod\t_
                4\twrite\twrite\tVERB\tVB\t_\t0\troot\t0:root\tSpaceAfter=No
                5\t,\t,\tPUNCT\t,\t_\t6\tpunct\t6:punct\t_
                6\tyou\tyou\tPRON\tPRP\t_\t4\tparataxis\t4:parataxis\t_
                6.1\twrite\twrite\tVERB\tVB\t_\t_\t_\t4:conj\tCopyOf=4
                7\tdo\tdo\tAUX\tVBP\t_\t6\taux\t6:aux\tSpaceAfter=No
                8\t.\t.\tPUNCT\t.\t_\t4\tpunct\t4:punct\t_

                """);
        Files.writeString(in.resolve("bad.conllu"), "# text = x\n1\tx\t_\t_\t_\t_\t0\troot\t_\t_\n2\tbroken line\n\n");
        Path out = dir.resolve("conllu-out");
        TrainEvaluateCommandTest.Run r = annotate(out, "--format", "json", in.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("1 input could not be annotated")
                .contains(in.resolve("bad.conllu") + ": line 3: a CoNLL-U word line has 10 tab-separated fields");
        JsonNode s = JSON.readTree(out.resolve("ud.json").toFile()).get("sentences").get(0);
        List<String> tokens = new ArrayList<>();
        s.get("tokens").forEach(t -> tokens.add(t.get("text").asText()));
        assertThat(tokens).doesNotContain("write\twrite").contains("I", "write", ",", "you", "do", ".");
        assertThat(tokens.stream().filter("write"::equals).count()).as("the empty node is not a token").isEqualTo(1);
        assertThat(files(out)).containsExactly("ud.json");
    }

    @Test
    void theProjectsOwnEwtDevFileIsAnnotated() throws Exception {
        Path ewt = Path.of("..", "..", "shared", "data", "ud-english-ewt", "en_ewt-ud-dev.conllu");
        assumeTrue(Files.isRegularFile(ewt), "needs ../shared/data (" + ewt + ")");
        // the first 2,000 lines hold an empty node (8.1) and multiword tokens; the whole file is slow with CI's time
        List<String> lines = Files.readAllLines(ewt).subList(0, 2000);
        int end = lines.lastIndexOf("");
        Path in = Files.createDirectories(dir.resolve("ewt"));
        Files.write(in.resolve("dev-head.conllu"), lines.subList(0, end + 1));
        assertThat(lines.subList(0, end).stream().anyMatch(l -> l.matches("\\d+\\.\\d+\t.*"))).isTrue();
        Path out = dir.resolve("ewt-out");
        TrainEvaluateCommandTest.Run r = annotate(out, "--format", "json", "--tasks", "depparse", in.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        long sentences = lines.subList(0, end).stream().filter(l -> l.startsWith("# sent_id")).count();
        assertThat(JSON.readTree(out.resolve("dev-head.json").toFile()).get("sentences")).hasSize((int) sentences);
    }

    @Test
    void anUnreadableSubfolderIsOneFailureAndTheRestIsAnnotated() throws Exception {
        // the visitor's answer to a folder it may not open (a root user can open any, so it is also tested directly)
        AnnotateInputs.Collected c = AnnotateInputs.collect(List.of(dir.resolve("nowhere")));
        assertThat(c.failures()).containsExactly(dir.resolve("nowhere") + ": no such file or folder");
        assertThat(IoMessages.describe(new AccessDeniedException("/data/in/secret"))).isEqualTo(
                "/data/in/secret: permission denied");
        Path in = Files.createDirectories(dir.resolve("perm"));
        Path secret = Files.createDirectories(in.resolve("secret"));
        Files.writeString(secret.resolve("s.txt"), "Hidden text.");
        Files.writeString(in.resolve("open.txt"), "Bob met Carol in Paris.");
        Files.setPosixFilePermissions(secret, Set.of());
        try {
            assumeTrue(!Files.isReadable(secret), "running as root: every folder is readable");
            Path out = dir.resolve("perm-out");
            TrainEvaluateCommandTest.Run r = annotate(out, "--format", "json", in.toString());
            assertThat(r.rc()).isEqualTo(1);
            assertThat(r.err()).contains(secret + ": permission denied");
            assertThat(files(out)).containsExactly("open.json");
        } finally {
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void anOutputFolderThatCannotBeMadeIsOneErrorWithItsReason() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Files.writeString(dir.resolve("in.txt"), "Bob met Carol.");
        TrainEvaluateCommandTest.Run r = annotate(file.resolve("out"), dir.resolve("in.txt").toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("cannot write into the output folder " + file.resolve("out")
                + ": a part of the path is a file, not a folder");
        Path out = Files.createDirectories(dir.resolve("exists-out"));
        Files.writeString(out.resolve("in.json"), "a folder must not be replaced");
        Files.createDirectories(out.resolve("in.html"));
        TrainEvaluateCommandTest.Run r2 = annotate(out, dir.resolve("in.txt").toString());
        assertThat(r2.rc()).isEqualTo(1);
        assertThat(r2.err()).contains(out.resolve("in.html") + ": cannot write it: a folder of that name is in "
                + "the way");
        assertThat(Files.readString(out.resolve("in.json"))).isEqualTo("a folder must not be replaced");
    }

    @Test
    void leftoversOfDeadRunsAreRemovedAndThoseOfLiveOnesKept() throws Exception {
        Path out = Files.createDirectories(dir.resolve("left-out"));
        long pid = ProcessHandle.current().pid();
        // pid_max on Linux is at most 2^22, so 99999999 is never a live process
        Path deadPart = Files.writeString(Files.createDirectories(out.resolve("sub")).resolve(".part-99999999-7.tmp"),
                "x");
        Path oldPart = Files.writeString(out.resolve(".part-123456789012.tmp"), "x");
        Path deadStaging = Files.createDirectories(out.resolve(".sparsestruct-tmp-99999999-2/w1"));
        Path livePart = Files.writeString(out.resolve(".part-" + pid + "-999.tmp"), "x");
        Path other = Files.writeString(out.resolve("notes.part-1.tmp"), "mine");
        Files.writeString(dir.resolve("left.txt"), "Bob met Carol.");
        assertThat(annotate(out, "--format", "json", dir.resolve("left.txt").toString()).rc()).isZero();
        assertThat(deadPart).doesNotExist();
        assertThat(oldPart).doesNotExist();
        assertThat(deadStaging.getParent()).doesNotExist();
        assertThat(livePart).exists();
        assertThat(other).exists();
        Files.delete(livePart);
        assertThat(files(out)).containsExactly("left.json", "notes.part-1.tmp", "sub");
    }

    @Test
    void outputsGetTheDefaultPermissionsOfNewFiles() throws Exception {
        Path ref = dir.resolve("reference-file");
        try (OutputStream o = Files.newOutputStream(ref)) {
            o.write(1);
        }
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(ref);
        assertThat(expected).contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        Files.writeString(dir.resolve("perm.txt"), "Bob met Carol.");
        Path out = dir.resolve("perm-out2");
        assertThat(annotate(out, dir.resolve("perm.txt").toString()).rc()).isZero();
        for (String f : List.of("perm.json", "perm.html", "perm.xmi", "perm.conllu")) {
            assertThat(Files.getPosixFilePermissions(out.resolve(f))).as(f).isEqualTo(expected);
        }
    }

    @Test
    void sigtermLeavesNoTemporaryFilesBehind() throws Exception {
        Path in = Files.createDirectories(dir.resolve("term"));
        for (int i = 0; i < 400; i++) {
            Files.writeString(in.resolve(String.format("d%03d.txt", i)), "Alice visited Rome. " + words(40));
        }
        Path out = dir.resolve("term-out");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                "io.github.sparsestruct.cli.Main", "annotate", "--ner-model", ner.toString(), "--parser-model",
                parser.toString(), "-o", out.toString(), "--no-progress", in.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("term.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline && p.isAlive() && !hasStaging(out)) {
                Thread.sleep(5);
            }
            assumeTrue(p.isAlive(), "the run ended before it could be stopped: " + Files.readString(
                    dir.resolve("term.log"), StandardCharsets.UTF_8));
            assertThat(hasStaging(out)).as("a staging folder while the run is going").isTrue();
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        try (Stream<Path> s = Files.walk(out)) {
            assertThat(s.map(x -> x.getFileName().toString()).filter(n -> n.startsWith(".part-")
                    || n.startsWith(OutputFiles.STAGING_PREFIX)).toList()).isEmpty();
        }
    }

    private static boolean hasStaging(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return false;
        }
        try (Stream<Path> s = Files.list(out)) {
            return s.anyMatch(x -> x.getFileName().toString().startsWith(OutputFiles.STAGING_PREFIX));
        }
    }
}
