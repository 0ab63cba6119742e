package io.github.sparsestruct.models.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.nn.ParameterStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterFilesTest {
    @Test
    void storeSurvivesAModelFileRoundTripWithItsMetadata(@TempDir Path dir) throws Exception {
        InMemoryParameterStore s = new InMemoryParameterStore();
        s.putArray("enc/w", new ParameterStore.StoredArray(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -0f}));
        s.putArray("bias", new ParameterStore.StoredArray(new long[] {1}, new float[] {Float.MIN_VALUE}));
        s.putMetadata("labels", "[\"O\",\"B-PER\"]");
        s.putMetadata("config", "{\"hidden\":64}");
        Path f = dir.resolve("m.zip");
        ParameterFiles.save(f, "ner", s, new ObjectMapper().readTree("{\"trainedOn\":\"tiny\"}"));
        InMemoryParameterStore back = ParameterFiles.load(f, "ner");
        assertThat(back.arrayNames()).containsExactlyInAnyOrder("enc/w", "bias");
        assertThat(back.getArray("enc/w").shape()).containsExactly(2, 3);
        assertThat(back.getArray("enc/w").data()).containsExactly(1, 2, 3, 4, 5, -0f);
        assertThat(back.getArray("bias").data()).containsExactly(Float.MIN_VALUE);
        assertThat(back.getMetadata("labels")).isEqualTo("[\"O\",\"B-PER\"]");
        assertThat(back.getMetadata("config")).isEqualTo("{\"hidden\":64}");
        assertThat(back.getMetadata(ParameterFiles.ABOUT)).isEqualTo("{\"trainedOn\":\"tiny\"}");
        assertThatThrownBy(() -> ParameterFiles.load(f, "depparse")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'ner'").hasMessageContaining("depparse");
    }
}
