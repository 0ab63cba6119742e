package io.github.sparsestruct.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.models.data.AlignPair;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class AerCountsTest {
    private static final AlignPair GOLD = new AlignPair("p", new String[] {"a", "b", "c"},
            new String[] {"x", "y", "z"}, List.of(new int[] {0, 0}, new int[] {1, 1}),
            List.of(new int[] {2, 2}, new int[] {1, 2}));

    @Test
    void aerFollowsOchAndNeyWithPossibleLinksCountingAsHits() {
        // A = {0-0 (sure), 1-2 (possible), 2-0 (wrong)}: |A∩S| = 1, |A∩P| = 2, |A| = 3, |S| = 2
        AerCounts c = AerCounts.ZERO.plus(GOLD, List.of(new int[] {0, 0}, new int[] {1, 2}, new int[] {2, 0}));
        assertThat(c).isEqualTo(new AerCounts(3, 2, 1, 2));
        assertThat(c.aer()).isCloseTo(1 - 3.0 / 5, Offset.offset(1e-12));
        assertThat(c.sureLinks().precision()).isCloseTo(1.0 / 3, Offset.offset(1e-12));
        assertThat(c.sureLinks().recall()).isCloseTo(0.5, Offset.offset(1e-12));
    }

    @Test
    void exactlyTheSureLinksGiveZeroAndDuplicatesCountOnce() {
        AerCounts c = AerCounts.ZERO.plus(GOLD, List.of(new int[] {0, 0}, new int[] {1, 1}, new int[] {1, 1}));
        assertThat(c.aer()).isZero();
        assertThat(c.predicted()).isEqualTo(2);
        assertThat(AerCounts.ZERO.plus(GOLD, List.of()).aer()).isEqualTo(1.0);
    }

    @Test
    void outOfRangePredictionsAreRejected() {
        assertThatThrownBy(() -> AerCounts.ZERO.plus(GOLD, List.of(new int[] {0, 3})))
                .hasMessageContaining("outside");
    }
}
