package io.github.sparsestruct.models.decode;

import static io.github.sparsestruct.models.decode.BruteForce.arcs;
import static io.github.sparsestruct.models.decode.BruteForce.assertClose;
import static io.github.sparsestruct.models.decode.BruteForce.gaussian;
import static io.github.sparsestruct.models.decode.BruteForce.gibbs;
import static io.github.sparsestruct.models.decode.BruteForce.indicator;
import static io.github.sparsestruct.models.decode.BruteForce.isTree;
import static io.github.sparsestruct.models.decode.BruteForce.max;
import static io.github.sparsestruct.models.decode.BruteForce.softMax;
import static io.github.sparsestruct.models.decode.BruteForce.unary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.SparseMapSolver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code solve} asks of the decoders beyond the models' use: values, temperatures, projective and multi-root
 * trees, full matchings and DTW paths, against brute force over every structure of tiny instances.
 */
class SolveDecodersTest {
    private static final SparseMapOptions OPTIONS = SparseMapOptions.DEFAULT.withTolerance(1e-10);
    private static final SparseMapSolver SPARSEMAP = new ActiveSetSolver(OPTIONS);

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1.0, 2.0})
    void sequenceValuesAndTemperatureMatchBruteForce(double gamma) {
        Random rng = new Random(Double.doubleToLongBits(gamma));
        int n = 3;
        int s = 2;
        SequencePolytope poly = new SequencePolytope(n, s);
        double[] etaU = gaussian(rng, n * s);
        double[] etaV = poly.packExtra(gaussian(rng, s * s), gaussian(rng, s), gaussian(rng, s));
        List<int[]> all = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            all.add(new int[] {c & 1, (c >> 1) & 1, c >> 2});
        }
        ToDoubleFunction<int[]> score = y -> poly.structure(y).score(etaU, etaV);
        SequenceDecoder dec = new SequenceDecoder(s, OPTIONS);
        assertThat(dec.decode(poly, etaU, etaV, Decoding.MAP, gamma, SPARSEMAP).value())
                .isCloseTo(max(all, score), within(1e-12));
        SparseDistribution crf = dec.decode(poly, etaU, etaV, Decoding.MARGINALS, gamma, SPARSEMAP);
        assertThat(crf.value()).isCloseTo(softMax(all, score, gamma), within(1e-9));
        assertClose(crf.marginals(), gibbs(all, score, gamma, y -> unary(y, s)), 1e-9);
        SparseDistribution dp = dec.decode(poly, etaU, etaV, Decoding.DP_ENTROPY, gamma, SPARSEMAP);
        assertThat(dp.value()).isEqualTo(crf.value());
        assertThat(dp.marginals()).containsExactly(crf.marginals());
        SparseDistribution sm = dec.decode(poly, etaU, etaV, Decoding.SPARSEMAP, gamma, SPARSEMAP);
        assertThat(sm.converged()).isTrue();
        assertThat(sm.value()).isLessThanOrEqualTo(max(all, score) + 1e-9);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void projectiveAndMultiRootTreesMatchBruteForce(int seed) {
        Random rng = new Random(seed);
        boolean projective = seed % 2 == 0;
        boolean singleRoot = seed % 3 != 0;
        int n = 3;
        int nn = n + 1;
        double[] eta = gaussian(rng, nn * nn);
        List<int[]> all = new ArrayList<>();
        for (int c = 0; c < nn * nn * nn; c++) {
            int[] h = {c % nn, (c / nn) % nn, c / (nn * nn)};
            if (isTree(h, singleRoot) && (!projective || isProjective(h))) {
                all.add(h);
            }
        }
        ToDoubleFunction<int[]> score = h -> {
            double v = 0;
            for (int m = 1; m <= n; m++) {
                v += eta[h[m - 1] * nn + m];
            }
            return v;
        };
        TreeDecoder dec = new TreeDecoder(projective, singleRoot, OPTIONS);
        SparseDistribution map = dec.decode(n, eta, Decoding.MAP, 1.0, SPARSEMAP);
        assertThat(map.value()).isCloseTo(max(all, score), within(1e-12));
        assertThat(score.applyAsDouble(map.best())).isCloseTo(map.value(), within(1e-12));
        SparseDistribution crf = dec.decode(n, eta, Decoding.MARGINALS, 0.7, SPARSEMAP);
        assertThat(crf.value()).isCloseTo(softMax(all, score, 0.7), within(1e-9));
        assertClose(crf.marginals(), gibbs(all, score, 0.7, h -> arcs(h, nn)), 1e-9);
        SparseDistribution sm = dec.decode(n, eta, Decoding.SPARSEMAP, 1.0, SPARSEMAP);
        for (int[] h : sm.structures()) {
            assertThat(all).anySatisfy(y -> assertThat(y).containsExactly(h));
        }
        assertThatThrownBy(() -> dec.decode(n, eta, Decoding.DP_L2, 1.0, SPARSEMAP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dp_l2");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void matchingsMatchBruteForceAndHaveNoMarginals(int seed) {
        Random rng = new Random(seed);
        int m = seed % 2 == 0 ? 3 : 2;
        int k = 5 - m;
        double[] scores = gaussian(rng, m * k);
        List<int[]> all = new ArrayList<>();
        for (int c = 0; c < Math.pow(k + 1, m); c++) {
            int[] col = new int[m];
            int x = c;
            for (int r = 0; r < m; r++) {
                col[r] = x % (k + 1) - 1;
                x /= k + 1;
            }
            long used = Arrays.stream(col).filter(j -> j >= 0).count();
            if (used == Math.min(m, k) && Arrays.stream(col).filter(j -> j >= 0).distinct().count() == used) {
                all.add(col);
            }
        }
        ToDoubleFunction<int[]> score = col -> {
            double v = 0;
            for (int r = 0; r < m; r++) {
                v += col[r] >= 0 ? scores[r * k + col[r]] : 0;
            }
            return v;
        };
        MatchingDecoder dec = new MatchingDecoder(OPTIONS);
        SparseDistribution map = dec.decode(m, k, scores, Decoding.MAP, SPARSEMAP);
        assertThat(map.value()).isCloseTo(max(all, score), within(1e-12));
        assertThat(score.applyAsDouble(map.best())).isCloseTo(map.value(), within(1e-12));
        SparseDistribution sm = dec.decode(m, k, scores, Decoding.SPARSEMAP, SPARSEMAP);
        double[] marg = new double[m * k];
        for (int i = 0; i < sm.size(); i++) {
            int[] col = sm.structures().get(i);
            assertThat(all).anySatisfy(y -> assertThat(y).containsExactly(col));
            for (int r = 0; r < m; r++) {
                if (col[r] >= 0) {
                    marg[r * k + col[r]] += sm.weights()[i];
                }
            }
        }
        assertClose(sm.marginals(), marg, 1e-9);
        assertThat(dec.limitation()).contains("#P-hard");
        assertThatThrownBy(() -> dec.decode(m, k, scores, Decoding.MARGINALS, SPARSEMAP))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void dtwPathsMatchBruteForceInBothSignConventions(int seed) {
        Random rng = new Random(seed);
        int na = 3;
        int nb = 2 + seed % 2;
        double[] costs = new double[na * nb];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = Math.abs(rng.nextGaussian());
        }
        if (seed == 3) {
            costs[1] = Double.POSITIVE_INFINITY; // a forbidden cell
        }
        List<int[]> all = new ArrayList<>();
        paths(0, 0, na, nb, new ArrayList<>(), all);
        ToDoubleFunction<int[]> negCost = cells -> -Arrays.stream(cells).mapToDouble(c -> costs[c]).sum();
        PathDecoder dec = new PathDecoder(OPTIONS);
        SparseDistribution map = dec.decode(na, nb, costs, Decoding.MAP, 1.0, SPARSEMAP);
        assertThat(map.value()).isCloseTo(-max(all, negCost), within(1e-12));
        double gamma = 0.6;
        SparseDistribution gibbs = dec.decode(na, nb, costs, Decoding.MARGINALS, gamma, SPARSEMAP);
        assertThat(gibbs.value()).isCloseTo(softMax(all, negCost, gamma), within(1e-9));
        assertClose(gibbs.marginals(), gibbs(all, negCost, gamma, cells -> indicator(cells, na * nb)), 1e-9);
        SparseDistribution dp = dec.decode(na, nb, costs, Decoding.DP_ENTROPY, gamma, SPARSEMAP);
        assertThat(dp.value()).isEqualTo(-gibbs.value());
        assertThat(dp.marginals()).containsExactly(gibbs.marginals());
        SparseDistribution l2 = dec.decode(na, nb, costs, Decoding.DP_L2, gamma, SPARSEMAP);
        assertThat(l2.marginals()[0]).isCloseTo(1.0, within(1e-9));
        assertThat(l2.marginals()[na * nb - 1]).isCloseTo(1.0, within(1e-9));
        SparseDistribution sm = dec.decode(na, nb, costs, Decoding.SPARSEMAP, 1.0, SPARSEMAP);
        for (int[] cells : sm.structures()) {
            assertThat(all).anySatisfy(y -> assertThat(y).containsExactly(cells));
        }
    }

    @Test
    void sizeOneInputsAndForbiddenEverythingGiveDefinedResults() {
        SequencePolytope one = new SequencePolytope(1, 1);
        SequenceDecoder seq = new SequenceDecoder(1, OPTIONS);
        double[] etaV = one.packExtra(new double[1], new double[1], new double[1]);
        assertThat(seq.decode(one, new double[] {2.5}, etaV, Decoding.MAP, 1.0, SPARSEMAP).value()).isEqualTo(2.5);
        assertThat(seq.decode(one, new double[] {2.5}, etaV, Decoding.MARGINALS, 1.0, SPARSEMAP).marginals())
                .containsExactly(1.0);
        SequencePolytope two = new SequencePolytope(2, 2);
        double[] ninf = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0};
        SparseDistribution none = new SequenceDecoder(2, OPTIONS).decode(two, ninf,
                two.packExtra(new double[4], new double[2], new double[2]), Decoding.MAP, 1.0, SPARSEMAP);
        assertThat(none.value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(none.marginals()).containsOnly(0.0);

        SparseDistribution tree = new TreeDecoder(true, true, OPTIONS).decode(1, new double[] {0, 1.5, 0, 0},
                Decoding.MAP, 1.0, SPARSEMAP);
        assertThat(tree.best()).containsExactly(0);
        assertThat(tree.value()).isEqualTo(1.5);
        SparseDistribution path = new PathDecoder(OPTIONS).decode(1, 1, new double[] {0.25}, Decoding.MAP, 1.0,
                SPARSEMAP);
        assertThat(path.best()).containsExactly(0);
        assertThat(path.value()).isEqualTo(0.25);
        assertThatThrownBy(() -> new PathDecoder(OPTIONS).decode(1, 2, new double[] {0, Double.POSITIVE_INFINITY},
                Decoding.MAP, 1.0, SPARSEMAP)).hasMessageContaining("no feasible alignment");
        SparseDistribution match = new MatchingDecoder(OPTIONS).decode(1, 1, new double[] {-0.5}, Decoding.MAP,
                SPARSEMAP);
        assertThat(match.best()).containsExactly(0);
        assertThat(match.value()).isEqualTo(-0.5);
    }

    private static void paths(int i, int j, int na, int nb, List<Integer> prefix, List<int[]> out) {
        prefix.add(i * nb + j);
        if (i == na - 1 && j == nb - 1) {
            out.add(prefix.stream().mapToInt(Integer::intValue).toArray());
        } else {
            if (i + 1 < na) {
                paths(i + 1, j, na, nb, prefix, out);
            }
            if (j + 1 < nb) {
                paths(i, j + 1, na, nb, prefix, out);
            }
            if (i + 1 < na && j + 1 < nb) {
                paths(i + 1, j + 1, na, nb, prefix, out);
            }
        }
        prefix.remove(prefix.size() - 1);
    }

    /** Every word strictly between a head and its dependent descends from that head. */
    private static boolean isProjective(int[] h) {
        for (int m = 1; m <= h.length; m++) {
            int head = h[m - 1];
            for (int w = Math.min(head, m) + 1; w < Math.max(head, m); w++) {
                int cur = w;
                while (cur != 0 && cur != head) {
                    cur = h[cur - 1];
                }
                if (cur != head) {
                    return false;
                }
            }
        }
        return true;
    }

}
