package io.github.sparsestruct.uima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertSame;

import de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS;
import de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency;
import de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.ROOT;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import io.github.sparsestruct.models.analysis.NerAnalyzer;
import io.github.sparsestruct.models.analysis.ParseAnalysis;
import io.github.sparsestruct.models.analysis.ParseAnalyzer;
import io.github.sparsestruct.type.AnalysisMetadata;
import io.github.sparsestruct.type.ArcCandidate;
import io.github.sparsestruct.type.EntityAnalysis;
import io.github.sparsestruct.type.EntityCandidate;
import io.github.sparsestruct.type.TagDistribution;
import io.github.sparsestruct.type.TreeAnalysis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.fit.factory.AnalysisEngineFactory;
import org.apache.uima.fit.factory.UimaContextFactory;
import org.apache.uima.fit.pipeline.SimplePipeline;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnginesTest {

    static AnalysisEngine ner(Object... more) throws Exception {
        List<Object> p = new ArrayList<>(Arrays.asList(more));
        if (!p.contains(SparseStructAnnotatorBase.PARAM_MODEL_LOCATION)) {
            p.addAll(List.of(SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, TestModels.ner()));
        }
        return AnalysisEngineFactory.createEngine(SparseStructNamedEntityRecognizer.class, p.toArray());
    }

    static AnalysisEngine parser(Object... more) throws Exception {
        List<Object> p = new ArrayList<>(List.of(SparseStructAnnotatorBase.PARAM_MODEL_LOCATION,
                TestModels.parser()));
        p.addAll(Arrays.asList(more));
        return AnalysisEngineFactory.createEngine(SparseStructParser.class, p.toArray());
    }

    private static List<String[]> forms(JCas jcas) {
        List<String[]> out = new ArrayList<>();
        Map<Sentence, List<Token>> idx = JCasUtil.indexCovered(jcas, Sentence.class, Token.class);
        for (Sentence s : JCasUtil.select(jcas, Sentence.class)) {
            out.add(idx.get(s).stream().map(Token::getCoveredText).toArray(String[]::new));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"map,false", "marginals,false", "sparsemap,false", "dp_l2,false", "map,true", "sparsemap,true",
        "dp_l2,true"})
    void nerWritesBestAsNamedEntityAndAlternativesWithWeightsSummingToOne(String decode, boolean trained)
            throws Exception {
        String model = trained ? TestModels.nerTrained() : TestModels.ner();
        JCas jcas = Docs.jcas("d1", Docs.SENTENCES);
        SimplePipeline.runPipeline(jcas, ner(SparseStructAnnotatorBase.PARAM_DECODING, decode,
                SparseStructAnnotatorBase.PARAM_MIN_WEIGHT, 0.001, SparseStructAnnotatorBase.PARAM_MODEL_LOCATION,
                model));
        List<NerAnalysis> expected = new NerAnalyzer(ModelRegistry.ner(model),
                AnalysisOptions.defaults().withDecode(decode).withLimits(5, 0.001, 250)).analyze(forms(jcas));

        List<NamedEntity> bestEntities = new ArrayList<>(JCasUtil.select(jcas, NamedEntity.class));
        List<String> fromAnalyzer = new ArrayList<>();
        List<Sentence> sentences = new ArrayList<>(JCasUtil.select(jcas, Sentence.class));
        for (int i = 0; i < sentences.size(); i++) {
            List<Token> toks = JCasUtil.selectCovered(Token.class, sentences.get(i));
            for (NerAnalysis.Entity e : expected.get(i).analyses().get(0).entities()) {
                fromAnalyzer.add(toks.get(e.start()).getBegin() + "-" + toks.get(e.end() - 1).getEnd() + ":"
                        + e.type());
            }
            List<EntityAnalysis> alts = JCasUtil.selectCovered(EntityAnalysis.class, sentences.get(i));
            assertThat(alts).hasSize(expected.get(i).analyses().size());
            assertThat(alts.stream().mapToDouble(EntityAnalysis::getWeight).sum()).isCloseTo(1.0, within(1e-9));
            assertThat(alts.stream().map(EntityAnalysis::getRank).sorted().toList())
                    .isEqualTo(java.util.stream.IntStream.rangeClosed(1, alts.size()).boxed().toList());
            for (EntityAnalysis a : alts) {
                assertThat(a.getSentence()).isSameAs(sentences.get(i));
                assertThat(a.getDecoding()).isEqualTo(decode);
                assertThat(a.getTags().size()).isEqualTo(toks.size());
            }
            for (Token t : toks) {
                List<TagDistribution> d = JCasUtil.selectCovered(TagDistribution.class, t);
                assertThat(d).hasSize(1);
                assertThat(Arrays.stream(d.get(0).getProbabilities().toArray()).sum()).isCloseTo(1.0, within(1e-6));
                assertThat(d.get(0).getTagset()).isEqualTo("ner-bio");
            }
        }
        assertThat(bestEntities.stream().map(n -> n.getBegin() + "-" + n.getEnd() + ":" + n.getValue()).toList())
                .containsExactlyInAnyOrderElementsOf(fromAnalyzer);
        if (trained) {
            assertThat(bestEntities).isNotEmpty();
        }
        for (EntityCandidate c : JCasUtil.select(jcas, EntityCandidate.class)) {
            assertThat(c.getScore()).isBetween(0.001, 1.0 + 1e-9);
            boolean inBest = bestEntities.stream().anyMatch(n -> n.getBegin() == c.getBegin()
                    && n.getEnd() == c.getEnd() && n.getValue().equals(c.getValue()));
            assertThat(c.getInBest()).isEqualTo(inBest);
        }
        AnalysisMetadata meta = JCasUtil.selectSingle(jcas, AnalysisMetadata.class);
        assertThat(meta.getDecoding()).isEqualTo(decode);
        assertThat(meta.getAnalysisType()).isEqualTo(EntityAnalysis.class.getName());
        assertThat(meta.getModel()).endsWith(trained ? "ner-trained.zip" : "ner.zip");

        // the CAS gives exactly the JSON of the analyzer's own output
        List<AlternativesJson.Sentence> direct = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            List<AlternativesJson.Token> toks = JCasUtil.selectCovered(Token.class, sentences.get(i)).stream()
                    .map(t -> new AlternativesJson.Token(t.getCoveredText(), t.getBegin(), t.getEnd())).toList();
            direct.add(new AlternativesJson.Sentence(sentences.get(i).getBegin(), sentences.get(i).getEnd(), toks,
                    expected.get(i), null));
        }
        assertThat(AlternativesJsonWriter.toJson(jcas)).isEqualTo(AlternativesJson.toJson("d1", direct));
    }

    @Test
    void sparsemapKeepsSeveralAlternativesOnTheTinyModel() throws Exception {
        JCas jcas = Docs.jcas("d1", Docs.SENTENCES);
        SimplePipeline.runPipeline(jcas, ner(), parser());
        assertThat(JCasUtil.select(jcas, EntityAnalysis.class).size()
                + JCasUtil.select(jcas, TreeAnalysis.class).size())
                .isGreaterThan(2 * Docs.SENTENCES.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"map", "marginals", "sparsemap"})
    void parserWritesBasicDependenciesPosAndWeightedTrees(String decode) throws Exception {
        JCas jcas = Docs.jcas("d2", Docs.SENTENCES);
        SimplePipeline.runPipeline(jcas, parser(SparseStructAnnotatorBase.PARAM_DECODING, decode));
        List<ParseAnalysis> expected = new ParseAnalyzer(ModelRegistry.parser(TestModels.parser()),
                AnalysisOptions.defaults().withDecode(decode)).analyze(forms(jcas));
        List<Sentence> sentences = new ArrayList<>(JCasUtil.select(jcas, Sentence.class));
        for (int i = 0; i < sentences.size(); i++) {
            List<Token> toks = JCasUtil.selectCovered(Token.class, sentences.get(i));
            ParseAnalysis pa = expected.get(i);
            List<Dependency> deps = JCasUtil.selectCovered(Dependency.class, sentences.get(i));
            assertThat(deps).hasSize(toks.size());
            for (Dependency d : deps) {
                int m = toks.indexOf(d.getDependent());
                assertThat(d.getFlavor()).isEqualTo("basic");
                assertThat(d.getDependencyType()).isEqualTo(pa.deprels()[m]);
                if (pa.heads()[m] == 0) {
                    assertThat(d).isInstanceOf(ROOT.class);
                    assertThat(d.getGovernor()).isSameAs(d.getDependent());
                } else {
                    assertThat(d).isNotInstanceOf(ROOT.class);
                    assertThat(d.getGovernor()).isSameAs(toks.get(pa.heads()[m] - 1));
                }
            }
            for (int t = 0; t < toks.size(); t++) {
                POS pos = toks.get(t).getPos();
                assertThat(pos.getCoarseValue()).isEqualTo(pa.upos()[t]);
                assertThat(pos.getPosValue()).isEqualTo(pa.upos()[t]);
            }
            List<TreeAnalysis> trees = JCasUtil.selectCovered(TreeAnalysis.class, sentences.get(i));
            assertThat(trees).hasSize(pa.trees().size());
            assertThat(trees.stream().mapToDouble(TreeAnalysis::getWeight).sum()).isCloseTo(1.0, within(1e-9));
            TreeAnalysis best = trees.stream().filter(t -> t.getRank() == 1).findFirst().orElseThrow();
            for (int m = 0; m < toks.size(); m++) {
                Token h = (Token) best.getHeads().get(m);
                assertThat(h == null ? 0 : toks.indexOf(h) + 1).isEqualTo(pa.heads()[m]);
            }
            List<ArcCandidate> arcs = JCasUtil.selectCovered(ArcCandidate.class, sentences.get(i));
            assertThat(arcs).hasSize(pa.arcs().size());
            for (Token dep : toks) {
                double inBestScore = arcs.stream().filter(a -> a.getDependent() == dep && a.getInBest())
                        .count();
                assertThat(inBestScore).isLessThanOrEqualTo(1);
            }
        }
        // DKPro's POS_* subtype for the UPOS tag (POS_CONJ for CCONJ)
        assertThat(JCasUtil.select(jcas, POS.class)).isNotEmpty().allMatch(p -> p.getType().getShortName()
                .equals("POS_" + (p.getCoarseValue().equals("CCONJ") ? "CONJ" : p.getCoarseValue())));
    }

    @Test
    void writePosFalseLeavesPosAlone() throws Exception {
        JCas jcas = Docs.jcas("d3", Docs.SENTENCES);
        SimplePipeline.runPipeline(jcas, parser(SparseStructParser.PARAM_WRITE_POS, false));
        assertThat(JCasUtil.select(jcas, POS.class)).isEmpty();
        assertThat(JCasUtil.select(jcas, Dependency.class)).isNotEmpty();
        assertThat(JCasUtil.select(jcas, TreeAnalysis.class)).allMatch(t -> t.getUpos() != null);
    }

    @Test
    void instancesNamingTheSameModelShareOneModelObject() throws Exception {
        SparseStructNamedEntityRecognizer a = new SparseStructNamedEntityRecognizer();
        SparseStructNamedEntityRecognizer b = new SparseStructNamedEntityRecognizer();
        a.initialize(UimaContextFactory.createUimaContext(SparseStructAnnotatorBase.PARAM_MODEL_LOCATION,
                TestModels.ner()));
        b.initialize(UimaContextFactory.createUimaContext(SparseStructAnnotatorBase.PARAM_MODEL_LOCATION,
                "file:" + TestModels.ner(), SparseStructAnnotatorBase.PARAM_DECODING, "map"));
        assertSame(a.analyzer().model(), b.analyzer().model());
        SparseStructParser p = new SparseStructParser();
        SparseStructParser q = new SparseStructParser();
        p.initialize(UimaContextFactory.createUimaContext(SparseStructAnnotatorBase.PARAM_MODEL_LOCATION,
                TestModels.parser()));
        q.initialize(UimaContextFactory.createUimaContext(SparseStructAnnotatorBase.PARAM_MODEL_LOCATION,
                TestModels.parser()));
        assertSame(p.analyzer().model(), q.analyzer().model());
    }

    @Test
    void nerAndParserTogetherGiveOneJsonSentenceWithBoth() throws Exception {
        JCas jcas = Docs.jcas("d4", Docs.SENTENCES);
        SimplePipeline.runPipeline(jcas, ner(), parser());
        List<AlternativesJson.Sentence> s = CasAlternatives.sentences(jcas);
        assertThat(s).hasSize(Docs.SENTENCES.length).allMatch(x -> x.ner() != null && x.parse() != null);
        assertThat(JCasUtil.select(jcas, AnalysisMetadata.class)).hasSize(2);
    }

    @Test
    void runningTheEnginesTwiceReplacesTheirOutputAndKeepsAnnotationsFromElsewhere() throws Exception {
        JCas once = Docs.jcas("d5", Docs.SENTENCES);
        SimplePipeline.runPipeline(once, ner(), parser());
        JCas twice = Docs.jcas("d5", Docs.SENTENCES);
        // a gold entity and a gold enhanced dependency from another tool, which must survive
        Token first = JCasUtil.select(twice, Token.class).iterator().next();
        NamedEntity gold = new NamedEntity(twice, first.getBegin(), first.getEnd());
        gold.setValue("GOLD");
        gold.addToIndexes();
        Dependency enhanced = new Dependency(twice, first.getBegin(), first.getEnd());
        enhanced.setGovernor(first);
        enhanced.setDependent(first);
        enhanced.setDependencyType("gold-enhanced");
        enhanced.setFlavor("enhanced");
        enhanced.addToIndexes();
        SimplePipeline.runPipeline(twice, ner(), parser());
        SimplePipeline.runPipeline(twice, ner(), parser());
        for (Class<? extends org.apache.uima.jcas.cas.TOP> t : List.of(EntityAnalysis.class, EntityCandidate.class,
            TagDistribution.class, TreeAnalysis.class, ArcCandidate.class, AnalysisMetadata.class, POS.class)) {
            assertThat(JCasUtil.select(twice, t)).as(t.getSimpleName()).hasSameSizeAs(JCasUtil.select(once, t));
        }
        assertThat(JCasUtil.select(twice, NamedEntity.class)).hasSize(JCasUtil.select(once, NamedEntity.class).size()
                + 1).contains(gold);
        assertThat(JCasUtil.select(twice, Dependency.class)).hasSize(JCasUtil.select(once, Dependency.class).size()
                + 1).contains(enhanced);
        for (Sentence s : JCasUtil.select(twice, Sentence.class)) {
            double w = JCasUtil.selectCovered(TreeAnalysis.class, s).stream().mapToDouble(TreeAnalysis::getWeight)
                    .sum();
            assertThat(w).isCloseTo(1.0, within(1e-9));
            double e = JCasUtil.selectCovered(EntityAnalysis.class, s).stream().mapToDouble(EntityAnalysis::getWeight)
                    .sum();
            assertThat(e).isCloseTo(1.0, within(1e-9));
        }
        assertThat(AlternativesJsonWriter.toJson(twice)).isEqualTo(AlternativesJsonWriter.toJson(once));
    }
}
