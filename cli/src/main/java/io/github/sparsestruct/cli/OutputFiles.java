package io.github.sparsestruct.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How {@code annotate} writes into its output folder. A document's files are written to temporary siblings
 * ({@code .part-PID-N.tmp}) and moved into place only when all of them are written, so a document that fails leaves
 * nothing half-written. Work files live in one staging folder per run ({@code .sparsestruct-tmp-PID-N}). Both are
 * named after the process that made them: a run deletes, before it starts, those left by a process that no longer
 * exists (killed with {@code kill -9}), and its own on exit, SIGTERM and Ctrl-C included. Outputs are created with
 * the default permissions (0666 less the umask), like any file a command writes.
 */
final class OutputFiles implements AutoCloseable {
    /** Prefix of the staging folder's name. */
    static final String STAGING_PREFIX = ".sparsestruct-tmp-";
    private static final String PART_PREFIX = ".part-";
    private static final String PART_SUFFIX = ".tmp";
    /** A leftover of this or an earlier version: {@code .part-PID-N.tmp}, {@code .part-N.tmp} (no pid, earlier). */
    private static final Pattern PART = Pattern.compile("\\.part-(\\d+)(-\\d+)?\\.tmp");
    private static final Pattern STAGING = Pattern.compile("\\.sparsestruct-tmp-(\\d+)(-\\d+)?");
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong COUNTER = new AtomicLong();

    private final Path staging;
    private final Set<Path> inFlight = ConcurrentHashMap.newKeySet();
    private final Thread hook;

    /**
     * Prepares the output folder: creates it, removes what dead runs left behind, and makes this run's staging
     * folder.
     *
     * @throws IOException naming the folder and the reason when it cannot be created or written
     */
    OutputFiles(Path root) throws IOException {
        Files.createDirectories(root);
        removeLeftovers(root);
        this.staging = root.resolve(STAGING_PREFIX + PID + "-" + COUNTER.incrementAndGet());
        Files.createDirectory(staging);
        this.hook = new Thread(this::cleanUp, "sparsestruct-output-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** This run's staging folder (deleted on close). */
    Path staging() {
        return staging;
    }

    /**
     * Writes every file to a temporary sibling first and moves them into place only when all are written; on an error
     * none of them is moved and the temporary files are deleted.
     */
    void writeAll(Map<Path, byte[]> files) throws IOException {
        Map<Path, Path> tmp = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, byte[]> e : files.entrySet()) {
                Files.createDirectories(e.getKey().getParent());
                Path t = e.getKey().resolveSibling(PART_PREFIX + PID + "-" + COUNTER.incrementAndGet() + PART_SUFFIX);
                inFlight.add(t);
                tmp.put(e.getKey(), t);
                try (OutputStream out = Files.newOutputStream(t, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    out.write(e.getValue());
                }
            }
            for (Path target : tmp.keySet()) {
                if (Files.isDirectory(target)) { // checked before any move: all of a document's files, or none
                    throw new IOException(target + ": cannot write it: a folder of that name is in the way");
                }
            }
            for (Map.Entry<Path, Path> e : tmp.entrySet()) {
                try {
                    Files.move(e.getValue(), e.getKey(), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException x) {
                    Files.move(e.getValue(), e.getKey(), StandardCopyOption.REPLACE_EXISTING);
                } catch (java.nio.file.FileSystemException x) {
                    throw new IOException(e.getKey() + ": cannot write it: " + IoMessages.reason(x), x);
                }
            }
        } finally {
            for (Path t : tmp.values()) {
                Files.deleteIfExists(t);
                inFlight.remove(t);
            }
        }
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) cleanUp
        }
    }

    private void cleanUp() {
        for (Path t : List.copyOf(inFlight)) {
            try {
                Files.deleteIfExists(t);
            } catch (IOException e) {
                // best effort: the next run removes it
            }
        }
        deleteTree(staging);
    }

    /**
     * Deletes, under {@code root}, the temporary files and staging folders whose process is gone (and those of
     * earlier versions, which carry no process id). What a live run is writing is left alone.
     */
    static void removeLeftovers(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root) && dir.getFileName().toString().startsWith(STAGING_PREFIX)) {
                    if (dead(STAGING.matcher(dir.getFileName().toString()))) {
                        deleteTree(dir);
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && dead(PART.matcher(file.getFileName().toString()))) {
                    Files.deleteIfExists(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // not ours to report: the output folder is checked when written
            }
        });
    }

    /** Whether a leftover's name matches and names no live process (no process id: an earlier version's). */
    private static boolean dead(Matcher m) {
        if (!m.matches()) {
            return false;
        }
        if (m.group(2) == null) {
            return true;
        }
        long pid;
        try {
            pid = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return true;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        return p.isEmpty() || !p.get().isAlive();
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover temporary folder is removed by the next run
        }
    }
}
