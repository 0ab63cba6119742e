package io.github.sparsestruct.models.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.ner.NerPrediction;
import io.github.sparsestruct.models.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionMemoTest {
    @Test
    void aScopeServesEachKeptPredictionOnceForTheSameModelDecodingAndTokens() {
        NerModel m = TinyModels.ner(3, 4);
        List<String[]> forms = new ArrayList<>();
        for (NerSentence s : TinyModels.nerData(6, 9)) {
            forms.add(s.forms());
        }
        forms.add(forms.get(0).clone()); // a repeated sentence is kept twice
        List<NerPrediction> alone = PredictionMemo.predict(m, forms.subList(2, 4), Decoding.SPARSEMAP);
        assertThat(PredictionMemo.current()).isNull();
        try (PredictionMemo memo = PredictionMemo.open()) {
            List<NerPrediction> all = PredictionMemo.predict(m, forms, Decoding.SPARSEMAP);
            assertThat(memo.served()).isZero();
            List<NerPrediction> doc = PredictionMemo.predict(m, forms.subList(2, 4), Decoding.SPARSEMAP);
            assertThat(memo.served()).isEqualTo(2);
            assertThat(doc.get(0)).isSameAs(all.get(2));
            assertThat(doc.get(1)).isSameAs(all.get(3));
            for (int i = 0; i < 2; i++) {
                assertThat(doc.get(i).tags()).isEqualTo(alone.get(i).tags());
            }
            // another decoding is not served; the repeated sentence is served twice, then computed
            PredictionMemo.predict(m, forms.subList(2, 3), Decoding.MAP);
            assertThat(memo.served()).isEqualTo(2);
            PredictionMemo.predict(m, List.of(forms.get(0), forms.get(6), forms.get(0)), Decoding.SPARSEMAP);
            assertThat(memo.served()).isEqualTo(4);
            // the model itself knows nothing of the scope: only calls through it are served
            m.predict(forms.subList(2, 4), Decoding.SPARSEMAP);
            assertThat(memo.served()).isEqualTo(4);
            // served once: asking again for sentence 2 computes it
            PredictionMemo.predict(m, forms.subList(2, 3), Decoding.SPARSEMAP);
            assertThat(memo.served()).isEqualTo(4);
        }
        assertThat(PredictionMemo.current()).isNull();
    }
}
