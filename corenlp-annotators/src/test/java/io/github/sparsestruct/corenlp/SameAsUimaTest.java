package io.github.sparsestruct.corenlp;

import static org.apache.uima.fit.factory.AnalysisEngineFactory.createEngineDescription;
import static org.assertj.core.api.Assertions.assertThat;

import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.uima.AlternativesJsonWriter;
import io.github.sparsestruct.uima.SparseStructAnnotatorBase;
import io.github.sparsestruct.uima.SparseStructNamedEntityRecognizer;
import io.github.sparsestruct.uima.SparseStructParser;
import java.util.Properties;
import org.apache.uima.fit.factory.JCasFactory;
import org.apache.uima.fit.pipeline.SimplePipeline;
import org.apache.uima.jcas.JCas;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CoreNLP annotators and the UIMA engines give the same alternatives, byte for byte, for the same tokens. */
class SameAsUimaTest {
    private static final String TEXT = "Alice visited New York on Monday. Bob met Carol in Rome, near the Acme Corp "
            + "office.\n\nDan works for Initech \uD83D\uDE00 in Lyon.";

    @ParameterizedTest
    @ValueSource(strings = {"map", "marginals", "sparsemap"})
    void coreNlpAndUimaWriteTheSameAlternativesForTheSameTokens(String decode) throws Exception {
        Properties p = Fixtures.props("tokenize,ssplit,ssner,ssparse");
        p.setProperty("ssner.decode", decode);
        p.setProperty("ssparse.decode", decode);
        p.setProperty("ssner.maxAlternatives", "4");
        p.setProperty("ssparse.maxAlternatives", "4");
        Annotation doc = new Annotation(TEXT);
        doc.set(CoreAnnotations.DocIDAnnotation.class, "doc");
        new StanfordCoreNLP(p).annotate(doc);
        String fromCoreNlp = AlternativesJson.toJson("doc", SparseStructCore.sentences(doc));

        JCas jcas = JCasFactory.createText(TEXT, "en");
        DocumentMetaData.create(jcas).setDocumentId("doc");
        for (CoreMap s : doc.get(CoreAnnotations.SentencesAnnotation.class)) {
            new Sentence(jcas, s.get(CoreAnnotations.CharacterOffsetBeginAnnotation.class),
                    s.get(CoreAnnotations.CharacterOffsetEndAnnotation.class)).addToIndexes();
            for (CoreLabel t : s.get(CoreAnnotations.TokensAnnotation.class)) {
                new Token(jcas, t.beginPosition(), t.endPosition()).addToIndexes();
            }
        }
        SimplePipeline.runPipeline(jcas,
                createEngineDescription(SparseStructNamedEntityRecognizer.class,
                        SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, Fixtures.nerModel().toString(),
                        SparseStructAnnotatorBase.PARAM_DECODING, decode,
                        SparseStructAnnotatorBase.PARAM_MAX_ALTERNATIVES, 4),
                createEngineDescription(SparseStructParser.class,
                        SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, Fixtures.parserModel().toString(),
                        SparseStructAnnotatorBase.PARAM_DECODING, decode,
                        SparseStructAnnotatorBase.PARAM_MAX_ALTERNATIVES, 4));
        String fromUima = AlternativesJsonWriter.toJson(jcas);
        assertThat(fromUima).isEqualTo(fromCoreNlp);
        assertThat(fromUima).contains("\"analyses\"").contains("\"trees\"");
    }
}
