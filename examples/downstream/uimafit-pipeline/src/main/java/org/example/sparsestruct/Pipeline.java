package org.example.sparsestruct;

import static org.apache.uima.fit.factory.AnalysisEngineFactory.createEngineDescription;
import static org.apache.uima.fit.factory.CollectionReaderFactory.createReaderDescription;

import io.github.sparsestruct.uima.EntityCandidateFilter;
import io.github.sparsestruct.uima.SparseStructNamedEntityRecognizer;
import io.github.sparsestruct.uima.SparseStructParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.uima.fit.pipeline.SimplePipeline;
import org.dkpro.core.io.conll.ConllUWriter;
import org.dkpro.core.io.text.TextReader;
import org.dkpro.core.io.xmi.XmiWriter;
import org.dkpro.core.tokit.BreakIteratorSegmenter;

/**
 * A uimaFIT pipeline over a folder of {@code .txt} files: DKPro's text reader and segmenter, SparseStruct's NER and
 * parser (bundled English models), the entity candidate filter, the user's {@link AmbiguityReport}, and DKPro's XMI
 * and CoNLL-U writers. Usage: {@code Pipeline IN_DIR OUT_DIR}.
 */
public final class Pipeline {
    private Pipeline() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Pipeline IN_DIR OUT_DIR");
            System.exit(2);
        }
        Path out = Files.createDirectories(Path.of(args[1]));
        Path report = out.resolve("ambiguity.tsv");
        Files.deleteIfExists(report);
        SimplePipeline.runPipeline(
                createReaderDescription(TextReader.class, TextReader.PARAM_SOURCE_LOCATION, args[0],
                        TextReader.PARAM_PATTERNS, "*.txt", TextReader.PARAM_LANGUAGE, "en"),
                createEngineDescription(BreakIteratorSegmenter.class),
                createEngineDescription(SparseStructNamedEntityRecognizer.class,
                        SparseStructNamedEntityRecognizer.PARAM_DECODING, "sparsemap"),
                createEngineDescription(SparseStructParser.class),
                createEngineDescription(EntityCandidateFilter.class, EntityCandidateFilter.PARAM_THRESHOLD, 0.3),
                createEngineDescription(AmbiguityReport.class, AmbiguityReport.PARAM_REPORT, report.toString()),
                createEngineDescription(XmiWriter.class, XmiWriter.PARAM_TARGET_LOCATION,
                        out.resolve("xmi").toString(), XmiWriter.PARAM_OVERWRITE, true),
                createEngineDescription(ConllUWriter.class, ConllUWriter.PARAM_TARGET_LOCATION,
                        out.resolve("conllu").toString(), ConllUWriter.PARAM_OVERWRITE, true));
        System.out.println("wrote " + out.resolve("xmi") + ", " + out.resolve("conllu") + " and " + report);
    }
}
