package io.github.sparsestruct.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Checks a CoNLL-U file before DKPro's reader sees it. Every line is a comment ({@code #}), blank (between
 * sentences) or a word line of ten tab-separated fields whose ID is a word index ({@code 3}), a multiword-token
 * range ({@code 3-4}, kept: the reader builds the surface token from it) or an empty node ({@code 8.1}, dropped:
 * empty nodes belong to enhanced dependencies and have no surface text). A line that is none of these fails the
 * document with its line number ({@code line 3: ...}).
 */
final class ConlluInput {
    private static final Pattern WORD = Pattern.compile("[1-9][0-9]*");
    private static final Pattern RANGE = Pattern.compile("[1-9][0-9]*-[1-9][0-9]*");
    private static final Pattern EMPTY_NODE = Pattern.compile("[0-9]+\\.[1-9][0-9]*");

    private ConlluInput() {
    }

    /**
     * The file to hand to the reader: {@code file} itself when it holds no empty node, else a copy without them in
     * {@code workDir}.
     *
     * @throws IOException naming the line of the first malformed line, or the encoding error
     */
    static Path prepare(Path file, Path workDir) throws IOException {
        StringBuilder kept = new StringBuilder();
        boolean dropped = false;
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            int no = 0;
            while ((line = in.readLine()) != null) {
                no++;
                if (no == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank() || line.startsWith("#")) {
                    kept.append(line).append('\n');
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 10) {
                    throw new IOException("line " + no + ": a CoNLL-U word line has 10 tab-separated fields, this"
                            + " one has " + f.length + ": " + abbreviate(line));
                }
                if (EMPTY_NODE.matcher(f[0]).matches()) {
                    dropped = true;
                    continue;
                }
                if (!WORD.matcher(f[0]).matches() && !RANGE.matcher(f[0]).matches()) {
                    throw new IOException("line " + no + ": the ID '" + abbreviate(f[0]) + "' is not a word "
                            + "index (3), a multiword-token range (3-4) or an empty node (3.1)");
                }
                kept.append(line).append('\n');
            }
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text (" + e.getMessage() + ")", e);
        }
        if (!dropped) {
            return file;
        }
        Path copy = Files.createTempFile(workDir, "input-", ".conllu");
        try (Writer w = Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
            w.write(kept.toString());
        }
        return copy;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
