package io.github.sparsestruct.inference.dp;

import static io.github.sparsestruct.inference.testing.Numeric.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.testing.Numeric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ViterbiOmegaTest {
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;
    private static final String[] SMOOTH = {"negEntropy", "squaredL2", "entmax15"};

    /** A random instance: T ≤ maxT positions, S ≤ maxS tags, θ with padding before it at offset {@code off}. */
    record Instance(int t, int s, int off, double[] theta) {
        static Instance random(Random rnd, int maxT, int maxS, double maskProb) {
            int t = 1 + rnd.nextInt(maxT);
            int s = 1 + rnd.nextInt(maxS);
            int off = rnd.nextInt(3);
            double[] theta = new double[off + t * s * s + rnd.nextInt(3)];
            for (int k = 0; k < theta.length; k++) {
                theta[k] = rnd.nextDouble() < maskProb ? NEG_INF : 1.5 * rnd.nextGaussian();
            }
            return new Instance(t, s, off, theta);
        }

        int idx(int pos, int i, int j) {
            return off + (pos * s + i) * s + j;
        }

        int size() {
            return t * s * s;
        }

        /** All S^T tag sequences. */
        List<int[]> sequences() {
            List<int[]> out = new ArrayList<>();
            int[] y = new int[t];
            while (true) {
                out.add(y.clone());
                int p = t - 1;
                while (p >= 0 && y[p] == s - 1) {
                    y[p] = 0;
                    p--;
                }
                if (p < 0) {
                    return out;
                }
                y[p]++;
            }
        }

        /** Score of a tag sequence from the definition: θ[0][y0][0] + Σ_t θ[t][y_t][y_{t−1}]. */
        double score(int[] y) {
            double sc = theta[idx(0, y[0], 0)];
            for (int p = 1; p < t; p++) {
                sc += theta[idx(p, y[p], y[p - 1])];
            }
            return sc;
        }

        /** Path indicator tensor (length T·S·S, relative to off). */
        double[] indicator(int[] y) {
            double[] ind = new double[size()];
            ind[idx(0, y[0], 0) - off] = 1;
            for (int p = 1; p < t; p++) {
                ind[idx(p, y[p], y[p - 1]) - off] += 1;
            }
            return ind;
        }
    }

    private static double[] gradient(ViterbiOmega vit, Instance in) {
        double[] g = new double[in.size()];
        vit.gradient(in.theta(), in.off(), in.t(), g, 0);
        return g;
    }

    static Stream<Long> seeds() {
        return Numeric.seeds(150);
    }

    static Stream<Arguments> smoothOpsAndSeeds() {
        return Stream.of(SMOOTH).flatMap(name -> Numeric.seeds(60).map(seed -> Arguments.of(name, seed)));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void negEntropyViterbiEqualsLogSumExpOverAllPaths(long seed) {
        Random rnd = new Random(seed);
        Instance in = Instance.random(rnd, 5, 3, seed % 3 == 0 ? 0.2 : 0);
        double gamma = 0.1 + 2 * rnd.nextDouble();
        double[] scaled = in.sequences().stream().mapToDouble(y -> in.score(y) / gamma).toArray();
        double logZ = Numeric.logSumExp(scaled, scaled.length);
        double val = new ViterbiOmega(SmoothedMax.negEntropy(gamma), in.s(), 2).value(in.theta(), in.off(), in.t());
        if (logZ == NEG_INF) {
            assertThat(val).isEqualTo(NEG_INF);
        } else {
            assertClose(val, gamma * logZ, 1e-11, "log-partition");
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void negEntropyGradientIsTheGibbsTransitionAndUnaryMarginals(long seed) {
        Random rnd = new Random(seed);
        Instance in = Instance.random(rnd, 5, 3, seed % 3 == 0 ? 0.2 : 0);
        double gamma = 0.1 + 2 * rnd.nextDouble();
        List<int[]> seqs = in.sequences();
        double[] scaled = seqs.stream().mapToDouble(y -> in.score(y) / gamma).toArray();
        double logZ = Numeric.logSumExp(scaled, scaled.length);
        double[] pairwise = new double[in.size()];
        double[] unary = new double[in.t() * in.s()];
        if (logZ != NEG_INF) {
            for (int n = 0; n < seqs.size(); n++) {
                double prob = Math.exp(scaled[n] - logZ);
                double[] ind = in.indicator(seqs.get(n));
                for (int k = 0; k < ind.length; k++) {
                    pairwise[k] += prob * ind[k];
                }
                for (int p = 0; p < in.t(); p++) {
                    unary[p * in.s() + seqs.get(n)[p]] += prob;
                }
            }
        }
        double[] g = gradient(new ViterbiOmega(SmoothedMax.negEntropy(gamma), in.s(), 5), in);
        assertClose(g, pairwise, 1e-11, "transition marginals");
        double[] gUnary = new double[unary.length];
        for (int p = 0; p < in.t(); p++) {
            for (int i = 0; i < in.s(); i++) {
                for (int j = 0; j < in.s(); j++) {
                    gUnary[p * in.s() + i] += g[in.idx(p, i, j) - in.off()];
                }
            }
        }
        assertClose(gUnary, unary, 1e-11, "unary marginals");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void hardDecodeFindsTheBestEnumeratedTagSequence(long seed) {
        Random rnd = new Random(seed);
        Instance in = Instance.random(rnd, 5, 3, seed % 4 == 0 ? 0.25 : 0);
        int[] best = null;
        for (int[] y : in.sequences()) {
            if (best == null || in.score(y) > in.score(best)) {
                best = y;
            }
        }
        ViterbiOmega vit = new ViterbiOmega(SmoothedMax.hard(), in.s(), 1);
        int[] tags = new int[in.t() + 2];
        double val = vit.decode(in.theta(), in.off(), in.t(), tags);
        double bestScore = in.score(best);
        if (bestScore == NEG_INF) {
            assertThat(val).isEqualTo(NEG_INF);
            assertThat(Arrays.copyOf(tags, in.t())).containsOnly(-1);
            return;
        }
        assertClose(val, bestScore, 1e-12, "best score");
        assertThat(Arrays.copyOf(tags, in.t())).containsExactly(best);
        // the hard operator's DP gives the same value and the decoded path as gradient
        assertThat(vit.value(in.theta(), in.off(), in.t())).isEqualTo(val);
        assertThat(gradient(vit, in)).containsExactly(in.indicator(best));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void hardDecodeWithTiedIntegerScoresReturnsABestSequenceAgreeingWithTheHardGradient(long seed) {
        Random rnd = new Random(seed);
        Instance in = Instance.random(rnd, 5, 3, 0);
        for (int k = 0; k < in.theta().length; k++) {
            in.theta()[k] = rnd.nextInt(3);
        }
        double best = in.sequences().stream().mapToDouble(in::score).max().getAsDouble();
        ViterbiOmega vit = new ViterbiOmega(SmoothedMax.hard(), in.s(), 5);
        int[] tags = new int[in.t()];
        assertThat(vit.decode(in.theta(), in.off(), in.t(), tags)).isEqualTo(best);
        assertThat(in.score(tags)).isEqualTo(best);
        assertThat(gradient(vit, in)).containsExactly(in.indicator(tags));
    }

    @Test
    void hardDecodeBreaksTiesTowardsTheFirstTag() {
        ViterbiOmega vit = new ViterbiOmega(SmoothedMax.hard(), 3, 4);
        int[] tags = new int[4];
        assertThat(vit.decode(new double[4 * 9], 0, 4, tags)).isEqualTo(0.0);
        assertThat(tags).containsExactly(0, 0, 0, 0);
    }

    @ParameterizedTest
    @MethodSource("smoothOpsAndSeeds")
    void sparseAndDenseGradientsAreConvexCombinationsOfTagSequences(String name, long seed) {
        Random rnd = new Random(seed);
        Instance in = Instance.random(rnd, 5, 3, 0);
        double gamma = 0.2 + 2 * rnd.nextDouble();
        double[] g = gradient(new ViterbiOmega(DagDpTest.op(name, gamma), in.s(), 5), in);
        int s = in.s();
        for (int p = 0; p < in.t(); p++) {
            double total = 0;
            for (int i = 0; i < s; i++) {
                double unary = 0;
                for (int j = 0; j < s; j++) {
                    double e = g[in.idx(p, i, j) - in.off()];
                    assertThat(e).isBetween(0.0, 1.0 + 1e-12);
                    if (p == 0 && j > 0) {
                        assertThat(e).isZero();
                    }
                    unary += e;
                }
                total += unary;
                if (p + 1 < in.t()) {
                    double outflow = 0;
                    for (int k = 0; k < s; k++) {
                        outflow += g[in.idx(p + 1, k, i) - in.off()];
                    }
                    assertThat(outflow).as("marginal consistency at (%d, %d)", p, i).isCloseTo(unary, offset(1e-12));
                }
            }
            assertThat(total).as("unary marginals at position %d", p).isCloseTo(1.0, offset(1e-12));
        }
        double best = in.sequences().stream().mapToDouble(in::score).max().getAsDouble();
        // every tag sequence enters the same nodes: one (0, i) with a single parent, T − 1 cells with S parents and the
        // end with S parents; max(x) − maxΩ ≤ max_Ω(x) ≤ max(x) − minΩ at each of them
        double lower = best - DagDpTest.maxOmega(name, gamma, 1) - in.t() * DagDpTest.maxOmega(name, gamma, s);
        double upper = best - DagDpTest.minOmega(name, gamma, 1) - in.t() * DagDpTest.minOmega(name, gamma, s);
        double val = new ViterbiOmega(DagDpTest.op(name, gamma), s, 1).value(in.theta(), in.off(), in.t());
        assertThat(val).isGreaterThanOrEqualTo(lower - 1e-12).isLessThanOrEqualTo(upper + 1e-12);
        if (name.equals("squaredL2")) {
            // T + 1 nodes on every path, each subtracting between γ/(2S) and γ/2
            assertThat(val).isGreaterThanOrEqualTo(best - (in.t() + 1) * 0.5 * gamma - 1e-12)
                    .isLessThanOrEqualTo(best - 0.5 * gamma - in.t() * 0.5 * gamma / s + 1e-12);
        } else {
            assertThat(val).isGreaterThanOrEqualTo(best - 1e-12);
        }
    }

    /** The trellis start → (0, i) → … → (T−1, i) → end as a DagDp, with the θ index of each edge (−1: end edge). */
    record Trellis(DagDp dp, int[] thetaIndex) {
        static Trellis of(Instance in, SmoothedMax op) {
            int t = in.t();
            int s = in.s();
            int n = t * s + 2;
            int[] ptr = new int[n + 1];
            List<Integer> parents = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            for (int i = 0; i < s; i++) {
                parents.add(0);
                index.add(in.idx(0, i, 0));
                ptr[2 + i] = parents.size();
            }
            for (int p = 1; p < t; p++) {
                for (int i = 0; i < s; i++) {
                    for (int j = 0; j < s; j++) {
                        parents.add(1 + (p - 1) * s + j);
                        index.add(in.idx(p, i, j));
                    }
                    ptr[2 + p * s + i] = parents.size();
                }
            }
            for (int i = 0; i < s; i++) {
                parents.add(1 + (t - 1) * s + i);
                index.add(-1);
            }
            ptr[n] = parents.size();
            int[] par = parents.stream().mapToInt(Integer::intValue).toArray();
            return new Trellis(new DagDp(ptr, par, op), index.stream().mapToInt(Integer::intValue).toArray());
        }

        double[] edges(double[] tensor) {
            double[] w = new double[thetaIndex.length];
            for (int k = 0; k < w.length; k++) {
                w[k] = thetaIndex[k] < 0 ? 0 : tensor[thetaIndex[k]];
            }
            return w;
        }

        double[] tensor(double[] edgeValues, int length, int off) {
            double[] out = new double[length];
            for (int k = 0; k < edgeValues.length; k++) {
                if (thetaIndex[k] >= 0) {
                    out[thetaIndex[k] - off] += edgeValues[k];
                }
            }
            return out;
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void viterbiEqualsDagDpOnTheTrellisForValueGradientAndHvp(long seed) {
        Random rnd = new Random(seed);
        Instance in = Instance.random(rnd, 8, 5, seed % 5 == 0 ? 0.15 : 0);
        String name = new String[] {"negEntropy", "squaredL2", "entmax15", "hard"}[(int) (seed % 4)];
        SmoothedMax op = DagDpTest.op(name, 0.2 + 2 * rnd.nextDouble());
        double[] z = Numeric.gaussian(rnd, in.theta().length, 1);
        Trellis tr = Trellis.of(in, op);
        double[] eg = new double[tr.thetaIndex().length];
        double[] ehz = new double[eg.length];
        double[] ez = tr.edges(z);
        for (int k = 0; k < ez.length; k++) {
            if (tr.thetaIndex()[k] < 0) {
                ez[k] = 0;
            }
        }
        double expected = tr.dp().hvp(tr.edges(in.theta()), ez, eg, ehz);
        ViterbiOmega vit = new ViterbiOmega(op, in.s(), 3);
        double[] g = new double[in.size() + 1];
        double[] hz = new double[in.size() + 2];
        double val = vit.hvp(in.theta(), in.off(), in.t(), z, in.off(), g, 1, hz, 2);
        if (expected == NEG_INF) {
            assertThat(val).isEqualTo(NEG_INF);
        } else {
            assertClose(val, expected, 1e-12, name + " value");
        }
        assertClose(Arrays.copyOfRange(g, 1, g.length), tr.tensor(eg, in.size(), in.off()), 1e-12, name + " gradient");
        assertClose(Arrays.copyOfRange(hz, 2, hz.length), tr.tensor(ehz, in.size(), in.off()), 1e-10, name + " hvp");
        assertThat(vit.value(in.theta(), in.off(), in.t())).isEqualTo(val);
        double[] g2 = new double[in.size()];
        assertThat(vit.gradient(in.theta(), in.off(), in.t(), g2, 0)).isEqualTo(val);
        assertThat(g2).containsExactly(Arrays.copyOfRange(g, 1, g.length));
    }

    @ParameterizedTest
    @MethodSource("smoothOpsAndSeeds")
    void gradientAndHvpMatchFiniteDifferences(String name, long seed) {
        Random rnd = new Random(500 + seed);
        Instance in = Instance.random(rnd, 6, 4, seed % 4 == 0 ? 0.1 : 0);
        ViterbiOmega vit = new ViterbiOmega(DagDpTest.op(name, 0.3 + 2 * rnd.nextDouble()), in.s(), 2);
        double h = name.equals("negEntropy") ? 1e-5 : 1e-6;
        double[] d = Numeric.gaussian(rnd, in.theta().length, 1);
        int size = in.size();
        double[] g = new double[size];
        double[] hz = new double[size];
        double val = vit.hvp(in.theta(), in.off(), in.t(), d, in.off(), g, 0, hz, 0);
        if (val == NEG_INF) {
            assertThat(g).containsOnly(0.0);
            return;
        }
        double fd = Numeric.directional(th -> vit.value(th, in.off(), in.t()), in.theta(), d, h);
        assertClose(Numeric.dot(g, Arrays.copyOfRange(d, in.off(), in.off() + size)), fd, 1e-5, "directional");
        double[] fdGrad = Numeric.directionalVector(th -> {
            double[] gr = new double[size];
            vit.gradient(th, in.off(), in.t(), gr, 0);
            return gr;
        }, in.theta(), d, h);
        assertClose(hz, fdGrad, 1e-5, "Hessian-vector product");
    }

    @Test
    void maskedTransitionsGetZeroGradient() {
        Random rnd = new Random(8);
        for (int trial = 0; trial < 100; trial++) {
            Instance in = Instance.random(rnd, 6, 4, 0.3);
            for (String name : new String[] {"negEntropy", "squaredL2", "entmax15", "hard"}) {
                double[] g = gradient(new ViterbiOmega(DagDpTest.op(name, 1), in.s(), 6), in);
                for (int k = 0; k < g.length; k++) {
                    if (in.theta()[in.off() + k] == NEG_INF) {
                        assertThat(g[k]).isEqualTo(0.0);
                    }
                }
            }
        }
    }

    @Test
    void allPathsForbiddenGivesMinusInfinityZeroDerivativesAndNoTags() {
        int s = 2;
        double[] theta = new double[3 * s * s];
        Arrays.fill(theta, 1.0);
        Arrays.fill(theta, s * s, 2 * s * s, NEG_INF); // every transition into position 1 is masked
        for (String name : new String[] {"negEntropy", "squaredL2", "entmax15", "hard"}) {
            ViterbiOmega vit = new ViterbiOmega(DagDpTest.op(name, 1), s, 3);
            double[] g = new double[theta.length];
            double[] hz = new double[theta.length];
            Arrays.fill(g, 9);
            Arrays.fill(hz, 9);
            double[] z = new double[theta.length];
            Arrays.fill(z, 0.5);
            assertThat(vit.hvp(theta, 0, 3, z, 0, g, 0, hz, 0)).isEqualTo(NEG_INF);
            assertThat(g).containsOnly(0.0);
            assertThat(hz).containsOnly(0.0);
            int[] tags = {5, 5, 5};
            assertThat(vit.decode(theta, 0, 3, tags)).isEqualTo(NEG_INF);
            assertThat(tags).containsExactly(-1, -1, -1);
        }
    }

    @Test
    void singlePositionValueIsTheSmoothedMaxOfTheStartScores() {
        double[] theta = {0.5, 7, 7, -1, 7, 7, 2, 7, 7}; // S = 3, T = 1: only column 0 is read
        double gamma = 0.8;
        double lse = Numeric.logSumExp(new double[] {0.5 / gamma, -1 / gamma, 2 / gamma}, 3);
        ViterbiOmega vit = new ViterbiOmega(SmoothedMax.negEntropy(gamma), 3, 1);
        double[] g = new double[9];
        assertClose(vit.gradient(theta, 0, 1, g, 0), gamma * lse, 1e-14, "value");
        assertClose(g, new double[] {Math.exp(0.5 / gamma - lse), 0, 0, Math.exp(-1 / gamma - lse), 0, 0,
            Math.exp(2 / gamma - lse), 0, 0}, 1e-14, "gradient");
        int[] tags = new int[1];
        assertThat(new ViterbiOmega(SmoothedMax.hard(), 3, 1).decode(theta, 0, 1, tags)).isEqualTo(2.0);
        assertThat(tags).containsExactly(2);
    }

    @Test
    void singleTagValueIsTheSumOfScoresMinusTheVertexRegulariserAtEachNodeForEveryOperator() {
        double[] theta = {0.5, -1.25, 2, 3};
        // T = 4 positions and the end: 5 one-parent nodes; γ = 0.75 keeps every value dyadic, so this is exact
        for (String name : new String[] {"negEntropy", "squaredL2", "entmax15", "hard"}) {
            ViterbiOmega vit = new ViterbiOmega(DagDpTest.op(name, 0.75), 1, 2);
            double[] g = new double[4];
            double expected = 4.25 - 5 * DagDpTest.maxOmega(name, 0.75, 1);
            assertThat(vit.gradient(theta, 0, 4, g, 0)).as(name).isEqualTo(expected);
            assertThat(g).as(name).containsExactly(1, 1, 1, 1);
        }
        assertThat(new ViterbiOmega(SmoothedMax.squaredL2(0.75), 1, 4).value(theta, 0, 4)).isEqualTo(2.375);
        assertThat(new ViterbiOmega(SmoothedMax.squaredL2(0.75), 1, 1).value(theta, 0, 1)).isEqualTo(-0.25);
    }

    /** (γ/2)‖·‖² max of one entry: the only distribution is the vertex, so x − γ/2. */
    private static double l2Max(double x, double gamma) {
        return x - 0.5 * gamma;
    }

    /**
     * (γ/2)‖·‖² max of two entries from the sparsemax formula: p_a = clip(1/2 + (a − b)/(2γ), 0, 1), value
     * ⟨p, x⟩ − (γ/2)‖p‖², which is max − γ/2 when |a − b| ≥ γ and (a + b)/2 + (a − b)²/(4γ) − γ/4 otherwise.
     */
    private static double[] l2Max(double a, double b, double gamma) {
        double pa = Math.min(1, Math.max(0, 0.5 + (a - b) / (2 * gamma)));
        double pb = 1 - pa;
        double value = pa * a + pb * b - 0.5 * gamma * (pa * pa + pb * pb);
        if (Math.abs(a - b) < gamma) {
            assertClose(value, (a + b) / 2 + (a - b) * (a - b) / (4 * gamma) - gamma / 4, 1e-12, "closed form");
        } else {
            assertClose(value, Math.max(a, b) - gamma / 2, 1e-12, "closed form");
        }
        return new double[] {value, pa, pb};
    }

    /**
     * Vit_Ω for T = 2, S = 2 with Ω = (γ/2)‖·‖², recursion evaluated node by node in the test: V0[i] = θ[0][i][0] −
     * γ/2, V1[i] = max_Ω(θ[1][i][0] + V0[0], θ[1][i][1] + V0[1]), value max_Ω(V1[0], V1[1]). Returns the value
     * followed by the gradient (θ's layout) obtained by the chain rule through the local sparsemax distributions.
     */
    private static double[] bruteForceL2Viterbi(double[] th, double gamma) {
        double[] v0 = {l2Max(th[0], gamma), l2Max(th[2], gamma)};
        double[][] node = {l2Max(th[4] + v0[0], th[5] + v0[1], gamma), l2Max(th[6] + v0[0], th[7] + v0[1], gamma)};
        double[] end = l2Max(node[0][0], node[1][0], gamma);
        double[] out = new double[9];
        out[0] = end[0];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double e = end[1 + i] * node[i][1 + j];
                out[1 + 4 + 2 * i + j] = e;
                out[1 + 2 * j] += e; // θ[0][j][0] feeds V0[j]
            }
        }
        return out;
    }

    @Test
    void squaredL2ValueMatchesTheRecursionEvaluatedNodeByNodeOnATinyTrellis() {
        // θ[t][i][j] at (t·2 + i)·2 + j; t = 0 reads j = 0 only
        double[] theta = {0.5, 0, 0, 0, 1, 0, 0, 1};
        // V0 = (0.5 − 0.5, 0 − 0.5) = (0, −0.5); V1[0] = max_Ω(1, −0.5) = 1 − 0.5 = 0.5 (gap ≥ γ, a vertex);
        // V1[1] = max_Ω(0, 0.5) = 0.25 + 0.0625 − 0.25 = 0.0625; end: max_Ω(0.5, 0.0625) = 0.28125 + 0.19140625/4
        // − 0.25 = 81/1024
        double gamma = 1;
        double[] brute = bruteForceL2Viterbi(theta, gamma);
        assertThat(brute[0]).isEqualTo(81.0 / 1024);
        ViterbiOmega vit = new ViterbiOmega(SmoothedMax.squaredL2(gamma), 2, 2);
        double[] g = new double[8];
        assertClose(vit.gradient(theta, 0, 2, g, 0), 81.0 / 1024, 1e-15, "Vit_Ω value");
        assertClose(g, Arrays.copyOfRange(brute, 1, 9), 1e-15, "Vit_Ω gradient");
        // the same trellis through DagDp (one-parent nodes included)
        Instance in = new Instance(2, 2, 0, theta);
        Trellis tr = Trellis.of(in, SmoothedMax.squaredL2(gamma));
        assertClose(tr.dp().value(tr.edges(theta)), 81.0 / 1024, 1e-15, "DagDp value");
        // and on random scores and γ, including sparse and dense local distributions
        Random rnd = new Random(17);
        for (int trial = 0; trial < 200; trial++) {
            double gm = 0.1 + 2 * rnd.nextDouble();
            double[] th = Numeric.gaussian(rnd, 8, 1.5);
            double[] expected = bruteForceL2Viterbi(th, gm);
            vit = new ViterbiOmega(SmoothedMax.squaredL2(gm), 2, 2);
            assertClose(vit.gradient(th, 0, 2, g, 0), expected[0], 1e-12, "Vit_Ω value");
            assertClose(g, Arrays.copyOfRange(expected, 1, 9), 1e-12, "Vit_Ω gradient");
            tr = Trellis.of(new Instance(2, 2, 0, th), SmoothedMax.squaredL2(gm));
            assertClose(tr.dp().value(tr.edges(th)), expected[0], 1e-12, "DagDp value");
        }
    }

    @Test
    void startColumnsOtherThanZeroAreIgnored() {
        Random rnd = new Random(4);
        Instance in = new Instance(4, 3, 0, Numeric.gaussian(rnd, 4 * 9, 1));
        ViterbiOmega vit = new ViterbiOmega(SmoothedMax.squaredL2(0.5), 3, 4);
        double[] g1 = new double[36];
        double v1 = vit.gradient(in.theta(), 0, 4, g1, 0);
        double[] other = in.theta().clone();
        for (int i = 0; i < 3; i++) {
            other[i * 3 + 1] = Double.NaN;
            other[i * 3 + 2] = Double.POSITIVE_INFINITY;
        }
        double[] g2 = new double[36];
        assertThat(vit.gradient(other, 0, 4, g2, 0)).isEqualTo(v1);
        assertThat(g2).containsExactly(g1);
        for (int i = 0; i < 3; i++) {
            assertThat(g1[i * 3 + 1]).isZero();
            assertThat(g1[i * 3 + 2]).isZero();
        }
    }

    @Test
    void nanAndPlusInfinityScoresAreRejectedWithTheirIndex() {
        double[] theta = new double[3 * 4];
        theta[4 + 3] = Double.NaN;
        for (String name : new String[] {"negEntropy", "squaredL2", "hard"}) {
            ViterbiOmega vit = new ViterbiOmega(DagDpTest.op(name, 1), 2, 3);
            assertThatThrownBy(() -> vit.value(theta, 0, 3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("theta contains NaN at index 7");
            assertThatThrownBy(() -> vit.decode(theta, 0, 3, new int[3]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN at index 7");
        }
        double[] inf = new double[4];
        inf[2] = Double.POSITIVE_INFINITY;
        assertThatThrownBy(() -> new ViterbiOmega(SmoothedMax.negEntropy(1), 2, 1).value(inf, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 2");
    }

    @Test
    void invalidShapesAreRejected() {
        ViterbiOmega vit = new ViterbiOmega(SmoothedMax.negEntropy(1), 2, 3);
        assertThatThrownBy(() -> vit.value(new double[8], 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> vit.value(new double[8], 1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ViterbiOmega(SmoothedMax.hard(), 0, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void batchEqualsPerSentenceCallsAndGrowsTheWorkspace() {
        Random rnd = new Random(21);
        int s = 4;
        int[] lengths = {3, 1, 12, 7, 2};
        int[] offsets = new int[lengths.length];
        int pos = 5;
        for (int b = 0; b < lengths.length; b++) {
            offsets[b] = pos;
            pos += lengths[b] * s * s + 2;
        }
        double[] theta = Numeric.gaussian(rnd, pos, 1);
        for (String name : SMOOTH) {
            double[] values = new double[lengths.length];
            double[] grad = new double[pos];
            Arrays.fill(grad, 42);
            new ViterbiOmega(DagDpTest.op(name, 0.7), s, 2).gradientBatch(theta, offsets, lengths, values, grad);
            boolean[] covered = new boolean[pos];
            for (int b = 0; b < lengths.length; b++) {
                ViterbiOmega single = new ViterbiOmega(DagDpTest.op(name, 0.7), s, lengths[b]);
                double[] g = new double[lengths[b] * s * s];
                assertThat(values[b]).isEqualTo(single.gradient(theta, offsets[b], lengths[b], g, 0));
                assertThat(Arrays.copyOfRange(grad, offsets[b], offsets[b] + g.length)).containsExactly(g);
                Arrays.fill(covered, offsets[b], offsets[b] + g.length, true);
            }
            for (int k = 0; k < pos; k++) {
                if (!covered[k]) {
                    assertThat(grad[k]).as("padding untouched").isEqualTo(42.0);
                }
            }
        }
    }

    @Test
    void floatOverloadsMatchTheDoubleComputation() {
        Random rnd = new Random(22);
        int s = 5;
        int[] lengths = {4, 9, 1};
        int[] offsets = {0, 4 * 25, 13 * 25};
        int total = 14 * 25;
        float[] thetaF = new float[total];
        double[] thetaD = new double[total];
        for (int k = 0; k < total; k++) {
            thetaF[k] = (float) rnd.nextGaussian();
            thetaD[k] = thetaF[k];
        }
        for (String name : SMOOTH) {
            ViterbiOmega vit = new ViterbiOmega(DagDpTest.op(name, 0.5), s, 4);
            double[] valuesF = new double[3];
            double[] valuesD = new double[3];
            float[] gradF = new float[total];
            double[] gradD = new double[total];
            vit.gradientBatch(thetaF, offsets, lengths, valuesF, gradF);
            vit.gradientBatch(thetaD, offsets, lengths, valuesD, gradD);
            assertThat(valuesF).containsExactly(valuesD);
            for (int k = 0; k < total; k++) {
                assertThat((double) gradF[k]).isCloseTo(gradD[k], offset(1e-7));
            }
            float[] g1 = new float[9 * 25];
            assertThat(vit.gradient(thetaF, offsets[1], 9, g1, 0)).isEqualTo(valuesD[1]);
        }
    }

    @Test
    void gradientAndBatchDoNotAllocateAfterWarmUp() {
        Random rnd = new Random(23);
        int s = 9;
        int t = 40;
        int b = 4;
        double[] theta = Numeric.gaussian(rnd, b * t * s * s, 1);
        int[] offsets = {0, t * s * s, 2 * t * s * s, 3 * t * s * s};
        int[] lengths = {t, 30, t, 10};
        double[] values = new double[b];
        double[] grad = new double[theta.length];
        float[] thetaF = new float[theta.length];
        float[] gradF = new float[theta.length];
        for (String name : SMOOTH) {
            ViterbiOmega vit = new ViterbiOmega(DagDpTest.op(name, 1), s, t);
            for (int i = 0; i < 300; i++) {
                vit.gradientBatch(theta, offsets, lengths, values, grad);
                vit.gradientBatch(thetaF, offsets, lengths, values, gradF);
            }
            long before = Numeric.allocatedBytes();
            for (int i = 0; i < 50; i++) {
                vit.gradientBatch(theta, offsets, lengths, values, grad);
                vit.gradientBatch(thetaF, offsets, lengths, values, gradF);
            }
            assertThat(Numeric.allocatedBytes() - before).as(name).isLessThan(1024);
        }
    }
}
