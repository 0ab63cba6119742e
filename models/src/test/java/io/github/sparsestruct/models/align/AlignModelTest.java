package io.github.sparsestruct.models.align;

import io.github.sparsestruct.models.decode.Decoding;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.testing.GradientCheck;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.train.Trainer;
import io.github.sparsestruct.models.train.TrainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.params.provider.CsvSource;

class AlignModelTest {
    private static final String[] SRC = {"a1", "b2", "c3", "d4", "e5", "f6", "g7", "h8"};
    private static final String[] TGT = {"zq", "yr", "xs", "wt", "vu", "uv", "tw", "sx"};

    /**
     * Pairs whose words never match lexically: source word k translates to target word k, sentences are random
     * subsets in random orders, and a target word may be an extra (unaligned) one. Only the learned scores can align.
     */
    static List<AlignPair> synthetic(int count, long seed) {
        Random r = new Random(seed);
        List<AlignPair> out = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            int len = 3 + r.nextInt(3);
            List<Integer> words = new ArrayList<>();
            while (words.size() < len) {
                int w = r.nextInt(SRC.length);
                if (!words.contains(w)) {
                    words.add(w);
                }
            }
            List<Integer> perm = new ArrayList<>(words);
            java.util.Collections.shuffle(perm, r);
            String[] s = new String[len];
            for (int i = 0; i < len; i++) {
                s[i] = SRC[words.get(i)];
            }
            List<String> t = new ArrayList<>();
            for (int w : perm) {
                t.add(TGT[w]);
            }
            t.add(r.nextInt(t.size() + 1), "noise");
            List<int[]> sure = new ArrayList<>();
            for (int i = 0; i < len; i++) {
                sure.add(new int[] {i, t.indexOf(TGT[words.get(i)])});
            }
            out.add(new AlignPair("p" + p, s, t.toArray(new String[0]), sure, List.of()));
        }
        return out;
    }

    static AlignConfig tinyConfig(AlignLoss loss, AlignDecoder decoder) {
        return new AlignConfig(EncoderConfig.tiny(), 16, 8, loss, decoder,
                Adam.Config.defaults().withLearningRate(0.02));
    }

    static double f1(AlignModel model, List<AlignPair> data, AlignDecoder dec, Decoding mode) {
        List<TokenPair> pairs = new ArrayList<>();
        for (AlignPair p : data) {
            pairs.add(new TokenPair(p.source(), p.target()));
        }
        List<AlignPrediction> preds = model.predict(pairs, dec, mode);
        long gold = 0;
        long pred = 0;
        long ok = 0;
        for (int i = 0; i < data.size(); i++) {
            boolean[] g = data.get(i).sureMatrix();
            List<int[]> links = preds.get(i).linksAbove(0.5);
            gold += data.get(i).sure().size();
            pred += links.size();
            for (int[] l : links) {
                ok += g[l[0] * data.get(i).target().length + l[1]] ? 1 : 0;
            }
        }
        double p = pred == 0 ? 0 : (double) ok / pred;
        double rc = (double) ok / gold;
        return p + rc == 0 ? 0 : 2 * p * rc / (p + rc);
    }

    @ParameterizedTest
    @CsvSource({"SPARSEMAP, MATCHING, 3", "DP_L2, SEQUENTIAL, 4", "SPARSEMAP, BOTH, 5"})
    void pairScorerGradientsMatchFiniteDifferences(AlignLoss loss, AlignDecoder decoder, long seed) {
        List<AlignPair> data = synthetic(3, seed);
        AlignConfig cfg = new AlignConfig(EncoderConfig.tiny().withLstm(4, 1).withDataType("double"), 5, 3, loss,
                decoder, Adam.Config.defaults());
        AlignModel m = AlignModel.create(cfg, data, seed);
        GradientCheck.perturb(m.parameters(), seed);
        Map<String, INDArray> grads = m.lossGradients(data);
        int tokens = data.stream().mapToInt(p -> p.source().length).sum();
        int checked = GradientCheck.check(m.parameters(), grads, List.of("align/U", "align/proj/W", "align/lex/W1", "align/lex/W2", "align/lex/Wl",
                "align/null/W", "align/null/lexW", "align/trans", "align/start", "align/end", "enc/lstm0b/Wx",
                "enc/wordEmb"), () -> m.loss(data), tokens, loss);
        assertThat(checked).isEqualTo(36);
    }

    @ParameterizedTest
    @CsvSource({"SPARSEMAP, MATCHING, 11", "SPARSEMAP, SEQUENTIAL, 12", "DP_L2, SEQUENTIAL, 13"})
    void tinyModelOverfitsASyntheticSetWithoutLexicalClues(AlignLoss loss, AlignDecoder decoder, long seed) {
        List<AlignPair> data = synthetic(24, seed);
        AlignModel model = AlignModel.create(tinyConfig(loss, decoder), data, seed);
        double before = model.loss(data);
        Trainer<AlignPair> trainer = new Trainer<>(model, new TrainerConfig(40, 8, 1000, seed, 0));
        trainer.train(data);
        double after = model.loss(data);
        if (loss == AlignLoss.SPARSEMAP) {
            assertThat(after).isLessThan(0.1 * before);
        } else {
            assertThat(after).isLessThan(before);
        }
        AlignDecoder dec = decoder;
        assertThat(f1(model, data, dec, Decoding.MAP)).isGreaterThan(0.95);
        assertThat(f1(model, data, dec, Decoding.SPARSEMAP)).isGreaterThan(0.9);

        InMemoryParameterStore store = new InMemoryParameterStore();
        model.save(store);
        AlignModel loaded = AlignModel.load(store);
        assertThat(loaded.loss(data)).isCloseTo(after,
                org.assertj.core.data.Offset.offset(1e-3 * (1 + Math.abs(after))));
    }
}
