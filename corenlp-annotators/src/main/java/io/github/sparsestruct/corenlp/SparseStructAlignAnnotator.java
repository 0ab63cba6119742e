package io.github.sparsestruct.corenlp;

import edu.stanford.nlp.ling.CoreAnnotation;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.Annotator;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.models.align.AlignDecoder;
import io.github.sparsestruct.models.align.TokenPair;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.analysis.AlignAnalysis;
import io.github.sparsestruct.models.analysis.AlignAnalyzer;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * A CoreNLP annotator that aligns the words of pairs of sentences of a document with a SparseStruct word aligner
 * (e.g. a sentence and its paraphrase or simplification). The weighted alignments go into the document's
 * {@link SparseStructAnnotations.WordAlignmentsAnnotation}, and {@link SparseStructJsonOutputter} writes them as the
 * {@code "alignments"} array of the alternatives JSON (the schema of the UIMA writer). Runs after
 * {@code tokenize,ssplit}; register it with
 * {@code customAnnotatorClass.NAME = io.github.sparsestruct.corenlp.SparseStructAlignAnnotator}.
 *
 * <p>Properties (under {@code NAME.}):
 * <ul>
 *   <li>{@code model}: a model file (path or {@code file:} URI); default: the bundled aligner of {@code language}
 *   (default {@code en}) and {@code variant} (default {@code fast});</li>
 *   <li>{@code decode}: {@code map}, {@code sparsemap} (default) or {@code marginals};</li>
 *   <li>{@code decoder}: {@code matching} (default; one-to-one links) or {@code sequential} (each source word links
 *       to at most one target word);</li>
 *   <li>{@code maxAlternatives} (default 5), {@code minWeight} (default 0.01), {@code maxSentenceLength} (default
 *       250): see {@link AnalysisOptions};</li>
 *   <li>{@code pairs}: {@code adjacent} (default: sentence i with sentence i+1, for i = 0, 2, 4, ...) or an explicit
 *       list of 0-based sentence index pairs {@code source-target}, comma separated, e.g. {@code 0-1,2-3}. A pair
 *       naming a sentence the document does not have is an error naming it.</li>
 * </ul>
 */
public class SparseStructAlignAnnotator implements Annotator {
    /** {@code decoder} property. */
    public static final String DECODER = "decoder";
    /** {@code pairs} property. */
    public static final String PAIRS = "pairs";
    /** The default of {@code pairs}. */
    public static final String ADJACENT = "adjacent";
    /** Decodings this annotator accepts. */
    public static final List<String> DECODES = Decoding.Task.ALIGN.names();
    /** Decoders this annotator accepts. */
    public static final List<String> DECODERS = AlignDecoder.predictionNames();
    private static final Set<String> KEYS = Set.of(AnnotatorConfig.MODEL, AnnotatorConfig.LANGUAGE,
            AnnotatorConfig.VARIANT, AnnotatorConfig.DECODE, AnnotatorConfig.MAX_ALTERNATIVES,
            AnnotatorConfig.MIN_WEIGHT, AnnotatorConfig.MAX_SENTENCE_LENGTH,
            DECODER, PAIRS);

    private final String name;
    private final AlignAnalyzer analyzer;
    private final List<int[]> pairs;

    /**
     * The CoreNLP constructor.
     *
     * @param name  the annotator's name (its properties are {@code name.*})
     * @param props the pipeline's properties
     * @throws InvalidPropertyException when a property value is not allowed (the message lists the allowed ones) or
     *                                  the model cannot be loaded (the message names the file and the problem)
     */
    public SparseStructAlignAnnotator(String name, Properties props) {
        AnnotatorConfig config = new AnnotatorConfig(name, props, KEYS);
        this.name = name;
        AnalysisOptions options = config.options(DECODES);
        String d = config.get(DECODER);
        d = d == null || d.isEmpty() ? "matching" : d.toLowerCase(Locale.ROOT);
        if (!DECODERS.contains(d)) {
            throw new InvalidPropertyException(name + "." + DECODER, name + "." + DECODER + " = '" + config.get(DECODER)
                    + "' is not allowed; allowed: " + String.join(", ", DECODERS));
        }
        this.pairs = parsePairs(name, config.get(PAIRS));
        this.analyzer = new AlignAnalyzer(Models.align(config), options,
                AlignDecoder.valueOf(d.toUpperCase(Locale.ROOT)));
    }

    /** The explicit pairs, or null for {@code adjacent}. */
    static List<int[]> parsePairs(String name, String value) {
        if (value == null || value.isEmpty() || value.equalsIgnoreCase(ADJACENT)) {
            return null;
        }
        List<int[]> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String p = part.trim();
            String[] st = p.split("-");
            try {
                if (st.length == 2) {
                    int s = Integer.parseInt(st[0].trim());
                    int t = Integer.parseInt(st[1].trim());
                    if (s >= 0 && t >= 0) {
                        out.add(new int[] {s, t});
                        continue;
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidPropertyException(name + "." + PAIRS, name + "." + PAIRS + " = '" + value + "': '" + p
                    + "' is not a pair; allowed: " + ADJACENT + ", or a comma-separated list of 0-based sentence index "
                    + "pairs SOURCE-TARGET such as 0-1,2-3");
        }
        return List.copyOf(out);
    }

    /** The analyzer (model and options) this annotator uses. */
    public AlignAnalyzer analyzer() {
        return analyzer;
    }

    @Override
    public void annotate(Annotation annotation) {
        List<CoreMap> sentences = Models.sentences(name, annotation);
        List<int[]> todo = pairs;
        if (todo == null) {
            todo = new ArrayList<>();
            for (int i = 0; i + 1 < sentences.size(); i += 2) {
                todo.add(new int[] {i, i + 1});
            }
        }
        List<TokenPair> input = new ArrayList<>(todo.size());
        for (int[] p : todo) {
            for (int k : p) {
                if (k >= sentences.size()) {
                    throw new InvalidPropertyException(name + "." + PAIRS, "annotator '" + name + "': " + name
                            + "." + PAIRS + " names sentence " + k + " but the document has " + sentences.size()
                            + " sentences (0-based)");
                }
            }
            input.add(new TokenPair(Models.forms(sentences.get(p[0])), Models.forms(sentences.get(p[1]))));
        }
        List<AlignAnalysis> results = analyzer.analyze(input);
        List<AlternativesJson.SentenceAlignment> out = new ArrayList<>(results.size());
        for (int k = 0; k < results.size(); k++) {
            out.add(new AlternativesJson.SentenceAlignment(todo.get(k)[0], null, todo.get(k)[1], 1.0, results.get(k)));
        }
        annotation.set(SparseStructAnnotations.WordAlignmentsAnnotation.class, List.copyOf(out));
    }

    @Override
    @SuppressWarnings("rawtypes") // CoreNLP's Annotator interface uses the raw CoreAnnotation type
    public Set<Class<? extends CoreAnnotation>> requires() {
        return Set.of(CoreAnnotations.TextAnnotation.class, CoreAnnotations.TokensAnnotation.class,
                CoreAnnotations.SentencesAnnotation.class);
    }

    @Override
    @SuppressWarnings("rawtypes") // CoreNLP's Annotator interface uses the raw CoreAnnotation type
    public Set<Class<? extends CoreAnnotation>> requirementsSatisfied() {
        return Set.of(SparseStructAnnotations.WordAlignmentsAnnotation.class);
    }
}
