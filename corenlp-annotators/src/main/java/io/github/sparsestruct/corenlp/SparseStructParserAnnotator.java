package io.github.sparsestruct.corenlp;

import edu.stanford.nlp.international.Language;
import edu.stanford.nlp.ling.CoreAnnotation;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.ling.IndexedWord;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.Annotator;
import edu.stanford.nlp.semgraph.SemanticGraph;
import edu.stanford.nlp.semgraph.SemanticGraphCoreAnnotations;
import edu.stanford.nlp.trees.GrammaticalRelation;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.ParseAnalysis;
import io.github.sparsestruct.models.analysis.ParseAnalyzer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A CoreNLP dependency parser backed by a SparseStruct parser model: the best tree goes into
 * {@code BasicDependenciesAnnotation} (and the predicted UPOS into {@code PartOfSpeechAnnotation}), the weighted trees
 * and arc marginals into {@link SparseStructAnnotations}. Runs after {@code tokenize,ssplit}; needs no CoreNLP model
 * jar. Register it with {@code customAnnotatorClass.NAME = io.github.sparsestruct.corenlp.SparseStructParserAnnotator}.
 *
 * <p>Properties (under {@code NAME.}):
 * <ul>
 *   <li>{@code model}: a model file (path or {@code file:} URI); default: the bundled model of {@code language}
 *   (default {@code en}) and {@code variant} (default {@code fast}; a language or variant without a bundled model is
 *   an error naming those that exist);</li>
 *   <li>{@code decode}: {@code map}, {@code marginals} or {@code sparsemap} (default);</li>
 *   <li>{@code maxAlternatives} (default 5), {@code minWeight} (default 0.01), {@code maxSentenceLength} (default
 *       250): see {@link AnalysisOptions};</li>
 *   <li>{@code pos} (default true): write the predicted UPOS tags to {@code PartOfSpeechAnnotation}; set it to false
 *       to keep the tags of a POS tagger that ran before.</li>
 * </ul>
 *
 * <p>Relations are CoreNLP {@link GrammaticalRelation}s of the UD label ({@code Language.UniversalEnglish}); the root
 * relation is not an edge (the root words are the graph's roots, as in CoreNLP). Edge weights in every graph are the
 * arcs' marginal weights.
 */
public class SparseStructParserAnnotator implements Annotator {
    /** {@code pos} property. */
    public static final String POS = "pos";
    /**
     * Decodings this annotator accepts ({@link Decoding.Task#PARSE}), listed in {@link Decoding}'s order, as this
     * annotator's messages always have.
     */
    public static final List<String> DECODES = Decoding.Task.PARSE.namesInDeclarationOrder();
    private static final Set<String> KEYS = Set.of(AnnotatorConfig.MODEL, AnnotatorConfig.LANGUAGE,
            AnnotatorConfig.VARIANT, AnnotatorConfig.DECODE, AnnotatorConfig.MAX_ALTERNATIVES,
            AnnotatorConfig.MIN_WEIGHT, AnnotatorConfig.MAX_SENTENCE_LENGTH, POS);
    private static final Map<String, GrammaticalRelation> RELATIONS = new ConcurrentHashMap<>();

    private final String name;
    private final ParseAnalyzer analyzer;
    private final boolean pos;

    /**
     * The CoreNLP constructor.
     *
     * @param name  the annotator's name (its properties are {@code name.*})
     * @param props the pipeline's properties
     * @throws InvalidPropertyException when a property value is not allowed (the message lists the allowed ones) or
     *                                  the model cannot be loaded (the message names the file and the problem)
     */
    public SparseStructParserAnnotator(String name, Properties props) {
        AnnotatorConfig config = new AnnotatorConfig(name, props, KEYS);
        this.name = name;
        AnalysisOptions options = config.options(DECODES);
        this.pos = config.bool(POS, true);
        this.analyzer = new ParseAnalyzer(Models.parser(config), options);
    }

    /** The analyzer (model and options) this annotator uses. */
    public ParseAnalyzer analyzer() {
        return analyzer;
    }

    /** CoreNLP's relation for a UD label ({@code dep} for null). */
    static GrammaticalRelation relation(String label) {
        if (label == null || label.isEmpty()) {
            return GrammaticalRelation.DEPENDENT;
        }
        return RELATIONS.computeIfAbsent(label, l -> GrammaticalRelation.valueOf(Language.UniversalEnglish, l));
    }

    @Override
    public void annotate(Annotation annotation) {
        Models.analyze(name, annotation, analyzer::analyze, this::fill);
    }

    private void fill(CoreMap sentence, ParseAnalysis a) {
        List<CoreLabel> tokens = sentence.get(CoreAnnotations.TokensAnnotation.class);
        Map<Long, Double> marginal = new HashMap<>();
        for (ParseAnalysis.Arc arc : a.arcs()) {
            marginal.put(key(arc.head(), arc.dependent()), arc.weight());
        }
        if (pos && a.upos() != null) {
            for (int i = 0; i < tokens.size() && i < a.upos().length; i++) {
                if (a.upos()[i] != null) {
                    tokens.get(i).setTag(a.upos()[i]);
                }
            }
        }
        sentence.set(SemanticGraphCoreAnnotations.BasicDependenciesAnnotation.class,
                tree(tokens, a.heads(), a.deprels(), marginal));
        List<SparseStructAnnotations.WeightedTree> trees = new ArrayList<>(a.trees().size());
        for (ParseAnalysis.Tree t : a.trees()) {
            trees.add(new SparseStructAnnotations.WeightedTree(t.rank(), t.weight(),
                    tree(tokens, t.heads(), t.deprels(), marginal)));
        }
        sentence.set(SparseStructAnnotations.ParseAnalysisAnnotation.class, a);
        sentence.set(SparseStructAnnotations.ParseUncertaintyAnnotation.class, a.uncertainty());
        sentence.set(SparseStructAnnotations.DependencyTreesAnnotation.class, trees);
        sentence.set(SparseStructAnnotations.ArcMarginalsAnnotation.class, arcs(tokens, a.arcs()));
    }

    private static long key(int head, int dependent) {
        return ((long) head << 32) | dependent;
    }

    private static IndexedWord[] words(List<CoreLabel> tokens) {
        IndexedWord[] w = new IndexedWord[tokens.size() + 1];
        for (int i = 0; i < tokens.size(); i++) {
            w[i + 1] = new IndexedWord(tokens.get(i));
        }
        return w;
    }

    private static SemanticGraph tree(List<CoreLabel> tokens, int[] heads, String[] rels, Map<Long, Double> marginal) {
        IndexedWord[] w = words(tokens);
        SemanticGraph g = new SemanticGraph();
        for (int m = 1; m < w.length; m++) {
            g.addVertex(w[m]);
        }
        for (int m = 1; m < w.length; m++) {
            int h = heads[m - 1];
            if (h == 0) {
                g.addRoot(w[m]);
            } else {
                g.addEdge(w[h], w[m], relation(rels[m - 1]), marginal.getOrDefault(key(h, m), 0.0), false);
            }
        }
        return g;
    }

    private static SemanticGraph arcs(List<CoreLabel> tokens, List<ParseAnalysis.Arc> arcs) {
        IndexedWord[] w = words(tokens);
        SemanticGraph g = new SemanticGraph();
        for (int m = 1; m < w.length; m++) {
            g.addVertex(w[m]);
        }
        for (ParseAnalysis.Arc arc : arcs) {
            if (arc.head() == 0) {
                g.addRoot(w[arc.dependent()]);
            } else {
                g.addEdge(w[arc.head()], w[arc.dependent()], relation(arc.deprel()), arc.weight(), false);
            }
        }
        return g;
    }

    @Override
    @SuppressWarnings("rawtypes") // CoreNLP's Annotator interface uses the raw CoreAnnotation type
    public Set<Class<? extends CoreAnnotation>> requires() {
        return Set.of(CoreAnnotations.TextAnnotation.class, CoreAnnotations.TokensAnnotation.class,
                CoreAnnotations.SentencesAnnotation.class, CoreAnnotations.IndexAnnotation.class);
    }

    @Override
    @SuppressWarnings("rawtypes") // CoreNLP's Annotator interface uses the raw CoreAnnotation type
    public Set<Class<? extends CoreAnnotation>> requirementsSatisfied() {
        Set<Class<? extends CoreAnnotation>> s = new LinkedHashSet<>(List.of(
                SemanticGraphCoreAnnotations.BasicDependenciesAnnotation.class,
                SparseStructAnnotations.ParseAnalysisAnnotation.class, SparseStructAnnotations.ParseUncertaintyAnnotation.class,
                SparseStructAnnotations.DependencyTreesAnnotation.class,
                SparseStructAnnotations.ArcMarginalsAnnotation.class));
        if (pos) {
            s.add(CoreAnnotations.PartOfSpeechAnnotation.class);
        }
        return s;
    }
}
