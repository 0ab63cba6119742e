package io.github.sparsestruct.models.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads ALIBI word alignments (Xu &amp; Yvon 2016, French–English, sure and possible links) as {@link AlignPair}s with
 * the French segment as source and the English one as target.
 *
 * <p>A story is a folder {@code <French>_<English>/} holding {@code <French>_sents.txt} and
 * {@code <English>_sents.txt} ({@code <index>TAB<space-separated tokens>} per line, indices 0, 1, 2, ... in order)
 * and {@code ali_w2w_<French>_<English>.txt} ({@code <index>TAB<links>}, extended Pharaoh format with 0-based
 * positions, French first: {@code i-j} a sure link, {@code ipj} a possible one). The three files must list the same
 * segments. Pair ids are {@code <story>/<index>}. {@link #read} takes a story folder or a folder of story folders
 * (read in name order). Errors name the file and line.
 */
public final class AlibiReader {
    private static final String ALIGNMENTS = "ali_w2w_";

    private AlibiReader() {
    }

    /** True when {@code dir} is a story folder (it holds an {@code ali_w2w_*.txt} file). */
    public static boolean isStory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(ALIGNMENTS));
        }
    }

    /**
     * The pairs of a story folder, or of every story folder inside a folder.
     *
     * @throws IllegalArgumentException when the folder holds no story, or a story's files are bad
     */
    public static List<AlignPair> read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "not a folder of ALIBI stories");
        }
        if (isStory(dir)) {
            return readStory(dir);
        }
        List<Path> stories = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                if (isStory(p)) {
                    stories.add(p);
                }
            }
        }
        if (stories.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no ALIBI story (a folder FR_EN/ with FR_sents.txt, "
                    + "EN_sents.txt and ali_w2w_FR_EN.txt)");
        }
        List<AlignPair> out = new ArrayList<>();
        for (Path p : stories) {
            out.addAll(readStory(p));
        }
        return out;
    }

    /** The pairs of one story folder {@code <French>_<English>/}. */
    public static List<AlignPair> readStory(Path dir) throws IOException {
        String story = dir.getFileName().toString();
        int cut = story.indexOf('_');
        if (cut <= 0 || cut == story.length() - 1) {
            throw new IllegalArgumentException("ALIBI story folder " + dir + " is not named FRENCH_ENGLISH");
        }
        String fr = story.substring(0, cut);
        String en = story.substring(cut + 1);
        List<String> frLines = lines(dir.resolve(fr + "_sents.txt"));
        List<String> enLines = lines(dir.resolve(en + "_sents.txt"));
        Path aliFile = dir.resolve(ALIGNMENTS + fr + "_" + en + ".txt");
        List<String> aliLines = lines(aliFile);
        if (frLines.size() != enLines.size() || frLines.size() != aliLines.size()) {
            throw new IllegalArgumentException("ALIBI story " + dir + ": " + frLines.size() + " French segments, "
                    + enLines.size() + " English segments and " + aliLines.size() + " alignment lines; the three "
                    + "files must list the same segments (a truncated file?)");
        }
        List<AlignPair> out = new ArrayList<>(frLines.size());
        for (int k = 0; k < frLines.size(); k++) {
            String[] a = tokens(field(frLines.get(k), dir.resolve(fr + "_sents.txt"), k), dir.resolve(fr
                    + "_sents.txt"), k);
            String[] b = tokens(field(enLines.get(k), dir.resolve(en + "_sents.txt"), k), dir.resolve(en
                    + "_sents.txt"), k);
            List<int[]> sure = new ArrayList<>();
            List<int[]> possible = new ArrayList<>();
            links(field(aliLines.get(k), aliFile, k), aliFile, k, sure, possible);
            try {
                out.add(new AlignPair(story + "/" + k, a, b, sure, possible));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(aliFile + " line " + (k + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static List<String> lines(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "an ALIBI story needs this file");
        }
        List<String> out = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** The text after {@code <index>TAB}, checking that the index is {@code k}. */
    private static String field(String line, Path file, int k) {
        int tab = line.indexOf('\t');
        String index = tab < 0 ? line.trim() : line.substring(0, tab).trim();
        if (!index.equals(Integer.toString(k))) {
            throw new IllegalArgumentException(file + " line " + (k + 1) + ": expected segment index " + k
                    + " then a tab, got '" + (line.length() > 40 ? line.substring(0, 40) + "..." : line) + "'");
        }
        return tab < 0 ? "" : line.substring(tab + 1);
    }

    private static String[] tokens(String text, Path file, int k) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException(file + " line " + (k + 1) + ": empty segment");
        }
        return t.split(" +");
    }

    private static void links(String text, Path file, int k, List<int[]> sure, List<int[]> possible) {
        for (String l : text.trim().isEmpty() ? new String[0] : text.trim().split(" +")) {
            int cut = l.indexOf('-');
            List<int[]> into = sure;
            if (cut < 0) {
                cut = l.indexOf('p');
                into = possible;
            }
            try {
                if (cut <= 0) {
                    throw new NumberFormatException();
                }
                into.add(new int[] {Integer.parseInt(l.substring(0, cut)), Integer.parseInt(l.substring(cut + 1))});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + " line " + (k + 1) + ": bad link '" + l
                        + "', expected i-j (sure) or ipj (possible)", e);
            }
        }
    }
}
