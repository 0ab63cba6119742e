package io.github.sparsestruct.models.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the 5-column IOB2 files of Universal NER (index, form, tag, unused, annotator) and, more generally, any
 * tab-separated file whose first column is the index, second the form and third the IOB2 tag. Comment lines start
 * with {@code #}; a blank line ends a sentence. An I-X that does not continue an X entity is repaired to B-X (the
 * conlleval convention), so every tag sequence read is legal IOB2.
 */
public final class Iob2Reader {
    private Iob2Reader() {
    }

    /** Reads every sentence of an IOB2 file. */
    public static List<NerSentence> read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new IOException("IOB2 file not found: " + file, e);
        }
    }

    /** Reads every sentence from a reader; {@code source} names it in error messages. */
    public static List<NerSentence> read(BufferedReader in, String source) throws IOException {
        List<NerSentence> out = new ArrayList<>();
        List<String> forms = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        String id = null;
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                if (!forms.isEmpty()) {
                    out.add(build(forms, tags, id != null ? id : String.valueOf(out.size() + 1)));
                }
                id = null;
                continue;
            }
            if (line.startsWith("#") && forms.isEmpty()) {
                String c = line.substring(1).trim();
                if (c.startsWith("sent_id")) {
                    int eq = c.indexOf('=');
                    if (eq >= 0) {
                        id = c.substring(eq + 1).trim();
                    }
                }
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length < 3) {
                throw new IOException(source + ":" + lineNo + ": expected at least 3 tab-separated columns "
                        + "(index, form, tag), found " + f.length);
            }
            String tag = f[2].trim();
            if (!tag.equals("O") && !(tag.length() > 2 && (tag.startsWith("B-") || tag.startsWith("I-")))) {
                throw new IOException(source + ":" + lineNo + ": '" + tag + "' is not an IOB2 tag (O, B-X, I-X)");
            }
            forms.add(f[1]);
            tags.add(tag);
        }
        if (!forms.isEmpty()) {
            out.add(build(forms, tags, id != null ? id : String.valueOf(out.size() + 1)));
        }
        return out;
    }

    private static NerSentence build(List<String> forms, List<String> tags, String id) {
        String[] t = tags.toArray(new String[0]);
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("I-")) {
                String type = t[i].substring(2);
                boolean continues = i > 0 && !t[i - 1].equals("O") && t[i - 1].substring(2).equals(type);
                if (!continues) {
                    t[i] = "B-" + type;
                }
            }
        }
        NerSentence s = new NerSentence(id, forms.toArray(new String[0]), t);
        forms.clear();
        tags.clear();
        return s;
    }
}
