package io.github.sparsestruct.uima;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.ModelCatalog;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.type.AnalysisMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.uima.UimaContext;
import org.apache.uima.analysis_engine.AnalysisEngineProcessException;
import org.apache.uima.fit.component.JCasAnnotator_ImplBase;
import org.apache.uima.fit.descriptor.ConfigurationParameter;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.apache.uima.resource.ResourceInitializationException;
import org.dkpro.core.api.parameter.ComponentParameters;

/**
 * What the SparseStruct analysis engines share: the DKPro-style parameters ({@code language}, {@code modelLocation}),
 * the decoding options handed to the {@code models} analyzers, and reading the sentences and tokens of a CAS.
 *
 * <p>Models are loaded through {@link ModelRegistry}, which keeps one model object per location (and file version)
 * per JVM: every instance of an engine, in every thread or CPE processing unit, that names the same
 * {@code modelLocation} shares one model, whether the engine was built with uimaFIT or from the XML descriptor.
 */
public abstract class SparseStructAnnotatorBase extends JCasAnnotator_ImplBase {
    /**
     * Language of the documents; overrides the CAS document language. The bundled models are English, so with the
     * bundled model any other language (except unset / {@code x-unspecified}) is an error.
     */
    public static final String PARAM_LANGUAGE = ComponentParameters.PARAM_LANGUAGE;
    @ConfigurationParameter(name = PARAM_LANGUAGE, mandatory = false)
    protected String language;

    /**
     * Model file: a path, a {@code file:} URI, or {@code bundled} (the default) for the bundled model of
     * {@link #PARAM_LANGUAGE} (default English) and {@link #PARAM_MODEL_VARIANT}.
     */
    public static final String PARAM_MODEL_LOCATION = ComponentParameters.PARAM_MODEL_LOCATION;
    @ConfigurationParameter(name = PARAM_MODEL_LOCATION, mandatory = false, defaultValue = ModelRegistry.BUNDLED)
    protected String modelLocation;

    /**
     * Variant of the bundled model (DKPro's {@code modelVariant}): {@value ModelCatalog#DEFAULT_VARIANT} (the
     * default, the BiLSTM models) or another variant a jar on the classpath lists ({@link ModelCatalog}). A language
     * or variant without a bundled model is an initialisation error naming those that exist. Ignored with a model
     * file.
     */
    public static final String PARAM_MODEL_VARIANT = ComponentParameters.PARAM_VARIANT;
    @ConfigurationParameter(name = PARAM_MODEL_VARIANT, mandatory = false, defaultValue = ModelCatalog.DEFAULT_VARIANT)
    protected String modelVariant;

    /**
     * Decoding, one of the component's task's ({@link Decoding.Task#decodings()}: {@link Decoding.Task#NER},
     * {@link Decoding.Task#PARSE}, {@link Decoding.Task#ALIGN}); default {@code sparsemap}. Another value fails
     * naming the allowed ones.
     */
    public static final String PARAM_DECODING = "decoding";
    @ConfigurationParameter(name = PARAM_DECODING, mandatory = true, defaultValue = AnalysisOptions.DEFAULT_DECODE)
    protected String decoding;

    /** Most alternatives kept per sentence (the heaviest; at least 1). Default 5. */
    public static final String PARAM_MAX_ALTERNATIVES = "maxAlternatives";
    @ConfigurationParameter(name = PARAM_MAX_ALTERNATIVES, mandatory = true, defaultValue = "5")
    protected int maxAlternatives;

    /**
     * Lightest alternative kept (the best one is always kept; the kept weights are renormalised to sum to 1), and the
     * lightest candidate entity / arc written. In [0, 1); default 0.01.
     */
    public static final String PARAM_MIN_WEIGHT = "minWeight";
    @ConfigurationParameter(name = PARAM_MIN_WEIGHT, mandatory = true, defaultValue = "0.01")
    protected double minWeight;

    /**
     * Longest sentence, in tokens, decoded as a whole (default 250). A longer sentence is decoded in consecutive
     * chunks of at most this many tokens with map decoding (one alternative of weight 1, marked {@code chunked}; for
     * parsing, one root per chunk), and a warning is logged.
     */
    public static final String PARAM_MAX_SENTENCE_LENGTH = "maxSentenceLength";
    @ConfigurationParameter(name = PARAM_MAX_SENTENCE_LENGTH, mandatory = true, defaultValue = "250")
    protected int maxSentenceLength;

    /**
     * What to do with a document that has text but no {@code Sentence} or no {@code Token} annotations: fail with an
     * error naming the missing type (false, the default), or segment it with {@link java.text.BreakIterator} (true).
     */
    public static final String PARAM_SEGMENT_IF_MISSING = "segmentIfMissing";
    @ConfigurationParameter(name = PARAM_SEGMENT_IF_MISSING, mandatory = true, defaultValue = "false")
    protected boolean segmentIfMissing;

    private AnalysisOptions options;

    @Override
    public void initialize(UimaContext context) throws ResourceInitializationException {
        super.initialize(context);
        try {
            options = new AnalysisOptions(decoding, maxAlternatives, minWeight, maxSentenceLength);
        } catch (IllegalArgumentException e) {
            throw new ResourceInitializationException(new IllegalArgumentException(
                    getClass().getSimpleName() + ": " + e.getMessage(), e));
        }
    }

    /** The decoding options given by the parameters. */
    protected AnalysisOptions options() {
        return options;
    }

    /** The language whose bundled model is loaded: the {@code language} parameter, else English. */
    protected String modelLanguage() {
        return ModelCatalog.language(language);
    }

    /** Whether the model location names the bundled model. */
    protected boolean bundled() {
        return ModelRegistry.file(modelLocation) == null;
    }

    /** The model location as written into {@link AnalysisMetadata}. */
    protected String modelName() {
        if (!bundled()) {
            return String.valueOf(ModelRegistry.file(modelLocation));
        }
        String variant = modelVariant == null || modelVariant.isBlank() ? ModelCatalog.DEFAULT_VARIANT
                : modelVariant.trim().toLowerCase(Locale.ROOT);
        return modelLanguage().equals(ModelCatalog.DEFAULT_LANGUAGE) && variant.equals(ModelCatalog.DEFAULT_VARIANT)
                ? ModelRegistry.BUNDLED : ModelRegistry.BUNDLED + ":" + modelLanguage() + "/" + variant;
    }

    /** Fails when a bundled model is used on a document in another language than the model's. */
    protected void checkLanguage(JCas jcas) throws AnalysisEngineProcessException {
        String lang = language != null ? language : jcas.getDocumentLanguage();
        if (!bundled() || lang == null || lang.isBlank() || lang.trim().equalsIgnoreCase("x-unspecified")) {
            return;
        }
        String l = ModelCatalog.language(lang);
        if (!l.equals(modelLanguage())) {
            String offered = String.join(", ", ModelCatalog.entries().stream().map(ModelCatalog.Entry::toString)
                    .toList());
            throw new AnalysisEngineProcessException(new IllegalArgumentException(getClass().getSimpleName()
                    + ": the bundled model is for '" + modelLanguage() + "' and the document language is '" + lang
                    + "' (bundled models: " + offered + "); set the parameter " + PARAM_LANGUAGE
                    + " to a language that has one, or pass a model for '" + l + "' with " + PARAM_MODEL_LOCATION));
        }
    }

    /**
     * A sentence and its tokens in text order.
     *
     * @param sentence the sentence
     * @param tokens   its tokens
     */
    protected record SentenceTokens(Sentence sentence, List<Token> tokens) {
        /** The token forms ({@link SentenceForms#of(List)}). */
        String[] forms() {
            return SentenceForms.of(tokens);
        }
    }

    /**
     * The sentences of the document with their tokens; segments the document first when it has text but no sentences
     * or tokens and {@link #PARAM_SEGMENT_IF_MISSING} is set, else fails naming the missing type. A document without
     * text gives no sentences.
     */
    protected List<SentenceTokens> sentences(JCas jcas) throws AnalysisEngineProcessException {
        String text = jcas.getDocumentText();
        boolean noText = text == null || text.isBlank();
        boolean noSentence = JCasUtil.select(jcas, Sentence.class).isEmpty();
        boolean noToken = JCasUtil.select(jcas, Token.class).isEmpty();
        if (!noText && (noSentence || noToken)) {
            String missing = noSentence ? Sentence.class.getName() : Token.class.getName();
            if (!segmentIfMissing) {
                throw new AnalysisEngineProcessException(new IllegalStateException(getClass().getSimpleName()
                        + ": the document has text but no " + missing + " annotations; run a segmenter first (e.g."
                        + " DKPro's BreakIteratorSegmenter) or set " + PARAM_SEGMENT_IF_MISSING + "=true"));
            }
            Segmentation.segment(jcas, noSentence, noToken);
        }
        Map<Sentence, List<Token>> covered = JCasUtil.indexCovered(jcas, Sentence.class, Token.class);
        List<SentenceTokens> out = new ArrayList<>();
        for (Sentence s : JCasUtil.select(jcas, Sentence.class)) {
            Collection<Token> toks = covered.get(s);
            out.add(new SentenceTokens(s, toks == null ? List.of() : List.copyOf(toks)));
        }
        return out;
    }

    /** The document's id for messages: its DKPro document id, else its URI, else "the document". */
    protected static String documentName(JCas jcas) {
        for (de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData m : JCasUtil.select(jcas,
                de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData.class)) {
            if (m.getDocumentId() != null) {
                return m.getDocumentId();
            }
            if (m.getDocumentUri() != null) {
                return m.getDocumentUri();
            }
        }
        return "the document";
    }

    /**
     * The common body of {@code process}: checks the language, runs {@code analyze} on the token forms of every
     * sentence (one call per document, so the model batches them), hands each sentence's result to {@code write} and
     * records the run's metadata.
     */
    protected <A> void annotate(JCas jcas, Function<List<String[]>, List<A>> analyze,
                                BiConsumer<SentenceTokens, A> write, Class<?> analysisType)
            throws AnalysisEngineProcessException {
        checkLanguage(jcas);
        List<SentenceTokens> sentences = sentences(jcas);
        List<String[]> forms = new ArrayList<>(sentences.size());
        for (SentenceTokens s : sentences) {
            forms.add(s.forms());
        }
        List<A> results = analyze.apply(forms);
        for (int i = 0; i < sentences.size(); i++) {
            write.accept(sentences.get(i), results.get(i));
        }
        addMetadata(jcas, analysisType);
    }

    protected void addMetadata(JCas jcas, Class<?> analysisType) {
        AnalysisMetadata m = new AnalysisMetadata(jcas, 0, jcas.getDocumentText() == null ? 0
                : jcas.getDocumentText().length());
        m.setComponent(getClass().getName());
        m.setModel(modelName());
        m.setAnalysisType(analysisType.getName());
        m.setDecoding(options.decode());
        m.setMaxAlternatives(options.maxAlternatives());
        m.setMinWeight(options.minWeight());
        m.addToIndexes();
    }
}
