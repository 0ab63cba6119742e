package io.github.sparsestruct.cli;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.data.ConlluReader;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.data.Iob2Reader;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.depparse.ParserDistillation;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.ner.NerDistillation;
import io.github.sparsestruct.models.ner.NerModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.uima.UIMAException;
import org.apache.uima.fit.factory.AnalysisEngineFactory;
import org.apache.uima.fit.factory.JCasFactory;
import org.apache.uima.fit.pipeline.SimplePipeline;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.dkpro.core.tokit.BreakIteratorSegmenter;

/** {@code train --teacher}: loads the teacher, reads the extra text, and attaches the (cached) soft targets. */
final class TeacherTargets {
    private TeacherTargets() {
    }

    /**
     * Sets the student's soft targets for the training sentences and the teacher text; returns the sentences to
     * train on (the training sentences, then the text).
     */
    static List<NerSentence> attach(NerModel student, DistillOptions o, List<NerSentence> train, Path out,
                                    String language, PrintWriter err) throws IOException {
        Teacher<NerModel> tm = teacher(o, language, BundledModels::ner, BundledModels::ner);
        NerModel teacher = tm.model();
        String id = tm.id();
        List<NerSentence> all = new ArrayList<>(train);
        List<TextSentence> text = text(o);
        for (TextSentence t : text) {
            all.add(new NerSentence(t.id(), t.forms(), null));
        }
        int extra = text.size();
        Path cache = cache(o, out);
        List<String[]> forms = all.stream().map(NerSentence::forms).toList();
        List<NerDistillation.Target> t = NerDistillation.cached(cache, teacher, id, student.tags(), forms);
        student.distill(NerDistillation.Targets.of(all, t, o.teacherWeight));
        err.printf(Locale.ROOT, "train: distilling from %s (gold weight %.2f): %d tagged sentences and %d of teacher "
                + "text, targets cached in %s%n", o.teacher, o.teacherWeight, train.size(), extra, cache);
        return all;
    }

    /**
     * Sets the student parser's soft arc targets for the treebank sentences and the teacher text (silver trees:
     * {@link ParserDistillation#cachedText}); returns the sentences to train on (the treebank's, then the text's).
     */
    static List<DepSentence> attach(ParserModel student, DistillOptions o, List<DepSentence> train, Path out,
                                    String language, PrintWriter err) throws IOException {
        Teacher<ParserModel> tm = teacher(o, language, BundledModels::parser, BundledModels::parser);
        ParserModel teacher = tm.model();
        String id = tm.id();
        Path cache = cache(o, out);
        List<double[]> t = ParserDistillation.cached(cache, teacher, id,
                train.stream().map(DepSentence::forms).toList());
        ParserDistillation.Targets targets = ParserDistillation.Targets.of(train, t, o.teacherWeight);
        List<String[]> text = text(o).stream().map(TextSentence::forms).toList();
        List<DepSentence> all = new ArrayList<>(train);
        if (!text.isEmpty()) {
            ParserDistillation.Taught silver = ParserDistillation.cachedText(Path.of(cache + ".text"), teacher, id,
                    text, "teacher-text#");
            checkLabels(student, silver.sentences());
            targets = targets.with(silver);
            all.addAll(silver.sentences());
        }
        student.distill(targets);
        err.printf(Locale.ROOT, "train: distilling from %s (gold weight %.2f): %d treebank sentences and %d of teacher "
                + "text, targets cached in %s%n", o.teacher, o.teacherWeight, train.size(), text.size(), cache);
        return all;
    }

    /** The teacher's relations and UPOS tags on its silver trees must be the student's. */
    private static void checkLabels(ParserModel student, List<DepSentence> silver) {
        Set<String> rel = new HashSet<>(student.deprels());
        Set<String> pos = new HashSet<>(student.uposTags());
        for (DepSentence s : silver) {
            for (int m = 0; m < s.length(); m++) {
                if (!rel.contains(s.deprels()[m]) || !pos.contains(s.upos()[m])) {
                    throw new IllegalArgumentException("the teacher labels a word of its text '" + s.deprels()[m]
                            + "' / " + s.upos()[m] + ", which the student does not know: distil from a teacher "
                            + "trained on the student's treebank");
                }
            }
        }
    }

    /** A sentence of the teacher text: its id (file name and number) and tokens. */
    private record TextSentence(String id, String[] forms) {
    }

    /** The non-empty sentences of the {@code --teacher-text} files, in order. */
    private static List<TextSentence> text(DistillOptions o) throws IOException {
        List<TextSentence> out = new ArrayList<>();
        for (Path p : o.teacherText == null ? List.<Path>of() : o.teacherText) {
            for (String[] forms : forms(p)) {
                if (forms.length > 0) {
                    out.add(new TextSentence(p.getFileName() + "#" + out.size(), forms));
                }
            }
        }
        return out;
    }

    /** A teacher model and the id its cache is keyed by (the bundled variant's name, or the file's checksum). */
    private record Teacher<M>(M model, String id) {
    }

    /** A model that loads from a file. */
    private interface FileLoader<M> {
        M load(Path file) throws IOException;
    }

    /** A bundled model of a language and variant. */
    private interface BundledLoader<M> {
        M load(String language, String variant) throws IOException;
    }

    /** Checks the weight (before the teacher runs), then loads the teacher: 'accurate' or a model file. */
    private static <M> Teacher<M> teacher(DistillOptions o, String language, BundledLoader<M> bundled,
                                          FileLoader<M> file) throws IOException {
        checkWeight(o);
        if (o.teacher.trim().equalsIgnoreCase("accurate")) {
            return new Teacher<>(bundled.load(language, "accurate"), "bundled " + language + " accurate");
        }
        Path f = Path.of(o.teacher);
        return new Teacher<>(file.load(f), sha256(f));
    }

    private static void checkWeight(DistillOptions o) {
        if (!(o.teacherWeight >= 0 && o.teacherWeight <= 1)) {
            // before the teacher runs (minutes on a real corpus), not after
            throw new IllegalArgumentException("--teacher-weight must be in [0, 1], got " + o.teacherWeight);
        }
    }

    private static Path cache(DistillOptions o, Path out) {
        return o.teacherCache != null ? o.teacherCache : Path.of(out + ".teacher");
    }

    /**
     * The token sequences of a file: CoNLL-U, IOB2, plain text ({@code .txt}: split into sentences and tokens by the
     * segmenter {@code annotate} uses on plain text, so the student learns on the tokens it will see, unless its
     * lines are token–tag columns: {@link #looksLikeColumns}), or the first column of a CoNLL-2003-style file; a
     * folder gives those of its files, by name.
     */
    static List<String[]> forms(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            List<String[]> out = new ArrayList<>();
            try (var files = Files.list(p)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    out.addAll(forms(f));
                }
            }
            return out;
        }
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".conllu")) {
            return ConlluReader.read(p).stream().map(DepSentence::forms).toList();
        }
        if (name.endsWith(".iob2")) {
            return Iob2Reader.read(p).stream().map(NerSentence::forms).toList();
        }
        String text = Files.readString(p, StandardCharsets.UTF_8);
        // a column file named .txt (wikigold's wikigold.conll.txt) is read as columns, not as prose
        return name.endsWith(".txt") && !looksLikeColumns(text) ? plainText(text) : firstColumn(text);
    }

    /** The first column of CoNLL-2003-style lines, blank lines between sentences, -DOCSTART- lines skipped. */
    private static List<String[]> firstColumn(String text) {
        List<String[]> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String line : (Iterable<String>) text.lines()::iterator) {
            String t = line.strip();
            if (t.isEmpty()) {
                if (!cur.isEmpty()) {
                    out.add(cur.toArray(new String[0]));
                    cur.clear();
                }
            } else if (!t.startsWith("-DOCSTART-")) {
                cur.add(t.split("\\s+")[0]);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toArray(new String[0]));
        }
        return out;
    }

    /** A column line's tag: O, or B-/I-/E-/S-/L-/U- with a type. */
    private static final Pattern TAG = Pattern.compile("O|[BIESLU]-\\S+");

    /**
     * Whether a {@code .txt} file is a CoNLL-2003-style column file: each of its first 200 non-blank lines is
     * {@code -DOCSTART-} or a token and at least one more column whose last is a tag (O, B-X, I-X, ...).
     */
    static boolean looksLikeColumns(String text) {
        int seen = 0;
        for (String line : (Iterable<String>) text.lines()::iterator) {
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (!t.startsWith("-DOCSTART-")) {
                String[] f = t.split("\\s+");
                if (f.length < 2 || !TAG.matcher(f[f.length - 1]).matches()) {
                    return false;
                }
            }
            if (++seen == 200) {
                break;
            }
        }
        return seen > 0;
    }

    /** Sentences and tokens of plain English text, by DKPro's BreakIterator segmenter. */
    static List<String[]> plainText(String text) throws IOException {
        try {
            JCas jcas = JCasFactory.createJCas();
            jcas.setDocumentText(text);
            jcas.setDocumentLanguage("en");
            SimplePipeline.runPipeline(jcas, AnalysisEngineFactory.createEngineDescription(BreakIteratorSegmenter.class));
            List<String[]> out = new ArrayList<>();
            for (Sentence s : JCasUtil.select(jcas, Sentence.class)) {
                String[] forms = JCasUtil.selectCovered(Token.class, s).stream().map(Token::getCoveredText)
                        .toArray(String[]::new);
                if (forms.length > 0) {
                    out.add(forms);
                }
            }
            return out;
        } catch (UIMAException e) {
            throw new IOException("could not segment the text: " + e.getMessage(), e);
        }
    }

    private static String sha256(Path f) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
