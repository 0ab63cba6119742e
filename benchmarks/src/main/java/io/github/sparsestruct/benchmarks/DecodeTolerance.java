package io.github.sparsestruct.benchmarks;

import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.data.ConlluReader;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.depparse.ParserEvaluation;
import io.github.sparsestruct.models.depparse.ParserModel;
import java.nio.file.Path;
import java.util.List;

/**
 * Parser predict throughput and accuracy for several SparseMAP decoding tolerances / iteration caps, one thread:
 * <pre>
 * OMP_NUM_THREADS=1 bin/sparsestruct-bench DecodeTolerance MODEL.zip \
 *     ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu 400 "1e-9,1000;1e-6,1000"
 * </pre>
 * (the first SENTENCES sentences of the data; each spec is {@code tolerance,maxIterations}; formerly
 * {@code bench/DecodeTolerance.java}).
 */
public final class DecodeTolerance {
    private DecodeTolerance() {
    }

    /** {@code MODEL DATA SENTENCES SPECS}. */
    public static void main(String[] a) throws Exception {
        if (a.length != 4) {
            System.err.println("usage: DecodeTolerance MODEL.zip DATA.conllu SENTENCES \"TOL,ITERS;TOL,ITERS...\"");
            System.exit(2);
        }
        ParserModel m = BundledModels.parser(Path.of(a[0]));
        List<DepSentence> dev = ConlluReader.read(Path.of(a[1])).subList(0, Integer.parseInt(a[2]));
        ParserEvaluation.run(m, dev.subList(0, 50), Decoding.SPARSEMAP, 64); // warm up
        for (String spec : a[3].split(";")) {
            String[] p = spec.split(",");
            m.decodeOptions(SparseMapOptions.DEFAULT.withTolerance(Double.parseDouble(p[0]))
                    .withMaxIterations(Integer.parseInt(p[1])));
            long t0 = System.nanoTime();
            ParserEvaluation e = ParserEvaluation.run(m, dev, Decoding.SPARSEMAP, 64);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("tol=%s iters=%s UAS=%.2f support=%.2f oracle=%.2f ece=%.4f tok/s(pred)=%.0f "
                    + "wall=%.1fs%n", p[0], p[1], 100 * e.accuracy().withoutPunct().uas(), e.ambiguity().meanSupport(),
                    100 * e.ambiguity().toJson().get("oracle").get("f1").asDouble(),
                    e.ambiguity().toJson().get("calibration").get("ece").asDouble(), e.tokensPerSecond(), s);
        }
    }
}
