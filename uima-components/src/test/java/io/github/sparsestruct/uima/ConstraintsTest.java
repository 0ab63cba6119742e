package io.github.sparsestruct.uima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency;
import io.github.sparsestruct.type.ArcCandidate;
import io.github.sparsestruct.type.EntityAnalysis;
import io.github.sparsestruct.type.EntityCandidate;
import io.github.sparsestruct.type.EntityMention;
import io.github.sparsestruct.type.TreeAnalysis;
import java.util.List;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.analysis_engine.AnalysisEngineProcessException;
import org.apache.uima.fit.factory.AnalysisEngineFactory;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Manual annotations in the CAS constrain the decode ({@code constraintType}): with the bundled models, "University of
 * Virginia" in the README's sentence is LOC 0.58 / ORG 0.42, and a user's NamedEntity on it, ORG, makes every
 * alternative say ORG;
 * "telescope" hangs from "saw" or "man", and a user's Dependency man → telescope holds in every tree.
 */
class ConstraintsTest {
    private static final String[] SENTENCE = "Virginia said the University of Virginia will stay open ."
            .split(" ");
    private static final String SPAN = "University of Virginia";
    private static AnalysisEngine plain;
    private static AnalysisEngine constrained;

    @BeforeAll
    static void engines() throws Exception {
        plain = AnalysisEngineFactory.createEngine(SparseStructNamedEntityRecognizer.class);
        constrained = AnalysisEngineFactory.createEngine(SparseStructNamedEntityRecognizer.class,
                SparseStructNamedEntityRecognizer.PARAM_CONSTRAINT_TYPE, NamedEntity.class.getName());
    }

    private static JCas doc(String... entities) throws Exception {
        JCas jcas = Docs.jcas("c", new String[][] {SENTENCE});
        for (int i = 0; i < entities.length; i += 3) {
            NamedEntity ne = new NamedEntity(jcas, Integer.parseInt(entities[i]), Integer.parseInt(entities[i + 1]));
            ne.setValue(entities[i + 2]);
            ne.addToIndexes();
        }
        return jcas;
    }

    private static List<String> spanReadings(JCas jcas) {
        return JCasUtil.select(jcas, EntityCandidate.class).stream().filter(c -> c.getCoveredText().equals(SPAN))
                .map(c -> c.getValue()).toList();
    }

    @Test
    void anAcceptedEntityInTheCasHoldsInEveryAlternative() throws Exception {
        JCas free = doc();
        plain.process(free);
        assertThat(spanReadings(free)).contains("LOC", "ORG");

        JCas jcas = doc("18", "40", "ORG");
        constrained.process(jcas);
        assertThat(spanReadings(jcas)).containsExactly("ORG");
        EntityCandidate span = JCasUtil.select(jcas, EntityCandidate.class).stream()
                .filter(c -> c.getCoveredText().equals(SPAN)).findFirst().orElseThrow();
        assertThat(span.getScore()).isCloseTo(1.0, within(1e-6));
        for (EntityAnalysis a : JCasUtil.select(jcas, EntityAnalysis.class)) {
            assertThat(a.getEntities().toArray(new EntityMention[0])).anySatisfy(m -> {
                assertThat(m.getCoveredText()).isEqualTo(SPAN);
                assertThat(m.getValue()).isEqualTo("ORG");
            });
        }
        // the user's NamedEntity is not written a second time
        assertThat(JCasUtil.select(jcas, NamedEntity.class).stream().filter(n -> n.getCoveredText().equals(SPAN)))
                .hasSize(1);
    }

    @Test
    void annotationsOffTheTokensOrOfUnknownTypesAreSkippedAndConflictsFailTheDocument() throws Exception {
        JCas skipped = doc("18", "22", "ORG", "0", "8", "MISC");   // "Univ" is not a token span; MISC is not tagged
        constrained.process(skipped);
        assertThat(spanReadings(skipped)).contains("LOC", "ORG");

        JCas conflict = doc("0", "13", "ORG", "9", "17", "PER");  // "Virginia said" ORG overlaps "said the" PER
        assertThatThrownBy(() -> constrained.process(conflict)).isInstanceOf(AnalysisEngineProcessException.class)
                .hasStackTraceContaining("allow no tag sequence");
        assertThatThrownBy(() -> AnalysisEngineFactory.createEngine(SparseStructNamedEntityRecognizer.class,
                SparseStructNamedEntityRecognizer.PARAM_CONSTRAINT_TYPE, "no.such.Type").process(doc()))
                .hasStackTraceContaining("no.such.Type");
    }

    @Test
    void aDependencyInTheCasFixesItsHeadInEveryTree() throws Exception {
        String[] words = "I saw the man with the telescope .".split(" ");
        AnalysisEngine free = AnalysisEngineFactory.createEngine(SparseStructParser.class);
        AnalysisEngine fixed = AnalysisEngineFactory.createEngine(SparseStructParser.class,
                SparseStructParser.PARAM_CONSTRAINT_TYPE, Dependency.class.getName());
        JCas plainDoc = Docs.jcas("t", new String[][] {words});
        free.process(plainDoc);
        // the bundled parser keeps telescope under saw and under man (README: 0.534 / 0.466)
        assertThat(JCasUtil.select(plainDoc, TreeAnalysis.class)).hasSizeGreaterThanOrEqualTo(2);

        JCas jcas = Docs.jcas("t", new String[][] {words});
        List<Token> toks = List.copyOf(JCasUtil.select(jcas, Token.class));
        Dependency d = new Dependency(jcas, toks.get(6).getBegin(), toks.get(6).getEnd());
        d.setGovernor(toks.get(3));
        d.setDependent(toks.get(6));
        d.setDependencyType("nmod");
        d.addToIndexes();
        fixed.process(jcas);
        List<TreeAnalysis> trees = List.copyOf(JCasUtil.select(jcas, TreeAnalysis.class));
        assertThat(trees).isNotEmpty();
        for (TreeAnalysis t : trees) {
            assertThat((Object) t.getHeads().get(6)).isSameAs(toks.get(3));
        }
        assertThat(JCasUtil.select(jcas, ArcCandidate.class)).filteredOn(c -> c.getDependent() == toks.get(6))
                .singleElement().satisfies(c -> assertThat(c.getScore()).isCloseTo(1.0, within(1e-6)));
        assertThat(JCasUtil.select(jcas, Dependency.class)).filteredOn(x -> x.getDependent() == toks.get(6))
                .hasSize(1);

        JCas cycle = Docs.jcas("t", new String[][] {words});
        List<Token> ct = List.copyOf(JCasUtil.select(cycle, Token.class));
        for (int[] arc : new int[][] {{1, 3}, {3, 1}}) {
            Dependency x = new Dependency(cycle, ct.get(arc[1]).getBegin(), ct.get(arc[1]).getEnd());
            x.setGovernor(ct.get(arc[0]));
            x.setDependent(ct.get(arc[1]));
            x.addToIndexes();
        }
        assertThatThrownBy(() -> fixed.process(cycle)).isInstanceOf(AnalysisEngineProcessException.class)
                .hasStackTraceContaining("allow no tree");
    }
}
