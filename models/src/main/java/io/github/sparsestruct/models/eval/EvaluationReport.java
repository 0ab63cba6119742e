package io.github.sparsestruct.models.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.decode.Decoding;
import java.util.Locale;

/**
 * How a task's evaluation reports its figures, the same for every task: the accuracy figures of the task, the
 * ambiguity figures of the decoded distributions (and of the k-best baseline of the same sizes, for a mixture), the
 * calibration of the part marginals and the speed, as one JSON object or as text tables.
 *
 * @param task            the task name ({@code ner}, {@code depparse})
 * @param decode          the decoding evaluated
 * @param accuracyKey     the JSON key of the accuracy figures ({@code entities}, {@code attachment})
 * @param accuracyJson    the accuracy figures
 * @param accuracyTable   the accuracy figures as a table
 * @param ambiguity       the ambiguity figures
 * @param kBest           the k-best baseline's ambiguity figures, or null
 * @param part            what the marginals are of ({@code span}, {@code arc})
 * @param marginals       their calibration
 * @param tokensPerSecond encoder + decoding speed
 */
public record EvaluationReport(String task, Decoding decode, String accuracyKey, JsonNode accuracyJson,
                               String accuracyTable, AmbiguityResult ambiguity, AmbiguityResult kBest, String part,
                               MarginalCalibration marginals, double tokensPerSecond) {
    /** All figures as one JSON object. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("task", task);
        o.put("decode", decode.name().toLowerCase(Locale.ROOT));
        o.set(accuracyKey, accuracyJson);
        o.set("ambiguity", ambiguity.toJson());
        if (kBest != null) {
            o.set("ambiguityKBest", kBest.toJson());
        }
        o.set(part + "Marginals", marginals.toJson());
        o.put("tokensPerSecond", tokensPerSecond);
        return o;
    }

    /** Human-readable tables. */
    public String table() {
        return accuracyTable + System.lineSeparator() + ambiguity.table() + System.lineSeparator()
                + (kBest == null ? "" : "k-best baseline (same support size per sentence):" + System.lineSeparator()
                + kBest.table() + System.lineSeparator())
                + marginals.line(part) + String.format(Locale.ROOT, "encoder + %s decoding: %.0f tokens/s%n",
                decode.name().toLowerCase(Locale.ROOT), tokensPerSecond);
    }
}
