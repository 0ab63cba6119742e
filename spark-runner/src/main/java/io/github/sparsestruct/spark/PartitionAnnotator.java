package io.github.sparsestruct.spark;

import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.models.analysis.NerAnalyzer;
import io.github.sparsestruct.models.analysis.ParseAnalyzer;
import io.github.sparsestruct.models.nn.PredictionMemo;
import io.github.sparsestruct.uima.AlternativesJsonWriter;
import io.github.sparsestruct.uima.SentenceForms;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.uima.analysis_engine.AnalysisEngine;
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
 * {@link #GROUP_DOCUMENTS} documents, and at most {@link #GROUP_CHARS} characters): the sentences of a whole group first go through the models in one
 * batch, kept in a {@link PredictionMemo} scope, and the per-document pipeline is then served those predictions.
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
    record Models(String ner, String parser, String decoding, int maxAlternatives, double minWeight)
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
        AnalysisEngine engine = ExecutorPipelines.engine(descriptorXml);
        JCas jcas = engine.newJCas();
        Prefetch prefetch = models == null || models.ner() == null && models.parser() == null ? null
                : Prefetch.forThread(models);
        List<String> out = new ArrayList<>();
        List<Tuple2<String, String>> group = new ArrayList<>();
        long chars = 0;
        while (docs.hasNext()) {
            Tuple2<String, String> d = docs.next();
            if (!group.isEmpty() && (group.size() == groupSize || chars + d._2().length() > GROUP_CHARS)) {
                annotateGroup(group, engine, jcas, prefetch, out);
                group.clear();
                chars = 0;
            }
            group.add(d);
            chars += d._2().length();
        }
        if (!group.isEmpty()) {
            annotateGroup(group, engine, jcas, prefetch, out);
        }
        return out.iterator();
    }

    private void annotateGroup(List<Tuple2<String, String>> group, AnalysisEngine engine, JCas jcas,
                               Prefetch prefetch, List<String> out) {
        try (PredictionMemo memo = PredictionMemo.open()) {
            if (prefetch != null && group.size() > 1) {
                prefetch.run(group, jcas, language);
            }
            for (Tuple2<String, String> d : group) {
                try {
                    load(jcas, d, language);
                    engine.process(jcas);
                    out.add(AlternativesJsonWriter.toJson(jcas));
                } catch (Exception e) {
                    out.add(SparkAnnotate.errorLine(d._1(), e));
                }
            }
        }
    }

    private static void load(JCas jcas, Tuple2<String, String> d, String language) {
        jcas.reset();
        jcas.setDocumentText(d._2());
        jcas.setDocumentLanguage(language);
        DocumentMetaData meta = DocumentMetaData.create(jcas);
        meta.setDocumentId(d._1());
        meta.setDocumentTitle(d._1());
    }

    /** Segments a group's documents as the pipeline does and runs the analyzers on all their sentences at once. */
    private static final class Prefetch {
        /** One per executor thread and pipeline settings, as the engines themselves ({@link ExecutorPipelines}). */
        private static final ThreadLocal<Map<Models, Prefetch>> BY_THREAD = ThreadLocal.withInitial(HashMap::new);
        private final AnalysisEngine segmenter;
        private final NerAnalyzer ner;
        private final ParseAnalyzer parser;

        Prefetch(Models m) throws Exception {
            AnalysisOptions opts = AnalysisOptions.defaults().withDecode(m.decoding()).withLimits(m.maxAlternatives(),
                    m.minWeight(), AnalysisOptions.DEFAULT_MAX_SENTENCE_LENGTH);
            this.segmenter = AnalysisEngineFactory.createEngine(BreakIteratorSegmenter.class);
            this.ner = m.ner() == null ? null : new NerAnalyzer(ModelRegistry.ner(m.ner()), opts);
            this.parser = m.parser() == null ? null : new ParseAnalyzer(ModelRegistry.parser(m.parser()), opts);
        }

        static Prefetch forThread(Models m) throws Exception {
            Map<Models, Prefetch> mine = BY_THREAD.get();
            Prefetch p = mine.get(m);
            if (p == null) {
                p = new Prefetch(m);
                mine.put(m, p);
            }
            return p;
        }

        /** A document that fails here fails again, with its message, when the pipeline runs it. */
        void run(List<Tuple2<String, String>> group, JCas jcas, String language) {
            List<String[]> forms = new ArrayList<>();
            for (Tuple2<String, String> d : group) {
                try {
                    load(jcas, d, language);
                    segmenter.process(jcas);
                    forms.addAll(SentenceForms.of(jcas));
                } catch (Exception e) {
                    // reported by the pipeline
                }
            }
            if (ner != null) {
                ner.analyze(forms);
            }
            if (parser != null) {
                parser.analyze(forms);
            }
        }
    }
}
