package io.github.sparsestruct.benchmarks;

import static org.apache.uima.fit.factory.AnalysisEngineFactory.createEngine;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.data.AlignmentReader;
import io.github.sparsestruct.type.AlignmentLink;
import io.github.sparsestruct.type.SentencePair;
import io.github.sparsestruct.type.WordAlignment;
import io.github.sparsestruct.uima.PretokenizedText;
import io.github.sparsestruct.uima.SparseStructAligner;
import io.github.sparsestruct.uima.SparseStructAnnotatorBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;

/**
 * Alignment throughput through the UIMA engine, one thread: each MultiMWA-Wiki dev pair is a document of two
 * sentences with a {@link SentencePair}, aligned by {@link SparseStructAligner} (pairs mode), per decoding; one JSON
 * line per decoding. It also prints the aligner's sentence and best word alignment of
 * {@code examples/documents/04-paraphrase-*}. From the repository root:
 * <pre>
 * OMP_NUM_THREADS=1 bin/sparsestruct-bench AlignThroughput --model bundled [--decodes map,sparsemap]
 *     [--data ../shared/data/alignment-multimwa-wiki/wiki-dev.tsv] [--examples examples/documents] [--out FILE]
 * </pre>
 * (formerly uima-components' test {@code AlignThroughputRun}, started with {@code -Dtest=AlignThroughputRun}).
 */
public final class AlignThroughput {
    static final String DEV = "../shared/data/alignment-multimwa-wiki/wiki-dev.tsv";
    static final String EXAMPLES = "examples/documents";

    private AlignThroughput() {
    }

    /** One decoding's figure. */
    record Figure(String decode, int pairs, long tokens, double seconds) {
        String json() {
            return String.format(Locale.ROOT, "{\"decode\":\"%s\",\"pairs\":%d,\"tokens\":%d,\"seconds\":%.2f,"
                    + "\"pairsPerSecond\":%.1f,\"tokensPerSecond\":%.0f}", decode, pairs, tokens, seconds,
                    pairs / seconds, tokens / seconds);
        }
    }

    static Figure run(AnalysisEngine engine, JCas jcas, List<AlignPair> pairs, String decode) throws Exception {
        long tokens = 0;
        long t0 = 0;
        int warm = Math.min(20, pairs.size() / 10);
        for (int k = 0; k < warm + pairs.size(); k++) {
            if (k == warm) {
                t0 = System.nanoTime();
            }
            AlignPair p = pairs.get(k < warm ? k : k - warm);
            jcas.reset();
            PretokenizedText.fill(jcas, p.id(), "en", new String[][] {p.source(), p.target()});
            List<Sentence> ss = new ArrayList<>(JCasUtil.select(jcas, Sentence.class));
            SentencePair sp = new SentencePair(jcas, ss.get(0).getBegin(), ss.get(0).getEnd());
            sp.setSource(ss.get(0));
            sp.setTarget(ss.get(1));
            sp.addToIndexes();
            engine.process(jcas);
            if (k >= warm) {
                tokens += p.source().length + p.target().length;
            }
        }
        return new Figure(decode, pairs.size(), tokens, (System.nanoTime() - t0) / 1e9);
    }

    /** See the class comment. */
    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args, List.of("--model", "--data", "--decodes", "--examples", "--out"));
        String location = o.require("--model");
        List<AlignPair> pairs = AlignmentReader.read(Path.of(o.get("--data", DEV)));
        StringBuilder report = new StringBuilder();
        for (String decode : o.get("--decodes", "map,sparsemap").split(",")) {
            AnalysisEngine e = createEngine(SparseStructAligner.class, SparseStructAnnotatorBase.PARAM_MODEL_LOCATION,
                    location, SparseStructAnnotatorBase.PARAM_DECODING, decode);
            report.append(run(e, e.newJCas(), pairs, decode).json()).append('\n');
        }
        report.append(examples(location, Path.of(o.get("--examples", EXAMPLES))));
        System.out.print(report);
        String out = o.get("--out", null);
        if (out != null) {
            Files.writeString(Path.of(out), report);
        }
    }

    /** The two-view alignment of the paraphrase example, as "sentence i ↔ j (weight): word–word ..." lines. */
    static String examples(String location, Path examples) throws Exception {
        AnalysisEngine e = createEngine(SparseStructAligner.class, SparseStructAnnotatorBase.PARAM_MODEL_LOCATION,
                location, SparseStructAligner.PARAM_MODE, "views", SparseStructAnnotatorBase.PARAM_SEGMENT_IF_MISSING,
                true);
        JCas jcas = e.newJCas();
        jcas.setDocumentText(Files.readString(examples.resolve("04-paraphrase-original.txt")));
        jcas.setDocumentLanguage("en");
        JCas target = jcas.createView("target");
        target.setDocumentText(Files.readString(examples.resolve("04-paraphrase-simplified.txt")));
        e.process(jcas);
        StringBuilder b = new StringBuilder();
        for (SentencePair p : JCasUtil.select(jcas, SentencePair.class)) {
            List<WordAlignment> alts = JCasUtil.select(jcas, WordAlignment.class).stream()
                    .filter(w -> w.getPair() == p).toList();
            b.append(String.format(Locale.ROOT, "%s%n  ↔ %s%n  sentence weight %.3f, %d alternatives, best:",
                    p.getSource().getCoveredText(), p.getTarget().getCoveredText(), p.getWeight(), alts.size()));
            for (WordAlignment w : alts) {
                if (w.getRank() == 1) {
                    for (int i = 0; i < w.getLinks().size(); i++) {
                        AlignmentLink l = (AlignmentLink) w.getLinks().get(i);
                        Token s = l.getSource();
                        b.append(' ').append(s.getCoveredText()).append('–').append(l.getTarget().getCoveredText());
                    }
                }
            }
            b.append('\n');
        }
        return b.toString();
    }
}
