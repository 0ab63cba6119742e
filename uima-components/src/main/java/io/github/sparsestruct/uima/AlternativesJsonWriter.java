package io.github.sparsestruct.uima;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.uima.analysis_engine.AnalysisEngineProcessException;
import org.apache.uima.fit.descriptor.ConfigurationParameter;
import org.apache.uima.fit.descriptor.ResourceMetaData;
import org.apache.uima.fit.descriptor.TypeCapability;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.dkpro.core.api.io.JCasFileWriter_ImplBase;

/**
 * Writes the alternatives of each document as one JSON file ({@code sparsestruct-alternatives} schema, see
 * {@code docs/alternatives-json.md}): the document's sentences and tokens with the weighted NER analyses, candidate
 * entities and tag distributions, the weighted trees and arc weights, and the weighted word alignments (an
 * {@code alignments} array) the SparseStruct engines wrote. The JSON is
 * built by {@link AlternativesJson} from {@link CasAlternatives#sentences}, so the same analyses give the same bytes as
 * the other adapters. Each file holds the JSON object on one line followed by a newline. Target location, compression
 * and file naming are DKPro's ({@link JCasFileWriter_ImplBase}); the document id comes from
 * {@link DocumentMetaData}.
 */
@ResourceMetaData(name = "SparseStruct Alternatives JSON Writer",
        description = "One JSON file per document with the weighted alternatives (sparsestruct-alternatives schema)")
@TypeCapability(inputs = {"de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData",
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence",
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token",
    "io.github.sparsestruct.type.EntityAnalysis", "io.github.sparsestruct.type.EntityCandidate",
    "io.github.sparsestruct.type.TagDistribution", "io.github.sparsestruct.type.TreeAnalysis",
    "io.github.sparsestruct.type.ArcCandidate", "io.github.sparsestruct.type.SentencePair",
    "io.github.sparsestruct.type.WordAlignment", "io.github.sparsestruct.type.LinkCandidate"})
public class AlternativesJsonWriter extends JCasFileWriter_ImplBase {
    /** File name extension (default {@code .json}). */
    public static final String PARAM_FILENAME_EXTENSION = "filenameExtension";
    @ConfigurationParameter(name = PARAM_FILENAME_EXTENSION, mandatory = true, defaultValue = ".json")
    private String filenameExtension;

    @Override
    public void process(JCas jcas) throws AnalysisEngineProcessException {
        try (OutputStream out = getOutputStream(jcas, filenameExtension)) {
            out.write(toJson(jcas).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        } catch (IOException e) {
            throw new AnalysisEngineProcessException(e);
        }
    }

    /**
     * The JSON of one document (one line, no newline): its id, {@link CasAlternatives#sentences} and, when the view
     * holds word alignments, {@link CasAlternatives#alignments}.
     */
    public static String toJson(JCas jcas) {
        return AlternativesJson.toJson(document(jcas));
    }

    /** The JSON object of one document, as {@link #toJson} writes it (for callers that also read it: no re-parse). */
    public static ObjectNode document(JCas jcas) {
        return AlternativesJson.document(documentId(jcas), CasAlternatives.sentences(jcas),
                CasAlternatives.alignments(jcas));
    }

    /** The document id of {@link DocumentMetaData}, or null when the CAS has none. */
    public static String documentId(JCas jcas) {
        return JCasUtil.select(jcas, DocumentMetaData.class).isEmpty() ? null
                : DocumentMetaData.get(jcas).getDocumentId();
    }
}
