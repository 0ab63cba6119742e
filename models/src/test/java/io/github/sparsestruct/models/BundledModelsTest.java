package io.github.sparsestruct.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.models.format.ModelFormatException;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.ner.NerPrediction;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class BundledModelsTest {
    private static final Logger LOG = LoggerFactory.getLogger(BundledModelsTest.class);

    @Test
    void bundledNerModelLoadsAndTagsEverySentenceWithWeightsSummingToOne() throws Exception {
        Assumptions.assumeTrue(BundledModels.hasBundled(BundledModels.NER), "no bundled NER model in this build");
        long t0 = System.nanoTime();
        NerModel model = BundledModels.ner(null);
        LOG.info("bundled NER model loaded in {} ms", (System.nanoTime() - t0) / 1_000_000);
        List<String[]> sents = List.of("Barack Obama visited Paris last week .".split(" "), new String[] {"𝔘lm"},
                "I work for Google in London".split(" "));
        for (Decoding mode : Decoding.Task.NER.decodings()) {
            List<NerPrediction> preds = model.predict(sents, mode);
            assertThat(preds).hasSize(3);
            for (int i = 0; i < 3; i++) {
                NerPrediction p = preds.get(i);
                assertThat(p.tags()).hasSize(sents.get(i).length);
                double sum = p.alternatives().stream().mapToDouble(NerPrediction.WeightedTags::weight).sum();
                assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
                for (double[] row : p.marginals()) {
                    assertThat(java.util.Arrays.stream(row).sum()).isCloseTo(1.0,
                            org.assertj.core.api.Assertions.within(1e-6));
                }
            }
        }
        // a clear person and a clear place in a plain sentence
        String[] tags = model.predict(List.<String[]>of(sents.get(0)), Decoding.MAP).get(0).tags();
        assertThat(tags[0]).isEqualTo("B-PER");
        assertThat(tags[3]).isEqualTo("B-LOC");
    }

    @Test
    void missingModelFilesAndMissingBundledModelsAreClearErrors() {
        assertThatThrownBy(() -> BundledModels.ner(Path.of("no/such/model.zip")))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("no/such/model.zip")
                .hasMessageContaining("does not exist");
        if (!BundledModels.hasBundled(BundledModels.DEPPARSE)) {
            assertThatThrownBy(() -> BundledModels.parser(null)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("no bundled 'depparse' model").hasMessageContaining("--model");
        }
    }
}
