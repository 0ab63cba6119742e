package io.github.sparsestruct.models.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SparseDistributionTest {
    @Test
    void keepsTheHeaviestUpToTheLimitAndRenormalises() {
        SparseDistribution.Kept k = SparseDistribution.keepHeaviest(new double[] {0.5, 0.3, 0.15, 0.05}, 2, 0.01);
        assertThat(k.indices()).containsExactly(0, 1);
        assertThat(k.weights()[0]).isCloseTo(0.625, within(1e-15));
        assertThat(k.weights()[1]).isCloseTo(0.375, within(1e-15));
    }

    @Test
    void dropsLightAlternativesButAlwaysKeepsTheFirst() {
        SparseDistribution.Kept k = SparseDistribution.keepHeaviest(new double[] {0.6, 0.395, 0.005}, 5, 0.01);
        assertThat(k.indices()).containsExactly(0, 1);
        assertThat(k.weights()[0] + k.weights()[1]).isCloseTo(1.0, within(1e-15));
        SparseDistribution.Kept one = SparseDistribution.keepHeaviest(new double[] {0.004, 0.003}, 0, 0.5);
        assertThat(one.indices()).containsExactly(0);
        assertThat(one.weights()).containsExactly(1.0);
    }

    @Test
    void keptWeightsAreTheOldWeightsDividedByTheirSum() {
        double[] w = {0.41, 0.33, 0.2, 0.06};
        SparseDistribution.Kept k = SparseDistribution.keepHeaviest(w, 3, 0.1);
        double total = w[0] + w[1] + w[2];
        assertThat(k.weights()).containsExactly(w[0] / total, w[1] / total, w[2] / total);
    }

    @Test
    void trimmingADistributionKeepsItsMarginalsAndFigures() {
        double[] marg = {0.7, 0.3};
        SparseDistribution d = new SparseDistribution(List.of(new int[] {0}, new int[] {1}, new int[] {2}),
                new double[] {0.7, 0.29, 0.01}, marg, null, 2.5, 4, 1e-7, false);
        SparseDistribution kept = d.keepHeaviest(2, 0.05);
        assertThat(kept.size()).isEqualTo(2);
        assertThat(kept.best()).containsExactly(0);
        assertThat(kept.weights()[0] + kept.weights()[1]).isCloseTo(1.0, within(1e-15));
        assertThat(kept.marginals()).isSameAs(marg);
        assertThat(kept.iterations()).isEqualTo(4);
        assertThat(kept.gap()).isEqualTo(1e-7);
        assertThat(kept.value()).isEqualTo(2.5);
        assertThat(kept.converged()).isFalse();
    }
}
