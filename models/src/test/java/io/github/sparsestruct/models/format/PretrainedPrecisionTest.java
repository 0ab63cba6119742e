package io.github.sparsestruct.models.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.models.ner.NerConfig;
import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.nn.Json;
import io.github.sparsestruct.models.nn.PretrainedInput;
import org.junit.jupiter.api.Test;

/** {@link ModelHeader#setPretrainedPrecision}: the precision a model over a pretrained encoder asks for. */
class PretrainedPrecisionTest {
    @Test
    void setsThePrecisionAndKeepsTheRestOfTheConfiguration() {
        NerConfig cfg = NerConfig.defaults().withEncoder(NerConfig.defaults().encoder()
                .withPretrained(new PretrainedInput("bert-base-cased", 4, 768, "fp32")));
        InMemoryParameterStore s = new InMemoryParameterStore();
        s.putMetadata("ner/config", Json.write(cfg));
        ModelHeader.setPretrainedPrecision(s, "ner", "int8");
        NerConfig back = Json.read(s.getMetadata("ner/config"), NerConfig.class);
        assertThat(back.encoder().pretrained()).isEqualTo(new PretrainedInput("bert-base-cased", 4, 768, "int8"));
        assertThat(back.withEncoder(cfg.encoder())).isEqualTo(cfg);
    }

    @Test
    void aModelWithoutEncoderOrAnUnknownPrecisionIsRefused() {
        InMemoryParameterStore s = new InMemoryParameterStore();
        s.putMetadata("ner/config", Json.write(NerConfig.defaults()));
        assertThatThrownBy(() -> ModelHeader.setPretrainedPrecision(s, "ner", "int8"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no pretrained encoder");
        assertThatThrownBy(() -> ModelHeader.setPretrainedPrecision(s, "ner", "fp16"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected fp32 or int8");
        assertThat(Json.read(s.getMetadata("ner/config"), NerConfig.class)).isEqualTo(NerConfig.defaults());
    }
}
