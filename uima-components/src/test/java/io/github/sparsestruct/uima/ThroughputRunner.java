package io.github.sparsestruct.uima;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
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
 * timing to warm up).
 *
 * <p>Run (from the repository root, bundled models by default; the last line is JSON):
 * <pre>
 * OMP_NUM_THREADS=1 mvn -B -o -pl uima-components -am verify -Dtest=ThroughputRun \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dsparsestruct.bench.ner=bundled -Dsparsestruct.bench.parser=bundled \
 *     -Dsparsestruct.bench.data=$PWD/../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu
 * </pre>
 * ({@code -Dsparsestruct.bench.decodes=map,sparsemap}, {@code -Dsparsestruct.bench.maxSentences=N} restrict it).
 */
public final class ThroughputRunner {
    static final int DOC_SENTENCES = 100;

    private ThroughputRunner() {
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

    /** {@code nerModel parserModel conllu [decodes [maxSentences]]}. */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ThroughputRunner NER_MODEL PARSER_MODEL CONLLU [map,sparsemap,... [MAX]]");
            System.exit(2);
        }
        List<String> texts = texts(Path.of(args[2]), args.length > 4 ? Integer.parseInt(args[4]) : 0);
        List<String> decodes = List.of((args.length > 3 ? args[3] : "map,marginals,sparsemap").split(","));
        System.out.print(report(run(args[0], args[1], texts, decodes), texts.size()));
    }
}
