package io.github.sparsestruct.uima;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.models.analysis.NerConstraints;
import io.github.sparsestruct.models.analysis.ParseConstraints;
import io.github.sparsestruct.uima.SparseStructAnnotatorBase.SentenceTokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.uima.analysis_engine.AnalysisEngineProcessException;
import org.apache.uima.cas.Feature;
import org.apache.uima.cas.Type;
import org.apache.uima.cas.text.AnnotationFS;
import org.apache.uima.fit.util.CasUtil;
import org.apache.uima.jcas.JCas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decisions already in a CAS (a user's or a gold standard's annotations) read as decoding constraints. */
final class CasConstraints {
    private static final Logger LOG = LoggerFactory.getLogger(CasConstraints.class);

    private CasConstraints() {
    }

    /**
     * Per sentence, the accepted entities of the annotations of {@code typeName} inside it whose begin and end fall on
     * its token boundaries, typed by the string feature {@code featureName}; others are skipped with a warning.
     *
     * @param modelTags the model's IOB2 tags (an entity type it does not tag is skipped)
     * @throws AnalysisEngineProcessException when the type or its feature does not exist in the CAS
     */
    static List<NerConstraints> entities(JCas jcas, List<SentenceTokens> sentences, String typeName,
                                         String featureName, List<String> modelTags, String document)
            throws AnalysisEngineProcessException {
        Type type = jcas.getTypeSystem().getType(typeName);
        if (type == null) {
            throw new AnalysisEngineProcessException(new IllegalArgumentException("constraintType '" + typeName
                    + "' is not a type of the CAS's type system"));
        }
        Feature feature = type.getFeatureByBaseName(featureName);
        if (feature == null || !feature.getRange().getName().equals("uima.cas.String")) {
            throw new AnalysisEngineProcessException(new IllegalArgumentException("constraintFeature '" + featureName
                    + "' is not a string feature of " + typeName));
        }
        List<NerConstraints> out = new ArrayList<>(sentences.size());
        for (SentenceTokens st : sentences) {
            Map<Integer, Integer> starts = new HashMap<>();
            Map<Integer, Integer> ends = new HashMap<>();
            List<Token> toks = st.tokens();
            for (int i = 0; i < toks.size(); i++) {
                starts.put(toks.get(i).getBegin(), i);
                ends.put(toks.get(i).getEnd(), i + 1);
            }
            List<NerConstraints.Span> accepted = new ArrayList<>();
            for (AnnotationFS a : CasUtil.selectCovered(type, st.sentence())) {
                String label = a.getStringValue(feature);
                Integer s = starts.get(a.getBegin());
                Integer e = ends.get(a.getEnd());
                if (label == null || s == null || e == null || e <= s || !modelTags.contains("B-" + label)) {
                    // offsets, not the covered text: a server's logs must not hold its requests' text
                    LOG.warn("{}: {} [{}, {}) with {}={} is not an entity the model can be constrained to (off the"
                            + " token boundaries, no label, or a type it does not tag); ignored", document,
                            type.getShortName(), a.getBegin(), a.getEnd(), featureName, label);
                    continue;
                }
                accepted.add(new NerConstraints.Span(s, e, label));
            }
            out.add(accepted.isEmpty() ? NerConstraints.NONE : new NerConstraints(accepted, List.of()));
        }
        return out;
    }

    /**
     * Per sentence, the accepted arcs of the annotations of {@code typeName} (a dependency type with Token features
     * {@code Governor} and {@code Dependent}, as DKPro's {@code Dependency}; governor = dependent, as DKPro's
     * {@code ROOT}, is an arc from the root) whose two tokens are in the sentence; others are skipped with a warning.
     *
     * @throws AnalysisEngineProcessException when the type or its two features do not exist in the CAS
     */
    static List<ParseConstraints> arcs(JCas jcas, List<SentenceTokens> sentences, String typeName, String document)
            throws AnalysisEngineProcessException {
        Type type = jcas.getTypeSystem().getType(typeName);
        Feature gov = type == null ? null : type.getFeatureByBaseName("Governor");
        Feature dep = type == null ? null : type.getFeatureByBaseName("Dependent");
        if (gov == null || dep == null) {
            throw new AnalysisEngineProcessException(new IllegalArgumentException("constraintType '" + typeName
                    + "' is not a type of the CAS's type system with the features Governor and Dependent"));
        }
        List<ParseConstraints> out = new ArrayList<>(sentences.size());
        for (SentenceTokens st : sentences) {
            Map<Integer, Integer> index = new HashMap<>();
            for (int i = 0; i < st.tokens().size(); i++) {
                index.put(st.tokens().get(i).getAddress(), i + 1);
            }
            List<ParseConstraints.Arc> accepted = new ArrayList<>();
            for (AnnotationFS a : CasUtil.selectCovered(type, st.sentence())) {
                org.apache.uima.cas.FeatureStructure g = a.getFeatureValue(gov);
                org.apache.uima.cas.FeatureStructure d = a.getFeatureValue(dep);
                Integer m = d == null ? null : index.get(((Token) d).getAddress());
                Integer h = g == null ? null : index.get(((Token) g).getAddress());
                if (m == null || h == null) {
                    LOG.warn("{}: {} at [{}, {}) has a governor or dependent outside its sentence's tokens; ignored",
                            document, type.getShortName(), a.getBegin(), a.getEnd());
                    continue;
                }
                accepted.add(new ParseConstraints.Arc(h.equals(m) ? 0 : h, m));
            }
            out.add(accepted.isEmpty() ? ParseConstraints.NONE : new ParseConstraints(accepted, List.of()));
        }
        return out;
    }
}
