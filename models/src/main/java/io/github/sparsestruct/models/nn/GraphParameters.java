package io.github.sparsestruct.models.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The trainable variables of a SameDiff graph: listing, export to and import from a {@link ParameterStore}. */
public final class GraphParameters {
    private GraphParameters() {
    }

    /** Names of the trainable variables, in graph order. */
    public static List<String> names(SameDiff sd) {
        List<String> out = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                out.add(v.name());
            }
        }
        return out;
    }

    /** The live arrays of the trainable variables (updating them updates the graph). */
    public static Map<String, INDArray> arrays(SameDiff sd) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String n : names(sd)) {
            out.put(n, sd.getVariable(n).getArr());
        }
        return out;
    }

    /** Writes every trainable variable under {@code prefix + name}. */
    public static void save(SameDiff sd, ParameterStore store, String prefix) {
        for (Map.Entry<String, INDArray> e : arrays(sd).entrySet()) {
            store.put(prefix + e.getKey(), e.getValue());
        }
    }

    /**
     * Overwrites every trainable variable with the array stored under {@code prefix + name}.
     *
     * @throws IllegalArgumentException naming the variable when it is missing or its shape differs
     */
    public static void load(SameDiff sd, ParameterStore store, String prefix) {
        for (Map.Entry<String, INDArray> e : arrays(sd).entrySet()) {
            INDArray target = e.getValue();
            INDArray a = store.require(prefix + e.getKey(), target.dataType());
            if (!Arrays.equals(a.shape(), target.shape())) {
                throw new IllegalArgumentException("stored parameter '" + prefix + e.getKey() + "' has shape "
                        + Arrays.toString(a.shape()) + ", the model expects " + Arrays.toString(target.shape()));
            }
            target.assign(a);
        }
    }
}
