package io.github.sparsestruct.models.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.nn.Encoder;
import io.github.sparsestruct.models.nn.EncoderBatch;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.nn.Vocabulary;
import io.github.sparsestruct.models.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Vocabulary expansion: an affine map from word vectors to a trained encoder's word embeddings. */
class VocabularyExpansionTest {
    /** Source words w0..w{n-1} (after pad, unk, root), each with a random 3-dimensional vector. */
    private static Vocabulary sourceWords(int n) {
        List<String> items = new ArrayList<>(List.of(Vocabulary.PAD, Vocabulary.UNK, "<root>"));
        int[] counts = new int[n + 3];
        for (int i = 0; i < n; i++) {
            items.add("w" + (char) ('a' + i % 26) + i / 26);
            counts[i + 3] = 5;
        }
        return new Vocabulary(items, counts, 3);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void anExactlyAffineTableIsRecoveredForNewWords(int seed) {
        Random r = new Random(seed);
        int n = 40;
        int d = 4;
        int g = 3;
        Vocabulary words = sourceWords(n);
        double[][] a = new double[g][d];
        double[] b = new double[d];
        for (int k = 0; k < d; k++) {
            b[k] = r.nextGaussian();
            for (int j = 0; j < g; j++) {
                a[j][k] = r.nextGaussian();
            }
        }
        List<String> vw = new ArrayList<>();
        List<float[]> vv = new ArrayList<>();
        float[] table = new float[words.size() * d];
        for (int i = 3; i < words.size(); i++) {
            float[] v = randomVector(r, g, 10);
            vw.add(words.get(i).toUpperCase(java.util.Locale.ROOT));
            vv.add(v);
            for (int k = 0; k < d; k++) {
                table[i * d + k] = (float) affine(v, a, b, k);
            }
        }
        for (int i = 0; i < 3 * d; i++) {
            table[i] = (float) r.nextGaussian(); // reserved rows: not fitted
        }
        String[] fresh = {"new1", "Fresh", "wa0", "NEW2"}; // "wa0" is known; digits map to 0: NEW2 is new1's "new0"
        for (String w : fresh) {
            vw.add(w);
            vv.add(randomVector(r, g, 10));
        }
        float[] flat = new float[vv.size() * g];
        for (int i = 0; i < vv.size(); i++) {
            System.arraycopy(vv.get(i), 0, flat, i * g, g);
        }
        WordVectors vectors = WordVectors.of(vw, flat, g);
        VocabularyExpansion x = VocabularyExpansion.fit(words, table, d, vectors, 10);
        assertThat(x.fitted()).isEqualTo(n);
        assertThat(x.r2()).isCloseTo(1.0, within(1e-3));
        assertThat(x.added()).isEqualTo(2);
        assertThat(x.vocabulary().items().subList(0, words.size())).isEqualTo(words.items());
        assertThat(x.vocabulary().items().subList(words.size(), x.vocabulary().size()))
                .containsExactly("new0", "fresh");
        for (int j = 0; j < 2; j++) {
            assertThat(x.vocabulary().count(words.size() + j)).isZero();
        }
        int[] src = {n, n + 1}; // the vectors of "new1" and "Fresh"
        for (int j = 0; j < 2; j++) {
            for (int k = 0; k < d; k++) {
                // a ridge penalty of 1 against 40 points with values of size 10: close, not exact
                assertThat((double) x.rows()[j * d + k]).isCloseTo(affine(vv.get(src[j]), a, b, k), within(0.05));
            }
        }
    }

    private static float[] randomVector(Random r, int g, double scale) {
        float[] v = new float[g];
        for (int j = 0; j < g; j++) {
            v[j] = (float) (scale * r.nextGaussian());
        }
        return v;
    }

    private static double affine(float[] v, double[][] a, double[] b, int k) {
        double e = b[k];
        for (int j = 0; j < v.length; j++) {
            e += v[j] * a[j][k];
        }
        return e;
    }

    @Test
    void theLimitCapsTheNewWordsAndZeroAddsNone() {
        Random r = new Random(7);
        Vocabulary words = sourceWords(10);
        List<String> vw = new ArrayList<>();
        for (int i = 3; i < words.size(); i++) {
            vw.add(words.get(i));
        }
        vw.addAll(List.of("x", "y", "z"));
        float[] flat = new float[vw.size() * 2];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) r.nextGaussian();
        }
        float[] table = new float[words.size() * 3];
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) r.nextGaussian();
        }
        WordVectors v = WordVectors.of(vw, flat, 2);
        VocabularyExpansion two = VocabularyExpansion.fit(words, table, 3, v, 2);
        assertThat(two.added()).isEqualTo(2);
        assertThat(two.rows()).hasSize(6);
        assertThat(two.vocabulary().items()).endsWith("x", "y");
        VocabularyExpansion none = VocabularyExpansion.fit(words, table, 3, v, 0);
        assertThat(none.added()).isZero();
        assertThat(none.vocabulary().items()).isEqualTo(words.items());
        assertThat(none.r2()).isBetween(0.0, 1.0);
        assertThatThrownBy(() -> VocabularyExpansion.fit(words, table, 3, v, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tooFewSourceWordsWithVectorsGetAClearError() {
        Vocabulary words = sourceWords(3);
        WordVectors v = WordVectors.of(List.of("waa", "other"), new float[] {1, 2, 3, 4, 5, 6}, 3);
        assertThatThrownBy(() -> VocabularyExpansion.fit(words, new float[words.size() * 2], 2, v, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only 0 of the source's 6 words");
    }

    @Test
    void aNerModelFromAnExpandedEncoderKeepsTheSourceRowsAndHidesNewWordsFromTraining() {
        List<NerSentence> data = TinyModels.nerData(20, 1);
        NerModel source = NerModel.create(NerModelTest.tinyConfig(NerLoss.CRF), data, 3);
        TokenFeaturizer f = source.features();
        List<String> vw = new ArrayList<>();
        for (int i = f.words().reserved(); i < f.words().size(); i++) {
            vw.add(f.words().get(i));
        }
        vw.addAll(List.of("Zanzibar", "Umbrella"));
        Random r = new Random(5);
        int g = 2;
        float[] flat = new float[vw.size() * g];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) r.nextGaussian();
        }
        WordVectors v = WordVectors.of(vw, flat, g);
        Map<String, INDArray> params = source.network().parameters();
        NerModel m = NerModel.createFrom(NerModelTest.tinyConfig(NerLoss.CRF), data, f, source.config().encoder(),
                params, null, v, 10, 9);
        INDArray table = m.parameters().get(Encoder.WORD_EMB);
        INDArray from = params.get(Encoder.WORD_EMB);
        assertThat(table.size(0)).isEqualTo(from.size(0) + 2);
        for (int i = 0; i < from.size(0); i++) {
            assertThat(table.getRow(i).castTo(DataType.DOUBLE)).isEqualTo(from.getRow(i).castTo(DataType.DOUBLE));
        }
        VocabularyExpansion x = VocabularyExpansion.fit(f.words(), from.castTo(DataType.FLOAT).dup('c').data()
                .asFloat(), (int) from.size(1), v, 10);
        for (int k = 0; k < from.size(1); k++) {
            assertThat(table.getDouble(from.size(0) + 1, k)).isCloseTo(x.rows()[(int) from.size(1) + k],
                    within(1e-6));
        }
        int zanzibar = m.features().words().indexOf("zanzibar");
        assertThat(zanzibar).isEqualTo((int) from.size(0));
        List<String[]> s = List.<String[]>of(new String[] {"Zanzibar", "visited", "Umbrella"});
        EncoderBatch plain = m.features().featurize(s, 0, null);
        assertThat(plain.words()[0]).isEqualTo(zanzibar);
        EncoderBatch dropped = m.features().featurize(s, 0.25, new Random(1));
        assertThat(dropped.words()[0]).as("count 0: always unknown in training")
                .isEqualTo(m.features().words().unknownIndex());
        NerModelTest.train(m, data, 3, 7);
        NerGazetteerTest.reloadWithSamePredictions(m, data);
        assertThatThrownBy(() -> NerModel.createFrom(NerModelTest.tinyConfig(NerLoss.CRF), data, f,
                source.config().encoder(), params, null, null, 10, 9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("give the vectors");
    }
}
