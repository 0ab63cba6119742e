package io.github.sparsestruct.benchmarks.corenlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import io.github.sparsestruct.corenlp.SparseStructNerAnnotator;
import io.github.sparsestruct.corenlp.SparseStructParserAnnotator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end CoreNLP throughput on one thread: {@code tokenize,ssplit} + SparseStruct NER + parser over the
 * {@code # text =} lines of a CoNLL-U file, in tokens per second, once per decoding (and once for
 * {@code tokenize,ssplit} alone, as the floor). Prints a table and ends with one JSON line.
 *
 * <pre>
 * OMP_NUM_THREADS=1 taskset -c 0 bin/sparsestruct-bench CoreNlpThroughput \
 *     --data ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu \
 *     [--ner MODEL] [--parser MODEL] [--decodes map,marginals,sparsemap,dp_l2] [--max-sentences N]
 *     [--sentences-per-document 20] [--warmup-documents 5]
 * </pre>
 * For {@code dp_l2} (NER only) the parser decodes with {@code sparsemap}. Models default to the bundled ones.
 * (Formerly corenlp-annotators' {@code io.github.sparsestruct.corenlp.CoreNlpThroughput}.)
 */
public final class CoreNlpThroughput {
    private static final Logger LOG = LoggerFactory.getLogger(CoreNlpThroughput.class);

    /** One measured configuration. */
    public record Result(String decode, String nerDecode, String parserDecode, long documents, long sentences,
                         long tokens, double seconds) {
        /** Tokens per second. */
        public double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    private CoreNlpThroughput() {
    }

    /** The {@code # text =} lines of a CoNLL-U file. */
    public static List<String> texts(Path conllu, int max) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(conllu, StandardCharsets.UTF_8)) {
            if (line.startsWith("# text =")) {
                out.add(line.substring("# text =".length()).trim());
                if (max > 0 && out.size() >= max) {
                    break;
                }
            }
        }
        return out;
    }

    /** Texts joined into documents of {@code per} sentences (one per line). */
    public static List<String> documents(List<String> texts, int per) {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += per) {
            docs.add(String.join("\n", texts.subList(i, Math.min(texts.size(), i + per))));
        }
        return docs;
    }

    /** Pipeline properties: tokenize,ssplit (+ ssner, ssparse unless decode is null). */
    public static Properties properties(String nerModel, String parserModel, String nerDecode, String parserDecode) {
        Properties p = new Properties();
        if (nerDecode == null) {
            p.setProperty("annotators", "tokenize,ssplit");
            return p;
        }
        p.setProperty("annotators", "tokenize,ssplit,ssner,ssparse");
        p.setProperty("ssplit.newlineIsSentenceBreak", "always");
        p.setProperty("customAnnotatorClass.ssner", SparseStructNerAnnotator.class.getName());
        p.setProperty("customAnnotatorClass.ssparse", SparseStructParserAnnotator.class.getName());
        p.setProperty("ssner.model", nerModel == null ? "bundled" : nerModel);
        p.setProperty("ssparse.model", parserModel == null ? "bundled" : parserModel);
        p.setProperty("ssner.decode", nerDecode);
        p.setProperty("ssparse.decode", parserDecode);
        return p;
    }

    /** Annotates the documents (after {@code warmup} untimed ones) with one pipeline on this thread. */
    public static Result measure(String label, Properties props, List<String> docs, int warmup) {
        props.setProperty("ssplit.newlineIsSentenceBreak", "always");
        StanfordCoreNLP pipeline = new StanfordCoreNLP(props);
        for (int i = 0; i < Math.min(warmup, docs.size()); i++) {
            pipeline.annotate(new Annotation(docs.get(i)));
        }
        long tokens = 0;
        long sentences = 0;
        long t0 = System.nanoTime();
        for (String d : docs) {
            Annotation a = new Annotation(d);
            pipeline.annotate(a);
            tokens += a.get(CoreAnnotations.TokensAnnotation.class).size();
            sentences += a.get(CoreAnnotations.SentencesAnnotation.class).size();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        LOG.info("{}: {} tokens in {} s", label, tokens, String.format(Locale.ROOT, "%.2f", s));
        return new Result(label, props.getProperty("ssner.decode", "-"), props.getProperty("ssparse.decode", "-"),
                docs.size(), sentences, tokens, s);
    }

    /**
     * Runs the benchmark and prints the table and a JSON line to {@code out}.
     *
     * @return the results, the {@code tokenize,ssplit} floor first
     */
    public static List<Result> run(String[] args, PrintStream out) throws IOException {
        Path data = null;
        String ner = null;
        String parser = null;
        String decodes = "map,marginals,sparsemap,dp_l2";
        int max = 0;
        int per = 20;
        int warmup = 5;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--data" -> data = Path.of(v);
                case "--ner" -> ner = v;
                case "--parser" -> parser = v;
                case "--decodes" -> decodes = v;
                case "--max-sentences" -> max = Integer.parseInt(v);
                case "--sentences-per-document" -> per = Integer.parseInt(v);
                case "--warmup-documents" -> warmup = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a + "; allowed: --data, --ner, "
                        + "--parser, --decodes, --max-sentences, --sentences-per-document, --warmup-documents");
            }
        }
        if (data == null) {
            throw new IllegalArgumentException("--data FILE.conllu is required");
        }
        List<String> docs = documents(texts(data, max), per);
        List<Result> results = new ArrayList<>();
        results.add(measure("tokenize,ssplit", properties(null, null, null, null), docs, warmup));
        for (String d : decodes.split(",")) {
            String decode = d.trim().toLowerCase(Locale.ROOT);
            String parserDecode = decode.equals("dp_l2") ? "sparsemap" : decode;
            results.add(measure(decode, properties(ner, parser, decode, parserDecode), docs, warmup));
        }
        out.printf(Locale.ROOT, "%-16s %-10s %-10s %10s %10s %8s %12s%n", "decode", "ner", "parser", "sentences",
                "tokens", "seconds", "tokens/s");
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("data", data.toString());
        json.put("threads", 1);
        ArrayNode rows = json.putArray("results");
        for (Result r : results) {
            out.printf(Locale.ROOT, "%-16s %-10s %-10s %10d %10d %8.2f %12.1f%n", r.decode(), r.nerDecode(),
                    r.parserDecode(), r.sentences(), r.tokens(), r.seconds(), r.tokensPerSecond());
            rows.addObject().put("decode", r.decode()).put("ner", r.nerDecode()).put("parser", r.parserDecode())
                    .put("sentences", r.sentences()).put("tokens", r.tokens()).put("seconds", r.seconds())
                    .put("tokensPerSecond", r.tokensPerSecond());
        }
        out.println(json);
        return results;
    }

    /**
     * Command line entry (see the class comment).
     *
     * @param args options
     * @throws IOException when the data cannot be read
     */
    public static void main(String[] args) throws IOException {
        run(args, System.out);
    }
}
