package io.github.sparsestruct.models.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The encoder's pretrained input (a learned scalar mix of a frozen encoder's layers joining the token features):
 * gradients of the mix against finite differences, the prediction path against the graph, and the errors.
 */
class PretrainedInputTest {
    /** Vectors that depend only on the form and the position (a stand-in for a frozen encoder), zero at ROOT. */
    static final class HashVectors implements TokenVectors {
        private final int width;

        HashVectors(int width) {
            this.width = width;
        }

        @Override
        public int width() {
            return width;
        }

        @Override
        public float[] batch(List<String[]> sentences, int t) {
            float[] out = new float[sentences.size() * t * width];
            for (int i = 0; i < sentences.size(); i++) {
                String[] s = sentences.get(i);
                for (int k = 0; k < s.length; k++) {
                    if (s[k].equals(TokenFeaturizer.ROOT)) {
                        continue;
                    }
                    Random r = new Random(s[k].hashCode() * 31L + k);
                    for (int d = 0; d < width; d++) {
                        out[(i * t + k) * width + d] = (float) r.nextGaussian();
                    }
                }
            }
            return out;
        }
    }

    private static EncoderConfig config(String type) {
        return EncoderConfig.tiny().withLstm(5, 1).withDataType(type)
                .withPretrained(new PretrainedInput("test", 3, 6, "fp32"));
    }

    @Test
    void theMixAddsItsWidthToTheTokenFeatures() {
        assertThat(config("float").inputDim()).isEqualTo(EncoderConfig.tiny().inputDim() + 6);
    }

    @Test
    void gradientsOfTheMixMatchFiniteDifferences() {
        EncoderConfig cfg = config("double");
        EncoderTest.Built b = build(cfg, 3);
        Random r = new Random(6);
        b.encoder().parameters().get(Encoder.PRETRAINED_MIX).assign(Nd4j.createFromArray(0.3, -0.7, 1.1)
                .reshape(1, 3).castTo(DataType.DOUBLE));
        INDArray g = Nd4j.zeros(DataType.DOUBLE, 3, 7, 10);
        for (int s = 0; s < 3; s++) {
            for (int t = 0; t < EncoderTest.SENTENCES.get(s).length; t++) {
                for (int k = 0; k < 10; k++) {
                    g.putScalar(new long[] {s, t, k}, r.nextGaussian());
                }
            }
        }
        EncoderBatch batch = b.feats().featurize(EncoderTest.SENTENCES, 0, null);
        Map<String, INDArray> grads = b.encoder().backward(b.encoder().encode(batch, null), g);
        double eps = 1e-6;
        for (String name : List.of(Encoder.PRETRAINED_MIX, Encoder.PRETRAINED_SCALE, "enc/lstm0f/Wx")) {
            INDArray w = b.encoder().parameters().get(name);
            INDArray gw = grads.get(name);
            assertThat(gw).as(name).isNotNull();
            for (long i = 0; i < Math.min(w.length(), 4); i++) {
                double old = w.getDouble(i);
                w.putScalar(i, old + eps);
                double plus = objective(b, batch, g);
                w.putScalar(i, old - eps);
                double minus = objective(b, batch, g);
                w.putScalar(i, old);
                double fd = (plus - minus) / (2 * eps);
                assertThat(Math.abs(fd - gw.getDouble(i))).as("%s[%d]: fd %s vs analytic %s", name, i, fd,
                        gw.getDouble(i)).isLessThan(1e-6 + 1e-5 * Math.abs(fd));
            }
        }
    }

    @Test
    void thePredictionPathAgreesWithTheGraph() {
        EncoderConfig cfg = config("float").withLstm(7, 2);
        Random r = new Random(2);
        TokenFeaturizer feats = EncoderInferenceTest.featurizer(cfg, r);
        feats.useVectors(new HashVectors(18));
        Network net = new Network(cfg, feats.words().size(), feats.chars().size(), 4);
        EncoderInferenceTest.perturb(net, r);
        for (int rep = 0; rep < 6; rep++) {
            List<String[]> sentences = EncoderInferenceTest.randomSentences(r, 1 + r.nextInt(20), 10);
            EncoderBatch batch = feats.featurize(sentences, 0, null);
            assertThat(batch.pretrained()).hasSize(batch.size() * batch.maxLength() * 18);
            EncoderInferenceTest.assertSame(net.inference().encode(batch),
                    net.encoder().encode(batch, null).output(), batch, cfg.outputDim());
        }
    }

    @Test
    void theVectorsChangeTheOutput() {
        EncoderTest.Built b = build(config("float"), 5);
        INDArray before = b.encode(EncoderTest.SENTENCES);
        b.feats().useVectors(new TokenVectors() {
            @Override
            public int width() {
                return 18;
            }

            @Override
            public float[] batch(List<String[]> sentences, int t) {
                float[] v = new HashVectors(18).batch(sentences, t);
                for (int i = 0; i < v.length; i++) {
                    v[i] *= 2;
                }
                return v;
            }
        });
        assertThat(b.encode(EncoderTest.SENTENCES).sub(before).amaxNumber().doubleValue()).isGreaterThan(1e-4);
    }

    @Test
    void aBatchWithoutVectorsIsAClearError() {
        EncoderConfig cfg = config("float");
        TokenFeaturizer feats = TokenFeaturizer.build(EncoderTest.SENTENCES, 1, cfg.maxChars());
        Encoder enc = new Encoder(cfg, feats.words().size(), feats.chars().size(), 1);
        EncoderBatch batch = feats.featurize(EncoderTest.SENTENCES, 0, null);
        assertThatThrownBy(() -> enc.encode(batch, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pretrained encoder 'test'");
    }

    @Test
    void badPretrainedSettingsAreRejected() {
        assertThatThrownBy(() -> new PretrainedInput("bert", 0, 768, "fp32"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PretrainedInput("bert", 4, 768, "fp16"))
                .hasMessageContaining("fp32 or int8");
    }

    private static EncoderTest.Built build(EncoderConfig cfg, long seed) {
        EncoderTest.Built b = EncoderTest.build(cfg, seed);
        b.feats().useVectors(new HashVectors(cfg.pretrained().width()));
        return b;
    }

    private static double objective(EncoderTest.Built b, EncoderBatch batch, INDArray g) {
        return b.encoder().encode(batch, null).output().mul(g).sumNumber().doubleValue();
    }
}
