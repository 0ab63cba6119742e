package io.github.sparsestruct.cli;

import static org.apache.uima.fit.factory.AnalysisEngineFactory.createEngine;

import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import io.github.sparsestruct.cli.AnnotateInputs.Doc;
import io.github.sparsestruct.cli.html.HtmlView;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.uima.AlternativesJsonWriter;
import io.github.sparsestruct.uima.CasAlternatives;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.transform.OutputKeys;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.cas.impl.XmiCasSerializer;
import org.apache.uima.jcas.JCas;
import org.apache.uima.util.XMLSerializer;
import org.dkpro.core.io.conll.ConllUWriter;

/**
 * The files {@code annotate} writes for one annotated CAS: the alternatives JSON, the HTML view, the XMI and the
 * CoNLL-U of the best analysis, as bytes by output path (written all together, or not at all, by
 * {@link OutputFiles}). One per thread.
 */
final class DocumentWriter {
    /** The output formats, in the order of {@code --format}'s help. */
    static final List<String> FORMATS = List.of("json", "html", "xmi", "conllu");

    private final List<String> formats;
    private final Path output;
    private final Path workDir;
    private final AnalysisEngine conllWriter;

    DocumentWriter(List<String> formats, Path output, Path workDir) throws Exception {
        this.formats = formats;
        this.output = output;
        this.workDir = workDir;
        this.conllWriter = formats.contains("conllu") ? createEngine(ConllUWriter.class,
                ConllUWriter.PARAM_TARGET_LOCATION, workDir.toString(), ConllUWriter.PARAM_USE_DOCUMENT_ID, true,
                ConllUWriter.PARAM_OVERWRITE, true) : null;
    }

    /**
     * The files of a document, by output path.
     *
     * @param sentences the document's analyses as read from the CAS ({@link CasAlternatives#sentences}), or null to
     *                  read them here where the JSON or the HTML view needs them
     */
    Map<Path, byte[]> render(Doc d, JCas jcas, List<AlternativesJson.Sentence> sentences) throws Exception {
        Map<Path, byte[]> files = new LinkedHashMap<>();
        // the analyses are read from the CAS once; the JSON and the HTML view are written from the same records
        boolean views = formats.contains("json") || formats.contains("html");
        String id = AlternativesJsonWriter.documentId(jcas);
        if (sentences == null) {
            sentences = views ? CasAlternatives.sentences(jcas) : List.of();
        }
        List<AlternativesJson.SentenceAlignment> alignments = views ? CasAlternatives.alignments(jcas) : List.of();
        if (formats.contains("json")) {
            String json = AlternativesJson.toJson(AlternativesJson.document(id, sentences, alignments));
            files.put(target(d, ".json"), (json + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (formats.contains("html")) {
            Map<String, List<AlternativesJson.Sentence>> others = new LinkedHashMap<>();
            if (d.counterpart() != null) {
                JCas t = jcas.getView(DocumentReader.TARGET_VIEW);
                others.put(DocumentMetaData.get(t).getDocumentId(), CasAlternatives.sentences(t));
            }
            files.put(target(d, ".html"), HtmlView.render(id, sentences, alignments, others)
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (formats.contains("xmi")) {
            files.put(target(d, ".xmi"), xmi(jcas));
        }
        if (conllWriter != null) {
            DocumentMetaData.get(jcas).setDocumentId("document");
            conllWriter.process(jcas);
            Path written = workDir.resolve("document.conllu");
            files.put(target(d, ".conllu"), Files.readAllBytes(written));
            Files.delete(written);
        }
        return files;
    }

    /** XMI as XML 1.0, or as XML 1.1 when the text holds control characters that XML 1.0 cannot carry. */
    private static byte[] xmi(JCas jcas) throws Exception {
        ByteArrayOutputStream xmi = new ByteArrayOutputStream();
        String text = jcas.getDocumentText();
        boolean needs11 = text != null && text.chars().anyMatch(c -> c < 0x20 && c != '\t' && c != '\n'
                && c != '\r');
        XMLSerializer sax = new XMLSerializer(xmi, false);
        if (needs11) {
            sax.setOutputProperty(OutputKeys.VERSION, "1.1");
        }
        new XmiCasSerializer(jcas.getTypeSystem()).serialize(jcas.getCas(), sax.getContentHandler());
        return xmi.toByteArray();
    }

    private Path target(Doc d, String ext) {
        return output.resolve(d.name() + ext);
    }
}
