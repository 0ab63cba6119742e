package io.github.sparsestruct.models.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdamTest {
    /** Gradient of ½‖x − c‖². */
    private static Map<String, INDArray> grad(Map<String, INDArray> p, INDArray c) {
        return Map.of("x", p.get("x").sub(c));
    }

    @Test
    void minimisesAQuadraticAndClipsLargeGradients() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("x", Nd4j.createFromArray(10f, -10f, 3f));
        INDArray c = Nd4j.createFromArray(1f, 2f, 3f);
        Adam adam = new Adam(new Adam.Config(0.1, 0.9, 0.999, 1e-8, 1.0));
        double first = adam.update(p, grad(p, c));
        assertThat(first).isCloseTo(Math.sqrt(81 + 144), org.assertj.core.data.Offset.offset(1e-4));
        for (int i = 0; i < 1500; i++) {
            adam.update(p, grad(p, c));
        }
        assertThat(p.get("x").sub(c).amaxNumber().doubleValue()).isLessThan(1e-2);
        assertThat(adam.steps()).isEqualTo(1501);
    }

    @Test
    void resumingFromSavedStateGivesTheSameTrajectory() {
        INDArray c = Nd4j.createFromArray(1.0, 2.0, 3.0);
        Map<String, INDArray> a = new LinkedHashMap<>(Map.of("x", Nd4j.createFromArray(5.0, 5.0, 5.0)));
        Adam adamA = new Adam(Adam.Config.defaults());
        for (int i = 0; i < 5; i++) {
            adamA.update(a, grad(a, c));
        }
        InMemoryParameterStore store = new InMemoryParameterStore();
        adamA.save(store, "opt/");
        Map<String, INDArray> b = new LinkedHashMap<>(Map.of("x", a.get("x").dup()));
        Adam adamB = new Adam(Adam.Config.defaults());
        adamB.load(store, "opt/", b);
        for (int i = 0; i < 5; i++) {
            adamA.update(a, grad(a, c));
            adamB.update(b, grad(b, c));
        }
        assertThat(adamB.steps()).isEqualTo(10);
        // the moments went through float32 in the store
        assertThat(a.get("x").sub(b.get("x")).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertThat(b.get("x").dataType()).isEqualTo(DataType.DOUBLE);
    }
}
