package io.github.sparsestruct.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class Nd4jSmokeTest {
    @Test
    void cpuBackendMultipliesMatrices() {
        INDArray a = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
        INDArray b = a.mmul(a);
        assertThat(b.getFloat(0, 0)).isEqualTo(7f);
        assertThat(b.getFloat(1, 1)).isEqualTo(22f);
    }
}
