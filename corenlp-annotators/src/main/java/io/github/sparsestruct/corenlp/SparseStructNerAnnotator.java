package io.github.sparsestruct.corenlp;

import edu.stanford.nlp.ling.CoreAnnotation;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.Annotator;
import edu.stanford.nlp.pipeline.ChunkAnnotationUtils;
import edu.stanford.nlp.pipeline.EntityMentionsAnnotator;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import io.github.sparsestruct.models.analysis.NerAnalyzer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A CoreNLP named-entity annotator backed by a SparseStruct NER model: the best analysis goes into CoreNLP's keys, the
 * weighted alternatives into {@link SparseStructAnnotations}. Runs after {@code tokenize,ssplit}; needs no CoreNLP
 * model jar. Register it with
 * {@code customAnnotatorClass.NAME = io.github.sparsestruct.corenlp.SparseStructNerAnnotator}.
 *
 * <p>Properties (under {@code NAME.}):
 * <ul>
 *   <li>{@code model}: a model file (path or {@code file:} URI); default: the bundled model of {@code language}
 *   (default {@code en}) and {@code variant} (default {@code fast}; a language or variant without a bundled model is
 *   an error naming those that exist);</li>
 *   <li>{@code decode}: {@code map}, {@code marginals}, {@code sparsemap} (default) or {@code dp_l2};</li>
 *   <li>{@code maxAlternatives} (default 5), {@code minWeight} (default 0.01), {@code maxSentenceLength} (default
 *       250): see {@link AnalysisOptions};</li>
 *   <li>{@code buildEntityMentions} (default true): run CoreNLP's {@link EntityMentionsAnnotator} on the result, as
 *       CoreNLP's own {@code ner} does; its properties are read under {@code NAME.entitymentions.}.</li>
 * </ul>
 *
 * <p>CoreNLP keys set: per token {@code NamedEntityTagAnnotation} (the entity type of the best analysis, or
 * {@code O}; types are the model's, e.g. {@code PER}, {@code LOC}) and {@code NamedEntityTagProbsAnnotation} (the whole
 * distribution over {@code O} and the entity types: the tag probabilities of {@code B-X} and {@code I-X} summed); per
 * sentence and document {@code MentionsAnnotation} when building mentions. CoreNLP's entity-mention confidence (its
 * {@code NamedEntityTagProbsAnnotation}, written as {@code nerConfidences}) is, per type, the least probability of
 * that type over the mention's tokens; the exact marginal weight of the mention's span is in
 * {@link SparseStructAnnotations.EntityWeightAnnotation}. Tokens of adjacent entities of one type carry the same tag,
 * so CoreNLP's mentions merge them (as with CoreNLP's own NER); the analyses and candidates keep them apart.
 */
public class SparseStructNerAnnotator implements Annotator {
    /** {@code buildEntityMentions} property. */
    public static final String BUILD_ENTITY_MENTIONS = "buildEntityMentions";
    /** Decodings this annotator accepts. */
    public static final List<String> DECODES = Decoding.Task.NER.names();
    private static final Set<String> KEYS = Set.of(AnnotatorConfig.MODEL, AnnotatorConfig.LANGUAGE,
            AnnotatorConfig.VARIANT, AnnotatorConfig.DECODE, AnnotatorConfig.MAX_ALTERNATIVES,
            AnnotatorConfig.MIN_WEIGHT, AnnotatorConfig.MAX_SENTENCE_LENGTH,
            BUILD_ENTITY_MENTIONS);

    private final String name;
    private final NerAnalyzer analyzer;
    private final EntityMentionsAnnotator mentions;
    private final List<String> labels;
    private final String[] labelTypes;
    private final Set<String> types;

    /**
     * The CoreNLP constructor.
     *
     * @param name  the annotator's name (its properties are {@code name.*})
     * @param props the pipeline's properties
     * @throws InvalidPropertyException when a property value is not allowed (the message lists the allowed ones) or
     *                                  the model cannot be loaded (the message names the file and the problem)
     */
    public SparseStructNerAnnotator(String name, Properties props) {
        this(name, props, null, null);
    }

    /**
     * An annotator over a given analyzer and tag set (tests isolate the adapter with it); when {@code analyzer} is
     * null, the model and options come from the properties.
     */
    SparseStructNerAnnotator(String name, Properties props, NerAnalyzer analyzer, List<String> tags) {
        AnnotatorConfig config = new AnnotatorConfig(name, props, keysWithPrefixes(name, props));
        this.name = name;
        boolean build = config.bool(BUILD_ENTITY_MENTIONS, true);
        if (analyzer == null) {
            AnalysisOptions options = config.options(DECODES);
            analyzer = new NerAnalyzer(Models.ner(config), options);
            tags = analyzer.model().tags();
        }
        this.analyzer = analyzer;
        this.labels = List.copyOf(tags);
        this.labelTypes = new String[labels.size()];
        this.types = new LinkedHashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            labelTypes[i] = type(labels.get(i));
            if (!"O".equals(labelTypes[i])) {
                types.add(labelTypes[i]);
            }
        }
        this.mentions = build ? new EntityMentionsAnnotator(name + ".entitymentions",
                props == null ? new Properties() : props) : null;
    }

    private static Set<String> keysWithPrefixes(String name, Properties props) {
        Set<String> own = new LinkedHashSet<>(KEYS);
        if (props != null) {
            for (String k : props.stringPropertyNames()) {
                if (k.startsWith(name + ".entitymentions.")) {
                    own.add(k.substring(name.length() + 1));
                }
            }
        }
        return own;
    }

    /** The entity type of an IOB2 (or IOBES) tag: {@code B-PER} → {@code PER}; {@code O} stays {@code O}. */
    static String type(String tag) {
        if (tag == null || tag.equals("O")) {
            return "O";
        }
        return tag.length() > 2 && tag.charAt(1) == '-' ? tag.substring(2) : tag;
    }

    /** The analyzer (model and options) this annotator uses. */
    public NerAnalyzer analyzer() {
        return analyzer;
    }

    @Override
    public void annotate(Annotation annotation) {
        List<CoreMap> sentences = Models.analyze(name, annotation, analyzer::analyze, this::fill);
        if (mentions != null) {
            mentions.annotate(annotation);
            for (CoreMap s : sentences) {
                weighMentions(s);
            }
        }
    }

    private void fill(CoreMap sentence, NerAnalysis a) {
        List<CoreLabel> tokens = sentence.get(CoreAnnotations.TokensAnnotation.class);
        for (int t = 0; t < tokens.size(); t++) {
            CoreLabel token = tokens.get(t);
            double[] row = a.tagProbabilities()[t];
            Map<String, Double> byTag = new LinkedHashMap<>();
            Map<String, Double> byType = new LinkedHashMap<>();
            byType.put("O", 0.0);
            for (String ty : types) {
                byType.put(ty, 0.0);
            }
            for (int j = 0; j < row.length; j++) {
                byTag.put(labels.get(j), row[j]);
                byType.merge(labelTypes[j], row[j], Double::sum);
            }
            token.setNER(type(a.tags()[t]));
            token.set(CoreAnnotations.NamedEntityTagProbsAnnotation.class, byType);
            token.set(SparseStructAnnotations.TagDistributionAnnotation.class, byTag);
        }
        sentence.set(SparseStructAnnotations.NerAnalysisAnnotation.class, a);
        sentence.set(SparseStructAnnotations.NerUncertaintyAnnotation.class, a.uncertainty());
        sentence.set(SparseStructAnnotations.NerAnalysesAnnotation.class, a.analyses());
        List<CoreMap> cands = new ArrayList<>(a.candidates().size());
        for (NerAnalysis.Entity e : a.candidates()) {
            CoreMap chunk = ChunkAnnotationUtils.getAnnotatedChunk(sentence, e.start(), e.end());
            chunk.set(CoreAnnotations.NamedEntityTagAnnotation.class, e.type());
            chunk.set(CoreAnnotations.EntityTypeAnnotation.class, e.type());
            chunk.set(SparseStructAnnotations.EntityWeightAnnotation.class, e.weight());
            cands.add(chunk);
        }
        sentence.set(SparseStructAnnotations.CandidateEntitiesAnnotation.class, cands);
    }

    private void weighMentions(CoreMap sentence) {
        List<CoreMap> ms = sentence.get(CoreAnnotations.MentionsAnnotation.class);
        NerAnalysis a = sentence.get(SparseStructAnnotations.NerAnalysisAnnotation.class);
        if (ms == null || a == null) {
            return;
        }
        Integer base = sentence.get(CoreAnnotations.TokenBeginAnnotation.class);
        int offset = base == null ? 0 : base;
        Map<String, Double> weights = new HashMap<>();
        for (NerAnalysis.Entity e : a.candidates()) {
            weights.put(e.start() + ":" + e.end() + ":" + e.type(), e.weight());
        }
        for (CoreMap m : ms) {
            String ty = m.get(CoreAnnotations.NamedEntityTagAnnotation.class);
            Integer b = m.get(CoreAnnotations.TokenBeginAnnotation.class);
            Integer e = m.get(CoreAnnotations.TokenEndAnnotation.class);
            if (ty != null && types.contains(ty) && b != null && e != null) {
                m.set(SparseStructAnnotations.EntityWeightAnnotation.class,
                        weights.getOrDefault((b - offset) + ":" + (e - offset) + ":" + ty, 0.0));
            }
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // CoreNLP's Annotator interface uses the raw CoreAnnotation type
    public Set<Class<? extends CoreAnnotation>> requires() {
        return Set.of(CoreAnnotations.TextAnnotation.class, CoreAnnotations.TokensAnnotation.class,
                CoreAnnotations.SentencesAnnotation.class, CoreAnnotations.CharacterOffsetBeginAnnotation.class,
                CoreAnnotations.CharacterOffsetEndAnnotation.class);
    }

    @Override
    @SuppressWarnings("rawtypes") // CoreNLP's Annotator interface uses the raw CoreAnnotation type
    public Set<Class<? extends CoreAnnotation>> requirementsSatisfied() {
        Set<Class<? extends CoreAnnotation>> s = new LinkedHashSet<>(List.of(
                CoreAnnotations.NamedEntityTagAnnotation.class,
                CoreAnnotations.NamedEntityTagProbsAnnotation.class,
                SparseStructAnnotations.NerAnalysisAnnotation.class, SparseStructAnnotations.NerUncertaintyAnnotation.class,
                SparseStructAnnotations.NerAnalysesAnnotation.class,
                SparseStructAnnotations.CandidateEntitiesAnnotation.class,
                SparseStructAnnotations.TagDistributionAnnotation.class));
        if (mentions != null) {
            s.addAll(mentions.requirementsSatisfied());
            s.add(CoreAnnotations.EntityTypeAnnotation.class);
            s.add(SparseStructAnnotations.EntityWeightAnnotation.class);
        }
        return s;
    }
}
