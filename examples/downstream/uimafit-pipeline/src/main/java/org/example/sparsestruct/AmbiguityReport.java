package org.example.sparsestruct;

import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import io.github.sparsestruct.type.EntityAnalysis;
import io.github.sparsestruct.type.EntityCandidate;
import io.github.sparsestruct.type.TreeAnalysis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import org.apache.uima.analysis_engine.AnalysisEngineProcessException;
import org.apache.uima.fit.component.JCasAnnotator_ImplBase;
import org.apache.uima.fit.descriptor.ConfigurationParameter;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;

/**
 * A downstream engine of the user's own that consumes the ambiguity instead of one output: per sentence, how many
 * weighted entity analyses and trees SparseStruct kept, the weight of the best tree, and every candidate entity
 * with its marginal weight. Appends tab-separated lines to {@link #PARAM_REPORT}:
 * {@code document, sentence, "analyses"|"trees"|"candidate", ...}.
 */
public class AmbiguityReport extends JCasAnnotator_ImplBase {
    /** The report file (appended to). */
    public static final String PARAM_REPORT = "report";
    @ConfigurationParameter(name = PARAM_REPORT)
    private String report;

    @Override
    public void process(JCas jcas) throws AnalysisEngineProcessException {
        String doc = DocumentMetaData.get(jcas).getDocumentId();
        StringBuilder out = new StringBuilder();
        int index = 0;
        for (Sentence s : JCasUtil.select(jcas, Sentence.class)) {
            List<EntityAnalysis> analyses = JCasUtil.selectCovered(EntityAnalysis.class, s);
            List<TreeAnalysis> trees = JCasUtil.selectCovered(TreeAnalysis.class, s);
            double bestTree = trees.stream().mapToDouble(TreeAnalysis::getWeight).max().orElse(0);
            out.append(doc).append('\t').append(index).append("\tanalyses\t").append(analyses.size()).append('\n');
            out.append(doc).append('\t').append(index).append("\ttrees\t").append(trees.size()).append('\t')
                    .append(String.format(Locale.ROOT, "%.3f", bestTree)).append('\n');
            for (EntityCandidate c : JCasUtil.selectCovered(EntityCandidate.class, s)) {
                out.append(doc).append('\t').append(index).append("\tcandidate\t").append(c.getCoveredText())
                        .append('\t').append(c.getValue()).append('\t')
                        .append(String.format(Locale.ROOT, "%.3f", c.getScore())).append('\n');
            }
            index++;
        }
        try {
            Files.writeString(Path.of(report), out, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new AnalysisEngineProcessException(e);
        }
    }
}
