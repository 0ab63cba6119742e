package io.github.sparsestruct.benchmarks;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.uima.SparseStructAnnotatorBase;
import io.github.sparsestruct.uima.SparseStructNamedEntityRecognizer;
import io.github.sparsestruct.uima.SparseStructParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.fit.factory.AnalysisEngineFactory;
import org.apache.uima.fit.factory.JCasFactory;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.dkpro.core.tokit.BreakIteratorSegmenter;

/**
 * Annotation throughput, one thread: DKPro's BreakIteratorSegmenter + the NER engine + the parser on the
 * {@code # text =} lines of a CoNLL-U file (UD English-EWT dev), in documents of {@value #DOC_SENTENCES} sentences,
 * per decoding mode, in tokens per second (wall clock of the three engines; the first document is run once before
 * timing to warm up). Prints a table and, last, one line of JSON.
 *
 * <pre>
 * OMP_NUM_THREADS=1 taskset -c 0 bin/sparsestruct-bench UimaThroughput --ner bundled --parser bundled \
 *     --data ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu [--decodes map,marginals,sparsemap]
 *     [--max-sentences N] [--out FILE]
 * </pre>
 * (formerly uima-components' test {@code ThroughputRun}, started with {@code -Dtest=ThroughputRun}).
 */
public final class UimaThroughput {
    static final int DOC_SENTENCES = 100;

    private UimaThroughput() {
    }

    /**
     * One mode's figures.
     *
     * @param decode  decoding of both engines
     * @param tokens  tokens annotated
     * @param seconds wall-clock seconds
     */
    public record Figure(String decode, long tokens, double seconds) {
        /** Tokens per second. */
        public double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /** The {@code # text =} lines of a CoNLL-U file. */
    static List<String> texts(Path conllu, int max) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(conllu)) {
            if (l.startsWith("# text =")) {
                out.add(l.substring("# text =".length()).trim());
                if (max > 0 && out.size() >= max) {
                    break;
                }
            }
        }
        return out;
    }

    /** Runs the pipeline once per decoding mode over the texts. */
    public static List<Figure> run(String nerModel, String parserModel, List<String> texts, List<String> decodes)
            throws Exception {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += DOC_SENTENCES) {
            docs.add(String.join("\n", texts.subList(i, Math.min(texts.size(), i + DOC_SENTENCES))));
        }
        AnalysisEngine segmenter = AnalysisEngineFactory.createEngine(BreakIteratorSegmenter.class);
        JCas jcas = JCasFactory.createJCas();
        List<Figure> out = new ArrayList<>();
        for (String decode : decodes) {
            AnalysisEngine ner = AnalysisEngineFactory.createEngine(SparseStructNamedEntityRecognizer.class,
                    SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, nerModel,
                    SparseStructAnnotatorBase.PARAM_DECODING, decode);
            AnalysisEngine parser = AnalysisEngineFactory.createEngine(SparseStructParser.class,
                    SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, parserModel,
                    SparseStructAnnotatorBase.PARAM_DECODING, decode);
            if (!docs.isEmpty()) {
                process(jcas, docs.get(0), segmenter, ner, parser);
            }
            long tokens = 0;
            long start = System.nanoTime();
            for (String d : docs) {
                tokens += process(jcas, d, segmenter, ner, parser);
            }
            out.add(new Figure(decode, tokens, (System.nanoTime() - start) / 1e9));
            ner.destroy();
            parser.destroy();
        }
        segmenter.destroy();
        return out;
    }

    private static int process(JCas jcas, String text, AnalysisEngine... engines) throws Exception {
        jcas.reset();
        jcas.setDocumentText(text);
        jcas.setDocumentLanguage("en");
        for (AnalysisEngine e : engines) {
            e.process(jcas);
        }
        return JCasUtil.select(jcas, Token.class).size();
    }

    /** A table and, last, one line of JSON. */
    static String report(List<Figure> figures, int sentences) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-10s %10s %10s %12s%n", "decode", "tokens",
                "seconds", "tokens/s"));
        StringBuilder j = new StringBuilder("{\"sentences\":" + sentences + ",\"threads\":1,\"modes\":[");
        for (int i = 0; i < figures.size(); i++) {
            Figure f = figures.get(i);
            b.append(String.format(Locale.ROOT, "%-10s %10d %10.2f %12.1f%n", f.decode(), f.tokens(), f.seconds(),
                    f.tokensPerSecond()));
            j.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"decode\":\"%s\",\"tokens\":%d,\"seconds\":%.3f,\"tokensPerSecond\":%.1f}", f.decode(),
                    f.tokens(), f.seconds(), f.tokensPerSecond()));
        }
        return b.append(j).append("]}\n").toString();
    }

    /** See the class comment. */
    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args, List.of("--ner", "--parser", "--data", "--decodes", "--max-sentences",
                "--out"));
        List<String> texts = texts(Path.of(o.require("--data")), o.getInt("--max-sentences", 0));
        List<String> decodes = List.of(o.get("--decodes", "map,marginals,sparsemap").split(","));
        String report = report(run(o.get("--ner", "bundled"), o.get("--parser", "bundled"), texts, decodes),
                texts.size());
        System.out.print(report);
        String out = o.get("--out", null);
        if (out != null) {
            Files.writeString(Path.of(out), report);
        }
    }
}
