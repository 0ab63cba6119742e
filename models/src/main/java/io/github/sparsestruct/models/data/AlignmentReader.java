package io.github.sparsestruct.models.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads word-alignment data in the MultiMWA TSV format: one pair per line, tab-separated fields id, sentence 1
 * (space-separated tokens), {@code N/A}, sentence 2, {@code N/A}, {@code 1}, {@code 1}, sure links {@code i-j}
 * (space-separated, 0-based), possible links, then anything. The last line may lack a newline; blank lines are
 * skipped. Errors name the file and line. A folder is read as ALIBI stories ({@link AlibiReader}).
 */
public final class AlignmentReader {
    private AlignmentReader() {
    }

    /** Reads a MultiMWA TSV file, or a folder of ALIBI stories (or one story folder) with {@link AlibiReader}. */
    public static List<AlignPair> read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            return AlibiReader.read(file);
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        }
    }

    /** Reads text (tests). */
    public static List<AlignPair> parse(String text) {
        try {
            return read(new StringReader(text), "<string>");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads from a reader; {@code name} appears in error messages. */
    public static List<AlignPair> read(Reader in, String name) throws IOException {
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
        List<AlignPair> out = new ArrayList<>();
        String line;
        int no = 0;
        while ((line = r.readLine()) != null) {
            no++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length < 8) {
                throw new IllegalArgumentException(name + " line " + no + ": expected at least 8 tab-separated "
                        + "fields (id, sentence 1, N/A, sentence 2, N/A, 1, 1, sure links), got " + f.length);
            }
            String[] s1 = tokens(f[1]);
            String[] s2 = tokens(f[3]);
            if (s1.length == 0 || s2.length == 0) {
                throw new IllegalArgumentException(name + " line " + no + ": empty sentence");
            }
            try {
                out.add(new AlignPair(f[0], s1, s2, links(f[7]), f.length > 8 ? links(f[8]) : List.of()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " line " + no + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static String[] tokens(String s) {
        String t = s.trim();
        return t.isEmpty() ? new String[0] : t.split(" +");
    }

    private static List<int[]> links(String s) {
        List<int[]> out = new ArrayList<>();
        for (String l : tokens(s)) {
            int dash = l.indexOf('-');
            if (dash <= 0) {
                throw new IllegalArgumentException("bad link '" + l + "', expected i-j");
            }
            try {
                out.add(new int[] {Integer.parseInt(l.substring(0, dash)), Integer.parseInt(l.substring(dash + 1))});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad link '" + l + "', expected i-j", e);
            }
        }
        return out;
    }
}
