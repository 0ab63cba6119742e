package io.github.sparsestruct.models.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class EncoderTest {
    static final List<String[]> SENTENCES = List.of(
            new String[] {"Alice", "saw", "Bob", "in", "Paris", "."},
            new String[] {"Bob", "ran"},
            new String[] {"Did", "Alice", "see", "the", "3", "cats", "?"});

    record Built(SameDiff sd, Encoder encoder, TokenFeaturizer feats, SDVariable out) {
    }

    static Built build(EncoderConfig cfg, long seed) {
        TokenFeaturizer feats = TokenFeaturizer.build(SENTENCES, cfg.minWordCount(), cfg.maxChars());
        SameDiff sd = SameDiff.create();
        Encoder enc = new Encoder(cfg, feats.words().size(), feats.chars().size());
        SDVariable out = enc.build(sd, new ParamInit(sd, cfg.type(), seed));
        out.rename("out");
        return new Built(sd, enc, feats, out);
    }

    static Map<String, INDArray> inputs(Built b, List<String[]> sentences, DataType dt) {
        Map<String, INDArray> ph = new HashMap<>();
        b.encoder().putInputs(b.feats().featurize(sentences, 0, null), null, ph);
        return ph;
    }

    @Test
    void outputOfASentenceDoesNotDependOnThePaddingOfItsBatch() {
        EncoderConfig cfg = EncoderConfig.tiny().withLstm(8, 2);
        Built b = build(cfg, 5);
        INDArray batch = b.sd().outputSingle(inputs(b, SENTENCES, DataType.FLOAT), "out");
        assertThat(batch.shape()).containsExactly(3, 7, 16);
        for (int s = 0; s < SENTENCES.size(); s++) {
            int n = SENTENCES.get(s).length;
            INDArray alone = b.sd().outputSingle(inputs(b, List.<String[]>of(SENTENCES.get(s), new String[] {"x"})
                    .subList(0, 1), DataType.FLOAT), "out");
            INDArray inBatch = batch.get(NDArrayIndex.interval(s, s + 1), NDArrayIndex.interval(0, n),
                    NDArrayIndex.all());
            assertThat(alone.sub(inBatch).amaxNumber().doubleValue()).as("sentence %d", s).isLessThan(1e-5);
            // both directions see the whole sentence: the first position's backward half depends on the last word
        }
    }

    @Test
    void backwardDirectionReadsTheSentenceRightToLeft() {
        Built b = build(EncoderConfig.tiny(), 2);
        List<String[]> a = List.of(new String[] {"Alice", "saw", "Bob"}, new String[] {"x"});
        List<String[]> c = List.of(new String[] {"Alice", "saw", "Paris"}, new String[] {"x"});
        INDArray oa = b.sd().outputSingle(inputs(b, a, DataType.FLOAT), "out");
        INDArray oc = b.sd().outputSingle(inputs(b, c, DataType.FLOAT), "out");
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
        EncoderConfig cfg = EncoderConfig.tiny().withLstm(5, 2).withDataType("double");
        Built b = build(cfg, 9);
        SameDiff sd = b.sd();
        SDVariable g = sd.placeHolder("G", DataType.DOUBLE, -1, -1, 10);
        SDVariable obj = b.out().mul(g).sum().rename("obj");
        sd.setLossVariables(obj);
        Map<String, INDArray> ph = inputs(b, SENTENCES, DataType.DOUBLE);
        Random r = new Random(4);
        INDArray gv = Nd4j.zeros(DataType.DOUBLE, 3, 7, 10);
        for (int s = 0; s < 3; s++) {
            for (int t = 0; t < SENTENCES.get(s).length; t++) {
                for (int k = 0; k < 10; k++) {
                    gv.putScalar(new long[] {s, t, k}, r.nextGaussian());
                }
            }
        }
        ph.put("G", gv);
        List<String> names = new ArrayList<>(GraphParameters.names(sd));
        List<String> wanted = new ArrayList<>(names);
        wanted.addAll(b.encoder().inputGradientNames());
        Map<String, INDArray> grads = new java.util.HashMap<>(sd.calculateGradients(ph, wanted));
        EncoderBatch batch = b.feats().featurize(SENTENCES, 0, null);
        grads.putAll(b.encoder().embeddingGradients(batch, grads));
        Map<String, INDArray> params = new java.util.LinkedHashMap<>(GraphParameters.arrays(sd));
        params.putAll(b.encoder().embeddings());
        names.addAll(b.encoder().embeddings().keySet());
        List<String> checked = new ArrayList<>();
        double eps = 1e-6;
        for (String name : names) {
            INDArray w = params.get(name);
            INDArray gw = grads.get(name);
            // the entry with the largest gradient, plus a fixed one
            long[] idx = {gw.argMax().getLong(0) % w.length(), (w.length() * 7 / 11)};
            for (long i : idx) {
                double old = w.getDouble(i);
                w.putScalar(i, old + eps);
                double plus = objective(b, ph);
                w.putScalar(i, old - eps);
                double minus = objective(b, ph);
                w.putScalar(i, old);
                double fd = (plus - minus) / (2 * eps);
                double an = gw.getDouble(i);
                assertThat(Math.abs(fd - an)).as("%s[%d]: fd %s vs analytic %s", name, i, fd, an)
                        .isLessThan(1e-6 + 1e-5 * Math.abs(fd));
            }
            checked.add(name);
        }
        assertThat(checked).contains("enc/wordEmb", "enc/caseEmb", "enc/charEmb", "enc/charConv/W",
                "enc/lstm1b/Wr");
    }

    /** The objective after refreshing the looked-up embeddings (the tables live outside the graph). */
    private static double objective(Built b, Map<String, INDArray> ph) {
        b.encoder().putInputs(b.feats().featurize(SENTENCES, 0, null), null, ph);
        return b.sd().outputSingle(ph, "obj").getDouble(0);
    }
}
