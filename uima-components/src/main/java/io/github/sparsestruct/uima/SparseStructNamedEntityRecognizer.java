package io.github.sparsestruct.uima;

import de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import io.github.sparsestruct.models.analysis.NerAnalyzer;
import io.github.sparsestruct.models.analysis.NerConstraints;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.type.AnalysisMetadata;
import io.github.sparsestruct.type.EntityAnalysis;
import io.github.sparsestruct.type.EntityCandidate;
import io.github.sparsestruct.type.EntityMention;
import io.github.sparsestruct.type.TagDistribution;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.uima.UimaContext;
import org.apache.uima.analysis_engine.AnalysisEngineProcessException;
import org.apache.uima.fit.descriptor.ConfigurationParameter;
import org.apache.uima.fit.descriptor.ResourceMetaData;
import org.apache.uima.fit.descriptor.TypeCapability;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.apache.uima.jcas.cas.DoubleArray;
import org.apache.uima.jcas.cas.FSArray;
import org.apache.uima.jcas.cas.StringArray;
import org.apache.uima.resource.ResourceInitializationException;

/**
 * Named-entity recognition with a SparseStruct NER model. Per sentence it writes the best analysis as DKPro Core
 * {@link NamedEntity} annotations ({@code value} = the entity type) and the weighted alternatives in SparseStruct's
 * types: one {@link EntityAnalysis} per kept alternative (weight, rank, decoding, IOB2 tags, its
 * {@link EntityMention}s; the weights of a sentence sum to 1), one {@link EntityCandidate} per typed span with marginal
 * weight ≥ {@code minWeight} (its {@code score}, as INCEpTION shows scored predictions), and one
 * {@link TagDistribution} per token (the full tag distribution). One {@link AnalysisMetadata} per document records the
 * component, model and decoding.
 */
@ResourceMetaData(name = "SparseStruct Named Entity Recognizer",
        description = "Named entities with weighted alternative analyses (SparseMAP, marginals, DP-l2 or MAP)")
@TypeCapability(
        inputs = {"de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence",
            "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"},
        outputs = {"de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity",
            "io.github.sparsestruct.type.EntityAnalysis", "io.github.sparsestruct.type.EntityMention",
            "io.github.sparsestruct.type.EntityCandidate", "io.github.sparsestruct.type.TagDistribution",
            "io.github.sparsestruct.type.AnalysisMetadata"})
public class SparseStructNamedEntityRecognizer extends SparseStructAnnotatorBase {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
            SparseStructNamedEntityRecognizer.class);
    /**
     * Annotations already in the CAS that constrain the decode, as a user's or a gold standard's decisions: the name of
     * an annotation type (e.g. DKPro's {@code de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity}) whose
     * annotations inside a sentence and on its token boundaries become accepted entities, of the type in
     * {@link #PARAM_CONSTRAINT_FEATURE} (every alternative, candidate and marginal then agrees with them; see
     * {@code NerAnalyzer.analyze(sentences, constraints)}). Annotations off the token boundaries, without a label or
     * with a type the model does not tag are skipped with a warning; constraints that allow no analysis fail the
     * document naming its sentence. Empty (the default): no constraint.
     */
    public static final String PARAM_CONSTRAINT_TYPE = "constraintType";
    @ConfigurationParameter(name = PARAM_CONSTRAINT_TYPE, mandatory = false, defaultValue = "")
    private String constraintType;

    /** The string feature of {@link #PARAM_CONSTRAINT_TYPE} that holds the entity type; default {@code value}. */
    public static final String PARAM_CONSTRAINT_FEATURE = "constraintFeature";
    @ConfigurationParameter(name = PARAM_CONSTRAINT_FEATURE, mandatory = true, defaultValue = "value")
    private String constraintFeature;

    private NerAnalyzer analyzer;
    private String tagset;

    @Override
    public void initialize(UimaContext context) throws ResourceInitializationException {
        super.initialize(context);
        NerModel model;
        try {
            model = ModelRegistry.ner(modelLocation, modelLanguage(), modelVariant);
        } catch (IOException | RuntimeException e) {
            throw modelError("NER", modelLocation, e);
        }
        try {
            analyzer = new NerAnalyzer(model, options());
        } catch (IllegalArgumentException e) {
            throw new ResourceInitializationException(new IllegalArgumentException(
                    getClass().getSimpleName() + ": " + e.getMessage(), e));
        }
        tagset = tagset(model.tags());
    }

    /** The tag set name of a model's tags: {@code ner-iobes} when it has E- or S- tags, else {@code ner-bio}. */
    static String tagset(List<String> tags) {
        for (String t : tags) {
            if (t.startsWith("E-") || t.startsWith("S-")) {
                return "ner-iobes";
            }
        }
        return "ner-bio";
    }

    /** The initialisation error for a model that cannot be loaded: names the task, the file and the problem. */
    static ResourceInitializationException modelError(String task, String location, Exception e) {
        String file = ModelRegistry.file(location) == null ? "the bundled " + task + " model"
                : "model file " + ModelRegistry.file(location).toAbsolutePath();
        String msg = e.getMessage() != null && e.getMessage().contains(String.valueOf(ModelRegistry.file(location)))
                ? e.getMessage() : file + ": " + e.getMessage();
        return new ResourceInitializationException(new IOException("cannot load the " + task + " model ("
                + PARAM_MODEL_LOCATION + "=" + location + "): " + msg, e));
    }

    /** The analyzer (tests: the model it holds is shared with every other instance naming the same location). */
    NerAnalyzer analyzer() {
        return analyzer;
    }

    @Override
    public void process(JCas jcas) throws AnalysisEngineProcessException {
        int previous = PreviousOutput.removeEntities(jcas);
        if (previous > 0) {
            LOG.warn("{}: the document already held {} SparseStruct entity analyses (from an earlier run); they are "
                    + "replaced",
                    documentName(jcas), previous);
        }
        if (constraintType == null || constraintType.isBlank()) {
            annotate(jcas, analyzer::analyze, (st, a) -> write(jcas, st, a), EntityAnalysis.class);
            return;
        }
        List<NerConstraints> constraints = CasConstraints.entities(jcas, sentences(jcas), constraintType,
                constraintFeature, analyzer.model().tags(), documentName(jcas));
        // an accepted entity that is already a NamedEntity is not written twice
        Set<List<Object>> present = new HashSet<>();
        for (NamedEntity ne : JCasUtil.select(jcas, NamedEntity.class)) {
            present.add(List.of(ne.getBegin(), ne.getEnd(), String.valueOf(ne.getValue())));
        }
        try {
            annotate(jcas, forms -> analyzer.analyze(forms, constraints), (st, a) -> write(jcas, st, a, present),
                    EntityAnalysis.class);
        } catch (IllegalArgumentException e) {
            throw new AnalysisEngineProcessException(new IllegalArgumentException(getClass().getSimpleName() + ": "
                    + documentName(jcas) + ": " + e.getMessage(), e));
        }
    }

    private void write(JCas jcas, SentenceTokens st, NerAnalysis a) {
        write(jcas, st, a, Set.of());
    }

    private void write(JCas jcas, SentenceTokens st, NerAnalysis a, Set<List<Object>> present) {
        List<Token> toks = st.tokens();
        for (NerAnalysis.Analysis an : a.analyses()) {
            if (an.rank() == 1) {
                for (NerAnalysis.Entity e : an.entities()) {
                    int b = toks.get(e.start()).getBegin();
                    int end = toks.get(e.end() - 1).getEnd();
                    if (present.contains(List.of(b, end, e.type()))) {
                        continue;
                    }
                    NamedEntity ne = new NamedEntity(jcas, b, end);
                    ne.setValue(e.type());
                    ne.addToIndexes();
                }
            }
            EntityAnalysis ea = new EntityAnalysis(jcas, st.sentence().getBegin(), st.sentence().getEnd());
            ea.setWeight(an.weight());
            ea.setRank(an.rank());
            ea.setDecoding(a.decode());
            ea.setChunked(a.chunked());
            ea.setBestWrong(a.uncertainty().bestWrong());
            ea.setExpectedWrongParts(a.uncertainty().expectedWrongParts());
            ea.setSupport(a.uncertainty().support());
            ea.setSentence(st.sentence());
            FSArray<EntityMention> mentions = new FSArray<>(jcas, an.entities().size());
            for (int k = 0; k < an.entities().size(); k++) {
                NerAnalysis.Entity e = an.entities().get(k);
                EntityMention m = new EntityMention(jcas, toks.get(e.start()).getBegin(),
                        toks.get(e.end() - 1).getEnd());
                m.setValue(e.type());
                m.setWeight(an.weight());
                mentions.set(k, m);
            }
            ea.setEntities(mentions);
            ea.setTags(StringArray.create(jcas, an.tags()));
            ea.addToIndexes();
        }
        Set<NerAnalysis.Entity> best = new HashSet<>();
        for (NerAnalysis.Entity e : a.analyses().get(0).entities()) {
            best.add(new NerAnalysis.Entity(e.start(), e.end(), e.type(), 0));
        }
        for (NerAnalysis.Entity e : a.candidates()) {
            EntityCandidate c = new EntityCandidate(jcas, toks.get(e.start()).getBegin(),
                    toks.get(e.end() - 1).getEnd());
            c.setValue(e.type());
            c.setScore(e.weight());
            c.setInBest(best.contains(new NerAnalysis.Entity(e.start(), e.end(), e.type(), 0)));
            c.addToIndexes();
        }
        String[] labels = a.labels().toArray(new String[0]);
        for (int t = 0; t < toks.size() && t < a.tagProbabilities().length; t++) {
            Token tok = toks.get(t);
            TagDistribution d = new TagDistribution(jcas, tok.getBegin(), tok.getEnd());
            d.setTagset(tagset);
            d.setTags(StringArray.create(jcas, labels));
            d.setProbabilities(DoubleArray.create(jcas, a.tagProbabilities()[t]));
            d.addToIndexes();
        }
    }
}
