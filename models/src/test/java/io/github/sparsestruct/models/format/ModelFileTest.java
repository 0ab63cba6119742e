package io.github.sparsestruct.models.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ModelFileTest {
    private static final Logger LOG = LoggerFactory.getLogger(ModelFileTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Recognisable values, so the test can find their bytes inside the zip. */
    private static final float[] W = {1.5f, -2.25f, 3.125f, 1e-7f, Float.MAX_VALUE, -0f};

    @TempDir
    Path dir;

    private static ObjectNode metadata() {
        ObjectNode m = JSON.createObjectNode();
        m.putArray("labels").add("O").add("B-PER").add("I-PER");
        m.putObject("hyper").put("hidden", 128).put("dropout", 0.33);
        m.put("trainedOn", "UNER English-EWT train (CC BY-SA 4.0)");
        m.put("unicode", "Zürich 東京 😀");
        return m;
    }

    private static Map<String, Tensor> arrays() {
        Map<String, Tensor> a = new LinkedHashMap<>();
        a.put("encoder/W", Tensor.of(W, 2, 3));
        a.put("vocab.ids", Tensor.ofInts(new int[] {0, 7, -3, Integer.MAX_VALUE, Integer.MIN_VALUE}, 5));
        a.put("bias", Tensor.vector(0.5f));
        a.put("scalar", Tensor.of(new float[] {42f}));
        a.put("empty", Tensor.of(new float[0], 0, 4));
        return a;
    }

    private Path written() throws IOException {
        Path f = dir.resolve("ner.ssm");
        ModelFile.write(f, "ner", metadata(), arrays());
        return f;
    }

    @Test
    void roundTripGivesIdenticalArraysAndMetadata() throws IOException {
        Path f = written();
        LoadedModel m = ModelFile.read(f, "ner");
        assertThat(m.task()).isEqualTo("ner");
        assertThat(m.formatVersion()).isEqualTo(ModelFile.FORMAT_VERSION);
        assertThat(m.metadata()).isEqualTo(metadata());
        assertThat(m.arrays()).containsExactlyEntriesOf(arrays());
        assertThat(m.source()).isEqualTo(f);
        assertThat(m.array("encoder/W", 2, 3).data()).containsExactly(W);
        assertThat(Float.floatToRawIntBits(m.array("encoder/W").data()[5])).isEqualTo(Float.floatToRawIntBits(-0f));
        assertThat(m.array("vocab.ids").intData()).containsExactly(0, 7, -3, Integer.MAX_VALUE, Integer.MIN_VALUE);
        assertThat(m.array("scalar").rank()).isZero();
        assertThat(m.metadata("hyper").get("hidden").asInt()).isEqualTo(128);
        assertThat(ModelFile.read(f, null).task()).isEqualTo("ner");
    }

    @Test
    void streamReadMatchesFileReadAndLeavesTheStreamOpen() throws IOException {
        Path f = written();
        ClosingProbe in = new ClosingProbe(Files.newInputStream(f));
        LoadedModel m = ModelFile.read(in, "/models/ner.ssm", "ner");
        assertThat(in.closed).isFalse();
        in.close();
        assertThat(m.arrays()).containsExactlyEntriesOf(arrays());
        assertThat(m.metadata()).isEqualTo(metadata());
        assertThat(m.source()).isNull();
        assertThat(m.sourceName()).isEqualTo("/models/ner.ssm");
    }

    @Test
    void streamReadAcceptsTheHeaderAfterTheArrays() throws IOException {
        Path f = written();
        Path reordered = dir.resolve("reordered.ssm");
        Map<String, byte[]> entries = entries(f);
        Map<String, byte[]> moved = new LinkedHashMap<>();
        entries.forEach((k, v) -> {
            if (!k.equals("header.json")) {
                moved.put(k, v);
            }
        });
        moved.put("header.json", entries.get("header.json"));
        zip(reordered, moved);
        try (InputStream in = Files.newInputStream(reordered)) {
            assertThat(ModelFile.read(in, "reordered", null).arrays()).containsExactlyEntriesOf(arrays());
        }
    }

    @Test
    void headerIsReadableJsonWithTheDocumentedFields() throws IOException {
        Path f = written();
        ObjectNode h = (ObjectNode) JSON.readTree(entries(f).get("header.json"));
        assertThat(h.get("format").asText()).isEqualTo("sparsestruct-model");
        assertThat(h.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(h.get("task").asText()).isEqualTo("ner");
        assertThat(h.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        ObjectNode w = (ObjectNode) h.get("arrays").get(0);
        assertThat(w.get("name").asText()).isEqualTo("encoder/W");
        assertThat(w.get("dtype").asText()).isEqualTo("float32");
        assertThat(w.get("shape").toString()).isEqualTo("[2,3]");
        assertThat(w.get("entry").asText()).isEqualTo("arrays/encoder/W.bin");
        assertThat(w.get("sha256").asText()).hasSize(64);
        byte[] raw = entries(f).get("arrays/encoder/W.bin");
        assertThat(raw).isEqualTo(littleEndian(W));
        try (ZipFile z = new ZipFile(f.toFile())) {
            assertThat(z.getEntry("arrays/encoder/W.bin").getMethod()).isEqualTo(ZipEntry.STORED);
        }
    }

    @Test
    void missingFileIsNamed() {
        Path f = dir.resolve("nope.ssm");
        assertThatThrownBy(() -> ModelFile.read(f, "ner")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model file " + f + " does not exist");
    }

    @Test
    void truncatedFileIsReportedAsTruncated() throws IOException {
        Path f = written();
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.ssm");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> ModelFile.read(cut, "ner")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model file " + cut + " is truncated or not a SparseStruct model (zip): ");
        try (InputStream in = Files.newInputStream(cut)) {
            assertThatThrownBy(() -> ModelFile.read(in, "cut", "ner")).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("model file cut is truncated or not a SparseStruct model (zip): ");
        }
    }

    @Test
    void notAZipIsReportedAsSuch() throws IOException {
        Path txt = dir.resolve("model.txt");
        Files.writeString(txt, "hello, I am not a model\n");
        assertThatThrownBy(() -> ModelFile.read(txt, null))
                .hasMessageContaining("model file " + txt + " is truncated or not a SparseStruct model (zip): ");
        Path empty = Files.createFile(dir.resolve("empty.ssm"));
        assertThatThrownBy(() -> ModelFile.read(empty, null))
                .hasMessageContaining("is truncated or not a SparseStruct model (zip): ");
        try (InputStream in = Files.newInputStream(txt)) {
            assertThatThrownBy(() -> ModelFile.read(in, "txt", null))
                    .hasMessageContaining("model file txt is truncated or not a SparseStruct model (zip): ");
        }
    }

    @Test
    void missingHeaderIsReported() throws IOException {
        Path f = rewrite(written(), "header.json", b -> null);
        assertThatThrownBy(() -> ModelFile.read(f, "ner"))
                .hasMessageContaining("model file " + f + " has no header.json");
        try (InputStream in = Files.newInputStream(f)) {
            assertThatThrownBy(() -> ModelFile.read(in, "s", "ner")).hasMessageContaining("has no header.json");
        }
    }

    @Test
    void wrongFormatNameIsReported() throws IOException {
        Path f = editHeader(written(), h -> h.put("format", "numpy-npz"));
        assertThatThrownBy(() -> ModelFile.read(f, "ner")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model file " + f + " is not a SparseStruct model")
                .hasMessageContaining("numpy-npz");
        Path g = rewrite(written(), "header.json", b -> "[1, 2]".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ModelFile.read(g, "ner")).hasMessageContaining("not a JSON object");
        Path m = rewrite(written(), "header.json", b -> "{\"format\": ".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ModelFile.read(m, "ner")).hasMessageContaining("malformed header.json");
    }

    @Test
    void otherFormatVersionIsReported() throws IOException {
        Path f = editHeader(written(), h -> h.put("formatVersion", 3));
        assertThatThrownBy(() -> ModelFile.read(f, "ner")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model file " + f + " is format version 3, this build reads version 1")
                .hasMessageContaining("newer");
        Path g = editHeader(written(), h -> h.remove("formatVersion"));
        assertThatThrownBy(() -> ModelFile.read(g, "ner")).hasMessageContaining("formatVersion");
    }

    @Test
    void otherTaskIsReported() throws IOException {
        Path f = written();
        assertThatThrownBy(() -> ModelFile.read(f, "depparse")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model file " + f + " is a 'ner' model, expected 'depparse'");
    }

    @Test
    void flippedByteInsideAnArrayIsCaught() throws IOException {
        Path f = written();
        byte[] all = Files.readAllBytes(f);
        int at = indexOf(all, littleEndian(W));
        assertThat(at).isPositive();
        all[at + 5] ^= 0x10;
        Path flipped = dir.resolve("flipped.ssm");
        Files.write(flipped, all);
        assertThatThrownBy(() -> ModelFile.read(flipped, "ner")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model file " + flipped + " is corrupt: array 'encoder/W'")
                .hasMessageContaining("SHA-256");
        try (InputStream in = Files.newInputStream(flipped)) {
            // the streaming zip reader checks the zip CRC first
            assertThatThrownBy(() -> ModelFile.read(in, "flipped", "ner")).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("model file flipped is corrupt");
        }
    }

    @Test
    void checksumMismatchWithAValidZipIsCaught() throws IOException {
        Path f = rewrite(written(), "arrays/encoder/W.bin", b -> {
            byte[] c = b.clone();
            c[0] ^= 1;
            return c;
        });
        assertThatThrownBy(() -> ModelFile.read(f, "ner"))
                .hasMessageContaining("is corrupt: array 'encoder/W' (arrays/encoder/W.bin) has SHA-256");
        try (InputStream in = Files.newInputStream(f)) {
            assertThatThrownBy(() -> ModelFile.read(in, "s", "ner")).hasMessageContaining("has SHA-256");
        }
    }

    @Test
    void missingArrayEntryIsReported() throws IOException {
        Path f = rewrite(written(), "arrays/bias.bin", b -> null);
        assertThatThrownBy(() -> ModelFile.read(f, "ner"))
                .hasMessageContaining("model file " + f + " lists array 'bias' but has no entry arrays/bias.bin");
        try (InputStream in = Files.newInputStream(f)) {
            assertThatThrownBy(() -> ModelFile.read(in, "s", "ner")).hasMessageContaining("has no entry");
        }
    }

    @Test
    void shortArrayEntryIsReported() throws IOException {
        Path f = rewrite(written(), "arrays/encoder/W.bin", b -> Arrays.copyOf(b, 10));
        assertThatThrownBy(() -> ModelFile.read(f, "ner"))
                .hasMessageContaining("array 'encoder/W' declares shape [2, 3] float32, which needs 24 bytes, but its "
                        + "entry arrays/encoder/W.bin holds 10 bytes; the entry is short");
        try (InputStream in = Files.newInputStream(f)) {
            assertThatThrownBy(() -> ModelFile.read(in, "s", "ner")).hasMessageContaining("holds 10 bytes; the entry "
                    + "is short");
        }
    }

    @Test
    void shapeThatDisagreesWithTheDataIsReported() throws IOException {
        Path f = editHeader(written(), h -> ((ArrayNode) h.get("arrays").get(0).get("shape")).set(1, 2));
        assertThatThrownBy(() -> ModelFile.read(f, "ner"))
                .hasMessageContaining("array 'encoder/W' declares shape [2, 2] float32, which needs 16 bytes, but its "
                        + "entry arrays/encoder/W.bin holds 24 bytes; header.json and the data disagree");
        Path g = editHeader(written(), h -> ((ArrayNode) h.get("arrays").get(0).get("shape")).set(1, -3));
        assertThatThrownBy(() -> ModelFile.read(g, "ner")).hasMessageContaining("bad shape [2,-3]");
        Path d = editHeader(written(), h -> ((ObjectNode) h.get("arrays").get(0)).put("dtype", "float64"));
        assertThatThrownBy(() -> ModelFile.read(d, "ner")).hasMessageContaining("dtype 'float64'");
    }

    @Test
    void failingWriteLeavesNoFileAndKeepsTheOldOne() throws IOException {
        Path f = dir.resolve("m.ssm");
        ObjectNode bad = JSON.createObjectNode();
        bad.set("broken", new POJONode(new Object() {
            @SuppressWarnings("unused")
            public String getValue() {
                throw new IllegalStateException("cannot serialise");
            }
        }));
        assertThatThrownBy(() -> ModelFile.write(f, "ner", bad, arrays())).isInstanceOf(IOException.class);
        assertThat(listing()).isEmpty();

        ModelFile.write(f, "ner", metadata(), arrays());
        byte[] before = Files.readAllBytes(f);
        assertThatThrownBy(() -> ModelFile.writeAtomically(f, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(listing()).containsExactly("m.ssm");
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
    }

    @Test
    void writeReplacesAnExistingFileAndCreatesDirectories() throws IOException {
        Path f = dir.resolve("a/b/m.ssm");
        ModelFile.write(f, "depparse", null, Map.of("x", Tensor.vector(1f)));
        ModelFile.write(f, "depparse", null, Map.of("x", Tensor.vector(2f)));
        LoadedModel m = ModelFile.read(f, "depparse");
        assertThat(m.array("x").data()).containsExactly(2f);
        assertThat(m.metadata().isObject()).isTrue();
        assertThatThrownBy(() -> m.array("y")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("has no array 'y'");
        assertThatThrownBy(() -> m.array("x", 2)).hasMessageContaining("has shape [1], expected [2]");
    }

    @Test
    void badArgumentsAreRejectedBeforeWriting() {
        Path f = dir.resolve("m.ssm");
        assertThatThrownBy(() -> ModelFile.write(f, "ner", null, Map.of("../evil", Tensor.vector(1f))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelFile.write(f, " ", null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelFile.write(f, "ner", JSON.createArrayNode(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tensor.of(new float[5], 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 6 values, found 5");
        assertThat(Files.exists(f)).isFalse();
    }

    @Test
    void fortyMegabyteModelRoundTrips() throws IOException {
        Random rnd = new Random(7);
        float[] big = new float[10_000_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) rnd.nextGaussian();
        }
        Path f = dir.resolve("big.ssm");
        long t0 = System.nanoTime();
        ModelFile.write(f, "ner", metadata(), Map.of("emb", Tensor.of(big, 100_000, 100)));
        long t1 = System.nanoTime();
        LoadedModel m = ModelFile.read(f, "ner");
        long t2 = System.nanoTime();
        // timing is reported, never asserted
        LOG.info("40 MB model: write {} ms, read {} ms", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        assertThat(Arrays.equals(m.array("emb", 100_000, 100).data(), big)).isTrue();
    }

    // ---- helpers that build corrupt files ----

    private static final class ClosingProbe extends java.io.FilterInputStream {
        boolean closed;

        ClosingProbe(InputStream in) {
            super(in);
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }

    private String[] listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    private static byte[] littleEndian(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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

    private static void zip(Path f, Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        Files.write(f, bytes.toByteArray());
    }

    /** Copies a model with one entry replaced ({@code edit} returns the new bytes, or null to drop it). */
    private Path rewrite(Path f, String entry, UnaryOperator<byte[]> edit) throws IOException {
        Map<String, byte[]> e = entries(f);
        byte[] b = edit.apply(e.get(entry));
        if (b == null) {
            e.remove(entry);
        } else {
            e.put(entry, b);
        }
        Path out = Files.createTempFile(dir, "edited", ".ssm");
        zip(out, e);
        return out;
    }

    private interface HeaderEdit {
        void edit(ObjectNode header);
    }

    private Path editHeader(Path f, HeaderEdit edit) throws IOException {
        return rewrite(f, "header.json", b -> {
            try {
                ObjectNode h = (ObjectNode) JSON.readTree(b);
                edit.edit(h);
                return JSON.writeValueAsBytes(h);
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        });
    }
}
