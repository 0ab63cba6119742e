package io.github.sparsestruct.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LearningRateScheduleTest {
    /** Walks every step of a run and checks the factors against the step count (the linear decay's definition). */
    @ParameterizedTest
    @CsvSource({"1, 1", "1, 7", "3, 1", "4, 5", "44, 196"})
    void linearFallsByTheSameAmountEveryStepFromOneTowardsZero(int epochs, int batches) {
        int total = epochs * batches;
        int k = 0;
        for (int e = 1; e <= epochs; e++) {
            for (int b = 0; b < batches; b++, k++) {
                double f = LearningRateSchedule.LINEAR.factor(e, b, batches, epochs);
                assertThat(f).as("epoch %d batch %d", e, b).isCloseTo((total - k) / (double) total,
                        Offset.offset(1e-12)).isPositive().isLessThanOrEqualTo(1.0);
                assertThat(LearningRateSchedule.CONSTANT.factor(e, b, batches, epochs)).isEqualTo(1.0);
            }
        }
        assertThat(LearningRateSchedule.LINEAR.factor(1, 0, batches, epochs)).isEqualTo(1.0);
    }

    @ParameterizedTest
    @CsvSource({"0, 0, 3, 4", "5, 0, 3, 4", "1, 3, 3, 4", "1, -1, 3, 4", "1, 0, 0, 4"})
    void aPositionOutsideTheRunIsRefused(int epoch, int batch, int batches, int maxEpochs) {
        for (LearningRateSchedule s : LearningRateSchedule.values()) {
            assertThatThrownBy(() -> s.factor(epoch, batch, batches, maxEpochs))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch " + epoch);
        }
    }
}
