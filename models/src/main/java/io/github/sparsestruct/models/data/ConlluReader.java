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
 * Reads CoNLL-U (Universal Dependencies): keeps FORM, UPOS, HEAD and DEPREL of the syntactic words, skips
 * multiword-token ranges ({@code 1-2}) and empty nodes ({@code 8.1}). Malformed lines give an
 * {@link IOException} naming the file and line.
 */
public final class ConlluReader {
    private ConlluReader() {
    }

    /** Reads every sentence of a CoNLL-U file. */
    public static List<DepSentence> read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new IOException("CoNLL-U file not found: " + file, e);
        }
    }

    /** Reads every sentence from a reader; {@code source} names it in error messages. */
    public static List<DepSentence> read(BufferedReader in, String source) throws IOException {
        List<DepSentence> out = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        String id = null;
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                if (!rows.isEmpty()) {
                    out.add(build(rows, id != null ? id : String.valueOf(out.size() + 1), source, lineNo));
                    rows.clear();
                }
                id = null;
                continue;
            }
            if (line.startsWith("#")) {
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
            if (f.length != 10) {
                throw new IOException(source + ":" + lineNo + ": expected 10 tab-separated CoNLL-U columns, found "
                        + f.length);
            }
            if (f[0].indexOf('-') >= 0 || f[0].indexOf('.') >= 0) {
                continue; // multiword-token range or empty node
            }
            f[9] = String.valueOf(lineNo);
            rows.add(f);
        }
        if (!rows.isEmpty()) {
            out.add(build(rows, id != null ? id : String.valueOf(out.size() + 1), source, lineNo));
        }
        return out;
    }

    private static DepSentence build(List<String[]> rows, String id, String source, int lineNo) throws IOException {
        int n = rows.size();
        String[] forms = new String[n];
        String[] upos = new String[n];
        int[] heads = new int[n];
        String[] rels = new String[n];
        for (int i = 0; i < n; i++) {
            String[] f = rows.get(i);
            String where = source + ":" + f[9];
            int idx;
            try {
                idx = Integer.parseInt(f[0]);
            } catch (NumberFormatException e) {
                throw new IOException(where + ": bad word id '" + f[0] + "'", e);
            }
            if (idx != i + 1) {
                throw new IOException(where + ": word id " + idx + " out of sequence (expected " + (i + 1) + ")");
            }
            forms[i] = f[1];
            upos[i] = f[3];
            if (f[6].equals("_")) {
                heads[i] = -1;
            } else {
                try {
                    heads[i] = Integer.parseInt(f[6]);
                } catch (NumberFormatException e) {
                    throw new IOException(where + ": bad head '" + f[6] + "'", e);
                }
                if (heads[i] < 0 || heads[i] > n) {
                    throw new IOException(where + ": head " + heads[i] + " outside 0.." + n);
                }
            }
            rels[i] = f[7];
        }
        return new DepSentence(id, forms, upos, heads, rels);
    }
}
