package io.github.sparsestruct.spark;

import static org.apache.uima.fit.factory.AnalysisEngineFactory.createEngineDescription;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.uima.SparseStructAnnotatorBase;
import io.github.sparsestruct.uima.SparseStructNamedEntityRecognizer;
import io.github.sparsestruct.uima.SparseStructParser;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.uima.analysis_engine.AnalysisEngineDescription;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * Annotates documents on Apache Spark: the same UIMA pipeline as {@code bin/sparsestruct annotate}
 * (BreakIteratorSegmenter → SparseStruct NER → SparseStruct parser) runs per partition, built once per executor
 * thread from an XML descriptor the driver ships, with the models loaded once per executor JVM. Input: a folder (read
 * recursively, one document per *.txt file) or, with {@code --lines}, a text file with one document per line. Output: JSON
 * lines of the alternatives schema ({@code docs/alternatives-json.md}) in Spark's part files under the output folder.
 *
 * <pre>spark-submit --class io.github.sparsestruct.spark.SparkAnnotate sparsestruct-spark.jar --input docs/ --output out/</pre>
 */
@Command(name = "sparsestruct-spark", mixinStandardHelpOptions = true,
        description = "Annotate documents with SparseStruct on Apache Spark; writes JSON lines of alternatives.")
public final class SparkAnnotate implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "a folder (recursively, one document per file) or a file")
    String input;
    @Option(names = "--lines", description = "the input is a text file with one document per line")
    boolean lines;
    @Option(names = "--output", required = true, description = "output folder (JSON lines in part files)")
    String output;
    @Option(names = "--master", description = "Spark master (default: the submitted one, else local[*])")
    String master;
    @Option(names = "--tasks", defaultValue = "ner,depparse", split = ",", description = "ner, depparse (default both)")
    List<String> tasks;
    @Option(names = "--decoding", defaultValue = "sparsemap", description = "map, marginals or sparsemap")
    String decoding;
    @Option(names = "--ner-model", defaultValue = "bundled", description = "NER model file (default: bundled)")
    String nerModel;
    @Option(names = "--parser-model", defaultValue = "bundled", description = "parser model file (default: bundled)")
    String parserModel;
    @Option(names = "--max-alternatives", defaultValue = "5", description = "alternatives kept per sentence")
    int maxAlternatives;
    @Option(names = "--min-weight", defaultValue = "0.01", description = "lightest alternative kept")
    double minWeight;
    @Option(names = "--partitions", description = "minimum number of partitions (default: Spark's)")
    Integer partitions;
    @Option(names = "--group", defaultValue = "32", description = "documents of a partition whose sentences the "
            + "models predict in one batch (default 32; 1: one document at a time)")
    int group = PartitionAnnotator.GROUP_DOCUMENTS;
    @Option(names = "--language", defaultValue = "en", description = "document language (default en)")
    String language;
    @Option(names = "--variant", defaultValue = "fast", description = "variant of the bundled models: fast (default) "
            + "or accurate (BERT; needs the sparsestruct-encoder-bert jars on the executors' classpath)")
    String variant;

    /** Command-line entry point. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkAnnotate()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SparkConf conf = new SparkConf().setAppName("sparsestruct-annotate");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            long t0 = System.nanoTime();
            long n = run(sc);
            double s = (System.nanoTime() - t0) / 1e9;
            new CommandLine(this).getOut().printf(Locale.ROOT, "annotated %d documents into %s in %.1f s (%.2f "
                    + "documents/s, master %s)%n", n, output, s, n / s, sc.master());
        }
        return 0;
    }

    /** Runs the job on a context; returns the number of documents written. */
    long run(JavaSparkContext sc) throws Exception {
        JavaPairRDD<String, String> docs = documents(sc);
        JavaRDD<String> json = docs.mapPartitions(new PartitionAnnotator(descriptorXml(), language, models(), group));
        json.cache();
        json.saveAsTextFile(output);
        return json.count();
    }

    private JavaPairRDD<String, String> documents(JavaSparkContext sc) {
        int p = partitions == null ? sc.defaultMinPartitions() : partitions;
        if (lines) {
            return sc.textFile(input, p).zipWithIndex()
                    .mapToPair(t -> new Tuple2<>("line-" + (t._2() + 1), t._1()));
        }
        sc.hadoopConfiguration().setBoolean("mapreduce.input.fileinputformat.input.dir.recursive", true);
        // as `annotate` does with folders: only *.txt files are documents (a README beside them is not)
        return sc.wholeTextFiles(input, p).filter(t -> t._1().toLowerCase(Locale.ROOT).endsWith(".txt"));
    }

    /** The models and decoding of the pipeline's engines (for the executors' batches across documents). */
    PartitionAnnotator.Models models() {
        String ner = null;
        String parser = null;
        for (String t : tasks) {
            switch (t.trim().toLowerCase(Locale.ROOT)) {
                case "ner" -> ner = nerModel;
                case "depparse" -> parser = parserModel;
                default -> throw new IllegalArgumentException("unknown task '" + t + "'; allowed: ner, depparse");
            }
        }
        return new PartitionAnnotator.Models(ner, parser, decoding, maxAlternatives, minWeight, language,
                variant);
    }

    /**
     * The engines' aggregate XML descriptor (shipped to the executors as a string); the segmenter runs before it, in
     * the batching runner, so that each document is segmented once.
     */
    String descriptorXml() throws Exception {
        PartitionAnnotator.Models m = models();
        List<AnalysisEngineDescription> parts = new ArrayList<>();
        if (m.ner() != null) {
            parts.add(createEngineDescription(SparseStructNamedEntityRecognizer.class, modelParameters(m.ner())));
        }
        if (m.parser() != null) {
            parts.add(createEngineDescription(SparseStructParser.class, modelParameters(m.parser())));
        }
        StringWriter w = new StringWriter();
        createEngineDescription(parts.toArray(new AnalysisEngineDescription[0])).toXML(w);
        return w.toString();
    }

    private Object[] modelParameters(String location) {
        return new Object[] {SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, location,
            SparseStructAnnotatorBase.PARAM_MODEL_VARIANT, variant,
            SparseStructAnnotatorBase.PARAM_DECODING, decoding,
            SparseStructAnnotatorBase.PARAM_MAX_ALTERNATIVES, maxAlternatives,
            SparseStructAnnotatorBase.PARAM_MIN_WEIGHT, minWeight};
    }

    static String errorLine(String id, Exception e) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        return o.toString();
    }
}
