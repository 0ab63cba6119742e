package io.github.sparsestruct.models.pretrained;

import io.github.sparsestruct.models.nn.TokenVectors;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Precomputed token vectors of a fixed set of sentences (training data), stored as binary16: a frozen encoder's
 * outputs computed once and reused every epoch (and across runs through a cache file). A sentence outside the
 * table is an error. Thread-safe once built.
 *
 * <p>Cache file (version 1, big-endian): magic {@code SSVT}, version, width, sentence count; per sentence: its
 * token count n, the n forms (modified UTF-8), n × width binary16 values. Sizes are checked before allocating.
 */
public final class VectorTable implements TokenVectors {
    private static final Logger LOG = LoggerFactory.getLogger(VectorTable.class);
    private static final int MAGIC = 0x53535654;
    private static final int VERSION = 1;
    private static final int MAX_TOKENS = 100_000;
    private final int width;
    private final Map<List<String>, short[]> table;

    private VectorTable(int width, Map<List<String>, short[]> table) {
        this.width = width;
        this.table = table;
    }

    /**
     * The table of these sentences: those that {@code cacheFile} holds are read from it, the others computed with
     * the encoder (length-sorted chunks) and the whole table written back there (atomically; null: not cached).
     */
    public static VectorTable of(PretrainedEncoder encoder, List<String[]> sentences, Path cacheFile)
            throws IOException {
        int width = encoder.layers() * encoder.dim();
        Map<List<String>, short[]> table = new HashMap<>();
        if (cacheFile != null && Files.isRegularFile(cacheFile)) {
            VectorTable cached = read(cacheFile);
            if (cached.width == width) {
                table.putAll(cached.table);
            }
        }
        Map<List<String>, String[]> distinct = new LinkedHashMap<>();
        for (String[] s : sentences) {
            String[] c = EncoderVectors.content(s);
            if (c.length > 0 && !table.containsKey(Arrays.asList(c))) {
                distinct.putIfAbsent(Arrays.asList(c), c);
            }
        }
        if (distinct.isEmpty()) {
            LOG.info("pretrained vectors: all {} sentences read from {}", sentences.size(), cacheFile);
            return new VectorTable(width, table);
        }
        LOG.info("pretrained vectors: {} sentences held, {} to compute", table.size(), distinct.size());
        List<String[]> todo = new ArrayList<>(distinct.values());
        todo.sort(Comparator.comparingInt(s -> s.length));
        long start = System.nanoTime();
        long tokens = 0;
        int chunk = 256;
        for (int i = 0; i < todo.size(); i += chunk) {
            List<String[]> part = todo.subList(i, Math.min(todo.size(), i + chunk));
            List<float[]> got = encoder.encode(part);
            for (int j = 0; j < part.size(); j++) {
                table.put(Arrays.asList(part.get(j)), toHalf(got.get(j)));
                tokens += part.get(j).length;
            }
            double secs = (System.nanoTime() - start) / 1e9;
            LOG.info("pretrained vectors: {}/{} sentences, {} tokens/s", Math.min(todo.size(), i + chunk),
                    todo.size(), String.format(java.util.Locale.ROOT, "%.0f", tokens / secs));
        }
        VectorTable t = new VectorTable(width, table);
        if (cacheFile != null) {
            t.write(cacheFile);
        }
        return t;
    }

    /** Number of sentences held. */
    public int size() {
        return table.size();
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public float[] batch(List<String[]> sentences, int t) {
        float[] out = new float[sentences.size() * t * width];
        for (int i = 0; i < sentences.size(); i++) {
            String[] s = sentences.get(i);
            String[] c = EncoderVectors.content(s);
            if (c.length == 0) {
                continue;
            }
            short[] v = table.get(Arrays.asList(c));
            if (v == null) {
                throw new IllegalArgumentException("no precomputed pretrained vectors for the sentence '"
                        + String.join(" ", c) + "'");
            }
            int base = (i * t + s.length - c.length) * width;
            for (int k = 0; k < v.length; k++) {
                out[base + k] = Half.toFloat(v[k]);
            }
        }
        return out;
    }

    private static short[] toHalf(float[] v) {
        short[] h = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            h[i] = Half.fromFloat(v[i]);
        }
        return h;
    }

    /** Writes the table (to a temporary file beside {@code file}, then renamed over it). */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                1 << 20))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(width);
            out.writeInt(table.size());
            for (Map.Entry<List<String>, short[]> e : table.entrySet()) {
                out.writeInt(e.getKey().size());
                for (String f : e.getKey()) {
                    out.writeUTF(f);
                }
                for (short h : e.getValue()) {
                    out.writeShort(h);
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a table written by {@link #write}.
     *
     * @throws IOException for a foreign, truncated or inconsistent file
     */
    public static VectorTable read(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 20))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a SparseStruct vector table (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": unsupported vector table version " + version);
            }
            int width = in.readInt();
            int count = in.readInt();
            if (width < 1 || count < 0 || (long) count * width * 2 > size) {
                throw new IOException(file + ": inconsistent header (width " + width + ", " + count
                        + " sentences, " + size + " bytes)");
            }
            Map<List<String>, short[]> table = new HashMap<>();
            for (int i = 0; i < count; i++) {
                int n = in.readInt();
                if (n < 1 || n > MAX_TOKENS || (long) n * width * 2 > size) {
                    throw new IOException(file + ": sentence " + i + " declares " + n + " tokens");
                }
                String[] forms = new String[n];
                for (int k = 0; k < n; k++) {
                    forms[k] = in.readUTF();
                }
                short[] v = new short[n * width];
                for (int k = 0; k < v.length; k++) {
                    v[k] = in.readShort();
                }
                table.put(Arrays.asList(forms), v);
            }
            return new VectorTable(width, table);
        } catch (EOFException e) {
            throw new IOException(file + " is truncated", e);
        }
    }
}
