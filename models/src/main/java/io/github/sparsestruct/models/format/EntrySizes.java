package io.github.sparsestruct.models.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.ZipEntry;

/**
 * The real sizes of a model file's array entries and their checks against the declared shapes, made before any
 * array is allocated: an entry's size from the zip directory when it is consistent, otherwise counted without
 * keeping the bytes; then the heap the arrays need.
 */
final class EntrySizes {
    private EntrySizes() {
    }

    /**
     * The byte size of an uncompressed entry as the zip directory gives it, when that size is consistent (equal to
     * the compressed size and within the file); -1 for a compressed entry or an inconsistent one.
     */
    static long storedSize(ZipEntry e, long fileBytes) {
        long size = e.getSize();
        if (e.getMethod() == ZipEntry.STORED && size >= 0 && size == e.getCompressedSize() && size <= fileBytes) {
            return size;
        }
        return -1;
    }

    /** How far to count an entry's bytes: one past its declared size (capped for a declaration too large). */
    static long measureCap(ArraySpec spec) {
        return spec.count() < 0 ? ArraySpec.MAX_ARRAY_BYTES + 1 : spec.bytes() + 1;
    }

    /** Reads and drops up to {@code cap} bytes, returning how many there were. */
    static long measure(InputStream in, long cap) throws IOException {
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
    static void checkEntrySize(String src, ArraySpec spec, long real, boolean atLeast)
            throws ModelFormatException {
        String holds = (atLeast ? "more than " + (real - 1) : String.valueOf(real)) + " bytes";
        String decl = "array '" + spec.name() + "' declares shape " + Arrays.toString(spec.shape()) + " "
                + spec.dtype().jsonName();
        if (spec.count() < 0) {
            throw new ModelFormatException(src + ": " + decl + ", " + spec.countProblem() + ", but its entry "
                    + spec.entry() + " holds " + holds + "; header.json is corrupt or was edited: re-download or "
                    + "re-export the model");
        }
        if (real != spec.bytes()) {
            String why = real < spec.bytes() ? "the entry is short: the file is truncated, corrupt or was edited"
                    : "header.json and the data disagree";
            throw new ModelFormatException(src + ": " + decl + ", which needs " + spec.bytes() + " bytes, but its "
                    + "entry " + spec.entry() + " holds " + holds + "; " + why + ": re-download or re-export the "
                    + "model");
        }
    }

    /** Fails when the arrays, all checked against their entries, need more memory than the heap may grow to. */
    static void checkHeap(String src, ParsedHeader header, long heapBytes) throws ModelFormatException {
        long total = 0;
        for (ArraySpec spec : header.arrays()) {
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
}
