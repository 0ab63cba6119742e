// Parser predict throughput and accuracy for several SparseMAP decoding tolerances / iteration caps, one thread.
// Run (after mvn -q -DskipTests package): OMP_NUM_THREADS=1 java -cp "models/target/classes:inference/target/classes:cli/target/lib/*" \
//   bench/DecodeTolerance.java MODEL.zip ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu 400 "1e-9,1000;1e-6,1000"
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.data.ConlluReader;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.depparse.*;
import java.nio.file.Path;
import java.util.List;
public class DecodeTolerance {
  public static void main(String[] a) throws Exception {
    ParserModel m = BundledModels.parser(Path.of(a[0]));
    List<DepSentence> dev = ConlluReader.read(Path.of(a[1])).subList(0, Integer.parseInt(a[2]));
    ParserEvaluation.run(m, dev.subList(0, 50), ParseDecode.SPARSEMAP, 64); // warm up
    for (String spec : a[3].split(";")) {
      String[] p = spec.split(",");
      m.decodeOptions(SparseMapOptions.DEFAULT.withTolerance(Double.parseDouble(p[0])).withMaxIterations(Integer.parseInt(p[1])));
      long t0 = System.nanoTime();
      ParserEvaluation e = ParserEvaluation.run(m, dev, ParseDecode.SPARSEMAP, 64);
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("tol=%s iters=%s UAS=%.2f support=%.2f oracle=%.2f ece=%.4f tok/s(pred)=%.0f wall=%.1fs%n", p[0], p[1],
        100*e.accuracy().withoutPunct().uas(), e.ambiguity().meanSupport(), 100*e.ambiguity().toJson().get("oracle").get("f1").asDouble(),
        e.ambiguity().toJson().get("calibration").get("ece").asDouble(), e.tokensPerSecond(), s);
    }
  }
}
