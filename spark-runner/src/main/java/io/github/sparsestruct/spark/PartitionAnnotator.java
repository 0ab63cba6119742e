package io.github.sparsestruct.spark;

import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import io.github.sparsestruct.uima.AlternativesJsonWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.jcas.JCas;
import scala.Tuple2;

/**
 * Annotates the (id, text) documents of one partition with the shipped pipeline and returns one JSON line each
 * (the alternatives schema). A document that fails gives a JSON line {@code {"id": …, "error": …}} instead, so one
 * bad document does not fail the job and nothing is silently lost.
 */
final class PartitionAnnotator implements FlatMapFunction<Iterator<Tuple2<String, String>>, String> {
    private static final long serialVersionUID = 1L;
    private final String descriptorXml;
    private final String language;

    PartitionAnnotator(String descriptorXml, String language) {
        this.descriptorXml = descriptorXml;
        this.language = language;
    }

    @Override
    public Iterator<String> call(Iterator<Tuple2<String, String>> docs) throws Exception {
        AnalysisEngine engine = ExecutorPipelines.engine(descriptorXml);
        JCas jcas = engine.newJCas();
        List<String> out = new ArrayList<>();
        while (docs.hasNext()) {
            Tuple2<String, String> d = docs.next();
            jcas.reset();
            jcas.setDocumentText(d._2());
            jcas.setDocumentLanguage(language);
            DocumentMetaData meta = DocumentMetaData.create(jcas);
            meta.setDocumentId(d._1());
            meta.setDocumentTitle(d._1());
            try {
                engine.process(jcas);
                out.add(AlternativesJsonWriter.toJson(jcas));
            } catch (Exception e) {
                out.add(SparkAnnotate.errorLine(d._1(), e));
            }
        }
        return out.iterator();
    }
}
