package io.github.sparsestruct.bert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * A TensorFlow tensor bundle (a SavedModel's {@code variables/}) read without TensorFlow: the index
 * {@code variables.index} is a LevelDB-style table of {@code BundleEntryProto} values (uncompressed blocks, 48-byte
 * footer) and the values lie in the single shard {@code variables.data-00000-of-00001}. Only little-endian
 * {@code DT_FLOAT} tensors can be read as values. Thread-safe; close it to release the data file.
 */
public final class TensorBundle implements AutoCloseable {
    /** The index file's name inside the variables folder. */
    public static final String INDEX = "variables.index";
    /** The (single) data shard's name inside the variables folder. */
    public static final String DATA = "variables.data-00000-of-00001";
    /** The sstable footer's magic number (stored little-endian in the last 8 bytes). */
    public static final long MAGIC = 0xdb4775248b80fb57L;
    static final int FOOTER = 48;
    static final int DT_FLOAT = 1;
    private static final int MAX_INDEX_BYTES = 64 << 20;

    private record Entry(int dtype, long[] shape, int shard, long offset, long size) {}

    private final Path dataFile;
    private final FileChannel data;
    private final Map<String, Entry> entries;

    private TensorBundle(Path dataFile, FileChannel data, Map<String, Entry> entries) {
        this.dataFile = dataFile;
        this.data = data;
        this.entries = entries;
    }

    /**
     * Opens the bundle in {@code variablesDir} and checks every entry against the data file's length.
     *
     * @throws IOException a file is missing, truncated, foreign (wrong magic), corrupt or uses compressed blocks
     */
    public static TensorBundle open(Path variablesDir) throws IOException {
        Path index = variablesDir.resolve(INDEX);
        Path dataFile = variablesDir.resolve(DATA);
        if (!Files.isRegularFile(index)) {
            throw new NoSuchFileException(index.toString(), null, "tensor bundle index not found");
        }
        if (!Files.isRegularFile(dataFile)) {
            throw new NoSuchFileException(dataFile.toString(), null, "tensor bundle data file not found");
        }
        long indexSize = Files.size(index);
        if (indexSize < FOOTER) {
            throw new IOException(index + ": truncated or not a tensor bundle index (" + indexSize
                    + " bytes, shorter than the " + FOOTER + "-byte footer)");
        }
        if (indexSize > MAX_INDEX_BYTES) {
            throw new IOException(index + ": index of " + indexSize + " bytes is implausibly large");
        }
        Map<String, Entry> entries = readIndex(index, Files.readAllBytes(index));
        FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.READ);
        try {
            long dataSize = ch.size();
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                Entry en = e.getValue();
                if (en.shard != 0) {
                    throw new IOException(index + ": tensor " + e.getKey() + " lies in shard " + en.shard
                            + "; only single-shard bundles are supported");
                }
                if (en.offset < 0 || en.size < 0 || en.offset + en.size > dataSize) {
                    throw new IOException(dataFile + ": truncated: tensor " + e.getKey() + " needs bytes "
                            + en.offset + ".." + (en.offset + en.size) + " but the file has " + dataSize);
                }
            }
        } catch (IOException | RuntimeException ex) {
            ch.close();
            throw ex;
        }
        return new TensorBundle(dataFile, ch, Collections.unmodifiableMap(entries));
    }

    /** The tensor names in index (sorted) order. */
    public Set<String> names() {
        return entries.keySet();
    }

    /** The shape of the named tensor (a copy). */
    public long[] shape(String name) {
        return entry(name).shape.clone();
    }

    /** The TensorFlow dtype code of the named tensor ({@code 1} = {@code DT_FLOAT}). */
    public int dtype(String name) {
        return entry(name).dtype;
    }

    /**
     * The values of a {@code DT_FLOAT} tensor, row-major.
     *
     * @throws IllegalArgumentException unknown name, another dtype, or a size that does not match the shape
     * @throws IOException the data file cannot be read
     */
    public float[] floats(String name) throws IOException {
        Entry e = entry(name);
        if (e.dtype != DT_FLOAT) {
            throw new IllegalArgumentException("tensor " + name + " has dtype " + e.dtype + ", not DT_FLOAT (1)");
        }
        long n = 1;
        for (long d : e.shape) {
            n = Math.multiplyExact(n, d);
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("tensor " + name + " has too many values for one array");
            }
        }
        if (e.size != 4 * n) {
            throw new IllegalArgumentException("tensor " + name + ": " + e.size + " bytes stored, but shape "
                    + java.util.Arrays.toString(e.shape) + " needs " + 4 * n);
        }
        float[] out = new float[(int) n];
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(e.size, 1 << 20)).order(ByteOrder.LITTLE_ENDIAN);
        long pos = e.offset;
        int at = 0;
        while (at < out.length) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), 4L * (out.length - at)));
            while (buf.hasRemaining()) {
                if (data.read(buf, pos + buf.position()) < 0) {
                    throw new IOException(dataFile + ": truncated while reading " + name);
                }
            }
            buf.flip();
            int k = buf.remaining() / 4;
            buf.asFloatBuffer().get(out, at, k);
            at += k;
            pos += 4L * k;
        }
        return out;
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tensor named " + name + " in " + dataFile.getParent());
        }
        return e;
    }

    @Override
    public void close() throws IOException {
        data.close();
    }

    // ---- the sstable ------------------------------------------------------------------------------------------

    private static Map<String, Entry> readIndex(Path file, byte[] b) throws IOException {
        int f = b.length - FOOTER;
        long magic = ByteBuffer.wrap(b, b.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (magic != MAGIC) {
            throw new IOException(file + ": not a tensor bundle index (wrong table magic 0x"
                    + Long.toHexString(magic) + ", expected 0x" + Long.toHexString(MAGIC) + ")");
        }
        Reader footer = new Reader(file, b, f, b.length - 8);
        footer.varint(); // metaindex handle: unused
        footer.varint();
        long indexOff = footer.varint();
        long indexLen = footer.varint();
        Map<String, Entry> out = new LinkedHashMap<>();
        for (byte[][] kv : block(file, b, indexOff, indexLen)) {
            Reader h = new Reader(file, kv[1], 0, kv[1].length);
            long off = h.varint();
            long len = h.varint();
            for (byte[][] e : block(file, b, off, len)) {
                if (e[0].length == 0) {
                    continue; // the header entry (BundleHeaderProto)
                }
                out.put(new String(e[0], StandardCharsets.UTF_8), parseEntry(file, e[1]));
            }
        }
        return out;
    }

    /** The key/value pairs of the block at {@code off} (length {@code len}, then a 5-byte trailer). */
    private static List<byte[][]> block(Path file, byte[] b, long off, long len) throws IOException {
        if (off < 0 || len < 4 || off + len + 5 > b.length - FOOTER) {
            throw new IOException(file + ": truncated or corrupt index (block " + off + "+" + len
                    + " outside the " + b.length + "-byte file)");
        }
        int o = (int) off;
        int n = (int) len;
        if (b[o + n] != 0) {
            throw new IOException(file + ": compressed index block (compression type " + b[o + n]
                    + "); only uncompressed tables are supported");
        }
        CRC32C crc = new CRC32C();
        crc.update(b, o, n + 1);
        int c = (int) crc.getValue();
        int masked = ((c >>> 15) | (c << 17)) + 0xa282ead8;
        int stored = ByteBuffer.wrap(b, o + n + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (masked != stored) {
            throw new IOException(file + ": corrupt index (block checksum mismatch at offset " + off + ")");
        }
        int restarts = ByteBuffer.wrap(b, o + n - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        long end = (long) n - 4 - 4L * restarts;
        if (restarts < 0 || end < 0) {
            throw new IOException(file + ": corrupt index (bad restart count " + restarts + ")");
        }
        Reader r = new Reader(file, b, o, o + (int) end);
        List<byte[][]> out = new ArrayList<>();
        byte[] key = new byte[0];
        while (r.pos < r.end) {
            long shared = r.varint();
            int own = r.length();
            int vlen = r.length();
            if (shared < 0 || shared > key.length) {
                throw new IOException(file + ": corrupt index (shared key prefix longer than the previous key)");
            }
            byte[] k = new byte[(int) shared + own];
            System.arraycopy(key, 0, k, 0, (int) shared);
            System.arraycopy(r.bytes(own), 0, k, (int) shared, own);
            key = k;
            out.add(new byte[][] {k, r.bytes(vlen)});
        }
        return out;
    }

    /** BundleEntryProto: dtype = 1, shape = 2, shard_id = 3, offset = 4, size = 5 (crc32c = 6, slices = 7 skipped). */
    private static Entry parseEntry(Path file, byte[] v) throws IOException {
        Reader r = new Reader(file, v, 0, v.length);
        int dtype = 0;
        int shard = 0;
        long offset = 0;
        long size = 0;
        List<Long> shape = new ArrayList<>();
        while (r.pos < r.end) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (wire == 0) {
                long x = r.varint();
                switch (field) {
                    case 1 -> dtype = (int) x;
                    case 3 -> shard = (int) x;
                    case 4 -> offset = x;
                    case 5 -> size = x;
                    default -> { }
                }
            } else if (wire == 2) {
                byte[] sub = r.bytes(r.length());
                if (field == 2) {
                    parseShape(file, sub, shape);
                }
            } else {
                r.skip(wire);
            }
        }
        long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
        return new Entry(dtype, dims, shard, offset, size);
    }

    /** TensorShapeProto: repeated Dim dim = 2 { int64 size = 1; string name = 2 }. */
    private static void parseShape(Path file, byte[] s, List<Long> shape) throws IOException {
        Reader r = new Reader(file, s, 0, s.length);
        while (r.pos < r.end) {
            long tag = r.varint();
            if ((tag & 7) != 2) {
                r.skip((int) (tag & 7));
                continue;
            }
            byte[] d = r.bytes(r.length());
            if ((tag >>> 3) != 2) {
                continue;
            }
            Reader dr = new Reader(file, d, 0, d.length);
            long size = 0;
            while (dr.pos < dr.end) {
                long t = dr.varint();
                if ((t & 7) == 0 && (t >>> 3) == 1) {
                    size = dr.varint();
                } else {
                    dr.skip((int) (t & 7));
                }
            }
            if (size < 0) {
                throw new IOException(file + ": corrupt index (negative dimension " + size + ")");
            }
            shape.add(size);
        }
    }

    /** A bounds-checked cursor over a byte range: varints and length-delimited fields. */
    private static final class Reader {
        final Path file;
        final byte[] b;
        int pos;
        final int end;

        Reader(Path file, byte[] b, int pos, int end) {
            this.file = file;
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        long varint() throws IOException {
            long r = 0;
            for (int s = 0; s < 64; s += 7) {
                if (pos >= end) {
                    throw corrupt("truncated varint");
                }
                int c = b[pos++] & 0xff;
                r |= (long) (c & 0x7f) << s;
                if (c < 0x80) {
                    return r;
                }
            }
            throw corrupt("varint too long");
        }

        int length() throws IOException {
            long n = varint();
            if (n < 0 || n > end - pos) {
                throw corrupt("length " + n + " runs past the end");
            }
            return (int) n;
        }

        byte[] bytes(int n) throws IOException {
            if (n > end - pos) {
                throw corrupt("field runs past the end");
            }
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        void skip(int wire) throws IOException {
            switch (wire) {
                case 0 -> varint();
                case 1 -> bytes(8);
                case 2 -> bytes(length());
                case 5 -> bytes(4);
                default -> throw corrupt("unsupported wire type " + wire);
            }
        }

        private IOException corrupt(String what) {
            return new IOException(file + ": corrupt index (" + what + ")");
        }
    }
}
