package io.github.sparsestruct.cli;

import static io.github.sparsestruct.cli.InstanceSolver.MAPPER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes the parts of a {@code solve} result: support entries, structures as JSON and marginals as rows. */
final class ResultJson {
    private ResultJson() {
    }

    /** A support entry {@code {"weight": w, "structure": s}}. */
    static ObjectNode entry(double weight, JsonNode structure) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("weight", weight);
        e.set("structure", structure);
        return e;
    }

    /** The JSON array of {@code x}. */
    static ArrayNode ints(int[] x) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int v : x) {
            a.add(v);
        }
        return a;
    }

    /** A matching as its [row, column] pairs (rows with column -1 left out). */
    static ArrayNode pairs(int[] colOfRow) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int r = 0; r < colOfRow.length; r++) {
            if (colOfRow[r] >= 0) {
                a.add(ints(new int[] {r, colOfRow[r]}));
            }
        }
        return a;
    }

    /** An alignment path as its [i, j] cells. */
    static ArrayNode cellsJson(int[] cells, int nb) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int cell : cells) {
            a.add(ints(new int[] {cell / nb, cell % nb}));
        }
        return a;
    }

    /** A row-major r x c matrix as rows, with −0.0 written as 0.0. */
    static ArrayNode rows(double[] x, int r, int c) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int i = 0; i < r; i++) {
            ArrayNode row = a.addArray();
            for (int j = 0; j < c; j++) {
                row.add(x[i * c + j] + 0.0); // + 0.0 turns −0.0 into 0.0
            }
        }
        return a;
    }
}
