package io.github.sparsestruct.corenlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.ling.IndexedWord;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.semgraph.SemanticGraph;
import edu.stanford.nlp.semgraph.SemanticGraphCoreAnnotations;
import edu.stanford.nlp.semgraph.SemanticGraphEdge;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.models.analysis.ParseAnalysis;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParserAnnotatorTest {
    static final String TEXT = "The dog saw a cat. A man found the ball. The cat liked a tree in the park.";
    private static Annotation doc;

    @BeforeAll
    static void annotate() {
        doc = new Annotation(TEXT);
        Fixtures.pipeline("tokenize,ssplit,ssparse").annotate(doc);
    }

    /** Checks that a graph is the tree given by heads / relations over the sentence's tokens. */
    static void assertTree(SemanticGraph g, List<CoreLabel> tokens, int[] heads, String[] rels) {
        assertThat(g.vertexSet()).hasSameSizeAs(tokens);
        for (int m = 1; m <= tokens.size(); m++) {
            IndexedWord w = g.getNodeByIndex(m);
            assertThat(w.backingLabel()).isSameAs(tokens.get(m - 1));
            if (heads[m - 1] == 0) {
                assertThat(g.getRoots()).contains(w);
                assertThat(g.incomingEdgeList(w)).isEmpty();
            } else {
                assertThat(g.getRoots()).doesNotContain(w);
                SemanticGraphEdge e = g.incomingEdgeList(w).get(0);
                assertThat(g.incomingEdgeList(w)).hasSize(1);
                assertThat(e.getGovernor().index()).isEqualTo(heads[m - 1]);
                assertThat(e.getRelation().toString()).isEqualTo(rels[m - 1]);
            }
        }
    }

    @Test
    void bestTreeIsCoreNlpsBasicDependencyGraphWithUdRelations() {
        for (CoreMap s : doc.get(CoreAnnotations.SentencesAnnotation.class)) {
            ParseAnalysis a = s.get(SparseStructAnnotations.ParseAnalysisAnnotation.class);
            List<CoreLabel> tokens = s.get(CoreAnnotations.TokensAnnotation.class);
            SemanticGraph g = s.get(SemanticGraphCoreAnnotations.BasicDependenciesAnnotation.class);
            assertTree(g, tokens, a.heads(), a.deprels());
            assertThat(g.getRoots()).hasSize(1);
            for (SemanticGraphEdge e : g.edgeIterable()) {
                double marginal = a.arcs().stream().filter(x -> x.head() == e.getGovernor().index()
                        && x.dependent() == e.getDependent().index()).mapToDouble(ParseAnalysis.Arc::weight)
                        .findFirst().orElse(0.0);
                assertThat(e.getWeight()).isEqualTo(marginal);
            }
        }
    }

    @Test
    void eachSentenceCarriesItsUncertainty() {
        for (CoreMap s : doc.get(CoreAnnotations.SentencesAnnotation.class)) {
            ParseAnalysis a = s.get(SparseStructAnnotations.ParseAnalysisAnnotation.class);
            io.github.sparsestruct.models.analysis.Uncertainty u =
                    s.get(SparseStructAnnotations.ParseUncertaintyAnnotation.class);
            assertThat(u).isSameAs(a.uncertainty());
            assertThat(u.bestWrong()).isBetween(0.0, 1.0);
            assertThat(u.support()).isGreaterThanOrEqualTo(a.trees().size());
            // expected wrong heads: one minus the marginal of each best-tree arc, summed
            double wrong = 0;
            for (int m = 1; m <= a.heads().length; m++) {
                int h = a.heads()[m - 1];
                int dep = m;
                wrong += 1 - a.arcs().stream().filter(x -> x.head() == h && x.dependent() == dep)
                        .mapToDouble(ParseAnalysis.Arc::weight).findFirst().orElse(0.0);
            }
            assertThat(u.expectedWrongParts()).isCloseTo(wrong, org.assertj.core.api.Assertions.within(0.01 * a.heads()
                    .length));
        }
    }

    @Test
    void predictedUposBecomesThePartOfSpeech() {
        for (CoreMap s : doc.get(CoreAnnotations.SentencesAnnotation.class)) {
            ParseAnalysis a = s.get(SparseStructAnnotations.ParseAnalysisAnnotation.class);
            assertThat(s.get(CoreAnnotations.TokensAnnotation.class).stream().map(CoreLabel::tag))
                    .containsExactly(a.upos());
        }
    }

    @Test
    void posCanBeTurnedOff() {
        Properties p = Fixtures.props("tokenize,ssplit,ssparse");
        p.setProperty("ssparse.pos", "false");
        Annotation a = new Annotation(TEXT);
        Fixtures.pipeline(p).annotate(a);
        assertThat(a.get(CoreAnnotations.TokensAnnotation.class)).allSatisfy(t -> assertThat(t.tag()).isNull());
        assertThat(new SparseStructParserAnnotator("ssparse", p).requirementsSatisfied())
                .doesNotContain(CoreAnnotations.PartOfSpeechAnnotation.class);
    }

    @Test
    void weightedTreesAndTheArcMarginalGraphCarryTheAlternatives() {
        int most = 0;
        for (CoreMap s : doc.get(CoreAnnotations.SentencesAnnotation.class)) {
            ParseAnalysis a = s.get(SparseStructAnnotations.ParseAnalysisAnnotation.class);
            List<CoreLabel> tokens = s.get(CoreAnnotations.TokensAnnotation.class);
            List<SparseStructAnnotations.WeightedTree> trees =
                    s.get(SparseStructAnnotations.DependencyTreesAnnotation.class);
            assertThat(trees).hasSameSizeAs(a.trees());
            assertThat(trees.stream().mapToDouble(SparseStructAnnotations.WeightedTree::weight).sum())
                    .isCloseTo(1.0, within(1e-9));
            for (int r = 0; r < trees.size(); r++) {
                assertThat(trees.get(r).rank()).isEqualTo(r + 1);
                assertTree(trees.get(r).graph(), tokens, a.trees().get(r).heads(), a.trees().get(r).deprels());
            }
            assertThat(trees.get(0).graph()).isEqualTo(
                    s.get(SemanticGraphCoreAnnotations.BasicDependenciesAnnotation.class));
            most = Math.max(most, trees.size());

            SemanticGraph arcs = s.get(SparseStructAnnotations.ArcMarginalsAnnotation.class);
            long nonRoot = a.arcs().stream().filter(x -> x.head() != 0).count();
            assertThat(arcs.edgeCount()).isEqualTo((int) nonRoot);
            for (ParseAnalysis.Arc x : a.arcs()) {
                IndexedWord dep = arcs.getNodeByIndex(x.dependent());
                if (x.head() == 0) {
                    assertThat(arcs.getRoots()).contains(dep);
                } else {
                    SemanticGraphEdge e = arcs.getEdge(arcs.getNodeByIndex(x.head()), dep);
                    assertThat(e.getWeight()).isEqualTo(x.weight());
                    assertThat(e.getRelation().toString()).isEqualTo(x.deprel() == null ? "dep" : x.deprel());
                }
            }
        }
        assertThat(most).as("an uncertain parser keeps several trees").isGreaterThan(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"map", "marginals", "sparsemap"})
    void everyParserDecodingRunsInThePipeline(String decode) {
        Properties p = Fixtures.props("tokenize,ssplit,ssparse");
        p.setProperty("ssparse.decode", decode);
        Annotation a = new Annotation(TEXT);
        Fixtures.pipeline(p).annotate(a);
        for (CoreMap s : a.get(CoreAnnotations.SentencesAnnotation.class)) {
            ParseAnalysis an = s.get(SparseStructAnnotations.ParseAnalysisAnnotation.class);
            assertThat(an.decode()).isEqualTo(decode);
            assertThat(s.get(SemanticGraphCoreAnnotations.BasicDependenciesAnnotation.class).getRoots()).hasSize(1);
        }
    }
}
