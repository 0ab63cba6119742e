package io.github.sparsestruct.server.inception;

import static org.apache.uima.fit.factory.AnalysisEngineFactory.createEngine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.uima.UIMAFramework;
import org.apache.uima.cas.CAS;
import org.apache.uima.cas.FeatureStructure;
import org.apache.uima.cas.Type;
import org.apache.uima.cas.impl.XmiCasDeserializer;
import org.apache.uima.cas.impl.XmiCasSerializer;
import org.apache.uima.cas.text.AnnotationFS;
import org.apache.uima.fit.factory.TypeSystemDescriptionFactory;
import org.apache.uima.fit.util.CasUtil;
import org.apache.uima.resource.metadata.TypeDescription;
import org.apache.uima.resource.metadata.TypeSystemDescription;
import org.apache.uima.util.CasCreationUtils;
import org.apache.uima.util.XMLSerializer;
import org.dkpro.core.tokit.BreakIteratorSegmenter;

/**
 * Requests as INCEpTION's external recommender (protocol v1) builds them: a CAS with DKPro Core's types and INCEpTION's
 * {@code CASMetadata}, segmented into {@code Sentence} / {@code Token}, serialised as XMI with all its types (an
 * {@code XmiCasSerializer} without a target type system, pretty-printed); the CAS's type system as XML, with the target
 * layer extended by {@code inception_internal_predicted}, {@code FEATURE_score}, {@code FEATURE_score_explanation} and
 * {@code FEATURE_auto_accept}; and the JSON body around them.
 */
final class InceptionFixtures {
    static final String NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity";
    static final String DEPENDENCY = "de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency";
    static final String TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token";
    static final String SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence";
    static final String CAS_METADATA = "de.tudarmstadt.ukp.clarin.webanno.api.type.CASMetadata";
    static final String CUSTOM_LAYER = "webanno.custom.Entity";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private InceptionFixtures() {
    }

    /** A request: its body, and the type system it was made with (to read the answer). */
    record Request(String body, TypeSystemDescription typeSystem, String layer, String feature) {
    }

    /**
     * DKPro Core's types (without SparseStruct's: INCEpTION does not know them), INCEpTION's {@code CASMetadata}, a
     * custom span layer {@value #CUSTOM_LAYER} with a string feature {@code label}, and {@code layer} extended with
     * the prediction features of {@code feature}.
     */
    static TypeSystemDescription typeSystem(String layer, String feature) throws Exception {
        TypeSystemDescription all = TypeSystemDescriptionFactory.createTypeSystemDescription();
        all.resolveImports();
        TypeSystemDescription tsd = UIMAFramework.getResourceSpecifierFactory().createTypeSystemDescription();
        List<TypeDescription> types = new ArrayList<>();
        for (TypeDescription t : all.getTypes()) {
            if (!t.getName().startsWith("io.github.sparsestruct.")) {
                types.add(t);
            }
        }
        tsd.setTypes(types.toArray(new TypeDescription[0]));
        TypeDescription meta = tsd.addType(CAS_METADATA, "", CAS.TYPE_NAME_ANNOTATION_BASE);
        meta.addFeature("projectId", "", CAS.TYPE_NAME_LONG);
        meta.addFeature("sourceDocumentId", "", CAS.TYPE_NAME_LONG);
        meta.addFeature("username", "", CAS.TYPE_NAME_STRING);
        meta.addFeature("sourceDocumentName", "", CAS.TYPE_NAME_STRING);
        TypeDescription custom = tsd.addType(CUSTOM_LAYER, "", CAS.TYPE_NAME_ANNOTATION);
        custom.addFeature("label", "", CAS.TYPE_NAME_STRING);
        TypeDescription target = tsd.getType(layer);
        target.addFeature("inception_internal_predicted", "", CAS.TYPE_NAME_BOOLEAN);
        target.addFeature(feature + "_score", "", CAS.TYPE_NAME_DOUBLE);
        target.addFeature(feature + "_score_explanation", "", CAS.TYPE_NAME_STRING);
        target.addFeature(feature + "_auto_accept", "", CAS.TYPE_NAME_STRING);
        return tsd;
    }

    /** A request for {@code text} (segmented by DKPro's BreakIteratorSegmenter), with the user's annotations. */
    static Request request(String layer, String feature, String text, Consumer<CAS> userAnnotations)
            throws Exception {
        return request(layer, feature, text, userAnnotations, 0, text.length());
    }

    /** The same, predicting in characters [begin, end) only. */
    static Request request(String layer, String feature, String text, Consumer<CAS> userAnnotations, int begin,
                           int end) throws Exception {
        TypeSystemDescription tsd = typeSystem(layer, feature);
        CAS cas = CasCreationUtils.createCas(tsd, null, null);
        cas.setDocumentText(text);
        cas.setDocumentLanguage("en");
        createEngine(BreakIteratorSegmenter.class).process(cas);
        DocumentMetaData dmd = DocumentMetaData.create(cas.getJCas());
        dmd.setDocumentId("doc.txt");
        Type metaType = cas.getTypeSystem().getType(CAS_METADATA);
        FeatureStructure meta = cas.createFS(metaType);
        meta.setLongValue(metaType.getFeatureByBaseName("projectId"), 1);
        meta.setLongValue(metaType.getFeatureByBaseName("sourceDocumentId"), 42);
        meta.setStringValue(metaType.getFeatureByBaseName("username"), "anna");
        meta.setStringValue(metaType.getFeatureByBaseName("sourceDocumentName"), "doc.txt");
        cas.addFsToIndexes(meta);
        if (userAnnotations != null) {
            userAnnotations.accept(cas);
        }
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode md = body.putObject("metadata");
        md.put("layer", layer);
        md.put("feature", feature);
        md.put("projectId", 1);
        md.put("anchoringMode", layer.equals(DEPENDENCY) ? "tokens" : "tokens");
        md.put("crossSentence", false);
        ObjectNode range = md.putObject("range");
        range.put("begin", begin);
        range.put("end", end);
        ObjectNode doc = body.putObject("document");
        doc.put("xmi", xmi(cas));
        doc.put("documentId", 42);
        doc.put("userId", "anna");
        StringWriter ts = new StringWriter();
        tsd.toXML(ts);
        body.put("typeSystem", ts.toString());
        return new Request(MAPPER.writeValueAsString(body), tsd, layer, feature);
    }

    /** XMI of every type, pretty-printed, as INCEpTION sends it. */
    static String xmi(CAS cas) throws Exception {
        StringWriter out = new StringWriter();
        new XmiCasSerializer(null).serialize(cas, new XMLSerializer(out, true).getContentHandler(), null, null,
                null);
        return out.toString();
    }

    /** The answer's document, read into a CAS of the request's type system as INCEpTION reads it (leniently). */
    static CAS answer(String responseBody, TypeSystemDescription tsd) throws Exception {
        String xmi = MAPPER.readTree(responseBody).get("document").asText();
        CAS cas = CasCreationUtils.createCas(tsd, null, null);
        XmiCasDeserializer.deserialize(new ByteArrayInputStream(xmi.getBytes(StandardCharsets.UTF_8)), cas, true);
        return cas;
    }

    /** The annotations of {@code layer} with inception_internal_predicted = true. */
    static List<AnnotationFS> predicted(CAS cas, String layer) {
        Type t = cas.getTypeSystem().getType(layer);
        List<AnnotationFS> out = new ArrayList<>();
        for (AnnotationFS a : CasUtil.select(cas, t)) {
            if (a.getBooleanValue(t.getFeatureByBaseName("inception_internal_predicted"))) {
                out.add(a);
            }
        }
        return out;
    }

    /** A user's annotation of {@code layer} over [begin, end) with {@code feature} = {@code label}. */
    static AnnotationFS annotate(CAS cas, String layer, String feature, int begin, int end, String label) {
        Type t = cas.getTypeSystem().getType(layer);
        AnnotationFS a = cas.createAnnotation(t, begin, end);
        a.setStringValue(t.getFeatureByBaseName(feature), label);
        cas.addFsToIndexes(a);
        return a;
    }

    /** The token of {@code cas} covering [begin, end). */
    static AnnotationFS token(CAS cas, int begin, int end) {
        for (AnnotationFS t : CasUtil.select(cas, cas.getTypeSystem().getType(TOKEN))) {
            if (t.getBegin() == begin && t.getEnd() == end) {
                return t;
            }
        }
        throw new IllegalArgumentException("no token at " + begin + "-" + end);
    }

    static String string(AnnotationFS a, String feature) {
        return a.getStringValue(a.getType().getFeatureByBaseName(feature));
    }

    static double score(AnnotationFS a, String feature) {
        return a.getDoubleValue(a.getType().getFeatureByBaseName(feature + "_score"));
    }
}
