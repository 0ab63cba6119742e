package io.github.sparsestruct.uima;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.models.align.AlignDecoder;
import io.github.sparsestruct.models.align.AlignModel;
import io.github.sparsestruct.models.align.TokenPair;
import io.github.sparsestruct.models.analysis.AlignAnalysis;
import io.github.sparsestruct.models.analysis.AlignAnalyzer;
import io.github.sparsestruct.models.analysis.DocumentAligner;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.type.AlignmentLink;
import io.github.sparsestruct.type.AnalysisMetadata;
import io.github.sparsestruct.type.LinkCandidate;
import io.github.sparsestruct.type.SentencePair;
import io.github.sparsestruct.type.WordAlignment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.uima.UimaContext;
import org.apache.uima.analysis_engine.AnalysisEngineProcessException;
import org.apache.uima.cas.CASException;
import org.apache.uima.fit.descriptor.ConfigurationParameter;
import org.apache.uima.fit.descriptor.ResourceMetaData;
import org.apache.uima.fit.descriptor.TypeCapability;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.apache.uima.jcas.cas.FSArray;
import org.apache.uima.resource.ResourceInitializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Word alignment with a SparseStruct aligner, in one of two modes.
 *
 * <ul>
 *   <li>{@code pairs} (default): aligns the source and target sentences of every {@link SentencePair} in the view the
 *   engine runs on (the target sentence may live in another view). A pair's {@code weight} left unset (0) is set to
 *   1.</li>
 *   <li>{@code views}: aligns the sentences of two views ({@link #PARAM_SOURCE_VIEW}, {@link #PARAM_TARGET_VIEW})
 *   monotonically with {@link DocumentAligner} (DTW over bag-of-words costs; the weight of a sentence pair is its
 *   entry in the ℓ2-regularised DTW alignment matrix), writes one {@link SentencePair} per sentence pair on the best
 *   path into the source view, and then aligns the words of each.</li>
 * </ul>
 *
 * <p>Per pair it writes, in the pair's view and over its source sentence, one {@link WordAlignment} per kept
 * alternative (weight, rank, decoding, decoder, links as {@link AlignmentLink}s; the weights of a pair sum to 1; rank
 * 1 is the best alignment) and one {@link LinkCandidate} per link whose marginal weight is ≥ {@code minWeight}
 * ({@code score}, {@code inBest}: whether the best alignment holds it). One {@link AnalysisMetadata} per run records
 * the component, model and decoding. Sentences without tokens are aligned too (the empty alignment of weight 1).
 */
@ResourceMetaData(name = "SparseStruct Word Aligner",
        description = "Weighted word alignments (SparseMAP, marginals or MAP) of sentence pairs, or of the sentences "
                + "of two views after a DTW sentence alignment")
@TypeCapability(
        inputs = {"de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence",
            "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token",
            "io.github.sparsestruct.type.SentencePair"},
        outputs = {"io.github.sparsestruct.type.SentencePair", "io.github.sparsestruct.type.WordAlignment",
            "io.github.sparsestruct.type.AlignmentLink", "io.github.sparsestruct.type.LinkCandidate",
            "io.github.sparsestruct.type.AnalysisMetadata"})
public class SparseStructAligner extends SparseStructAnnotatorBase {
    private static final Logger LOG = LoggerFactory.getLogger(SparseStructAligner.class);

    /** Mode that aligns the given {@link SentencePair}s. */
    public static final String MODE_PAIRS = "pairs";
    /** Mode that aligns the sentences of two views. */
    public static final String MODE_VIEWS = "views";
    private static final List<String> MODES = List.of(MODE_PAIRS, MODE_VIEWS);
    private static final List<String> DECODERS = AlignDecoder.predictionNames();

    /** {@code pairs} (default: align the SentencePairs of the view) or {@code views} (align two views). */
    public static final String PARAM_MODE = "mode";
    @ConfigurationParameter(name = PARAM_MODE, mandatory = true, defaultValue = MODE_PAIRS)
    protected String mode;

    /**
     * Alignment structures: {@code matching} (default; one-to-one links, words may stay unaligned) or
     * {@code sequential} (each source word links to at most one target word).
     */
    public static final String PARAM_DECODER = "decoder";
    @ConfigurationParameter(name = PARAM_DECODER, mandatory = true, defaultValue = "matching")
    protected String decoder;

    /** Views mode: the view of the source document (default {@code _InitialView}). */
    public static final String PARAM_SOURCE_VIEW = "sourceView";
    @ConfigurationParameter(name = PARAM_SOURCE_VIEW, mandatory = true, defaultValue = "_InitialView")
    protected String sourceView;

    /** Views mode: the view of the target document (default {@code target}). */
    public static final String PARAM_TARGET_VIEW = "targetView";
    @ConfigurationParameter(name = PARAM_TARGET_VIEW, mandatory = true, defaultValue = "target")
    protected String targetView;

    /** Views mode: γ &gt; 0 of the ℓ2-regularised sentence alignment (default 0.1; larger spreads weight wider). */
    public static final String PARAM_SENTENCE_GAMMA = "sentenceGamma";
    @ConfigurationParameter(name = PARAM_SENTENCE_GAMMA, mandatory = true, defaultValue = "0.1")
    protected double sentenceGamma;

    private AlignAnalyzer analyzer;
    private DocumentAligner documents;

    @Override
    public void initialize(UimaContext context) throws ResourceInitializationException {
        super.initialize(context);
        String m = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
        if (!MODES.contains(m)) {
            throw badParameter(PARAM_MODE + " '" + mode + "' is unknown; allowed: " + String.join(", ", MODES));
        }
        mode = m;
        String d = decoder == null ? "" : decoder.trim().toLowerCase(Locale.ROOT);
        if (!DECODERS.contains(d)) {
            throw badParameter(PARAM_DECODER + " '" + decoder + "' is unknown; allowed: "
                    + String.join(", ", DECODERS));
        }
        if (!(sentenceGamma > 0)) {
            throw badParameter(PARAM_SENTENCE_GAMMA + " must be positive, got " + sentenceGamma);
        }
        AlignModel model;
        try {
            model = ModelRegistry.align(modelLocation, modelLanguage(), modelVariant);
        } catch (IOException | RuntimeException e) {
            throw SparseStructNamedEntityRecognizer.modelError("word alignment", modelLocation, e);
        }
        try {
            analyzer = new AlignAnalyzer(model, options(), AlignDecoder.valueOf(d.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw badParameter(e.getMessage());
        }
        documents = new DocumentAligner(analyzer, sentenceGamma);
    }

    private ResourceInitializationException badParameter(String message) {
        return new ResourceInitializationException(new IllegalArgumentException(
                getClass().getSimpleName() + ": " + message));
    }

    /** The analyzer (tests: the model it holds is shared with every other instance naming the same location). */
    AlignAnalyzer analyzer() {
        return analyzer;
    }

    @Override
    public void process(JCas jcas) throws AnalysisEngineProcessException {
        if (mode.equals(MODE_VIEWS)) {
            processViews(jcas);
        } else {
            processPairs(jcas);
        }
    }

    private void processPairs(JCas jcas) throws AnalysisEngineProcessException {
        List<SentencePair> pairs = new ArrayList<>(JCasUtil.select(jcas, SentencePair.class));
        if (pairs.isEmpty()) {
            LOG.debug("no SentencePair annotations in view {}: nothing to align", jcas.getViewName());
            return;
        }
        checkLanguage(jcas);
        Map<JCas, Map<Sentence, List<Token>>> tokens = new IdentityHashMap<>();
        List<TokenPair> input = new ArrayList<>();
        List<List<Token>> sources = new ArrayList<>();
        List<List<Token>> targets = new ArrayList<>();
        for (SentencePair p : pairs) {
            if (p.getSource() == null || p.getTarget() == null) {
                throw new AnalysisEngineProcessException(new IllegalStateException(getClass().getSimpleName()
                        + ": SentencePair at " + p.getBegin() + "-" + p.getEnd() + " in view " + jcas.getViewName()
                        + " has no " + (p.getSource() == null ? "source" : "target") + " sentence"));
            }
            List<Token> s = tokensOf(p.getSource(), tokens);
            List<Token> t = tokensOf(p.getTarget(), tokens);
            sources.add(s);
            targets.add(t);
            input.add(new TokenPair(forms(s), forms(t)));
        }
        List<AlignAnalysis> results = analyzer.analyze(input);
        for (int i = 0; i < pairs.size(); i++) {
            SentencePair p = pairs.get(i);
            if (p.getWeight() == 0) {
                p.setWeight(1.0);
            }
            write(jcas, p, sources.get(i), targets.get(i), results.get(i));
        }
        addMetadata(jcas, WordAlignment.class);
    }

    private void processViews(JCas jcas) throws AnalysisEngineProcessException {
        JCas source = view(jcas, sourceView);
        JCas target = view(jcas, targetView);
        checkLanguage(source);
        checkLanguage(target);
        List<SentenceTokens> a = sentences(source);
        List<SentenceTokens> b = sentences(target);
        if (a.isEmpty() || b.isEmpty()) {
            LOG.warn("view {} has {} sentences and view {} has {}: no sentence alignment", sourceView, a.size(),
                    targetView, b.size());
            addMetadata(source, WordAlignment.class);
            return;
        }
        List<String[]> fa = new ArrayList<>(a.size());
        for (SentenceTokens s : a) {
            fa.add(s.forms());
        }
        List<String[]> fb = new ArrayList<>(b.size());
        for (SentenceTokens s : b) {
            fb.add(s.forms());
        }
        DocumentAligner.Result r = documents.align(fa, fb);
        for (DocumentAligner.SentenceLink l : r.path()) {
            SentenceTokens s = a.get(l.source());
            SentenceTokens t = b.get(l.target());
            SentencePair p = new SentencePair(source, s.sentence().getBegin(), s.sentence().getEnd());
            p.setSource(s.sentence());
            p.setTarget(t.sentence());
            p.setWeight(l.weight());
            p.addToIndexes();
            write(source, p, s.tokens(), t.tokens(), l.words());
        }
        addMetadata(source, WordAlignment.class);
    }

    private JCas view(JCas jcas, String name) throws AnalysisEngineProcessException {
        try {
            return jcas.getView(name);
        } catch (CASException | RuntimeException e) {
            List<String> names = new ArrayList<>();
            try {
                Iterator<JCas> it = jcas.getViewIterator();
                while (it.hasNext()) {
                    names.add(it.next().getViewName());
                }
            } catch (CASException x) {
                e.addSuppressed(x);
            }
            throw new AnalysisEngineProcessException(new IllegalStateException(getClass().getSimpleName()
                    + ": the CAS has no view '" + name + "' (views: " + String.join(", ", names) + "); set "
                    + PARAM_SOURCE_VIEW + " / " + PARAM_TARGET_VIEW, e));
        }
    }

    private List<Token> tokensOf(Sentence s, Map<JCas, Map<Sentence, List<Token>>> cache)
            throws AnalysisEngineProcessException {
        JCas view;
        try {
            view = s.getCAS().getJCas();
        } catch (CASException e) {
            throw new AnalysisEngineProcessException(e);
        }
        Map<Sentence, List<Token>> covered = cache.get(view);
        if (covered == null) {
            sentences(view); // segments a view without tokens when segmentIfMissing is set, else fails naming it
            covered = JCasUtil.indexCovered(view, Sentence.class, Token.class);
            cache.put(view, covered);
        }
        List<Token> t = covered.get(s);
        return t == null ? List.of() : List.copyOf(t);
    }

    private static String[] forms(List<Token> tokens) {
        String[] f = new String[tokens.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = tokens.get(i).getText();
        }
        return f;
    }

    private static void write(JCas jcas, SentencePair p, List<Token> src, List<Token> tgt, AlignAnalysis a) {
        Sentence s = p.getSource();
        for (AlignAnalysis.Alignment alt : a.alignments()) {
            WordAlignment w = new WordAlignment(jcas, s.getBegin(), s.getEnd());
            w.setPair(p);
            w.setWeight(alt.weight());
            w.setRank(alt.rank());
            w.setDecoding(a.decode());
            w.setDecoder(a.decoder());
            w.setLongPair(a.longPair());
            w.setSourceSentence(s);
            w.setTargetSentence(p.getTarget());
            FSArray<AlignmentLink> links = new FSArray<>(jcas, alt.links().size());
            for (int k = 0; k < alt.links().size(); k++) {
                AlignAnalysis.Link l = alt.links().get(k);
                Token st = src.get(l.source());
                AlignmentLink link = new AlignmentLink(jcas, st.getBegin(), st.getEnd());
                link.setSource(st);
                link.setTarget(tgt.get(l.target()));
                link.setWeight(alt.weight());
                links.set(k, link);
            }
            w.setLinks(links);
            w.addToIndexes();
        }
        Set<Long> best = new HashSet<>();
        for (AlignAnalysis.Link l : a.links()) {
            best.add(key(l.source(), l.target()));
        }
        for (AlignAnalysis.Link l : a.linkWeights()) {
            Token st = src.get(l.source());
            LinkCandidate c = new LinkCandidate(jcas, st.getBegin(), st.getEnd());
            c.setSource(st);
            c.setTarget(tgt.get(l.target()));
            c.setScore(l.weight());
            c.setInBest(best.contains(key(l.source(), l.target())));
            c.setPair(p);
            c.addToIndexes();
        }
    }

    private static long key(int i, int j) {
        return ((long) i << 32) | (j & 0xffffffffL);
    }
}
