package io.github.sparsestruct.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlibiReaderTest {
    @TempDir
    Path tmp;

    private Path story(String name, String fr, String en, String ali) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        String[] parts = name.split("_");
        Files.writeString(dir.resolve(parts[0] + "_sents.txt"), fr, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(parts[1] + "_sents.txt"), en, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("ali_w2w_" + name + ".txt"), ali, StandardCharsets.UTF_8);
        return dir;
    }

    @Test
    void readsFrenchAsSourceWithSureAndPossibleLinks() throws IOException {
        Path dir = story("Chat_Cat", "0\tLe chat dort .\n1\tIl rêve\n", "0\tThe cat sleeps .\n1\tHe is dreaming\n",
                "0\t0-0 1-1 2-2 3-3 \n1\t0-0 1p1 1p2\n");
        List<AlignPair> pairs = AlibiReader.read(dir);
        assertThat(pairs).hasSize(2);
        AlignPair second = pairs.get(1);
        assertThat(second.id()).isEqualTo("Chat_Cat/1");
        assertThat(second.source()).containsExactly("Il", "rêve");
        assertThat(second.target()).containsExactly("He", "is", "dreaming");
        assertThat(second.sure()).containsExactly(new int[] {0, 0});
        assertThat(second.possible()).containsExactly(new int[] {1, 1}, new int[] {1, 2});
        assertThat(pairs.get(0).sure()).hasSize(4);
    }

    @Test
    void aFolderOfStoriesIsReadInNameOrderAndThroughAlignmentReader() throws IOException {
        story("Bb_Two", "0\tb\n", "0\tB\n", "0\t0-0\n");
        story("Aa_One", "0\ta\n", "0\tA\n", "0\t0p0\n");
        List<AlignPair> pairs = AlignmentReader.read(tmp);
        assertThat(pairs).extracting(AlignPair::id).containsExactly("Aa_One/0", "Bb_Two/0");
    }

    @Test
    void badStoriesAreRejectedWithTheFileAndLine() throws IOException {
        Path truncated = story("Court_Short", "0\tun deux\n1\ttrois\n", "0\tone two\n", "0\t0-0\n1\t0-0\n");
        assertThatThrownBy(() -> AlibiReader.read(truncated)).hasMessageContaining("2 French segments, 1 English")
                .hasMessageContaining("truncated");
        Path outside = story("Loin_Far", "0\tun\n", "0\tone\n", "0\t0-3\n");
        assertThatThrownBy(() -> AlibiReader.read(outside)).hasMessageContaining("ali_w2w_Loin_Far.txt line 1")
                .hasMessageContaining("outside");
        Path badLink = story("Mal_Bad", "0\tun\n", "0\tone\n", "0\t0x0\n");
        assertThatThrownBy(() -> AlibiReader.read(badLink)).hasMessageContaining("bad link '0x0'");
        Path badIndex = story("Idx_Index", "3\tun\n", "0\tone\n", "0\t0-0\n");
        assertThatThrownBy(() -> AlibiReader.read(badIndex)).hasMessageContaining("Idx_sents.txt line 1")
                .hasMessageContaining("expected segment index 0");
        Path missing = story("Sans_Without", "0\tun\n", "0\tone\n", "0\t0-0\n");
        Files.delete(missing.resolve("Without_sents.txt"));
        assertThatThrownBy(() -> AlibiReader.read(missing)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("Without_sents.txt");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> AlibiReader.read(empty)).hasMessageContaining("holds no ALIBI story");
    }
}
