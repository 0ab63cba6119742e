package io.github.sparsestruct.server.inception;

import io.github.sparsestruct.server.HttpError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.uima.UIMAFramework;
import org.apache.uima.cas.CAS;
import org.apache.uima.cas.CASRuntimeException;
import org.apache.uima.cas.TypeSystem;
import org.apache.uima.cas.impl.XmiCasDeserializer;
import org.apache.uima.cas.impl.XmiCasSerializer;
import org.apache.uima.fit.factory.TypeSystemDescriptionFactory;
import org.apache.uima.resource.ResourceInitializationException;
import org.apache.uima.resource.metadata.FeatureDescription;
import org.apache.uima.resource.metadata.TypeDescription;
import org.apache.uima.resource.metadata.TypeSystemDescription;
import org.apache.uima.util.CasCreationUtils;
import org.apache.uima.util.InvalidXMLException;
import org.apache.uima.util.XMLInputSource;
import org.apache.uima.util.XMLSerializer;
import org.xml.sax.SAXException;

/**
 * The CAS of a recommender request: the request's type system merged with SparseStruct's (DKPro Core's types and
 * ours), the target layer given INCEpTION's prediction features where the request's type system lacks them, the
 * document's XMI read leniently into it, and the answer written back as XMI. Type systems may not import other
 * descriptors, and neither XML may hold a document type declaration (no external entities, no entity expansion).
 */
final class RecommenderCas {
    /** INCEpTION's flag on predicted annotations. */
    static final String PREDICTED = "inception_internal_predicted";
    /** Suffix of the score feature. */
    static final String SCORE = "_score";
    /** Suffix of the score explanation feature. */
    static final String EXPLANATION = "_score_explanation";

    private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE", Pattern.CASE_INSENSITIVE);
    private static TypeSystemDescription ours;

    private RecommenderCas() {
    }

    /** SparseStruct's types (DKPro Core's and ours, as uimaFIT finds them), once per JVM. */
    static synchronized TypeSystemDescription ours() throws ResourceInitializationException {
        if (ours == null) {
            TypeSystemDescription t = TypeSystemDescriptionFactory.createTypeSystemDescription();
            try {
                t.resolveImports();
            } catch (InvalidXMLException e) {
                throw new ResourceInitializationException(e);
            }
            ours = t;
        }
        return ours;
    }

    /**
     * A request's CAS and the types its answer is written in.
     *
     * @param cas     a CAS of the merged type system
     * @param answer  the request's own type system (with the prediction features): the answer holds nothing else
     */
    record Prepared(CAS cas, TypeSystem answer) {
    }

    /**
     * The CAS for a request: of the request's type system (which must declare {@code layer}) merged with
     * SparseStruct's, where {@code layer} has the features {@value #PREDICTED} (Boolean), {@code feature_score}
     * (Double) and {@code feature_score_explanation} (String), added where the request's type system lacks them.
     */
    static Prepared prepare(String typeSystemXml, String layer, String feature) {
        noDoctype(typeSystemXml, "typeSystem");
        TypeSystemDescription theirs;
        try {
            theirs = UIMAFramework.getXMLParser().parseTypeSystemDescription(new XMLInputSource(
                    new ByteArrayInputStream(typeSystemXml.getBytes(StandardCharsets.UTF_8)), null));
        } catch (InvalidXMLException e) {
            throw HttpError.badRequest("typeSystem is not a UIMA type system description: " + e.getMessage());
        }
        if (theirs.getImports() != null && theirs.getImports().length > 0) {
            throw HttpError.badRequest("typeSystem imports other descriptors; send it with every type inline (as "
                    + "INCEpTION does)");
        }
        if (theirs.getType(layer) == null) {
            throw HttpError.badRequest("layer " + layer + " is not a type of the request's typeSystem");
        }
        TypeDescription t = theirs.getType(layer);
        addIfMissing(t, PREDICTED, CAS.TYPE_NAME_BOOLEAN);
        addIfMissing(t, feature + SCORE, CAS.TYPE_NAME_DOUBLE);
        addIfMissing(t, feature + EXPLANATION, CAS.TYPE_NAME_STRING);
        TypeSystemDescription merged;
        try {
            merged = CasCreationUtils.mergeTypeSystems(List.of(theirs, ours()));
        } catch (ResourceInitializationException e) {
            throw HttpError.badRequest("typeSystem does not merge with DKPro Core's and SparseStruct's types: "
                    + e.getMessage());
        }
        return new Prepared(create(merged), create(theirs).getTypeSystem());
    }

    private static void addIfMissing(TypeDescription t, String name, String range) {
        for (FeatureDescription f : t.getFeatures()) {
            if (f.getName().equals(name)) {
                return;
            }
        }
        t.addFeature(name, "added by SparseStruct for INCEpTION's predictions", range);
    }

    private static CAS create(TypeSystemDescription merged) {
        try {
            return CasCreationUtils.createCas(merged, null, null);
        } catch (ResourceInitializationException e) {
            throw HttpError.badRequest("typeSystem cannot be used for a CAS: " + e.getMessage());
        }
    }

    /** Reads the document XMI into an empty CAS, leniently (types and features outside the type system are skipped). */
    static void read(String xmi, CAS cas) {
        noDoctype(xmi, "document.xmi");
        try {
            XmiCasDeserializer.deserialize(new ByteArrayInputStream(xmi.getBytes(StandardCharsets.UTF_8)), cas, true);
        } catch (SAXException e) {
            throw HttpError.badRequest("document.xmi is not a readable XMI CAS: " + e.getMessage());
        } catch (IOException | CASRuntimeException e) {
            throw HttpError.badRequest("document.xmi cannot be read into the request's type system: "
                    + e.getMessage());
        }
        if (cas.getDocumentText() == null) {
            throw HttpError.unprocessable("document.xmi has no document text (sofa string)");
        }
    }

    /** The CAS as XMI (XML 1.0, UTF-8) in the types of {@code answer} only. */
    static String write(CAS cas, TypeSystem answer) throws SAXException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new XmiCasSerializer(answer).serialize(cas, new XMLSerializer(out, false).getContentHandler());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void noDoctype(String xml, String what) {
        if (DOCTYPE.matcher(xml).find()) {
            throw HttpError.badRequest(what + " holds a document type declaration, which this server does not read");
        }
    }
}
