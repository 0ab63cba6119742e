package io.github.sparsestruct.cli;

import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.data.ConlluReader;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.data.Iob2Reader;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.ner.NerDistillation;
import io.github.sparsestruct.models.ner.NerModel;
import java.io.BufferedReader;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** {@code train --teacher}: loads the teacher, reads the extra text, and attaches the (cached) soft targets. */
final class TeacherTargets {
    private TeacherTargets() {
    }

    /**
     * Sets the student's soft targets for the training sentences and the teacher text; returns the sentences to
     * train on (the training sentences, then the text).
     */
    static List<NerSentence> attach(NerModel student, NerTrainOptions o, List<NerSentence> train, Path out,
                                    String language, PrintWriter err) throws IOException {
        if (!(o.teacherWeight >= 0 && o.teacherWeight <= 1)) {
            // before the teacher runs (minutes on a real corpus), not after
            throw new IllegalArgumentException("--teacher-weight must be in [0, 1], got " + o.teacherWeight);
        }
        NerModel teacher;
        String id;
        if (o.teacher.trim().equalsIgnoreCase("accurate")) {
            teacher = BundledModels.ner(language, "accurate");
            id = "bundled " + language + " accurate";
        } else {
            Path f = Path.of(o.teacher);
            teacher = BundledModels.ner(f);
            id = sha256(f);
        }
        List<NerSentence> all = new ArrayList<>(train);
        int extra = 0;
        for (Path p : o.teacherText == null ? List.<Path>of() : o.teacherText) {
            for (String[] forms : forms(p)) {
                if (forms.length > 0) {
                    all.add(new NerSentence(p.getFileName() + "#" + extra++, forms, null));
                }
            }
        }
        Path cache = o.teacherCache != null ? o.teacherCache : Path.of(out + ".teacher");
        List<String[]> forms = all.stream().map(NerSentence::forms).toList();
        List<NerDistillation.Target> t = NerDistillation.cached(cache, teacher, id, student.tags(), forms);
        student.distill(NerDistillation.Targets.of(all, t, o.teacherWeight));
        err.printf(Locale.ROOT, "train: distilling from %s (gold weight %.2f): %d tagged sentences and %d of teacher "
                + "text, targets cached in %s%n", o.teacher, o.teacherWeight, train.size(), extra, cache);
        return all;
    }

    /** The token sequences of a file: CoNLL-U, IOB2, or the first column of a CoNLL-2003-style file. */
    static List<String[]> forms(Path p) throws IOException {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".conllu")) {
            return ConlluReader.read(p).stream().map(DepSentence::forms).toList();
        }
        if (name.endsWith(".iob2")) {
            return Iob2Reader.read(p).stream().map(NerSentence::forms).toList();
        }
        List<String[]> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
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
        }
        if (!cur.isEmpty()) {
            out.add(cur.toArray(new String[0]));
        }
        return out;
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
