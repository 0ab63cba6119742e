package io.github.sparsestruct.bert;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Test-only writer of a TensorFlow tensor bundle, written from the LevelDB table format (independently of
 * {@link TensorBundle}): one data block (prefix-compressed keys, a restart point every 4 entries), an empty metaindex
 * block, an index block, the 48-byte footer; values are BundleEntryProto messages, the first entry (key "") a
 * BundleHeaderProto.
 */
final class TestBundleWriter {
    /** One tensor: TF dtype code, shape and raw little-endian bytes. */
    record Tensor(int dtype, long[] shape, byte[] bytes) {
        static Tensor floats(float[] v, long... shape) {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : v) {
                b.putFloat(x);
            }
            return new Tensor(1, shape, b.array());
        }
    }

    private final TreeMap<String, Tensor> tensors = new TreeMap<>();
    /** Compression type byte written after the data block (0 = none; 1 = snappy, which readers must refuse). */
    int dataBlockCompression = 0;

    TestBundleWriter put(String name, Tensor t) {
        tensors.put(name, t);
        return this;
    }

    TestBundleWriter put(String name, float[] v, long... shape) {
        return put(name, Tensor.floats(v, shape));
    }

    /** Writes {@code dir/variables.index} and {@code dir/variables.data-00000-of-00001}. */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        List<byte[][]> kvs = new ArrayList<>();
        kvs.add(new byte[][] {new byte[0], header()});
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long offset = data.size();
            data.write(t.bytes);
            kvs.add(new byte[][] {e.getKey().getBytes(StandardCharsets.UTF_8), entry(t, offset)});
            while (data.size() % 8 != 0) {
                data.write(0); // TF pads too; offsets stay exact
            }
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        long dataOff = file.size();
        byte[] dataBlock = block(kvs);
        writeBlock(file, dataBlock, dataBlockCompression);
        long metaOff = file.size();
        byte[] meta = block(List.of());
        writeBlock(file, meta, 0);
        long indexOff = file.size();
        ByteArrayOutputStream handle = new ByteArrayOutputStream();
        varint(handle, dataOff);
        varint(handle, dataBlock.length);
        byte[] index = block(List.<byte[][]>of(new byte[][] {kvs.get(kvs.size() - 1)[0], handle.toByteArray()}));
        writeBlock(file, index, 0);
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        varint(footer, metaOff);
        varint(footer, meta.length);
        varint(footer, indexOff);
        varint(footer, index.length);
        while (footer.size() < 40) {
            footer.write(0);
        }
        footer.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0xdb4775248b80fb57L).array());
        file.write(footer.toByteArray());
        Files.write(dir.resolve("variables.index"), file.toByteArray());
        Files.write(dir.resolve("variables.data-00000-of-00001"), data.toByteArray());
    }

    private static byte[] header() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        varint(b, 1 << 3); // num_shards = 1
        varint(b, 1);
        return b.toByteArray();
    }

    private static byte[] entry(Tensor t, long offset) {
        ByteArrayOutputStream shape = new ByteArrayOutputStream();
        for (long d : t.shape) {
            ByteArrayOutputStream dim = new ByteArrayOutputStream();
            varint(dim, 1 << 3);
            varint(dim, d);
            varint(shape, (2 << 3) | 2);
            varint(shape, dim.size());
            shape.writeBytes(dim.toByteArray());
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        varint(b, 1 << 3);
        varint(b, t.dtype);
        varint(b, (2 << 3) | 2);
        varint(b, shape.size());
        b.writeBytes(shape.toByteArray());
        if (offset != 0) {
            varint(b, 4 << 3);
            varint(b, offset);
        }
        varint(b, 5 << 3);
        varint(b, t.bytes.length);
        b.write((6 << 3) | 5); // crc32c (fixed32), skipped by readers
        b.writeBytes(new byte[] {1, 2, 3, 4});
        return b.toByteArray();
    }

    /** A block's contents (without its trailer): entries, restart offsets, restart count. */
    private static byte[] block(List<byte[][]> kvs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        List<Integer> restarts = new ArrayList<>();
        byte[] prev = new byte[0];
        for (int i = 0; i < kvs.size(); i++) {
            byte[] k = kvs.get(i)[0];
            byte[] v = kvs.get(i)[1];
            int shared = 0;
            if (i % 4 == 0) {
                restarts.add(b.size());
            } else {
                while (shared < prev.length && shared < k.length && prev[shared] == k[shared]) {
                    shared++;
                }
            }
            varint(b, shared);
            varint(b, k.length - shared);
            varint(b, v.length);
            b.write(k, shared, k.length - shared);
            b.writeBytes(v);
            prev = k;
        }
        if (restarts.isEmpty()) {
            restarts.add(0);
        }
        ByteBuffer r = ByteBuffer.allocate(4 * restarts.size() + 4).order(ByteOrder.LITTLE_ENDIAN);
        restarts.forEach(r::putInt);
        r.putInt(restarts.size());
        b.writeBytes(r.array());
        return b.toByteArray();
    }

    private static void writeBlock(ByteArrayOutputStream file, byte[] block, int compression) {
        file.writeBytes(block);
        file.write(compression);
        CRC32C crc = new CRC32C();
        crc.update(block);
        crc.update(compression);
        int c = (int) crc.getValue();
        int masked = ((c >>> 15) | (c << 17)) + 0xa282ead8;
        file.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(masked).array());
    }

    private static void varint(ByteArrayOutputStream b, long v) {
        while ((v & ~0x7fL) != 0) {
            b.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        b.write((int) v);
    }
}
