package io.github.sparsestruct.corenlp;

import edu.stanford.nlp.ling.CoreAnnotation;
import edu.stanford.nlp.semgraph.SemanticGraph;
import edu.stanford.nlp.util.CoreMap;
import edu.stanford.nlp.util.ErasureUtils;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import io.github.sparsestruct.models.analysis.ParseAnalysis;
import io.github.sparsestruct.models.analysis.Uncertainty;
import java.util.List;
import java.util.Map;

/**
 * CoreNLP annotation keys holding SparseStruct's alternatives with their weights, next to CoreNLP's own keys (which
 * hold the best structure). Set by {@link SparseStructNerAnnotator} and {@link SparseStructParserAnnotator}; read them
 * with {@code sentence.get(SparseStructAnnotations.NerAnalysesAnnotation.class)} or, from a {@code CoreDocument},
 * through {@link SparseStructCore}.
 *
 * <p>On a sentence: {@link NerAnalysisAnnotation}, {@link NerAnalysesAnnotation}, {@link CandidateEntitiesAnnotation},
 * {@link ParseAnalysisAnnotation}, {@link DependencyTreesAnnotation}, {@link ArcMarginalsAnnotation},
 * {@link NerUncertaintyAnnotation}, {@link ParseUncertaintyAnnotation}. On a token:
 * {@link TagDistributionAnnotation}. On a candidate entity or entity mention: {@link EntityWeightAnnotation}.
 */
public final class SparseStructAnnotations {
    private SparseStructAnnotations() {
    }

    /** A weighted dependency tree: rank 1 is the heaviest (also in {@code BasicDependenciesAnnotation}). */
    public record WeightedTree(int rank, double weight, SemanticGraph graph) {
    }

    /**
     * Sentence: the whole NER analysis (best tags, kept analyses, candidates, tag distribution, decoding, chunked
     * flag), exactly as the {@code models} analyzer returned it; the source of the alternatives JSON.
     */
    public static final class NerAnalysisAnnotation implements CoreAnnotation<NerAnalysis> {
        @Override
        public Class<NerAnalysis> getType() {
            return NerAnalysis.class;
        }
    }

    /** Sentence: the kept weighted NER analyses (tag sequences with their entities), rank 1 first, weights sum to 1. */
    public static final class NerAnalysesAnnotation implements CoreAnnotation<List<NerAnalysis.Analysis>> {
        @Override
        public Class<List<NerAnalysis.Analysis>> getType() {
            return ErasureUtils.uncheckedCast(List.class);
        }
    }

    /**
     * Sentence: candidate entities, heaviest first, as chunks like CoreNLP's entity mentions (tokens, character
     * offsets, text, {@code NamedEntityTagAnnotation} / {@code EntityTypeAnnotation} = the type, token offsets in the
     * document) with their marginal weight in {@link EntityWeightAnnotation}.
     */
    public static final class CandidateEntitiesAnnotation implements CoreAnnotation<List<CoreMap>> {
        @Override
        public Class<List<CoreMap>> getType() {
            return ErasureUtils.uncheckedCast(List.class);
        }
    }

    /**
     * Candidate entity or entity mention: the marginal weight of exactly this typed span under the decoded
     * distribution (0 when it is not a candidate).
     */
    public static final class EntityWeightAnnotation implements CoreAnnotation<Double> {
        @Override
        public Class<Double> getType() {
            return Double.class;
        }
    }

    /**
     * Token: the distribution over the model's IOB2 tags ({@code O}, {@code B-PER}, {@code I-PER}, ...), in the
     * model's label order. CoreNLP's {@code NamedEntityTagProbsAnnotation} holds the same summed per entity type.
     */
    public static final class TagDistributionAnnotation implements CoreAnnotation<Map<String, Double>> {
        @Override
        public Class<Map<String, Double>> getType() {
            return ErasureUtils.uncheckedCast(Map.class);
        }
    }

    /** Sentence: the whole dependency analysis as the {@code models} analyzer returned it. */
    public static final class ParseAnalysisAnnotation implements CoreAnnotation<ParseAnalysis> {
        @Override
        public Class<ParseAnalysis> getType() {
            return ParseAnalysis.class;
        }
    }

    /**
     * Sentence: how unsure the NER is of its best analysis (1 − its probability, expected wrong entities, support
     * size; docs/alternatives-json.md, "Uncertainty").
     */
    public static final class NerUncertaintyAnnotation implements CoreAnnotation<Uncertainty> {
        @Override
        public Class<Uncertainty> getType() {
            return Uncertainty.class;
        }
    }

    /** Sentence: how unsure the parser is of its best tree (1 − its probability, expected wrong heads, support). */
    public static final class ParseUncertaintyAnnotation implements CoreAnnotation<Uncertainty> {
        @Override
        public Class<Uncertainty> getType() {
            return Uncertainty.class;
        }
    }

    /** Sentence: the kept weighted trees as {@code SemanticGraph}s, rank 1 first, weights summing to 1. */
    public static final class DependencyTreesAnnotation implements CoreAnnotation<List<WeightedTree>> {
        @Override
        public Class<List<WeightedTree>> getType() {
            return ErasureUtils.uncheckedCast(List.class);
        }
    }

    /**
     * Sentence: every candidate arc in one {@code SemanticGraph} (not a tree): each edge's weight
     * ({@code SemanticGraphEdge.getWeight()}) is the arc's marginal weight, its relation the arc's relation
     * ({@code dep} when no kept tree holds it); the roots are the words with a candidate root arc, whose weights are
     * in {@link ParseAnalysisAnnotation}'s arcs with head 0.
     */
    public static final class ArcMarginalsAnnotation implements CoreAnnotation<SemanticGraph> {
        @Override
        public Class<SemanticGraph> getType() {
            return SemanticGraph.class;
        }
    }

    /**
     * Document: the weighted word alignments of the sentence pairs {@link SparseStructAlignAnnotator} aligned, in the
     * order of its {@code pairs}: per pair the source and target sentence indices (0-based, {@code targetDocument}
     * null), the sentence-pair weight (1) and the {@link io.github.sparsestruct.models.analysis.AlignAnalysis} (kept
     * weighted alignments summing to 1, link marginal weights, the best links).
     */
    public static final class WordAlignmentsAnnotation
            implements CoreAnnotation<List<AlternativesJson.SentenceAlignment>> {
        @Override
        public Class<List<AlternativesJson.SentenceAlignment>> getType() {
            return ErasureUtils.uncheckedCast(List.class);
        }
    }
}
