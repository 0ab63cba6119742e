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
        if (!check(file)) {
            return file;
        }
        // a second pass, streaming, only for a file that holds empty nodes
        Path copy = Files.createTempFile(workDir, "input-", ".conllu");
        try (BufferedReader in = reader(file); Writer w = Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!EMPTY_NODE.matcher(line.split("\t", 2)[0]).matches()) {
                    w.write(line);
                    w.write('\n');
                }
            }
        }
        return copy;
    }

    /** Checks every line; returns whether the file holds an empty node. */
    private static boolean check(Path file) throws IOException {
        boolean emptyNodes = false;
        try (BufferedReader in = reader(file)) {
            String line;
            int no = 0;
            while ((line = in.readLine()) != null) {
                no++;
                if (no == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 10) {
                    throw new IOException("line " + no + ": a CoNLL-U word line has 10 tab-separated fields, this"
                            + " one has " + f.length + ": " + abbreviate(line));
                }
                if (EMPTY_NODE.matcher(f[0]).matches()) {
                    emptyNodes = true;
                } else if (!WORD.matcher(f[0]).matches() && !RANGE.matcher(f[0]).matches()) {
                    throw new IOException("line " + no + ": the ID '" + abbreviate(f[0]) + "' is not a word "
                            + "index (3), a multiword-token range (3-4) or an empty node (3.1)");
                }
            }
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text (" + e.getMessage() + ")", e);
        }
        return emptyNodes;
    }

    private static BufferedReader reader(Path file) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder));
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
