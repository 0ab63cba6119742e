package io.github.sparsestruct.models.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes SparseStruct model files: a zip holding {@code header.json} (format, version, task, creation
 * time, free-form metadata and the list of arrays with dtype, shape and SHA-256) and one entry per array of raw
 * little-endian row-major values. See {@code models/FORMAT.md}. No Java serialization is involved: a model file
 * can only yield JSON and numbers.
 */
public final class ModelFile {
    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The value of the header's {@code format} field. */
    public static final String FORMAT_NAME = "sparsestruct-model";
    /** The name of the header entry. */
    public static final String HEADER_ENTRY = "header.json";

    private static final Logger LOG = LoggerFactory.getLogger(ModelFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ARRAY_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+(/[A-Za-z0-9_.\\-]+)*");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int CHUNK = 1 << 20;
    /** The most bytes {@code header.json} may hold; checked before it is parsed. */
    static final int MAX_HEADER_BYTES = 64 << 20;
    /** The most dimensions an array may declare. */
    static final int MAX_RANK = 32;
    /** The most values one array holds: the largest Java array. */
    private static final long MAX_ARRAY_VALUES = Integer.MAX_VALUE - 8L;
    /** The most bytes one array entry holds. */
    private static final long MAX_ARRAY_BYTES = MAX_ARRAY_VALUES * 4;

    private ModelFile() {
    }

    /**
     * Writes a model file atomically (temporary file in the same directory, synced, then moved over {@code file})
     * so a crash never leaves a half-written model; missing parent directories are created. Arrays are written in
     * the map's iteration order.
     *
     * @param file     the model file to write (replaced when it exists)
     * @param task     the task the model is for ({@code ner}, {@code depparse}, {@code align}, ...)
     * @param metadata a JSON object (label sets, vocabularies, hyper-parameters, figures...); null for {@code {}}
     * @param arrays   the arrays by name; names are path-like ({@code encoder/lstm.W}: letters, digits,
     *                 {@code _ . -}, separated by {@code /})
     * @throws IOException when the file cannot be written; nothing is left behind then
     */
    public static void write(Path file, String task, JsonNode metadata, Map<String, Tensor> arrays)
            throws IOException {
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException("model task must be a non-blank name such as 'ner' or 'depparse'");
        }
        if (metadata != null && !metadata.isObject()) {
            throw new IllegalArgumentException("model metadata must be a JSON object, found " + metadata.getNodeType());
        }
        Map<String, Tensor> snapshot = new LinkedHashMap<>(arrays);
        ObjectNode header = JSON.createObjectNode();
        header.put("format", FORMAT_NAME);
        header.put("formatVersion", FORMAT_VERSION);
        header.put("task", task);
        header.put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        header.set("metadata", metadata == null ? JSON.createObjectNode() : metadata.deepCopy());
        ArrayNode list = header.putArray("arrays");
        Map<String, CRC32> crcs = new HashMap<>();
        byte[] buf = new byte[CHUNK];
        for (Map.Entry<String, Tensor> e : snapshot.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null || !ARRAY_NAME.matcher(name).matches() || Arrays.asList(name.split("/")).contains("..")
                    || Arrays.asList(name.split("/")).contains(".")) {
                throw new IllegalArgumentException("array name '" + name + "' is not allowed: use letters, digits, "
                        + "'_', '.', '-' and '/' between parts");
            }
            if (t == null) {
                throw new IllegalArgumentException("array '" + name + "' is null");
            }
            MessageDigest sha = sha256();
            CRC32 crc = new CRC32();
            forEachChunk(t, buf, n -> {
                sha.update(buf, 0, n);
                crc.update(buf, 0, n);
            });
            crcs.put(name, crc);
            ObjectNode a = list.addObject();
            a.put("name", name);
            a.put("dtype", t.dtype().jsonName());
            ArrayNode shape = a.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            a.put("entry", entryName(name));
            a.put("sha256", HexFormat.of().formatHex(sha.digest()));
        }
        writeAtomically(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.putNextEntry(new ZipEntry(HEADER_ENTRY));
                zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(header));
                zip.closeEntry();
                for (Map.Entry<String, Tensor> e : snapshot.entrySet()) {
                    Tensor t = e.getValue();
                    ZipEntry entry = new ZipEntry(entryName(e.getKey()));
                    long bytes = (long) t.size() * t.dtype().bytes();
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(bytes);
                    entry.setCompressedSize(bytes);
                    entry.setCrc(crcs.get(e.getKey()).getValue());
                    zip.putNextEntry(entry);
                    forEachChunk(t, buf, n -> zip.write(buf, 0, n));
                    zip.closeEntry();
                }
                zip.finish();
            }
        });
        LOG.debug("wrote {} model {} ({} arrays)", task, file, snapshot.size());
    }

    /**
     * Reads and validates a model file: header, format version, task, array entries, sizes and checksums. Every
     * size the header declares is checked against the bytes its entry really holds before any array is allocated.
     *
     * @param file         the model file
     * @param expectedTask the task the caller needs, or null to accept any
     * @throws ModelFormatException naming the file and what is wrong with it
     */
    public static LoadedModel read(Path file, String expectedTask) throws ModelFormatException {
        return read(file, expectedTask, Runtime.getRuntime().maxMemory());
    }

    /** {@link #read(Path, String)} with the heap the arrays may take given ({@code heapBytes}), for tests. */
    static LoadedModel read(Path file, String expectedTask, long heapBytes) throws ModelFormatException {
        String src = "model file " + file;
        if (!Files.exists(file)) {
            throw new ModelFormatException(src + " does not exist; check the path or the modelLocation parameter");
        }
        if (Files.isDirectory(file)) {
            throw new ModelFormatException(src + " is a directory; give the path of the model file inside it");
        }
        long t0 = System.nanoTime();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            long fileBytes = Files.size(file);
            ZipEntry headerEntry = zip.getEntry(HEADER_ENTRY);
            if (headerEntry == null) {
                throw noHeader(src);
            }
            if (headerEntry.getSize() > MAX_HEADER_BYTES) {
                throw headerTooLarge(src, headerEntry.getSize() + " bytes");
            }
            Header header;
            try (InputStream in = zip.getInputStream(headerEntry)) {
                header = parseHeader(readHeader(in, src), src, expectedTask);
            }
            // check every declared size against its entry before anything is allocated
            List<ZipEntry> entries = new ArrayList<>();
            long directoryTotal = 0;
            for (ArraySpec spec : header.arrays) {
                ZipEntry e = zip.getEntry(spec.entry);
                if (e == null) {
                    throw missingEntry(src, spec);
                }
                long stored = storedSize(e, fileBytes);
                if (stored >= 0) {
                    directoryTotal += stored;
                    checkEntrySize(src, spec, stored, false);
                } else if (e.getSize() >= 0 && e.getSize() != spec.bytes()) {
                    checkEntrySize(src, spec, e.getSize(), false);
                } else {
                    // compressed: count what it inflates to (up to one byte past the declared size), keeping nothing
                    long cap = measureCap(spec);
                    long real;
                    try (InputStream in = zip.getInputStream(e)) {
                        real = measure(in, cap);
                    }
                    checkEntrySize(src, spec, real, real == cap);
                }
                entries.add(e);
            }
            if (directoryTotal > fileBytes) {
                throw new ModelFormatException(src + " is corrupt: its uncompressed array entries claim "
                        + directoryTotal + " bytes in all, more than the file's " + fileBytes
                        + " bytes; re-download or re-export the model");
            }
            checkHeap(src, header, heapBytes);
            Map<String, Tensor> arrays = new LinkedHashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                ArraySpec spec = header.arrays.get(i);
                try (InputStream in = zip.getInputStream(entries.get(i))) {
                    arrays.put(spec.name, decode(in, spec, src));
                }
            }
            LoadedModel m = new LoadedModel(header.task, header.version, header.metadata, arrays, file,
                    file.toString());
            LOG.debug("read {} in {} ms", src, (System.nanoTime() - t0) / 1_000_000);
            return m;
        } catch (ModelFormatException e) {
            throw e;
        } catch (ZipException | EOFException e) {
            throw zipError(src, e);
        } catch (IOException e) {
            throw new ModelFormatException(src + " cannot be read: " + e + "; check its permissions and the disk", e);
        }
    }

    /**
     * Reads and validates a model from a stream, for models bundled as resources. The stream is read to its end
     * (held in memory while decoding) but not closed. A first pass over the zip finds the header and measures every
     * entry without keeping its bytes; arrays are allocated in a second pass, once every declared size has been
     * checked against its entry.
     *
     * @param in           the zip bytes
     * @param sourceName   names the model in messages (a resource path, a URL)
     * @param expectedTask the task the caller needs, or null to accept any
     * @throws ModelFormatException naming the source and what is wrong with it
     */
    public static LoadedModel read(InputStream in, String sourceName, String expectedTask)
            throws ModelFormatException {
        return read(in, sourceName, expectedTask, Runtime.getRuntime().maxMemory());
    }

    /** {@link #read(InputStream, String, String)} with the heap the arrays may take given, for tests. */
    static LoadedModel read(InputStream in, String sourceName, String expectedTask, long heapBytes)
            throws ModelFormatException {
        String src = "model file " + sourceName;
        byte[] all;
        try {
            all = in.readAllBytes();
        } catch (IOException e) {
            throw new ModelFormatException(src + " cannot be read: " + e, e);
        }
        if (!hasEndOfCentralDirectory(all)) {
            throw truncated(src, new ZipException(all.length == 0 ? "the stream is empty"
                    : "no end-of-central-directory record in " + all.length + " bytes"));
        }
        Header header = null;
        Map<String, Long> sizes = new HashMap<>();
        Map<String, Boolean> capped = new HashMap<>();
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(all))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                entries++;
                if (e.isDirectory() || sizes.containsKey(e.getName())) {
                    continue;
                }
                if (e.getName().equals(HEADER_ENTRY)) {
                    if (e.getSize() > MAX_HEADER_BYTES) {
                        throw headerTooLarge(src, e.getSize() + " bytes");
                    }
                    header = parseHeader(readHeader(zip, src), src, expectedTask);
                    sizes.put(HEADER_ENTRY, -1L);
                } else {
                    ArraySpec spec = header == null ? null : header.byEntry.get(e.getName());
                    if (header != null && spec == null) {
                        continue; // not listed: skipped unread
                    }
                    long cap = spec != null ? measureCap(spec) : MAX_ARRAY_BYTES + 1;
                    long real = measure(zip, cap);
                    sizes.put(e.getName(), real);
                    capped.put(e.getName(), real == cap);
                }
            }
        } catch (ModelFormatException e) {
            throw e;
        } catch (ZipException | EOFException e) {
            throw zipError(src, e);
        } catch (IOException e) {
            throw new ModelFormatException(src + " cannot be read: " + e, e);
        }
        if (entries == 0) {
            throw truncated(src, new ZipException("no zip entries found"));
        }
        if (header == null) {
            throw noHeader(src);
        }
        for (ArraySpec spec : header.arrays) {
            Long real = sizes.get(spec.entry);
            if (real == null) {
                throw missingEntry(src, spec);
            }
            checkEntrySize(src, spec, real, capped.get(spec.entry));
        }
        checkHeap(src, header, heapBytes);
        Map<String, Tensor> decoded = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(all))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                ArraySpec spec = header.byEntry.get(e.getName());
                if (spec != null && !decoded.containsKey(spec.name)) {
                    decoded.put(spec.name, decode(zip, spec, src));
                }
            }
        } catch (ModelFormatException e) {
            throw e;
        } catch (ZipException | EOFException e) {
            throw zipError(src, e);
        } catch (IOException e) {
            throw new ModelFormatException(src + " cannot be read: " + e, e);
        }
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        for (ArraySpec spec : header.arrays) {
            Tensor t = decoded.get(spec.name);
            if (t == null) {
                throw missingEntry(src, spec);
            }
            arrays.put(spec.name, t);
        }
        return new LoadedModel(header.task, header.version, header.metadata, arrays, null, sourceName);
    }

    /**
     * The byte size of an uncompressed entry as the zip directory gives it, when that size is consistent (equal to
     * the compressed size and within the file); -1 for a compressed entry or an inconsistent one.
     */
    private static long storedSize(ZipEntry e, long fileBytes) {
        long size = e.getSize();
        if (e.getMethod() == ZipEntry.STORED && size >= 0 && size == e.getCompressedSize() && size <= fileBytes) {
            return size;
        }
        return -1;
    }

    /** How far to count an entry's bytes: one past its declared size (capped for a declaration too large). */
    private static long measureCap(ArraySpec spec) {
        return spec.count < 0 ? MAX_ARRAY_BYTES + 1 : spec.bytes() + 1;
    }

    /** Reads and drops up to {@code cap} bytes, returning how many there were. */
    private static long measure(InputStream in, long cap) throws IOException {
        byte[] buf = new byte[8192];
        long n = 0;
        while (n < cap) {
            int got = in.read(buf, 0, (int) Math.min(buf.length, cap - n));
            if (got < 0) {
                break;
            }
            n += got;
        }
        return n;
    }

    /**
     * Fails unless the entry of {@code spec} holds exactly the bytes its declared shape needs.
     *
     * @param real   the entry's real size in bytes
     * @param atLeast whether {@code real} is a lower bound (counting stopped there)
     */
    private static void checkEntrySize(String src, ArraySpec spec, long real, boolean atLeast)
            throws ModelFormatException {
        String holds = (atLeast ? "more than " + (real - 1) : String.valueOf(real)) + " bytes";
        String decl = "array '" + spec.name + "' declares shape " + Arrays.toString(spec.shape) + " "
                + spec.dtype.jsonName();
        if (spec.count < 0) {
            throw new ModelFormatException(src + ": " + decl + ", " + spec.countProblem + ", but its entry "
                    + spec.entry + " holds " + holds + "; header.json is corrupt or was edited: re-download or "
                    + "re-export the model");
        }
        if (real != spec.bytes()) {
            String why = real < spec.bytes() ? "the entry is short: the file is truncated, corrupt or was edited"
                    : "header.json and the data disagree";
            throw new ModelFormatException(src + ": " + decl + ", which needs " + spec.bytes() + " bytes, but its "
                    + "entry " + spec.entry + " holds " + holds + "; " + why + ": re-download or re-export the model");
        }
    }

    /** Fails when the arrays, all checked against their entries, need more memory than the heap may grow to. */
    private static void checkHeap(String src, Header header, long heapBytes) throws ModelFormatException {
        long total = 0;
        for (ArraySpec spec : header.arrays) {
            total += spec.bytes();
        }
        if (total > heapBytes) {
            throw new ModelFormatException(src + ": its arrays need " + mib(total) + " of memory but this JVM's "
                    + "heap is limited to " + mib(heapBytes) + "; give Java more memory (-Xmx, for bin/sparsestruct "
                    + "SPARSESTRUCT_JAVA_OPTS) or use a smaller model");
        }
    }

    private static String mib(long bytes) {
        return bytes < 1 << 20 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static ModelFormatException headerTooLarge(String src, String size) {
        return new ModelFormatException(src + ": " + HEADER_ENTRY + " holds " + size + ", more than the "
                + MAX_HEADER_BYTES + " bytes this build reads; it is corrupt or not a SparseStruct model: "
                + "re-download or re-export it");
    }

    private static byte[] readHeader(InputStream in, String src) throws IOException {
        byte[] b = in.readNBytes(MAX_HEADER_BYTES);
        if (b.length == MAX_HEADER_BYTES && in.read() != -1) {
            throw headerTooLarge(src, "more than " + MAX_HEADER_BYTES + " bytes");
        }
        return b;
    }

    /** Whether the last 64 KiB + 22 bytes hold a zip end-of-central-directory record (PK 5 6). */
    private static boolean hasEndOfCentralDirectory(byte[] b) {
        int stop = Math.max(0, b.length - 22 - 0xFFFF);
        for (int i = b.length - 22; i >= stop; i--) {
            if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 5 && b[i + 3] == 6) {
                return true;
            }
        }
        return false;
    }

    /** The zip entry holding array {@code name}: {@code arrays/NAME.bin}. */
    public static String entryName(String name) {
        return "arrays/" + name + ".bin";
    }

    /** Writes through {@code body} into a temporary file beside {@code file}, then moves it into place. */
    static void writeAtomically(Path file, IoConsumer<OutputStream> body) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream raw = Channels.newOutputStream(ch);
                OutputStream out = new BufferedOutputStream(new NonClosingOutputStream(raw), 1 << 16);
                body.accept(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** A consumer that may throw {@link IOException}. */
    @FunctionalInterface
    interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }

    private static final class NonClosingOutputStream extends OutputStream {
        private final OutputStream out;

        NonClosingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush(); // the channel is closed by its owner after it is forced to disk
        }
    }

    private interface ChunkSink {
        void accept(int bytes) throws IOException;
    }

    /** Encodes a tensor little-endian into {@code buf} a chunk at a time. */
    private static void forEachChunk(Tensor t, byte[] buf, ChunkSink sink) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        int per = buf.length / 4;
        int n = t.size();
        for (int off = 0; off < n; off += per) {
            int k = Math.min(per, n - off);
            if (t.dtype() == Tensor.DType.FLOAT32) {
                bb.clear();
                bb.asFloatBuffer().put(t.data(), off, k);
            } else {
                bb.clear();
                bb.asIntBuffer().put(t.intData(), off, k);
            }
            sink.accept(k * 4);
        }
    }

    private static Tensor decode(InputStream in, ArraySpec spec, String src) throws IOException {
        int count = Math.toIntExact(spec.count);
        long expected = spec.count * spec.dtype.bytes();
        MessageDigest sha = sha256();
        float[] f = spec.dtype == Tensor.DType.FLOAT32 ? new float[count] : null;
        int[] ints = f == null ? new int[count] : null;
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(expected, 1))];
        long readSoFar = 0;
        while (readSoFar < expected) {
            int want = (int) Math.min(buf.length, expected - readSoFar);
            int got = in.readNBytes(buf, 0, want);
            sha.update(buf, 0, got);
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, got).order(ByteOrder.LITTLE_ENDIAN);
            int off = (int) (readSoFar / 4);
            if (f != null) {
                bb.asFloatBuffer().get(f, off, got / 4);
            } else {
                bb.asIntBuffer().get(ints, off, got / 4);
            }
            readSoFar += got;
            if (got < want) {
                throw new ModelFormatException(src + ": array '" + spec.name + "' entry " + spec.entry
                        + " is short: it holds " + readSoFar + " bytes, shape " + Arrays.toString(spec.shape) + " "
                        + spec.dtype.jsonName() + " needs " + expected + "; the file is truncated or corrupt: "
                        + "re-download or re-export the model");
            }
        }
        long extra = in.transferTo(OutputStream.nullOutputStream());
        if (extra > 0) {
            throw new ModelFormatException(src + ": array '" + spec.name + "' entry " + spec.entry + " holds "
                    + (expected + extra) + " bytes but shape " + Arrays.toString(spec.shape) + " "
                    + spec.dtype.jsonName() + " needs " + expected + "; header.json and the data disagree: "
                    + "re-export the model");
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equalsIgnoreCase(spec.sha256)) {
            throw new ModelFormatException(src + " is corrupt: array '" + spec.name + "' (" + spec.entry
                    + ") has SHA-256 " + actual + " but header.json says " + spec.sha256.toLowerCase(Locale.ROOT)
                    + "; re-download or re-export the model");
        }
        return new Tensor(spec.shape, f, ints);
    }

    /**
     * One array as header.json lists it.
     *
     * @param count        the number of values, or -1 when the shape holds more than one Java array can
     * @param countProblem why {@code count} is -1, or null
     */
    private record ArraySpec(String name, Tensor.DType dtype, long[] shape, long count, String countProblem,
                             String entry, String sha256) {
        /** The bytes the declared shape needs (-1 when it is too large). */
        long bytes() {
            return count < 0 ? -1 : count * dtype.bytes();
        }
    }

    private record Header(String task, int version, JsonNode metadata, List<ArraySpec> arrays,
                          Map<String, ArraySpec> byEntry) {
    }

    private static Header parseHeader(byte[] bytes, String src, String expectedTask) throws ModelFormatException {
        JsonNode h;
        try {
            h = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(src + " has a malformed header.json (" + e.getOriginalMessage()
                    + "); re-export the model", e);
        } catch (IOException e) {
            throw new ModelFormatException(src + " has an unreadable header.json: " + e, e);
        }
        if (h == null || !h.isObject()) {
            throw new ModelFormatException(src + ": header.json is not a JSON object; it is not a SparseStruct model");
        }
        JsonNode format = h.get("format");
        if (format == null || !format.isTextual() || !format.asText().equals(FORMAT_NAME)) {
            throw new ModelFormatException(src + " is not a SparseStruct model: header.json has format "
                    + (format == null ? "(missing)" : format.toString()) + ", expected \"" + FORMAT_NAME + "\"");
        }
        JsonNode v = h.get("formatVersion");
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new ModelFormatException(src + ": header.json has no integer formatVersion; re-export the model");
        }
        int version = v.intValue();
        if (version != FORMAT_VERSION) {
            String what = version > FORMAT_VERSION ? "use a newer SparseStruct build to read it"
                    : "re-export it with this build";
            throw new ModelFormatException(src + " is format version " + version + ", this build reads version "
                    + FORMAT_VERSION + "; " + what);
        }
        String task = text(h, "task", src);
        if (expectedTask != null && !expectedTask.equals(task)) {
            throw new ModelFormatException(src + " is a '" + task + "' model, expected '" + expectedTask
                    + "'; pass a " + expectedTask + " model");
        }
        JsonNode metadata = h.get("metadata");
        if (metadata == null || metadata.isNull()) {
            metadata = JSON.createObjectNode();
        } else if (!metadata.isObject()) {
            throw new ModelFormatException(src + ": header.json metadata is not a JSON object; re-export the model");
        }
        JsonNode list = h.get("arrays");
        if (list == null || !list.isArray()) {
            throw new ModelFormatException(src + ": header.json has no \"arrays\" list; re-export the model");
        }
        List<ArraySpec> specs = new ArrayList<>();
        Map<String, ArraySpec> byEntry = new HashMap<>();
        Map<String, ArraySpec> byName = new HashMap<>();
        for (JsonNode a : list) {
            if (!a.isObject()) {
                throw new ModelFormatException(src + ": header.json lists an array that is not an object: " + a);
            }
            String name = text(a, "name", src);
            String dtypeName = text(a, "dtype", src);
            Tensor.DType dtype = Tensor.DType.fromJsonName(dtypeName);
            if (dtype == null) {
                throw new ModelFormatException(src + ": array '" + name + "' has dtype '" + dtypeName
                        + "', this build reads float32 and int32");
            }
            JsonNode shapeNode = a.get("shape");
            if (shapeNode == null || !shapeNode.isArray()) {
                throw new ModelFormatException(src + ": array '" + name + "' has no shape list in header.json");
            }
            if (shapeNode.size() > MAX_RANK) {
                throw new ModelFormatException(src + ": array '" + name + "' declares " + shapeNode.size()
                        + " dimensions, more than the " + MAX_RANK + " this build reads; header.json is corrupt or "
                        + "was edited: re-download or re-export the model");
            }
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                    throw new ModelFormatException(src + ": array '" + name + "' has a bad shape " + shapeNode
                            + " in header.json (dimensions are non-negative integers); re-download or re-export "
                            + "the model");
                }
                shape[i] = d.longValue();
            }
            // a shape too large for one array is reported with its entry's real size, once that is known
            long count = 1;
            String countProblem = null;
            if (Arrays.stream(shape).anyMatch(d -> d == 0)) {
                count = 0;
            } else {
                for (long d : shape) {
                    count = multiplyOrMinusOne(count, d);
                    if (count < 0) {
                        countProblem = "whose element count overflows 64 bits";
                        break;
                    }
                }
                if (count > MAX_ARRAY_VALUES) {
                    countProblem = "which holds " + count + " values, more than one array can (" + MAX_ARRAY_VALUES
                            + ")";
                    count = -1;
                }
            }
            String entry = text(a, "entry", src);
            String sha = text(a, "sha256", src);
            if (!SHA256_HEX.matcher(sha).matches()) {
                throw new ModelFormatException(src + ": array '" + name + "' has a malformed sha256 '" + sha
                        + "' (64 hex digits expected)");
            }
            ArraySpec spec = new ArraySpec(name, dtype, shape, count, countProblem, entry, sha);
            if (byName.put(name, spec) != null || byEntry.put(entry, spec) != null) {
                throw new ModelFormatException(src + ": header.json lists array '" + name + "' or entry " + entry
                        + " twice; re-export the model");
            }
            specs.add(spec);
        }
        return new Header(task, version, metadata, specs, byEntry);
    }

    /** a × b for non-negative a and b, or -1 when it overflows. */
    private static long multiplyOrMinusOne(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? -1 : lo;
    }

    private static String text(JsonNode n, String field, String src) throws ModelFormatException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new ModelFormatException(src + ": header.json lacks the text field \"" + field + "\" in " + n
                    .toString().substring(0, Math.min(200, n.toString().length())) + "; re-export the model");
        }
        return v.asText();
    }

    private static byte[] readBounded(InputStream in, int max, String src) throws IOException {
        byte[] b = in.readNBytes(max);
        if (b.length == max && in.read() != -1) {
            throw new ModelFormatException(src + ": a zip entry is larger than " + max + " bytes; not a SparseStruct"
                    + " model");
        }
        return b;
    }

    private static ModelFormatException zipError(String src, IOException cause) {
        String m = String.valueOf(cause.getMessage());
        if (cause instanceof ZipException && m.startsWith("invalid entry")) {
            return new ModelFormatException(src + " is corrupt: " + m + "; re-download or re-export the model", cause);
        }
        return truncated(src, cause);
    }

    private static ModelFormatException truncated(String src, IOException cause) {
        return new ModelFormatException(src + " is truncated or not a SparseStruct model (zip): " + cause.getMessage()
                + "; re-download or re-export it", cause);
    }

    private static ModelFormatException noHeader(String src) {
        return new ModelFormatException(src + " has no " + HEADER_ENTRY + ": it is a zip but not a SparseStruct model");
    }

    private static ModelFormatException missingEntry(String src, ArraySpec spec) {
        return new ModelFormatException(src + " lists array '" + spec.name + "' but has no entry " + spec.entry
                + "; the file is incomplete: re-download or re-export it");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }
}
