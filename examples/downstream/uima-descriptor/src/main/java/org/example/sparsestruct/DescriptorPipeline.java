package org.example.sparsestruct;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.uima.UIMAFramework;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.analysis_engine.AnalysisEngineDescription;
import org.apache.uima.cas.CAS;
import org.apache.uima.cas.Feature;
import org.apache.uima.cas.Type;
import org.apache.uima.cas.text.AnnotationFS;
import org.apache.uima.util.XMLInputSource;

/**
 * Runs SparseStruct from a plain UIMA XML aggregate descriptor ({@code SparseStructAggregate.xml}) with the
 * {@link UIMAFramework} API only (no uimaFIT, no JCas classes): raw text in, then the best entities (DKPro
 * {@code NamedEntity}), the candidate entities with their marginal weights and the weighted trees read through the
 * CAS's type system. Usage: {@code DescriptorPipeline TEXT}.
 */
public final class DescriptorPipeline {
    private DescriptorPipeline() {
    }

    /** The aggregate engine of the descriptor. */
    public static AnalysisEngine engine() throws Exception {
        AnalysisEngineDescription d = UIMAFramework.getXMLParser().parseAnalysisEngineDescription(new XMLInputSource(
                DescriptorPipeline.class.getResource("SparseStructAggregate.xml")));
        return UIMAFramework.produceAnalysisEngine(d);
    }

    /** Annotates {@code text} (English) and describes the result, one line per annotation of interest. */
    public static List<String> run(AnalysisEngine ae, String text) throws Exception {
        CAS cas = ae.newCAS();
        cas.setDocumentText(text);
        cas.setDocumentLanguage("en");
        ae.process(cas);
        List<String> out = new ArrayList<>();
        Type ne = cas.getTypeSystem().getType("de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity");
        Feature neValue = ne.getFeatureByBaseName("value");
        for (AnnotationFS a : cas.getAnnotationIndex(ne)) {
            out.add("BEST\t" + a.getCoveredText() + "\t" + a.getStringValue(neValue));
        }
        Type cand = cas.getTypeSystem().getType("io.github.sparsestruct.type.EntityCandidate");
        for (AnnotationFS a : cas.getAnnotationIndex(cand)) {
            out.add(String.format(Locale.ROOT, "CANDIDATE\t%s\t%s\t%.3f", a.getCoveredText(),
                    a.getStringValue(cand.getFeatureByBaseName("value")),
                    a.getDoubleValue(cand.getFeatureByBaseName("score"))));
        }
        Type tree = cas.getTypeSystem().getType("io.github.sparsestruct.type.TreeAnalysis");
        for (AnnotationFS a : cas.getAnnotationIndex(tree)) {
            out.add(String.format(Locale.ROOT, "TREE\t%s\t%d\t%.3f", a.getCoveredText(),
                    a.getIntValue(tree.getFeatureByBaseName("rank")),
                    a.getDoubleValue(tree.getFeatureByBaseName("weight"))));
        }
        cas.release();
        return out;
    }

    public static void main(String[] args) throws Exception {
        String text = args.length > 0 ? String.join(" ", args) : "I saw the man with the telescope.";
        AnalysisEngine ae = engine();
        run(ae, text).forEach(System.out::println);
        ae.destroy();
    }
}
