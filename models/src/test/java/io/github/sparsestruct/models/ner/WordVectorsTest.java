package io.github.sparsestruct.models.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.nn.ParameterStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading, features and storage of pretrained word vectors. */
class WordVectorsTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path f = dir.resolve("vectors.txt");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void readsGloveTextCaseInsensitively() throws IOException {
        WordVectors v = WordVectors.read(write("paris 1 2\n\nalice -0.5 3e-1\n"));
        assertThat(v.size()).isEqualTo(2);
        assertThat(v.dim()).isEqualTo(2);
        assertThat(v.featureCount()).isEqualTo(7);
        assertThat(v.vector("PARIS")).containsExactly(1f, 2f);
        assertThat(v.vector("Alice")).containsExactly(-0.5f, 0.3f);
        assertThat(v.vector("bob")).isNull();
    }

    @Test
    void skipsAWord2vecHeaderAndKeepsTheFirstOfDuplicateWords() throws IOException {
        WordVectors v = WordVectors.read(write("2 3\nrome 1 2 3\nRome 4 5 6\n"));
        assertThat(v.dim()).isEqualTo(3);
        assertThat(v.vector("rome")).containsExactly(1f, 2f, 3f);
    }

    @Test
    void windowFeaturesHoldThePreviousCurrentAndNextVectorsAndAMissingFlag() {
        WordVectors v = WordVectors.of(List.of("a", "b"), new float[] {1, 2, 3, 4}, 2);
        float[] f = v.features(new String[] {"A", "x", "b"});
        assertThat(f).containsExactly(
                0, 0, 1, 2, 0, 0, 0, // "A": no previous word, "x" has no vector
                1, 2, 0, 0, 3, 4, 1, // "x": missing
                0, 0, 3, 4, 0, 0, 0); // "b": no next word
        assertThat(v.features(new String[] {"b"})).containsExactly(0, 0, 3, 4, 0, 0, 0);
        assertThat(v.features(new String[] {"?"})).containsExactly(0, 0, 0, 0, 0, 0, 1);
        assertThat(v.features(new String[0])).isEmpty();
    }

    @Test
    void wordsOutsideTheBasicPlaneAreLookedUpWhole() {
        WordVectors v = WordVectors.of(List.of("𝔸lpha", "ß"), new float[] {1, 2}, 1);
        assertThat(v.vector("𝔸LPHA")).containsExactly(1f);
        assertThat(v.features(new String[] {"𝔸lpha", "ß"})).containsExactly(0, 1, 2, 0, 1, 2, 0, 0);
    }

    @Test
    void aMissingFileNamesIt() {
        Path missing = dir.resolve("nope.txt");
        assertThatThrownBy(() -> WordVectors.read(missing)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("nope.txt").hasMessageContaining("word vector file not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a 1 2\nb 1\n", "a 1 x\n", "a 1 NaN\n", "a 1 Infinity\n", "a\n", "\n\n", ""})
    void malformedFilesGetAnErrorNamingTheFile(String text) throws IOException {
        Path f = write(text);
        assertThatThrownBy(() -> WordVectors.read(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(f.toString());
    }

    @Test
    void lineErrorsNameTheLine() throws IOException {
        Path f = write("a 1 2\nb 1 2\nc 1\n");
        assertThatThrownBy(() -> WordVectors.read(f)).hasMessageContaining(":3:")
                .hasMessageContaining("1 values, the first line has 2");
    }

    @Test
    void nonFiniteOrMismatchedValuesAreRefusedInMemory() {
        assertThatThrownBy(() -> WordVectors.of(List.of("a"), new float[] {Float.NaN}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> WordVectors.of(List.of("a", "b"), new float[] {1, 2, 3}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need 4 values");
        assertThatThrownBy(() -> WordVectors.of(List.of(), new float[0], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void saveThenLoadGivesTheSameVectorsAndAbsentVectorsLoadAsNull() {
        WordVectors v = WordVectors.of(List.of("a", "B"), new float[] {1, 2, 3, 4}, 2);
        InMemoryParameterStore store = new InMemoryParameterStore();
        assertThat(WordVectors.load(store, "ner")).isNull();
        v.save(store, "ner");
        WordVectors back = WordVectors.load(store, "ner");
        assertThat(back.size()).isEqualTo(2);
        assertThat(back.vector("b")).containsExactly(3f, 4f);
        String[] s = {"a", "zz", "B"};
        assertThat(back.features(s)).containsExactly(v.features(s));
    }

    @Test
    void aStoreWithWordsButAWrongArrayGetsAClearError() {
        InMemoryParameterStore store = new InMemoryParameterStore();
        WordVectors.of(List.of("a", "b"), new float[] {1, 2, 3, 4}, 2).save(store, "ner");
        store.putArray("ner/vectors", new ParameterStore.StoredArray(new long[] {1, 2}, new float[] {1, 2}));
        assertThatThrownBy(() -> WordVectors.load(store, "ner")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 words").hasMessageContaining("[1, 2]");
    }
}
