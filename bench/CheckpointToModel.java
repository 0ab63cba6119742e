// Writes the best parameters of a parser training checkpoint (OUT.ckpt of `train --task depparse`) as a model file,
// with the same `about` header `train` writes at the end (history, epochs, time), for a run stopped before it ended.
// Run (after mvn -q -DskipTests package):
//   java -cp "models/target/classes:inference/target/classes:cli/target/lib/*" bench/CheckpointToModel.java \
//     CKPT OUT.zip TRAIN_DATA DEV_DATA
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.format.ParameterFiles;
import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
public class CheckpointToModel {
  public static void main(String[] a) throws Exception {
    InMemoryParameterStore ck = ParameterFiles.load(Path.of(a[0]), "checkpoint-depparse");
    ParserModel m = ParserModel.load(ck);
    JsonNode state = new ObjectMapper().readTree(ck.getMetadata("trainer/state"));
    int best = state.get("bestEpoch").asInt();
    for (Map.Entry<String, INDArray> e : m.parameters().entrySet()) {
      e.getValue().assign(ck.require("best/" + e.getKey(), e.getValue().dataType()).reshape(e.getValue().shape()));
    }
    ObjectNode about = new ObjectMapper().createObjectNode();
    about.put("task", "depparse");
    about.put("trainData", a[2]);
    about.put("devData", a[3]);
    about.put("loss", "default");
    about.put("config", m.config().toString());
    about.put("seed", 1);
    JsonNode epochs = state.get("epochs");
    about.put("epochs", epochs.size());
    about.put("bestEpoch", best);
    double seconds = 0;
    long tokens = 0;
    ArrayNode hist = about.putArray("history");
    for (JsonNode e : epochs) {
      seconds += e.get("seconds").asDouble();
      tokens += e.get("tokens").asLong();
      ObjectNode h = hist.addObject();
      h.put("epoch", e.get("epoch").asInt());
      h.put("lossPerToken", e.get("loss").asDouble() / Math.max(1, e.get("tokens").asLong()));
      h.put("tokensPerSecond", e.get("tokensPerSecond").asDouble());
      if (e.hasNonNull("devScore")) h.put("dev", e.get("devScore").asDouble());
    }
    about.put("trainingSeconds", seconds);
    about.put("trainTokensPerSecond", seconds > 0 ? tokens / seconds : 0);
    about.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch") + ", Java " + Runtime.version());
    about.put("trainedAt", Instant.now().toString());
    about.put("exportedFrom", "checkpoint after epoch " + epochs.size() + " (training still running)");
    InMemoryParameterStore out = new InMemoryParameterStore();
    m.save(out);
    ParameterFiles.save(Path.of(a[1]), "depparse", out, about);
    System.out.printf("wrote %s: best epoch %d of %d, dev %.4f, %.0f s of training%n", a[1], best, epochs.size(), state.get("bestScore").asDouble(), seconds);
  }
}
