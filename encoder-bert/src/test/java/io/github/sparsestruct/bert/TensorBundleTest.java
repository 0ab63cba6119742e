package io.github.sparsestruct.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBundleTest {
    @TempDir
    Path tmp;

    private Path small() throws IOException {
        Path dir = tmp.resolve("variables");
        new TestBundleWriter()
                .put("a/kernel", new float[] {1, -2, 3.5f, 4, 5, 6}, 2, 3)
                .put("a/bias", new float[] {0.25f, -0.5f, Float.MIN_VALUE}, 3)
                .put("b/scalar", new float[] {42}, new long[0])
                .put("int", new TestBundleWriter.Tensor(9, new long[] {2}, new byte[16]))
                .write(dir);
        return dir;
    }

    @Test
    void readsBackNamesShapesAndValuesAndSkipsTheHeader() throws IOException {
        try (TensorBundle b = TensorBundle.open(small())) {
            assertThat(b.names()).containsExactly("a/bias", "a/kernel", "b/scalar", "int");
            assertThat(b.shape("a/kernel")).containsExactly(2, 3);
            assertThat(b.shape("b/scalar")).isEmpty();
            assertThat(b.floats("a/kernel")).containsExactly(1, -2, 3.5f, 4, 5, 6);
            assertThat(b.floats("a/bias")).containsExactly(0.25f, -0.5f, Float.MIN_VALUE);
            assertThat(b.floats("b/scalar")).containsExactly(42);
            assertThat(b.dtype("int")).isEqualTo(9);
        }
    }

    @Test
    void readsTheTinyModelBack() throws IOException {
        TinyBert m = TinyBert.standard(7);
        m.writeSavedModel(tmp);
        try (TensorBundle b = TensorBundle.open(tmp.resolve("variables"))) {
            assertThat(b.names()).hasSize(m.w.size() + 1);
            for (String n : m.w.keySet()) {
                assertThat(b.shape(n)).as(n).containsExactly(m.shapes.get(n));
                assertThat(b.floats(n)).as(n).containsExactly(m.w.get(n));
            }
            BertConfig cfg = BertConfig.of(b, 2);
            assertThat(cfg).isEqualTo(new BertConfig("module/bert/", 2, 32, 64, 50, 40, 2));
            assertThat(cfg.headSize()).isEqualTo(16);
        }
    }

    @Test
    void nonFloatTensorAndUnknownNameAreRefused() throws IOException {
        try (TensorBundle b = TensorBundle.open(small())) {
            assertThatThrownBy(() -> b.floats("int")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dtype 9").hasMessageContaining("DT_FLOAT");
            assertThatThrownBy(() -> b.floats("nope")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no tensor named nope");
        }
    }

    @Test
    void sizeThatDoesNotMatchTheShapeIsRefused() throws IOException {
        Path dir = tmp.resolve("v");
        new TestBundleWriter().put("x", new TestBundleWriter.Tensor(1, new long[] {3}, new byte[8])).write(dir);
        try (TensorBundle b = TensorBundle.open(dir)) {
            assertThatThrownBy(() -> b.floats("x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("8 bytes stored").hasMessageContaining("needs 12");
        }
    }

    @Test
    void hugeShapeIsRefusedBeforeAllocating() throws IOException {
        Path dir = tmp.resolve("v");
        new TestBundleWriter().put("x", new TestBundleWriter.Tensor(1, new long[] {1 << 20, 1 << 20}, new byte[4]))
                .write(dir);
        try (TensorBundle b = TensorBundle.open(dir)) {
            assertThatThrownBy(() -> b.floats("x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("too many values");
        }
    }

    @Test
    void missingIndexOrDataFile() throws IOException {
        Path dir = small();
        Files.delete(dir.resolve("variables.data-00000-of-00001"));
        assertThatThrownBy(() -> TensorBundle.open(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("variables.data-00000-of-00001").hasMessageContaining("not found");
        Files.delete(dir.resolve("variables.index"));
        assertThatThrownBy(() -> TensorBundle.open(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("variables.index").hasMessageContaining("not found");
    }

    @Test
    void truncatedDataFile() throws IOException {
        Path dir = small();
        try (FileChannel ch = FileChannel.open(dir.resolve("variables.data-00000-of-00001"),
                StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 20);
        }
        assertThatThrownBy(() -> TensorBundle.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void indexShorterThanTheFooter() throws IOException {
        Path dir = small();
        Files.write(dir.resolve("variables.index"), new byte[47]);
        assertThatThrownBy(() -> TensorBundle.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated").hasMessageContaining("48-byte footer");
    }

    @Test
    void truncatedIndex() throws IOException {
        Path dir = small();
        byte[] b = Files.readAllBytes(dir.resolve("variables.index"));
        // drop the data block's head: the footer (kept) then points outside the file
        Files.write(dir.resolve("variables.index"), java.util.Arrays.copyOfRange(b, 60, b.length));
        assertThatThrownBy(() -> TensorBundle.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("variables.index");
    }

    @Test
    void foreignFileHasTheWrongMagic() throws IOException {
        Path dir = small();
        byte[] junk = new byte[200];
        new java.util.Random(1).nextBytes(junk);
        Files.write(dir.resolve("variables.index"), junk);
        assertThatThrownBy(() -> TensorBundle.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("wrong table magic");
    }

    @Test
    void compressedBlockIsRefused() throws IOException {
        Path dir = tmp.resolve("v");
        TestBundleWriter w = new TestBundleWriter().put("x", new float[] {1}, 1);
        w.dataBlockCompression = 1;
        w.write(dir);
        assertThatThrownBy(() -> TensorBundle.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("compressed");
    }

    @Test
    void flippedByteFailsTheBlockChecksum() throws IOException {
        Path dir = small();
        Path index = dir.resolve("variables.index");
        byte[] b = Files.readAllBytes(index);
        b[3] ^= 0x01;
        Files.write(index, b);
        assertThatThrownBy(() -> TensorBundle.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void magicIsStoredLittleEndianInTheLastEightBytes() throws IOException {
        byte[] b = Files.readAllBytes(small().resolve("variables.index"));
        long magic = ByteBuffer.wrap(b, b.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(magic).isEqualTo(TensorBundle.MAGIC);
    }
}
