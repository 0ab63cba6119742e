package io.github.sparsestruct.models.align;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.analysis.AlignAnalysis;
import io.github.sparsestruct.models.analysis.AlignAnalyzer;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.models.format.ModelFormatException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class AlignBundledModelTest {
    @Test
    void bundledAlignerLoadsOnceAndAlignsAnEditedSentence() throws Exception {
        Assumptions.assumeTrue(BundledModels.hasBundled(BundledModels.ALIGN), "no bundled alignment model");
        AlignModel m = ModelRegistry.align(null);
        assertThat(ModelRegistry.align("bundled")).isSameAs(m);
        String[] a = "the old bridge was built in 1850 by local workers .".split(" ");
        String[] b = "the bridge was constructed in 1850 .".split(" ");
        AlignAnalysis x = new AlignAnalyzer(m, AnalysisOptions.defaults()).analyze(List.of(new TokenPair(a, b)))
                .get(0);
        assertThat(x.links()).extracting(l -> l.source() + "-" + l.target())
                .contains("0-0", "2-1", "3-2", "5-4", "6-5", "10-6");
        assertThat(x.links()).extracting(l -> l.source()).doesNotContain(1, 7, 8, 9);
    }

    @Test
    void missingAlignModelFilesAreClearErrors() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BundledModels.align(Path.of("no/such/align.zip")))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("does not exist");
    }
}
