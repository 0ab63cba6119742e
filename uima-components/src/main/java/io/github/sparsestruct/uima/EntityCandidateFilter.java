package io.github.sparsestruct.uima;

import de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity;
import io.github.sparsestruct.type.EntityCandidate;
import java.util.ArrayList;
import java.util.List;
import org.apache.uima.analysis_engine.AnalysisEngineProcessException;
import org.apache.uima.fit.component.JCasAnnotator_ImplBase;
import org.apache.uima.fit.descriptor.ConfigurationParameter;
import org.apache.uima.fit.descriptor.ResourceMetaData;
import org.apache.uima.fit.descriptor.TypeCapability;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.apache.uima.resource.ResourceInitializationException;

/**
 * A consumer of the ambiguity: turns every {@link EntityCandidate} whose marginal weight ({@code score}) is at least
 * {@code threshold} into a DKPro Core {@link NamedEntity}, trading precision for recall (a threshold of 0.5 keeps at
 * most one type per span and no overlapping entities of one sentence's distribution can both pass above 0.5; lower
 * thresholds may give overlapping entities). With {@code replaceExisting} (the default) the recognizer's best-analysis
 * NamedEntity annotations are removed first, so the output is exactly the thresholded candidates.
 */
@ResourceMetaData(name = "SparseStruct Entity Candidate Filter",
        description = "NamedEntity annotations from the entity candidates whose marginal weight reaches a threshold")
@TypeCapability(inputs = "io.github.sparsestruct.type.EntityCandidate",
        outputs = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity")
public class EntityCandidateFilter extends JCasAnnotator_ImplBase {
    /** Lowest marginal weight kept, in (0, 1] (default 0.5). */
    public static final String PARAM_THRESHOLD = "threshold";
    @ConfigurationParameter(name = PARAM_THRESHOLD, mandatory = true, defaultValue = "0.5")
    private double threshold;

    /** Whether to remove the NamedEntity annotations already in the CAS first (default true). */
    public static final String PARAM_REPLACE_EXISTING = "replaceExisting";
    @ConfigurationParameter(name = PARAM_REPLACE_EXISTING, mandatory = true, defaultValue = "true")
    private boolean replaceExisting;

    @Override
    public void initialize(org.apache.uima.UimaContext context) throws ResourceInitializationException {
        super.initialize(context);
        if (!(threshold > 0 && threshold <= 1)) {
            throw new ResourceInitializationException(new IllegalArgumentException(
                    "EntityCandidateFilter: " + PARAM_THRESHOLD + " must be in (0, 1], got " + threshold));
        }
    }

    @Override
    public void process(JCas jcas) throws AnalysisEngineProcessException {
        if (replaceExisting) {
            for (NamedEntity ne : new ArrayList<>(JCasUtil.select(jcas, NamedEntity.class))) {
                ne.removeFromIndexes();
            }
        }
        for (EntityCandidate c : select(jcas, threshold)) {
            NamedEntity ne = new NamedEntity(jcas, c.getBegin(), c.getEnd());
            ne.setValue(c.getValue());
            ne.addToIndexes();
        }
    }

    /** The candidates of a document whose marginal weight is at least {@code threshold}, in text order. */
    public static List<EntityCandidate> select(JCas jcas, double threshold) {
        List<EntityCandidate> out = new ArrayList<>();
        for (EntityCandidate c : JCasUtil.select(jcas, EntityCandidate.class)) {
            if (c.getScore() >= threshold) {
                out.add(c);
            }
        }
        return out;
    }
}
