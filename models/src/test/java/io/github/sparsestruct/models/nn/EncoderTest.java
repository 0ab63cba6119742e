package io.github.sparsestruct.models.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class EncoderTest {
    static final List<String[]> SENTENCES = List.of(
            new String[] {"Alice", "saw", "Bob", "in", "Paris", "."},
            new String[] {"Bob", "ran"},
            new String[] {"Did", "Alice", "see", "the", "3", "cats", "?"});

    record Built(Encoder encoder, TokenFeaturizer feats) {
        INDArray encode(List<String[]> sentences) {
            return encoder.encode(feats.featurize(sentences, 0, null), null).output();
        }
    }

    static Built build(EncoderConfig cfg, long seed) {
        TokenFeaturizer feats = TokenFeaturizer.build(SENTENCES, cfg.minWordCount(), cfg.maxChars());
        return new Built(new Encoder(cfg, feats.words().size(), feats.chars().size(), seed), feats);
    }

    @Test
    void outputOfASentenceDoesNotDependOnThePaddingOfItsBatch() {
        Built b = build(EncoderConfig.tiny().withLstm(8, 2), 5);
        INDArray batch = b.encode(SENTENCES);
        assertThat(batch.shape()).containsExactly(3, 7, 16);
        for (int s = 0; s < SENTENCES.size(); s++) {
            int n = SENTENCES.get(s).length;
            INDArray alone = b.encode(List.<String[]>of(SENTENCES.get(s), new String[] {"x"}).subList(0, 1));
            INDArray inBatch = batch.get(NDArrayIndex.interval(s, s + 1), NDArrayIndex.interval(0, n),
                    NDArrayIndex.all());
            assertThat(alone.sub(inBatch).amaxNumber().doubleValue()).as("sentence %d", s).isLessThan(1e-5);
        }
    }

    @Test
    void backwardDirectionReadsTheSentenceRightToLeft() {
        Built b = build(EncoderConfig.tiny(), 2);
        INDArray oa = b.encode(List.of(new String[] {"Alice", "saw", "Bob"}, new String[] {"x"}));
        INDArray oc = b.encode(List.of(new String[] {"Alice", "saw", "Paris"}, new String[] {"x"}));
        int h = EncoderConfig.tiny().lstmHidden();
        // position 0: forward half unchanged, backward half changed by the last word
        INDArray fwd = oa.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.interval(0, h))
                .sub(oc.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.interval(0, h)));
        INDArray bwd = oa.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.interval(h, 2 * h))
                .sub(oc.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.interval(h, 2 * h)));
        assertThat(fwd.amaxNumber().doubleValue()).isEqualTo(0.0);
        assertThat(bwd.amaxNumber().doubleValue()).isGreaterThan(1e-4);
    }

    @Test
    void gradientsOfAnExternalObjectiveMatchFiniteDifferences() {
        EncoderConfig cfg = EncoderConfig.tiny().withLstm(5, 2).withDataType("double").withDropout(0.3, 0.3, 0);
        Built b = build(cfg, 9);
        Random r = new Random(4);
        INDArray g = Nd4j.zeros(DataType.DOUBLE, 3, 7, 10);
        for (int s = 0; s < 3; s++) {
            for (int t = 0; t < SENTENCES.get(s).length; t++) {
                for (int k = 0; k < 10; k++) {
                    g.putScalar(new long[] {s, t, k}, r.nextGaussian());
                }
            }
        }
        EncoderBatch batch = b.feats().featurize(SENTENCES, 0, null);
        // dropout masks drawn from a fixed seed, identical in every pass
        Encoder.Encoded enc = b.encoder().encode(batch, new Random(8));
        Map<String, INDArray> grads = b.encoder().backward(enc, g);
        Map<String, INDArray> params = b.encoder().parameters();
        assertThat(grads.keySet()).containsExactlyInAnyOrderElementsOf(params.keySet());
        List<String> checked = new ArrayList<>();
        double eps = 1e-6;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray w = e.getValue();
            INDArray gw = grads.get(e.getKey());
            long[] idx = {gw.argMax().getLong(0), gw.neg().argMax().getLong(0), w.length() * 7 / 11};
            for (long i : idx) {
                double old = w.getDouble(i);
                w.putScalar(i, old + eps);
                double plus = objective(b, batch, g);
                w.putScalar(i, old - eps);
                double minus = objective(b, batch, g);
                w.putScalar(i, old);
                double fd = (plus - minus) / (2 * eps);
                double an = gw.getDouble(i);
                assertThat(Math.abs(fd - an)).as("%s[%d]: fd %s vs analytic %s", e.getKey(), i, fd, an)
                        .isLessThan(1e-6 + 1e-5 * Math.abs(fd));
            }
            checked.add(e.getKey());
        }
        assertThat(checked).contains("enc/wordEmb", "enc/caseEmb", "enc/charEmb", "enc/charConv/W",
                "enc/lstm0f/Wx", "enc/lstm1b/Wr", "enc/lstm1b/b");
    }

    private static double objective(Built b, EncoderBatch batch, INDArray g) {
        return b.encoder().encode(batch, new Random(8)).output().mul(g).sumNumber().doubleValue();
    }
}
