package io.github.sparsestruct.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.models.format.ModelFormatException;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    @Test
    void theBundledEnglishModelsAreTheFastVariant() throws Exception {
        assertThat(ModelCatalog.entries()).extracting(ModelCatalog.Entry::toString)
                .contains("ner en/fast", "depparse en/fast", "align en/fast");
        ModelCatalog.Entry e = ModelCatalog.find(BundledModels.NER, "en-US", null);
        assertThat(e.variant()).isEqualTo("fast");
        assertThat(e.resource()).isEqualTo(BundledModels.resource(BundledModels.NER));
        assertThat(ModelCatalog.find(BundledModels.DEPPARSE, null, "FAST").language()).isEqualTo("en");
        assertThat(ModelRegistry.ner("bundled", "en_GB", "fast")).isSameAs(ModelRegistry.ner("bundled"));
    }

    @Test
    void anUnknownLanguageOrVariantNamesTheOnesThatExist() {
        assertThatThrownBy(() -> ModelCatalog.find(BundledModels.NER, "de", null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("no bundled 'ner' model for language 'de', variant 'fast'")
                .hasMessageContaining("(language/variant): en/fast");
        assertThatThrownBy(() -> ModelRegistry.parser("bundled", "en", "large"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("variant 'large'").hasMessageContaining("en/fast");
    }

    @Test
    void aLanguageWithOneModelOfATaskGetsItUnderTheDefaultVariant() throws Exception {
        assertThat(ModelCatalog.find(BundledModels.ALIGN, "zz", null).variant()).isEqualTo("only");
        assertThat(ModelCatalog.find(BundledModels.ALIGN, "zz-ZZ", "fast").variant()).isEqualTo("only");
        assertThatThrownBy(() -> ModelCatalog.find(BundledModels.ALIGN, "zz", "accurate"))
                .hasMessageContaining("variant 'accurate'").hasMessageContaining("zz/only");
        assertThatThrownBy(() -> ModelCatalog.find(BundledModels.NER, "zz", null))
                .hasMessageContaining("no bundled 'ner' model for language 'zz'");
    }

    @Test
    void aListedModelWhoseFileIsAbsentIsNotOffered() {
        assertThat(ModelCatalog.entries()).noneMatch(e -> e.variant().equals("ghost"));
        assertThatThrownBy(() -> ModelCatalog.find(BundledModels.NER, "xx", "ghost"))
                .hasMessageNotContaining("xx/ghost");
    }

    @Test
    void languageTagsReduceToTheirPrimarySubtag() {
        assertThat(ModelCatalog.language("EN-us")).isEqualTo("en");
        assertThat(ModelCatalog.language("pt_BR")).isEqualTo("pt");
        assertThat(ModelCatalog.language("x-unspecified")).isEqualTo("en");
        assertThat(ModelCatalog.language(" ")).isEqualTo("en");
    }
}
