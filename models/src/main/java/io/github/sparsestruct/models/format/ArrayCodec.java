package io.github.sparsestruct.models.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The bytes of one array entry: raw little-endian row-major values, encoded a chunk at a time and decoded with
 * the declared size and SHA-256 checked.
 */
final class ArrayCodec {
    /** The chunk size of encoding and decoding. */
    static final int CHUNK = 1 << 20;

    private ArrayCodec() {
    }

    /** Receives the bytes of one encoded chunk. */
    interface ChunkSink {
        void accept(int bytes) throws IOException;
    }

    /** Encodes a tensor little-endian into {@code buf} a chunk at a time. */
    static void forEachChunk(Tensor t, byte[] buf, ChunkSink sink) throws IOException {
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

    /** Decodes the entry of {@code spec}, failing unless it holds exactly the declared bytes with their SHA-256. */
    static Tensor decode(InputStream in, ArraySpec spec, String src) throws IOException {
        int count = Math.toIntExact(spec.count());
        long expected = spec.count() * spec.dtype().bytes();
        MessageDigest sha = sha256();
        float[] f = spec.dtype() == Tensor.DType.FLOAT32 ? new float[count] : null;
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
                throw new ModelFormatException(src + ": array '" + spec.name() + "' entry " + spec.entry()
                        + " is short: it holds " + readSoFar + " bytes, shape " + Arrays.toString(spec.shape()) + " "
                        + spec.dtype().jsonName() + " needs " + expected + "; the file is truncated or corrupt: "
                        + "re-download or re-export the model");
            }
        }
        long extra = in.transferTo(OutputStream.nullOutputStream());
        if (extra > 0) {
            throw new ModelFormatException(src + ": array '" + spec.name() + "' entry " + spec.entry() + " holds "
                    + (expected + extra) + " bytes but shape " + Arrays.toString(spec.shape()) + " "
                    + spec.dtype().jsonName() + " needs " + expected + "; header.json and the data disagree: "
                    + "re-export the model");
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equalsIgnoreCase(spec.sha256())) {
            throw new ModelFormatException(src + " is corrupt: array '" + spec.name() + "' (" + spec.entry()
                    + ") has SHA-256 " + actual + " but header.json says " + spec.sha256().toLowerCase(Locale.ROOT)
                    + "; re-download or re-export the model");
        }
        return new Tensor(spec.shape(), f, ints);
    }

    /** A fresh SHA-256 digest. */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }
}
