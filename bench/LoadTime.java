// Load time of model files, each loaded three times in one JVM (the first load pays for class loading and graph set-up).
// Run (after mvn -q -DskipTests package): OMP_NUM_THREADS=1 taskset -c 0 java -cp "models/target/classes:inference/target/classes:cli/target/lib/*" \
//   bench/LoadTime.java models/en/ner/model.zip models/en/depparse/model.zip
import io.github.sparsestruct.models.BundledModels;
import java.nio.file.Path;
public class LoadTime {
  public static void main(String[] a) throws Exception {
    org.nd4j.linalg.factory.Nd4j.create(1);
    for (int i = 0; i < 3; i++) {
      for (String f : a) {
        long t0 = System.nanoTime();
        if (f.contains("depparse")) BundledModels.parser(Path.of(f)); else BundledModels.ner(Path.of(f));
        System.out.printf("%s %d ms%n", f, (System.nanoTime() - t0) / 1_000_000);
      }
    }
  }
}
