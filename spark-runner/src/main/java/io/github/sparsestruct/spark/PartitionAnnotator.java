package io.github.sparsestruct.spark;

import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.models.analysis.NerAnalyzer;
import io.github.sparsestruct.models.analysis.ParseAnalyzer;
import io.github.sparsestruct.uima.AlternativesJsonWriter;
import io.github.sparsestruct.uima.BatchRunner;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import java.util.function.Function;
import org.apache.uima.fit.factory.AnalysisEngineFactory;
import org.apache.uima.jcas.JCas;
import org.dkpro.core.tokit.BreakIteratorSegmenter;
import scala.Tuple2;

/**
 * Annotates the (id, text) documents of one partition with the shipped pipeline and returns one JSON line each
 * (the alternatives schema). A document that fails gives a JSON line {@code {"id": …, "error": …}} instead, so one
 * bad document does not fail the job and nothing is silently lost.
 *
 * <p>As {@code bin/sparsestruct annotate} does, consecutive documents go in groups (by default at most
 * {@link #GROUP_DOCUMENTS} documents, and at most {@link #GROUP_CHARS} characters) through the same
 * {@link BatchRunner}: each document is segmented once, the sentences of a whole group go through the models in one
 * batch, and the per-document engines are then served those predictions.
 */
final class PartitionAnnotator implements FlatMapFunction<Iterator<Tuple2<String, String>>, String> {
    private static final long serialVersionUID = 1L;
    /** Default number of documents whose sentences the models predict in one batch. */
    static final int GROUP_DOCUMENTS = 32;
    /** Most characters in such a group (about 20,000 tokens of English text). */
    static final int GROUP_CHARS = 128 * 1024;

    /**
     * The models and decoding of the pipeline's NER and parser engines (null location: no such engine), so that the
     * group's batch is predicted as the engines would predict it.
     */
    record Models(String ner, String parser, String decoding, int maxAlternatives, double minWeight, String language,
                  String variant)
            implements Serializable {
    }

    private final String descriptorXml;
    private final String language;
    private final Models models;
    private final int groupSize;

    /**
     * @param models    the engines' models and decoding, or null to run documents one at a time
     * @param groupSize most documents in a group (1: one at a time)
     */
    PartitionAnnotator(String descriptorXml, String language, Models models, int groupSize) {
        if (groupSize < 1) {
            throw new IllegalArgumentException("group size must be at least 1, got " + groupSize);
        }
        this.descriptorXml = descriptorXml;
        this.language = language;
        this.models = models;
        this.groupSize = groupSize;
    }

    @Override
    public Iterator<String> call(Iterator<Tuple2<String, String>> docs) throws Exception {
        BatchRunner<Tuple2<String, String>> runner = Runners.forThread(descriptorXml, models);
        List<String> out = new ArrayList<>();
        List<Tuple2<String, String>> group = new ArrayList<>();
        long chars = 0;
        while (docs.hasNext()) {
            Tuple2<String, String> d = docs.next();
            if (!group.isEmpty() && (group.size() == groupSize || chars + d._2().length() > GROUP_CHARS)) {
                annotateGroup(group, runner, out);
                group.clear();
                chars = 0;
            }
            group.add(d);
            chars += d._2().length();
        }
        if (!group.isEmpty()) {
            annotateGroup(group, runner, out);
        }
        return out.iterator();
    }

    private void annotateGroup(List<Tuple2<String, String>> group, BatchRunner<Tuple2<String, String>> runner,
                               List<String> out) throws Exception {
        runner.annotate(group, (d, jcas) -> {
            load(jcas, d, language);
            return true;
        }, (d, jcas, error) -> out.add(error != null ? SparkAnnotate.errorLine(d._1(), error)
                : AlternativesJsonWriter.toJson(jcas)));
    }

    private static void load(JCas jcas, Tuple2<String, String> d, String language) {
        jcas.setDocumentText(d._2());
        jcas.setDocumentLanguage(language);
        DocumentMetaData meta = DocumentMetaData.create(jcas);
        meta.setDocumentId(d._1());
        meta.setDocumentTitle(d._1());
    }

    /** One batching runner per executor thread and pipeline, over the engines {@link ExecutorPipelines} builds. */
    private static final class Runners {
        private static final ThreadLocal<Map<List<Object>, BatchRunner<Tuple2<String, String>>>> BY_THREAD =
                ThreadLocal.withInitial(HashMap::new);

        static BatchRunner<Tuple2<String, String>> forThread(String descriptorXml, Models m) throws Exception {
            List<Object> key = java.util.Arrays.asList(descriptorXml, m);
            Map<List<Object>, BatchRunner<Tuple2<String, String>>> mine = BY_THREAD.get();
            BatchRunner<Tuple2<String, String>> r = mine.get(key);
            if (r == null) {
                List<Function<List<String[]>, ?>> analyzers = new ArrayList<>();
                if (m != null) {
                    AnalysisOptions opts = AnalysisOptions.defaults().withDecode(m.decoding()).withLimits(
                            m.maxAlternatives(), m.minWeight(), AnalysisOptions.DEFAULT_MAX_SENTENCE_LENGTH);
                    if (m.ner() != null) {
                        NerAnalyzer ner = new NerAnalyzer(ModelRegistry.ner(m.ner(), m.language(), m.variant()), opts);
                        analyzers.add(ner::analyze);
                    }
                    if (m.parser() != null) {
                        ParseAnalyzer parser = new ParseAnalyzer(ModelRegistry.parser(m.parser(), m.language(),
                                m.variant()), opts);
                        analyzers.add(parser::analyze);
                    }
                }
                r = new BatchRunner<>(AnalysisEngineFactory.createEngine(BreakIteratorSegmenter.class),
                        ExecutorPipelines.engine(descriptorXml), analyzers);
                mine.put(key, r);
            }
            return r;
        }
    }
}
