package io.github.sparsestruct.models.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.models.decode.Calibration;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.depparse.ParserModelCodec;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.ner.NerModelCodec;
import io.github.sparsestruct.models.ner.NerPrediction;
import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calibration in the model file: written from version 2, absent in version 1 (loads uncalibrated), checked. */
class CalibrationFormatTest {
    private static final Calibration C = new Calibration(Map.of(Decoding.SPARSEMAP, 3.5, Decoding.MARGINALS, 0.4),
            Map.of(Decoding.SPARSEMAP, 1.7));

    @Test
    void aCalibratedNerModelRoundTripsThroughItsFileAndDecodesWithIt(@TempDir Path dir) throws Exception {
        NerModel m = TinyModels.ner(8, 3);
        List<String[]> sentences = List.<String[]>of(new String[] {"Alice", "visited", "Paris", "."});
        NerPrediction before = m.predict(sentences, Decoding.SPARSEMAP).get(0);
        m.calibrate(C);
        NerPrediction calibrated = m.predict(sentences, Decoding.SPARSEMAP).get(0);
        InMemoryParameterStore s = new InMemoryParameterStore();
        NerModelCodec.save(m, s);
        assertThat(s.getMetadata(ModelHeader.KIND_KEY)).contains("\"version\":2");
        Path f = dir.resolve("ner.zip");
        ParameterFiles.save(f, "ner", s, null);
        NerModel back = NerModelCodec.load(ParameterFiles.load(f, "ner"));
        assertThat(back.calibration()).isEqualTo(C);
        NerPrediction again = back.predict(sentences, Decoding.SPARSEMAP).get(0);
        assertThat(again.marginals()).isDeepEqualTo(calibrated.marginals());
        assertThat(again.bestProbability()).isEqualTo(calibrated.bestProbability());
        // the calibration changes the decode: SparseMAP at γ·3.5 is not SparseMAP at γ
        assertThat(java.util.Arrays.deepEquals(calibrated.marginals(), before.marginals())).isFalse();
    }

    @Test
    void aVersionOneModelLoadsUncalibrated() {
        ParserModel m = TinyModels.parser(4, 2);
        InMemoryParameterStore s = new InMemoryParameterStore();
        ParserModelCodec.save(m, s);
        // what a version-1 build wrote: no version in the kind entry and no calibration
        assertThat(s.metadataKeys()).doesNotContain("dep/calibration");
        String kind = s.getMetadata(ModelHeader.KIND_KEY);
        s.putMetadata(ModelHeader.KIND_KEY, kind.replace(",\"version\":2", ""));
        assertThat(ModelHeader.version(s.getMetadata(ModelHeader.KIND_KEY))).isEqualTo(1);
        ParserModel old = ParserModelCodec.load(s);
        assertThat(old.calibration()).isEqualTo(Calibration.NONE);
        // recalibrating it makes it a version-2 model
        ParserModelCodec.recalibrate(s, C);
        assertThat(ModelHeader.version(s.getMetadata(ModelHeader.KIND_KEY))).isEqualTo(2);
        assertThat(ParserModelCodec.load(s).calibration()).isEqualTo(C);
    }

    @Test
    void aNewerVersionIsRefusedWithAClearMessage() {
        ParserModel m = TinyModels.parser(2, 2);
        InMemoryParameterStore s = new InMemoryParameterStore();
        ParserModelCodec.save(m, s);
        s.putMetadata(ModelHeader.KIND_KEY, s.getMetadata(ModelHeader.KIND_KEY).replace("\"version\":2",
                "\"version\":3"));
        assertThatThrownBy(() -> ParserModelCodec.load(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 3").hasMessageContaining("newer");
    }

    @Test
    void badCalibrationEntriesAreRefused() {
        ParserModel m = TinyModels.parser(2, 2);
        InMemoryParameterStore s = new InMemoryParameterStore();
        ParserModelCodec.save(m, s);
        s.putMetadata("dep/calibration", "{\"temperatures\":{\"sparsemap\":-1}}");
        assertThatThrownBy(() -> ParserModelCodec.load(s)).hasMessageContaining("sparsemap");
        s.putMetadata("dep/calibration", "{\"temperatures\":{\"hot\":2}}");
        assertThatThrownBy(() -> ParserModelCodec.load(s)).hasMessageContaining("unknown decoding 'hot'");
        s.putMetadata("dep/calibration", "{\"temps\":{}}");
        assertThatThrownBy(() -> ParserModelCodec.load(s)).hasMessageContaining("temperatures");
        s.putMetadata("dep/calibration", "{\"temperatures\":{},\"structureExponents\":{\"sparsemap\":\"x\"}}");
        assertThatThrownBy(() -> ParserModelCodec.load(s)).hasMessageContaining("not a number");
        s.putMetadata("dep/calibration", "{not json");
        assertThatThrownBy(() -> ParserModelCodec.load(s)).hasMessageContaining("malformed");
        s.putMetadata("dep/calibration", "{\"temperatures\":{\"marginals\":0.5}}");
        assertThat(ParserModelCodec.load(s).calibration().temperature(Decoding.MARGINALS)).isCloseTo(0.5,
                within(0.0));
    }
}
