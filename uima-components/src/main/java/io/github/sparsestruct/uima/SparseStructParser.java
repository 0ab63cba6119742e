package io.github.sparsestruct.uima;

import de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency;
import de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.DependencyFlavor;
import de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.ROOT;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.models.analysis.ParseAnalysis;
import io.github.sparsestruct.models.analysis.ParseAnalyzer;
import io.github.sparsestruct.models.analysis.ParseConstraints;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.type.AnalysisMetadata;
import io.github.sparsestruct.type.ArcCandidate;
import io.github.sparsestruct.type.TreeAnalysis;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.uima.UimaContext;
import org.apache.uima.analysis_engine.AnalysisEngineProcessException;
import org.apache.uima.cas.Type;
import org.apache.uima.fit.descriptor.ConfigurationParameter;
import org.apache.uima.fit.descriptor.ResourceMetaData;
import org.apache.uima.fit.descriptor.TypeCapability;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.apache.uima.jcas.cas.FSArray;
import org.apache.uima.jcas.cas.StringArray;
import org.apache.uima.resource.ResourceInitializationException;

/**
 * Dependency parsing (and UPOS tagging) with a SparseStruct parser. Per sentence it writes the best tree as DKPro Core
 * {@link Dependency} annotations with flavor {@code basic} (a root word gets DKPro's {@link ROOT} with governor =
 * dependent), optionally the predicted UPOS as DKPro {@link POS} ({@code posValue} = {@code coarseValue} = the UPOS
 * tag, the {@code POS_*} subtype where DKPro has one, set on {@link Token#setPos}, replacing a POS the token had),
 * and the weighted alternatives in SparseStruct's types: one {@link TreeAnalysis} per kept tree (weight, rank,
 * decoding, heads, labels, UPOS; the weights of a sentence sum to 1) and one {@link ArcCandidate} per arc with
 * marginal weight ≥ {@code minWeight} (its {@code score}). One {@link AnalysisMetadata} per document records the
 * component, model and decoding.
 */
@ResourceMetaData(name = "SparseStruct Dependency Parser",
        description = "Basic dependencies and UPOS with weighted alternative trees (SparseMAP, marginals or MAP)")
@TypeCapability(
        inputs = {"de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence",
            "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"},
        outputs = {"de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency",
            "de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS",
            "io.github.sparsestruct.type.TreeAnalysis", "io.github.sparsestruct.type.ArcCandidate",
            "io.github.sparsestruct.type.AnalysisMetadata"})
public class SparseStructParser extends SparseStructAnnotatorBase {
    /** Whether to write the predicted UPOS tags as DKPro POS annotations (default true). */
    public static final String PARAM_WRITE_POS = "writePos";
    @ConfigurationParameter(name = PARAM_WRITE_POS, mandatory = true, defaultValue = "true")
    protected boolean writePos;

    /** Whether to write the best tree as DKPro Dependency annotations (default true). */
    public static final String PARAM_WRITE_DEPENDENCY = "writeDependency";
    @ConfigurationParameter(name = PARAM_WRITE_DEPENDENCY, mandatory = true, defaultValue = "true")
    protected boolean writeDependency;

    private static final String POS_PACKAGE = "de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS_";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SparseStructParser.class);
    /**
     * Dependencies already in the CAS that the decode must keep (a user's or a gold standard's): the name of a type
     * with Token features {@code Governor} and {@code Dependent}, e.g. DKPro's
     * {@code de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency} (a {@code ROOT}, governor =
     * dependent, is an arc from the root). Each one inside a sentence fixes its dependent's head in every tree (see
     * {@code ParseAnalyzer.analyze(sentences, constraints)}); relations are not constrained; arcs that allow no tree (a
     * cycle, two roots) fail the document naming its sentence. Empty (the default): no constraint.
     */
    public static final String PARAM_CONSTRAINT_TYPE = "constraintType";
    @ConfigurationParameter(name = PARAM_CONSTRAINT_TYPE, mandatory = false, defaultValue = "")
    private String constraintType;

    private ParseAnalyzer analyzer;

    @Override
    public void initialize(UimaContext context) throws ResourceInitializationException {
        super.initialize(context);
        ParserModel model;
        try {
            model = ModelRegistry.parser(modelLocation, modelLanguage(), modelVariant);
        } catch (IOException | RuntimeException e) {
            throw SparseStructNamedEntityRecognizer.modelError("dependency parsing", modelLocation, e);
        }
        try {
            analyzer = new ParseAnalyzer(model, options());
        } catch (IllegalArgumentException e) {
            throw new ResourceInitializationException(new IllegalArgumentException(
                    getClass().getSimpleName() + ": " + e.getMessage(), e));
        }
    }

    /** The analyzer (tests: the model it holds is shared with every other instance naming the same location). */
    ParseAnalyzer analyzer() {
        return analyzer;
    }

    @Override
    public void process(JCas jcas) throws AnalysisEngineProcessException {
        int previous = PreviousOutput.removeTrees(jcas);
        if (previous > 0) {
            LOG.warn("{}: the document already held {} SparseStruct trees (from an earlier run); they are replaced",
                    documentName(jcas), previous);
        }
        if (constraintType == null || constraintType.isBlank()) {
            annotate(jcas, analyzer::analyze, (st, a) -> write(jcas, st, a, Set.of()), TreeAnalysis.class);
            return;
        }
        List<ParseConstraints> constraints = CasConstraints.arcs(jcas, sentences(jcas), constraintType,
                documentName(jcas));
        // a best-tree arc that is already a Dependency is not written twice
        Set<List<Integer>> present = new HashSet<>();
        for (Dependency d : JCasUtil.select(jcas, Dependency.class)) {
            if (d.getGovernor() != null && d.getDependent() != null) {
                present.add(List.of(d.getGovernor().getAddress(), d.getDependent().getAddress()));
            }
        }
        try {
            annotate(jcas, forms -> analyzer.analyze(forms, constraints), (st, a) -> write(jcas, st, a, present),
                    TreeAnalysis.class);
        } catch (IllegalArgumentException e) {
            throw new AnalysisEngineProcessException(new IllegalArgumentException(getClass().getSimpleName() + ": "
                    + documentName(jcas) + ": " + e.getMessage(), e));
        }
    }

    private void write(JCas jcas, SentenceTokens st, ParseAnalysis a, Set<List<Integer>> present) {
        List<Token> toks = st.tokens();
        int n = toks.size();
        if (writePos && a.upos() != null) {
            for (int i = 0; i < n && i < a.upos().length; i++) {
                if (a.upos()[i] != null) {
                    Token tok = toks.get(i);
                    if (tok.getPos() != null) {
                        tok.getPos().removeFromIndexes();
                    }
                    tok.setPos(pos(jcas, tok, a.upos()[i]));
                }
            }
        }
        if (writeDependency) {
            for (int i = 0; i < n; i++) {
                Token dep = toks.get(i);
                int h = a.heads()[i];
                if (present.contains(List.of((h == 0 ? dep : toks.get(h - 1)).getAddress(), dep.getAddress()))) {
                    continue;
                }
                Dependency d = h == 0 ? new ROOT(jcas, dep.getBegin(), dep.getEnd())
                        : new Dependency(jcas, dep.getBegin(), dep.getEnd());
                d.setGovernor(h == 0 ? dep : toks.get(h - 1));
                d.setDependent(dep);
                d.setDependencyType(a.deprels() == null ? null : a.deprels()[i]);
                d.setFlavor(DependencyFlavor.BASIC);
                d.addToIndexes();
            }
        }
        for (ParseAnalysis.Tree t : a.trees()) {
            TreeAnalysis ta = new TreeAnalysis(jcas, st.sentence().getBegin(), st.sentence().getEnd());
            ta.setWeight(t.weight());
            ta.setRank(t.rank());
            ta.setDecoding(a.decode());
            ta.setChunked(a.chunked());
            ta.setBestWrong(a.uncertainty().bestWrong());
            ta.setExpectedWrongParts(a.uncertainty().expectedWrongParts());
            ta.setSupport(a.uncertainty().support());
            ta.setSentence(st.sentence());
            FSArray<Token> heads = new FSArray<>(jcas, n);
            for (int i = 0; i < n; i++) {
                int h = t.heads()[i];
                heads.set(i, h == 0 ? null : toks.get(h - 1));
            }
            ta.setHeads(heads);
            if (t.deprels() != null) {
                ta.setLabels(StringArray.create(jcas, t.deprels()));
            }
            if (a.upos() != null) {
                ta.setUpos(StringArray.create(jcas, a.upos()));
            }
            ta.addToIndexes();
        }
        int[] best = a.heads();
        for (ParseAnalysis.Arc arc : a.arcs()) {
            Token dep = toks.get(arc.dependent() - 1);
            ArcCandidate c = new ArcCandidate(jcas, dep.getBegin(), dep.getEnd());
            c.setGovernor(arc.head() == 0 ? null : toks.get(arc.head() - 1));
            c.setDependent(dep);
            c.setDependencyType(arc.deprel());
            c.setScore(arc.weight());
            c.setInBest(best[arc.dependent() - 1] == arc.head());
            c.addToIndexes();
        }
    }

    private static POS pos(JCas jcas, Token token, String upos) {
        String sub = upos.equals("CCONJ") ? "CONJ" : upos;
        Type type = jcas.getTypeSystem().getType(POS_PACKAGE + sub);
        POS p = type == null ? new POS(jcas, token.getBegin(), token.getEnd())
                : (POS) jcas.getCas().<POS>createAnnotation(type, token.getBegin(), token.getEnd());
        p.setPosValue(upos);
        p.setCoarseValue(upos);
        p.addToIndexes();
        return p;
    }
}
