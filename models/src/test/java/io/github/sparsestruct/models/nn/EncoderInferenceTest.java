package io.github.sparsestruct.models.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The prediction path of the encoder against its graph ({@code Encoder.encode(batch, null)}, itself checked by
 * finite differences): same outputs at every real position on random batches and random parameters, zero at
 * padding, safe from several threads, and refreshed when the parameters change.
 */
class EncoderInferenceTest {
    private static final String[] WORDS = {"Alice", "saw", "Bob", "in", "Paris", ".", "the", "3", "cats", "?",
        "New", "York", "ran", "IBM", "x", "supercalifragilisticexpialidocious", "\uD83D\uDE00", "na\u00EFve", "2026",
        "U.S.", "-", ""};

    @BeforeAll
    static void needsThePath() {
        assumeTrue(EncoderInference.available(DataType.FLOAT), "the prediction path does not apply on this platform");
    }

    static Stream<Arguments> cases() {
        EncoderConfig tiny = EncoderConfig.tiny();
        List<Arguments> out = new ArrayList<>();
        for (int seed = 0; seed < 24; seed++) {
            EncoderConfig cfg = switch (seed % 4) {
                case 0 -> tiny;
                case 1 -> tiny.withLstm(7, 2);
                case 2 -> new EncoderConfig(12, 0, 6, 0, 5, 9, 3, 0, 0, 0, 1, "float");
                default -> new EncoderConfig(10, 3, 5, 6, 4, 11, 2, 0.5, 0.5, 0.5, 2, "float");
            };
            out.add(Arguments.of(seed, cfg));
        }
        return out.stream();
    }

    static List<String[]> randomSentences(Random r, int count, int maxLength) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] s = new String[1 + r.nextInt(maxLength)];
            for (int j = 0; j < s.length; j++) {
                s[j] = r.nextInt(8) == 0 ? "unseen" + r.nextInt(5) : WORDS[r.nextInt(WORDS.length)];
            }
            out.add(s);
        }
        return out;
    }

    static TokenFeaturizer featurizer(EncoderConfig cfg, Random r) {
        return TokenFeaturizer.build(randomSentences(r, 30, 8), cfg.minWordCount(), cfg.maxChars());
    }

    static void perturb(Network net, Random r) {
        io.github.sparsestruct.models.testing.TinyModels.perturb(net.parameters(), r, 0.3);
    }

    static void assertSame(float[] fast, INDArray graph, EncoderBatch batch, int dim) {
        int t = batch.maxLength();
        float[] g = graph.castTo(DataType.FLOAT).dup('c').data().asFloat();
        assertThat(fast).hasSize(g.length);
        for (int s = 0; s < batch.size(); s++) {
            for (int p = 0; p < t; p++) {
                for (int k = 0; k < dim; k++) {
                    int i = (s * t + p) * dim + k;
                    if (p < batch.lengths()[s]) {
                        assertThat((double) fast[i]).as("sentence %d position %d unit %d", s, p, k)
                                .isCloseTo(g[i], org.assertj.core.data.Offset.offset(2e-5 + 2e-5 * Math.abs(g[i])));
                    } else {
                        assertThat(fast[i]).as("padding").isEqualTo(0f);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("cases")
    void agreesWithTheGraphOnRandomBatches(int seed, EncoderConfig cfg) {
        Random r = new Random(seed);
        TokenFeaturizer feats = featurizer(cfg, r);
        Network net = new Network(cfg, feats.words().size(), feats.chars().size(), seed);
        perturb(net, r);
        EncoderInference fast = net.inference();
        assertThat(fast).isNotNull();
        for (int rep = 0; rep < 4; rep++) {
            // a single one-token sentence; 1..7 sentences (time steps by matrix-vector products); 17..32 sentences
            // (time steps by one matrix product while more than 16 run); lengths 1..12
            List<String[]> sentences = rep == 0 ? List.<String[]>of(new String[] {WORDS[r.nextInt(WORDS.length)]})
                    : rep == 3 ? randomSentences(r, 17 + r.nextInt(16), 12) : randomSentences(r, 1 + r.nextInt(7), 12);
            EncoderBatch batch = feats.featurize(sentences, 0, null);
            assertSame(fast.encode(batch), net.encoder().encode(batch, null).output(), batch, cfg.outputDim());
        }
    }

    @Test
    void snapshotFollowsParameterChanges() {
        EncoderConfig cfg = EncoderConfig.tiny().withLstm(6, 2);
        Random r = new Random(11);
        TokenFeaturizer feats = featurizer(cfg, r);
        Network net = new Network(cfg, feats.words().size(), feats.chars().size(), 3);
        EncoderBatch batch = feats.featurize(randomSentences(r, 4, 6), 0, null);
        float[] before = net.inference().encode(batch);
        assertThat(net.inference()).as("kept while nothing changes").isSameAs(net.inference());
        perturb(net, r);
        float[] after = net.inference().encode(batch);
        assertThat(after).isNotEqualTo(before);
        assertSame(after, net.encoder().encode(batch, null).output(), batch, cfg.outputDim());
    }

    @Test
    void severalThreadsGetTheirOwnResults() throws Exception {
        EncoderConfig cfg = EncoderConfig.tiny().withLstm(10, 2);
        Random r = new Random(5);
        TokenFeaturizer feats = featurizer(cfg, r);
        Network net = new Network(cfg, feats.words().size(), feats.chars().size(), 8);
        perturb(net, r);
        EncoderInference fast = net.inference();
        List<EncoderBatch> batches = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            EncoderBatch b = feats.featurize(randomSentences(r, 1 + r.nextInt(9), 15), 0, null);
            batches.add(b);
            expected.add(fast.encode(b));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> got = new ArrayList<>();
            for (int rep = 0; rep < 5; rep++) {
                for (EncoderBatch b : batches) {
                    got.add(pool.submit(() -> fast.encode(b)));
                }
            }
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).get()).isEqualTo(expected.get(i % batches.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void turnedOffByTheSystemPropertyAndForDoubleNetworks() {
        assertThat(EncoderInference.available(DataType.DOUBLE)).isFalse();
        String old = System.getProperty(EncoderInference.PROPERTY);
        System.setProperty(EncoderInference.PROPERTY, "nd4j");
        try {
            assertThat(EncoderInference.available(DataType.FLOAT)).isFalse();
        } finally {
            if (old == null) {
                System.clearProperty(EncoderInference.PROPERTY);
            } else {
                System.setProperty(EncoderInference.PROPERTY, old);
            }
        }
    }
}
