package io.github.sparsestruct.models.pretrained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.models.nn.TokenFeaturizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorTableTest {
    /** A stand-in encoder: token k of a sentence gets (layer + 1) · (k + 1) + form length / 8 in every unit. */
    static final class CountingEncoder implements PretrainedEncoder {
        final List<Integer> calls = new ArrayList<>();

        @Override
        public String id() {
            return "counting";
        }

        @Override
        public int layers() {
            return 2;
        }

        @Override
        public int dim() {
            return 3;
        }

        @Override
        public List<float[]> encode(List<String[]> sentences) {
            calls.add(sentences.size());
            List<float[]> out = new ArrayList<>();
            for (String[] s : sentences) {
                float[] v = new float[s.length * 6];
                for (int k = 0; k < s.length; k++) {
                    for (int l = 0; l < 2; l++) {
                        for (int d = 0; d < 3; d++) {
                            v[k * 6 + l * 3 + d] = (l + 1) * (k + 1) + s[k].length() / 8f;
                        }
                    }
                }
                out.add(v);
            }
            return out;
        }

        @Override
        public void close() {
        }
    }

    private static final List<String[]> SENTENCES = List.of(new String[] {"Alice", "saw", "Bob"},
            new String[] {"Hi"}, new String[] {"Alice", "saw", "Bob"});

    @Test
    void vectorsArePlacedByPositionWithZerosAtRootAndPadding(@TempDir Path dir) throws IOException {
        CountingEncoder enc = new CountingEncoder();
        VectorTable t = VectorTable.of(enc, SENTENCES, dir.resolve("v.ssvt"));
        assertThat(t.size()).isEqualTo(2);
        float[] b = t.batch(List.of(new String[] {TokenFeaturizer.ROOT, "Hi"}, new String[] {"Alice", "saw", "Bob"}),
                3);
        assertThat(b).hasSize(2 * 3 * 6);
        // sentence 0: ROOT zeros, "Hi" at position 1 = token 0 of its sentence: 1 + 2/8 (layer 0), 2 + 2/8
        assertThat(b[0]).isZero();
        assertThat(b[6]).isEqualTo(1.25f);
        assertThat(b[9]).isEqualTo(2.25f);
        assertThat(b[12]).as("padding").isZero();
        // sentence 1, token 2 ("Bob"): layer 1 → 2 · 3 + 3/8 = 6.375 (exact in binary16)
        assertThat(b[(3 + 2) * 6 + 3]).isEqualTo(6.375f);
    }

    @Test
    void aCacheFileIsReusedAndOnlyMissingSentencesAreComputed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("v.ssvt");
        CountingEncoder first = new CountingEncoder();
        VectorTable.of(first, SENTENCES, file);
        assertThat(first.calls).containsExactly(2);
        CountingEncoder second = new CountingEncoder();
        VectorTable again = VectorTable.of(second, SENTENCES, file);
        assertThat(second.calls).isEmpty();
        assertThat(again.batch(List.<String[]>of(new String[] {"Hi"}), 1)).containsExactly(1.25f, 1.25f, 1.25f,
                2.25f, 2.25f, 2.25f);
        CountingEncoder third = new CountingEncoder();
        VectorTable more = VectorTable.of(third, List.of(new String[] {"Hi"}, new String[] {"New", "one"}), file);
        assertThat(third.calls).containsExactly(1);
        assertThat(more.size()).isEqualTo(3);
        assertThat(VectorTable.read(file).size()).isEqualTo(3);
    }

    @Test
    void anUnknownSentenceIsAClearError(@TempDir Path dir) throws IOException {
        VectorTable t = VectorTable.of(new CountingEncoder(), SENTENCES, null);
        assertThatThrownBy(() -> t.batch(List.<String[]>of(new String[] {"Other"}), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Other'");
    }

    @Test
    void foreignOrTruncatedFilesAreRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("v.ssvt");
        VectorTable.of(new CountingEncoder(), SENTENCES, file);
        byte[] all = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.ssvt");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 5));
        assertThatThrownBy(() -> VectorTable.read(cut)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
        Path foreign = dir.resolve("foreign.ssvt");
        Files.writeString(foreign, "PK\u0003\u0004 not a table at all");
        assertThatThrownBy(() -> VectorTable.read(foreign)).hasMessageContaining("bad magic");
        byte[] huge = all.clone();
        // the first sentence's token count (after the 16-byte header) set to 2^30
        huge[16] = 0x40;
        Path big = dir.resolve("big.ssvt");
        Files.write(big, huge);
        assertThatThrownBy(() -> VectorTable.read(big)).hasMessageContaining("declares");
    }

    @Test
    void encoderVectorsEncodeEachSentenceOnceAndStripRoot() {
        CountingEncoder enc = new CountingEncoder();
        EncoderVectors v = new EncoderVectors(enc, 100);
        float[] a = v.batch(List.of(new String[] {TokenFeaturizer.ROOT, "Alice", "saw", "Bob"},
                new String[] {"Alice", "saw", "Bob"}), 4);
        assertThat(enc.calls).containsExactly(1);
        assertThat(a[0]).isZero();
        assertThat(a[6]).isEqualTo(1f + 5 / 8f);
        assertThat(a[4 * 6]).isEqualTo(1f + 5 / 8f);
        v.batch(List.<String[]>of(new String[] {"Alice", "saw", "Bob"}), 3);
        assertThat(enc.calls).as("memo hit").containsExactly(1);
        EncoderVectors none = new EncoderVectors(enc, 0);
        none.batch(List.<String[]>of(new String[] {"Alice", "saw", "Bob"}), 3);
        none.batch(List.<String[]>of(new String[] {"Alice", "saw", "Bob"}), 3);
        assertThat(enc.calls).as("no memo").containsExactly(1, 1, 1);
    }
}
