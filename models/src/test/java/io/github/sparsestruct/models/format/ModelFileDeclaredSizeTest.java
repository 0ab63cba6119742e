package io.github.sparsestruct.models.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader checks every size header.json declares against the bytes its entry really holds before it allocates
 * anything: a header that lies about a shape gives a {@link ModelFormatException} naming the file, the array and
 * both sizes, fast and without the allocation the lie asks for (measured with the thread's allocation counter).
 */
class ModelFileDeclaredSizeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far below the 4 GB that [1000000000] float32 asks for, far above what reading a header takes. */
    private static final long FEW_MB = 64L << 20;
    /** The bundled NER model, relative to the models module (the tests' working directory). */
    private static final Path BUNDLED_NER = Path.of("en/ner/model.zip");

    @TempDir
    Path dir;

    @BeforeAll
    static void allocationCounterWorks() {
        assumeThat(threadBean().isThreadAllocatedMemorySupported()).as("HotSpot thread allocation counter").isTrue();
        threadBean().setThreadAllocatedMemoryEnabled(true);
    }

    // ---- the cases of the issue ----

    @Test
    void bundledNerModelWithAShapeOfOneBillionFailsFastWithoutAllocatingIt() throws IOException {
        assertThat(BUNDLED_NER).exists();
        for (boolean stored : new boolean[] {true, false}) {
            Path f = copyWithHeader(BUNDLED_NER, "ner-1e9-" + stored + ".ssm", stored,
                    h -> shapeOf(h, "enc/caseEmb").removeAll().add(1_000_000_000L));
            Outcome o = read(() -> ModelFile.read(f, "ner"));
            assertThat(o.error).isInstanceOf(ModelFormatException.class);
            assertThat(o.error.getMessage()).isEqualTo("model file " + f + ": array 'enc/caseEmb' declares shape "
                    + "[1000000000] float32, which needs 4000000000 bytes, but its entry arrays/enc/caseEmb.bin holds "
                    + "224 bytes; the entry is short: the file is truncated, corrupt or was edited: re-download or "
                    + "re-export the model");
            assertThat(o.allocated).as("bytes allocated while failing").isLessThan(FEW_MB);
        }
        // the stream reader (bundled resources) holds the zip's 14 MB in memory, but not the 4 GB
        Path f = copyWithHeader(BUNDLED_NER, "ner-stream.ssm", true,
                h -> shapeOf(h, "enc/caseEmb").removeAll().add(1_000_000_000L));
        Outcome o = read(() -> {
            try (InputStream in = Files.newInputStream(f)) {
                return ModelFile.read(in, "bundled ner model", "ner");
            }
        });
        assertThat(o.error).hasMessageStartingWith("model file bundled ner model: array 'enc/caseEmb' declares shape "
                + "[1000000000] float32, which needs 4000000000 bytes, but its entry arrays/enc/caseEmb.bin holds "
                + "224 bytes");
        assertThat(o.allocated).isLessThan(Files.size(f) * 2 + FEW_MB);
    }

    @Test
    void threeArraysOfSixHundredMillionOverTinyEntriesFailBeforeAnyAllocation() throws IOException {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("a", Tensor.vector(new float[56]));
        arrays.put("b", Tensor.vector(new float[8]));
        arrays.put("c", Tensor.vector(new float[50]));
        Path small = dir.resolve("small.ssm");
        ModelFile.write(small, "ner", null, arrays);
        Path f = copyWithHeader(small, "three.ssm", true, h -> {
            for (String name : new String[] {"a", "b", "c"}) {
                shapeOf(h, name).removeAll().add(600_000_000L);
            }
        });
        Outcome o = read(() -> ModelFile.read(f, "ner"));
        assertThat(o.error).isInstanceOf(ModelFormatException.class).hasMessage("model file " + f + ": array 'a' "
                + "declares shape [600000000] float32, which needs 2400000000 bytes, but its entry arrays/a.bin "
                + "holds 224 bytes; the entry is short: the file is truncated, corrupt or was edited: re-download or "
                + "re-export the model");
        assertThat(o.allocated).isLessThan(FEW_MB);
        try (InputStream in = Files.newInputStream(f)) {
            Outcome s = read(() -> ModelFile.read(in, "three", "ner"));
            assertThat(s.error).hasMessageContaining("array 'a' declares shape [600000000] float32, which needs "
                    + "2400000000 bytes, but its entry arrays/a.bin holds 224 bytes");
            assertThat(s.allocated).isLessThan(FEW_MB);
        }
    }

    @Test
    void aLieInTheLastArrayIsFoundBeforeTheFirstIsAllocated() throws IOException {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("big", Tensor.of(new float[10_000_000], 10_000, 1_000)); // 40 MB, valid
        arrays.put("last", Tensor.vector(1f));
        Path valid = dir.resolve("valid.ssm");
        ModelFile.write(valid, "ner", null, arrays);
        Path f = copyWithHeader(valid, "lie-last.ssm", true, h -> shapeOf(h, "last").removeAll().add(1_000_000_000L));
        Outcome o = read(() -> ModelFile.read(f, "ner"));
        assertThat(o.error).hasMessageContaining("array 'last' declares shape [1000000000] float32, which needs "
                + "4000000000 bytes, but its entry arrays/last.bin holds 4 bytes");
        assertThat(o.allocated).as("the valid 40 MB array is not allocated").isLessThan(16L << 20);
        // the counter does see the array when it is read for real
        Outcome ok = read(() -> ModelFile.read(valid, "ner"));
        assertThat(ok.error).isNull();
        assertThat(ok.allocated).isGreaterThanOrEqualTo(40_000_000L);
    }

    @Test
    void negativeShapesAreRejectedNamingTheArray() throws IOException {
        Path f = copyWithHeader(tiny(), "neg.ssm", true, h -> shapeOf(h, "w").removeAll().add(2).add(-3));
        assertThat(read(() -> ModelFile.read(f, "ner")).error).isInstanceOf(ModelFormatException.class)
                .hasMessage("model file " + f + ": array 'w' has a bad shape [2,-3] in header.json (dimensions are "
                        + "non-negative integers); re-download or re-export the model");
        Path g = copyWithHeader(tiny(), "frac.ssm", true, h -> shapeOf(h, "w").removeAll().add(2.5).add(2));
        assertThat(read(() -> ModelFile.read(g, "ner")).error)
                .hasMessageContaining("array 'w' has a bad shape [2.5,2]");
        Path huge = copyWithHeader(tiny(), "huge-dim.ssm", true,
                h -> shapeOf(h, "w").removeAll().add(new BigInteger("99999999999999999999")));
        assertThat(read(() -> ModelFile.read(huge, "ner")).error)
                .hasMessageContaining("array 'w' has a bad shape [99999999999999999999]");
    }

    @Test
    void overflowingShapesAreRejectedWithTheEntrysRealSize() throws IOException {
        long[][] cases = {{1L << 32, 1L << 32}, {1L << 62, 4}, {Long.MAX_VALUE, Long.MAX_VALUE, 2}};
        for (long[] shape : cases) {
            Path f = copyWithHeader(tiny(), "overflow.ssm", true, h -> {
                ArrayNode s = shapeOf(h, "w").removeAll();
                for (long d : shape) {
                    s.add(d);
                }
            });
            for (boolean stream : new boolean[] {false, true}) {
                Outcome o = read(() -> readEither(f, stream));
                assertThat(o.error).isInstanceOf(ModelFormatException.class)
                        .hasMessageContaining("array 'w' declares shape " + Arrays.toString(shape)
                                + " float32, whose element count overflows 64 bits, but its entry arrays/w.bin holds "
                                + "24 bytes; header.json is corrupt or was edited");
                assertThat(o.allocated).isLessThan(FEW_MB);
            }
        }
        Path big = copyWithHeader(tiny(), "too-many.ssm", true, h -> shapeOf(h, "w").removeAll().add(3_000_000_000L));
        assertThat(read(() -> ModelFile.read(big, "ner")).error).hasMessage("model file " + big + ": array 'w' "
                + "declares shape [3000000000] float32, which holds 3000000000 values, more than one array can "
                + "(2147483639), but its entry arrays/w.bin holds 24 bytes; header.json is corrupt or was edited: "
                + "re-download or re-export the model");
        // a zero dimension makes any other dimension harmless
        Path empty = copyWithHeader(tiny(), "empty.ssm", true,
                h -> shapeOf(h, "none").removeAll().add(0).add(Long.MAX_VALUE).add(Long.MAX_VALUE));
        assertThat(ModelFile.read(empty, "ner").array("none").size()).isZero();
    }

    @Test
    void tooManyDimensionsAreRejected() throws IOException {
        Path f = copyWithHeader(tiny(), "rank.ssm", true, h -> {
            ArrayNode s = shapeOf(h, "w").removeAll();
            for (int i = 0; i < 33; i++) {
                s.add(1);
            }
        });
        assertThat(read(() -> ModelFile.read(f, "ner")).error).hasMessage("model file " + f + ": array 'w' declares "
                + "33 dimensions, more than the 32 this build reads; header.json is corrupt or was edited: "
                + "re-download or re-export the model");
    }

    @Test
    void compressedEntryWhoseZipDirectoryAgreesWithTheLieIsMeasuredNotTrusted() throws IOException {
        // header says [2, 4] (32 bytes); the DEFLATED entry holds 24; the central directory is patched to say 32
        Path f = copyWithHeader(tiny(), "cen-lie.ssm", false, h -> shapeOf(h, "w").removeAll().add(2).add(4));
        patchCentralDirectorySize(f, "arrays/w.bin", 32);
        try (ZipFile z = new ZipFile(f.toFile())) {
            assertThat(z.getEntry("arrays/w.bin").getSize()).isEqualTo(32);
        }
        assertThat(read(() -> ModelFile.read(f, "ner")).error).hasMessageContaining("array 'w' declares shape "
                + "[2, 4] float32, which needs 32 bytes, but its entry arrays/w.bin holds 24 bytes");
    }

    @Test
    void storedEntryWhoseZipDirectoryAgreesWithTheLieIsNotTrustedPastTheFile() throws IOException {
        // header and the (STORED) central directory both claim 400 MB; the file holds a few hundred bytes
        Path f = copyWithHeader(tiny(), "stored-lie.ssm", true, h -> shapeOf(h, "w").removeAll().add(100_000_000));
        patchCentralDirectorySize(f, "arrays/w.bin", 400_000_000);
        for (boolean stream : new boolean[] {false, true}) {
            Outcome o = read(() -> readEither(f, stream));
            assertThat(o.error).isInstanceOf(ModelFormatException.class).hasMessageContaining("array 'w' declares "
                    + "shape [100000000] float32, which needs 400000000 bytes, but its entry arrays/w.bin holds ")
                    .hasMessageContaining("re-download or re-export the model");
            assertThat(o.allocated).isLessThan(FEW_MB);
        }
    }

    @Test
    void arraysLargerThanTheHeapAreReportedBeforeTheyAreAllocated() throws IOException {
        Path f = tiny();
        long need = 24 + 4 + 0; // w [2, 3], b [1], none [0, 5]
        assertThat(ModelFile.read(f, "ner", need).arrays()).hasSize(3);
        assertThat(read(() -> ModelFile.read(f, "ner", need - 1)).error).hasMessage("model file " + f + ": its "
                + "arrays need 28 bytes of memory but this JVM's heap is limited to 27 bytes; give Java more memory "
                + "(-Xmx, for bin/sparsestruct SPARSESTRUCT_JAVA_OPTS) or use a smaller model");
        try (InputStream in = Files.newInputStream(f)) {
            assertThat(read(() -> ModelFile.read(in, "s", "ner", 3L << 30)).error).isNull();
        }
        try (InputStream in = Files.newInputStream(f)) {
            assertThat(read(() -> ModelFile.read(in, "s", "ner", 20)).error)
                    .hasMessageContaining("its arrays need 28 bytes of memory");
        }
    }

    @Test
    void headerLargerThanTheLimitIsRefused() throws IOException {
        byte[] header = entries(tiny()).get("header.json");
        byte[] padded = new byte[ModelFile.MAX_HEADER_BYTES + 10];
        Arrays.fill(padded, (byte) ' ');
        System.arraycopy(header, 0, padded, 0, header.length);
        Map<String, byte[]> e = entries(tiny());
        e.put("header.json", padded);
        Path f = dir.resolve("fat-header.ssm");
        zip(f, e, false);
        Outcome o = read(() -> ModelFile.read(f, "ner"));
        assertThat(o.error).hasMessage("model file " + f + ": header.json holds " + padded.length + " bytes, more "
                + "than the 67108864 bytes this build reads; it is corrupt or not a SparseStruct model: re-download "
                + "or re-export it");
        assertThat(o.allocated).as("the header is not read").isLessThan(FEW_MB);
        try (InputStream in = Files.newInputStream(f)) {
            assertThat(read(() -> ModelFile.read(in, "fat", "ner")).error).hasMessageContaining("header.json holds "
                    + "more than 67108864 bytes");
        }
        // the same header without the padding past the limit is fine
        e.put("header.json", Arrays.copyOf(padded, ModelFile.MAX_HEADER_BYTES - 1));
        zip(f, e, false);
        assertThat(ModelFile.read(f, "ner").arrays()).hasSize(3);
    }

    @Test
    void validModelsStillReadIdenticallyByBothReaders() throws IOException {
        Path f = tiny();
        LoadedModel a = ModelFile.read(f, "ner");
        assertThat(a.array("w", 2, 3).data()).containsExactly(1, 2, 3, 4, 5, 6);
        Path deflated = copyWithHeader(f, "deflated.ssm", false, h -> { });
        try (InputStream in = Files.newInputStream(deflated)) {
            assertThat(ModelFile.read(in, "d", "ner").arrays()).containsExactlyEntriesOf(a.arrays());
        }
        assertThat(ModelFile.read(deflated, "ner").arrays()).containsExactlyEntriesOf(a.arrays());
        LoadedModel bundled = ModelFile.read(BUNDLED_NER, "ner");
        assertThat(bundled.array("enc/caseEmb", 7, 8).size()).isEqualTo(56);
    }

    // ---- helpers ----

    private static com.sun.management.ThreadMXBean threadBean() {
        return (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    }

    private record Outcome(Throwable error, long allocated) {
    }

    private interface Reader {
        LoadedModel read() throws IOException;
    }

    /** Runs a read on this thread, noting what it throws and how many bytes it allocates. */
    private static Outcome read(Reader r) {
        long before = threadBean().getCurrentThreadAllocatedBytes();
        Throwable error = null;
        try {
            r.read();
        } catch (Throwable t) {
            error = t;
        }
        return new Outcome(error, threadBean().getCurrentThreadAllocatedBytes() - before);
    }

    private static LoadedModel readEither(Path f, boolean stream) throws IOException {
        if (!stream) {
            return ModelFile.read(f, "ner");
        }
        try (InputStream in = Files.newInputStream(f)) {
            return ModelFile.read(in, f.getFileName().toString(), "ner");
        }
    }

    private Path tiny() throws IOException {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("w", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        arrays.put("b", Tensor.vector(0.5f));
        arrays.put("none", Tensor.of(new float[0], 0, 5));
        Path f = dir.resolve("tiny.ssm");
        ModelFile.write(f, "ner", null, arrays);
        return f;
    }

    private static ArrayNode shapeOf(ObjectNode header, String array) {
        for (var a : header.get("arrays")) {
            if (a.get("name").asText().equals(array)) {
                return (ArrayNode) a.get("shape");
            }
        }
        throw new IllegalArgumentException("no array " + array);
    }

    private interface HeaderEdit {
        void edit(ObjectNode header);
    }

    /** Copies a model with its header edited; array entries STORED (as ModelFile writes them) or DEFLATED. */
    private Path copyWithHeader(Path from, String name, boolean stored, HeaderEdit edit) throws IOException {
        Map<String, byte[]> e = entries(from);
        ObjectNode h = (ObjectNode) JSON.readTree(e.get("header.json"));
        edit.edit(h);
        e.put("header.json", JSON.writeValueAsBytes(h));
        Path out = dir.resolve(name);
        zip(out, e, stored);
        return out;
    }

    private static Map<String, byte[]> entries(Path f) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(f.toFile())) {
            var it = z.entries();
            while (it.hasMoreElements()) {
                ZipEntry e = it.nextElement();
                try (InputStream in = z.getInputStream(e)) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    private static void zip(Path f, Map<String, byte[]> entries, boolean storeArrays) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry ze = new ZipEntry(e.getKey());
                if (storeArrays && !e.getKey().equals("header.json")) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(e.getValue().length);
                    ze.setCompressedSize(e.getValue().length);
                    ze.setCrc(crc.getValue());
                }
                z.putNextEntry(ze);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        Files.write(f, bytes.toByteArray());
    }

    /** Overwrites the uncompressed size (and, for a STORED entry, the compressed size) in the central directory. */
    private static void patchCentralDirectorySize(Path f, String entry, int size) throws IOException {
        byte[] all = Files.readAllBytes(f);
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 46 + name.length <= all.length; i++) {
            if (b.getInt(i) != 0x02014b50 || (b.getShort(i + 28) & 0xffff) != name.length
                    || !Arrays.equals(all, i + 46, i + 46 + name.length, name, 0, name.length)) {
                continue;
            }
            if (b.getShort(i + 10) == 0) { // STORED: the compressed size is the size
                b.putInt(i + 20, size);
            }
            b.putInt(i + 24, size);
            Files.write(f, all);
            return;
        }
        throw new IllegalStateException("no central directory record for " + entry);
    }
}
