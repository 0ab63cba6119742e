package io.github.sparsestruct.corenlp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.CoreDocument;
import edu.stanford.nlp.pipeline.CoreSentence;
import edu.stanford.nlp.semgraph.SemanticGraph;
import edu.stanford.nlp.semgraph.SemanticGraphCoreAnnotations;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import io.github.sparsestruct.models.analysis.ParseAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reaching SparseStruct's alternatives from CoreNLP's {@link CoreDocument} / {@link CoreSentence} API, and turning an
 * annotated document into the shared alternatives JSON ({@link AlternativesJson}, {@code docs/alternatives-json.md}).
 * Methods return an empty list (or null for single values) when the annotator did not run.
 *
 * <pre>{@code
 * CoreDocument doc = new CoreDocument("Alice visited Paris.");
 * pipeline.annotate(doc);
 * for (CoreSentence s : doc.sentences()) {
 *     for (NerAnalysis.Analysis a : SparseStructCore.nerAnalyses(s)) { ... a.weight(), a.tags(), a.entities() }
 *     for (SparseStructAnnotations.WeightedTree t : SparseStructCore.dependencyTrees(s)) { ... t.weight(), t.graph() }
 * }
 * String json = SparseStructCore.alternatives(doc).toString();
 * }</pre>
 */
public final class SparseStructCore {
    private SparseStructCore() {
    }

    /** The whole NER analysis of a sentence, or null. */
    public static NerAnalysis nerAnalysis(CoreSentence sentence) {
        return sentence.coreMap().get(SparseStructAnnotations.NerAnalysisAnnotation.class);
    }

    /** The kept weighted NER analyses of a sentence, rank 1 first (weights sum to 1). */
    public static List<NerAnalysis.Analysis> nerAnalyses(CoreSentence sentence) {
        return orEmpty(sentence.coreMap().get(SparseStructAnnotations.NerAnalysesAnnotation.class));
    }

    /** Candidate entities of a sentence (chunks with {@link SparseStructAnnotations.EntityWeightAnnotation}). */
    public static List<CoreMap> candidateEntities(CoreSentence sentence) {
        return orEmpty(sentence.coreMap().get(SparseStructAnnotations.CandidateEntitiesAnnotation.class));
    }

    /** The marginal weight of a candidate entity or entity mention, or null when it has none. */
    public static Double entityWeight(CoreMap entity) {
        return entity.get(SparseStructAnnotations.EntityWeightAnnotation.class);
    }

    /** The IOB2 tag distribution of a token, or null. */
    public static Map<String, Double> tagDistribution(CoreLabel token) {
        return token.get(SparseStructAnnotations.TagDistributionAnnotation.class);
    }

    /** The whole dependency analysis of a sentence, or null. */
    public static ParseAnalysis parseAnalysis(CoreSentence sentence) {
        return sentence.coreMap().get(SparseStructAnnotations.ParseAnalysisAnnotation.class);
    }

    /** The kept weighted trees of a sentence, rank 1 first (weights sum to 1). */
    public static List<SparseStructAnnotations.WeightedTree> dependencyTrees(CoreSentence sentence) {
        return orEmpty(sentence.coreMap().get(SparseStructAnnotations.DependencyTreesAnnotation.class));
    }

    /** All candidate arcs of a sentence, edge weights = marginals, or null. */
    public static SemanticGraph arcMarginals(CoreSentence sentence) {
        return sentence.coreMap().get(SparseStructAnnotations.ArcMarginalsAnnotation.class);
    }

    /**
     * The best tree ({@code BasicDependenciesAnnotation}), or null. Note that {@link CoreSentence#dependencyParse()}
     * reads the enhanced++ graph, which these annotators do not fill.
     */
    public static SemanticGraph basicDependencies(CoreSentence sentence) {
        return sentence.coreMap().get(SemanticGraphCoreAnnotations.BasicDependenciesAnnotation.class);
    }

    /** The word alignments {@link SparseStructAlignAnnotator} wrote into a document, or null. */
    public static List<AlternativesJson.SentenceAlignment> wordAlignments(CoreMap document) {
        return document.get(SparseStructAnnotations.WordAlignmentsAnnotation.class);
    }

    /** The alternatives JSON of a document (the {@code sparsestruct-alternatives} schema). */
    public static ObjectNode alternatives(CoreDocument document) {
        return alternatives(document.annotation());
    }

    /** The alternatives JSON of an annotated document; its id is the {@code DocIDAnnotation} (null if unset). */
    public static ObjectNode alternatives(CoreMap document) {
        return AlternativesJson.document(document.get(CoreAnnotations.DocIDAnnotation.class), sentences(document),
                wordAlignments(document));
    }

    /**
     * The sentences of an annotated document as {@link AlternativesJson.Sentence}s: character offsets, tokens (the
     * document text they cover and UTF-16 offsets), and the analyses of whichever of the two annotators ran (null
     * otherwise). {@code AlternativesJson.document(id, sentences(doc))} gives the same bytes as the UIMA writer for the
     * same tokens and analyses.
     */
    public static List<AlternativesJson.Sentence> sentences(CoreMap document) {
        List<CoreMap> sentences = document.get(CoreAnnotations.SentencesAnnotation.class);
        if (sentences == null) {
            return List.of();
        }
        String text = document.get(CoreAnnotations.TextAnnotation.class);
        List<AlternativesJson.Sentence> out = new ArrayList<>(sentences.size());
        for (CoreMap s : sentences) {
            List<CoreLabel> tokens = orEmpty(s.get(CoreAnnotations.TokensAnnotation.class));
            List<AlternativesJson.Token> ts = new ArrayList<>(tokens.size());
            for (CoreLabel t : tokens) {
                int b = t.beginPosition();
                int e = t.endPosition();
                String covered = text != null && b >= 0 && b <= e && e <= text.length() ? text.substring(b, e)
                        : t.originalText() != null ? t.originalText() : t.word();
                ts.add(new AlternativesJson.Token(covered, b, e));
            }
            Integer begin = s.get(CoreAnnotations.CharacterOffsetBeginAnnotation.class);
            Integer end = s.get(CoreAnnotations.CharacterOffsetEndAnnotation.class);
            out.add(new AlternativesJson.Sentence(
                    begin != null ? begin : ts.isEmpty() ? 0 : ts.get(0).begin(),
                    end != null ? end : ts.isEmpty() ? 0 : ts.get(ts.size() - 1).end(), List.copyOf(ts),
                    s.get(SparseStructAnnotations.NerAnalysisAnnotation.class),
                    s.get(SparseStructAnnotations.ParseAnalysisAnnotation.class)));
        }
        return out;
    }

    private static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }
}
