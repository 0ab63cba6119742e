package io.github.sparsestruct.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The documents named by {@code annotate}'s inputs: files and folders walked recursively, each document with its
 * kind and output name. Whatever cannot be listed (a missing file, an unreadable subfolder) becomes one failure line
 * naming it, and the walk goes on. No two documents keep the same output name: the same file named twice is annotated
 * once; documents whose names differ only by extension ({@code x.txt}, {@code x.xmi}) keep it in their output name
 * ({@code x.txt.json}, {@code x.xmi.json}); any other clash fails every document involved, naming the others.
 */
final class AnnotateInputs {
    private AnnotateInputs() {
    }

    /**
     * A document to annotate: where it is read from, its kind, its output name (relative, no extension) and, for the
     * align task, the counterpart text file (null otherwise).
     */
    record Doc(Path file, String kind, String name, Path counterpart) {
        Doc(Path file, String kind, String name) {
            this(file, kind, name, null);
        }
    }

    /**
     * What the inputs name.
     *
     * @param docs     documents with distinct output names, in input order (folders sorted by path)
     * @param failures one line per input that cannot be annotated: its path and the reason
     * @param notes    one line per group of documents that were given distinct names by extension
     */
    record Collected(List<Doc> docs, List<String> failures, List<String> notes) {
    }

    /** Collects the documents of the inputs and gives them distinct output names. */
    static Collected collect(List<Path> inputs) {
        List<Doc> docs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Path in : inputs) {
            collect(in, docs, failures);
        }
        List<String> notes = new ArrayList<>();
        List<Doc> named = distinctNames(docs, failures, notes);
        return new Collected(named, failures, notes);
    }

    private static void collect(Path in, List<Doc> docs, List<String> failures) {
        if (Files.isDirectory(in)) {
            List<Path> files = new ArrayList<>();
            try {
                Files.walkFileTree(in, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        // a run's own staging folder (left by a killed run) holds no documents
                        return dir.getFileName() != null && dir.getFileName().toString()
                                .startsWith(OutputFiles.STAGING_PREFIX) ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile() && kind(file, false) != null) {
                            files.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        failures.add(file + ": " + IoMessages.reason(e) + " (skipped with whatever it holds)");
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                failures.add(in + ": " + IoMessages.reason(e));
            }
            files.sort(Comparator.comparing(Path::toString));
            for (Path f : files) {
                String rel = in.relativize(f).toString().replace('\\', '/');
                docs.add(new Doc(f, kind(f, false), stripExtension(rel)));
            }
        } else if (Files.isRegularFile(in) && Files.isReadable(in)) {
            docs.add(new Doc(in, kind(in, true), stripExtension(in.getFileName().toString())));
        } else {
            failures.add(in + ": " + (Files.exists(in) ? "not a readable file (permission denied)"
                    : "no such file or folder"));
        }
    }

    /**
     * The documents with distinct output names: drops repeats of one file, keeps the extension in the names of
     * documents that differ only by it, and fails (into {@code failures}) every document of a clash that remains.
     */
    static List<Doc> distinctNames(List<Doc> docs, List<String> failures, List<String> notes) {
        List<Doc> unique = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Doc d : docs) {
            if (seen.add(identity(d.file()))) {
                unique.add(d);
            }
        }
        Map<String, List<Doc>> byName = group(unique);
        List<Doc> renamed = new ArrayList<>(unique.size());
        for (Doc d : unique) {
            List<Doc> same = byName.get(d.name());
            if (same.size() > 1 && distinctExtensions(same)) {
                if (same.get(0) == d) {
                    notes.add(String.join(", ", same.stream().map(x -> x.file().toString()).toList())
                            + " share the output name '" + d.name() + "': each keeps its extension in its output "
                            + "names (" + String.join(", ", same.stream().map(x -> withExtension(x) + ".*")
                            .toList()) + ")");
                }
                renamed.add(new Doc(d.file(), d.kind(), withExtension(d), d.counterpart()));
            } else {
                renamed.add(d);
            }
        }
        Map<String, List<Doc>> again = group(renamed);
        List<Doc> out = new ArrayList<>(renamed.size());
        for (Doc d : renamed) {
            List<Doc> same = again.get(d.name());
            if (same.size() == 1) {
                out.add(d);
            } else {
                List<String> others = same.stream().filter(x -> x != d).map(x -> x.file().toString()).toList();
                failures.add(d.file() + ": its output name '" + d.name() + "' is also that of " + String.join(", ",
                        others) + "; nothing was written for either (annotate them into separate output folders, "
                        + "or give their common folder as the input)");
            }
        }
        return out;
    }

    /** Documents by output name. */
    private static Map<String, List<Doc>> group(List<Doc> docs) {
        Map<String, List<Doc>> by = new LinkedHashMap<>();
        for (Doc d : docs) {
            by.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(d);
        }
        return by;
    }

    private static boolean distinctExtensions(List<Doc> same) {
        Set<String> ext = new HashSet<>();
        for (Doc d : same) {
            if (!ext.add(extension(d.file()).toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    private static String withExtension(Doc d) {
        String ext = extension(d.file());
        return ext.isEmpty() ? d.name() : d.name() + "." + ext;
    }

    private static String extension(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(dot + 1) : "";
    }

    private static Path identity(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    /** xmi, conllu or text; in folders only *.txt counts as text (other files are skipped). */
    static String kind(Path f, boolean named) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".xmi")) {
            return "xmi";
        }
        if (n.endsWith(".conllu")) {
            return "conllu";
        }
        return named || n.endsWith(".txt") ? "text" : null;
    }

    static String stripExtension(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        return dot > slash + 1 ? name.substring(0, dot) : name;
    }
}
