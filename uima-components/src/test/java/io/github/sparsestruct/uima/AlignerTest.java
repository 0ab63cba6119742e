package io.github.sparsestruct.uima;

import static org.apache.uima.fit.factory.AnalysisEngineFactory.createEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.models.align.AlignDecoder;
import io.github.sparsestruct.models.align.TokenPair;
import io.github.sparsestruct.models.analysis.AlignAnalysis;
import io.github.sparsestruct.models.analysis.AlignAnalyzer;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.DocumentAligner;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.type.AlignmentLink;
import io.github.sparsestruct.type.AnalysisMetadata;
import io.github.sparsestruct.type.LinkCandidate;
import io.github.sparsestruct.type.SentencePair;
import io.github.sparsestruct.type.WordAlignment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.cas.impl.XmiCasDeserializer;
import org.apache.uima.cas.impl.XmiCasSerializer;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.apache.uima.resource.ResourceInitializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The word aligner engine: pairs mode, two-view mode, JSON, XMI round trip, bad input. */
class AlignerTest {
    /** Source / target sentences in the synthetic vocabulary of the tiny aligner (near-copies). */
    static final String[][] PAIRED = {
        {"a1", "b2", "c3", "the", "d4", "."},
        {"a1", "extra1", "b2", "c3", "the", "."},
        {"e5", "of", "f6", "g7", ","},
        {"e5", "f6", "extra2", "g7", ",", "h8"},
    };
    static final String[][] SOURCE_DOC = {
        {"a1", "b2", "c3", "the", "d4", "."},
        {"e5", "of", "f6", "g7", "h8", "the", "a1", "b2", "."},
        {"c3", "d4", "of", "the", "e5", "."},
    };
    /** The source document with the second sentence split in two and a word changed in the first. */
    static final String[][] TARGET_DOC = {
        {"a1", "b2", "c3", "extra0", "d4", "."},
        {"e5", "of", "f6", "g7", "."},
        {"h8", "the", "a1", "b2", "."},
        {"c3", "d4", "of", "the", "e5", "."},
    };
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static AnalysisEngine aligner(Object... params) throws ResourceInitializationException {
        List<Object> p = new ArrayList<>(List.of(SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, TestModels.align()));
        p.addAll(List.of(params));
        return createEngine(SparseStructAligner.class, p.toArray());
    }

    /** Marks pairs (2k, 2k+1) of the view's sentences as SentencePairs. */
    static void pairUp(JCas jcas) {
        List<Sentence> ss = new ArrayList<>(JCasUtil.select(jcas, Sentence.class));
        for (int k = 0; k + 1 < ss.size(); k += 2) {
            SentencePair p = new SentencePair(jcas, ss.get(k).getBegin(), ss.get(k).getEnd());
            p.setSource(ss.get(k));
            p.setTarget(ss.get(k + 1));
            p.addToIndexes();
        }
    }

    static JCas twoViews() throws Exception {
        JCas jcas = Docs.jcas("original", SOURCE_DOC);
        Docs.fill(jcas.createView("target"), "simplified", TARGET_DOC);
        return jcas;
    }

    private static List<TokenPair> pairs(String[][] s) {
        List<TokenPair> out = new ArrayList<>();
        for (int k = 0; k + 1 < s.length; k += 2) {
            out.add(new TokenPair(s[k], s[k + 1]));
        }
        return out;
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable x : org.apache.commons.lang3.exception.ExceptionUtils.getThrowableList(t)) {
            b.append(x.getMessage()).append(" | ");
        }
        return b.toString();
    }

    static byte[] xmi(JCas jcas) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        XmiCasSerializer.serialize(jcas.getCas(), out);
        return out.toByteArray();
    }

    static JCas fromXmi(byte[] xmi) throws Exception {
        JCas back = Docs.empty();
        XmiCasDeserializer.deserialize(new ByteArrayInputStream(xmi), back.getCas());
        return back;
    }

    @ParameterizedTest
    @CsvSource({"map,matching", "sparsemap,matching", "marginals,matching", "map,sequential",
        "sparsemap,sequential", "marginals,sequential"})
    void pairsModeWritesTheAnalyzersAlignmentsWithWeightsSummingToOne(String decode, String decoder)
            throws Exception {
        JCas jcas = Docs.jcas("pairs", PAIRED);
        pairUp(jcas);
        aligner(SparseStructAnnotatorBase.PARAM_DECODING, decode, SparseStructAligner.PARAM_DECODER, decoder,
                SparseStructAnnotatorBase.PARAM_MIN_WEIGHT, 0.0).process(jcas);

        List<AlignAnalysis> expected = new AlignAnalyzer(ModelRegistry.align(TestModels.align()),
                AnalysisOptions.defaults().withDecode(decode).withLimits(5, 0.0, 250),
                AlignDecoder.valueOf(decoder.toUpperCase())).analyze(pairs(PAIRED));
        List<SentencePair> ps = new ArrayList<>(JCasUtil.select(jcas, SentencePair.class));
        assertThat(ps).hasSize(2);
        for (int k = 0; k < ps.size(); k++) {
            SentencePair p = ps.get(k);
            assertThat(p.getWeight()).isEqualTo(1.0);
            List<WordAlignment> alts = new ArrayList<>(JCasUtil.select(jcas, WordAlignment.class)).stream()
                    .filter(w -> w.getPair() == p).toList();
            AlignAnalysis a = expected.get(k);
            assertThat(alts).hasSize(a.alignments().size());
            assertThat(alts.stream().mapToDouble(WordAlignment::getWeight).sum()).isCloseTo(1.0, within(1e-9));
            if (!decode.equals("sparsemap")) {
                assertThat(alts).hasSize(1);
            }
            for (WordAlignment w : alts) {
                assertThat(w.getDecoding()).isEqualTo(decode);
                assertThat(w.getDecoder()).isEqualTo(decoder);
                assertThat(w.getSourceSentence()).isSameAs(p.getSource());
                assertThat(w.getTargetSentence()).isSameAs(p.getTarget());
                AlignAnalysis.Alignment x = a.alignments().get(w.getRank() - 1);
                assertThat(w.getWeight()).isEqualTo(x.weight());
                assertThat(w.getLinks().size()).isEqualTo(x.links().size());
                for (int i = 0; i < x.links().size(); i++) {
                    AlignmentLink l = (AlignmentLink) w.getLinks().get(i);
                    assertThat(l.getSource().getCoveredText()).isEqualTo(PAIRED[2 * k][x.links().get(i).source()]);
                    assertThat(l.getTarget().getCoveredText())
                            .isEqualTo(PAIRED[2 * k + 1][x.links().get(i).target()]);
                    assertThat(l.getWeight()).isEqualTo(w.getWeight());
                }
            }
            List<LinkCandidate> cands = JCasUtil.select(jcas, LinkCandidate.class).stream()
                    .filter(c -> c.getPair() == p).toList();
            assertThat(cands).hasSize(a.linkWeights().size());
            Set<String> best = new HashSet<>();
            for (AlignAnalysis.Link l : a.links()) {
                best.add(PAIRED[2 * k][l.source()] + "→" + PAIRED[2 * k + 1][l.target()]);
            }
            assertThat(cands.stream().filter(LinkCandidate::getInBest).count()).isEqualTo(a.links().size());
            for (LinkCandidate c : cands) {
                assertThat(c.getScore()).isBetween(0.0, 1.0);
                if (c.getInBest()) {
                    assertThat(best).contains(c.getSource().getCoveredText() + "→"
                            + c.getTarget().getCoveredText());
                }
            }
        }
        // the JSON read back from the CAS is the JSON of the analyzer's results
        List<AlternativesJson.SentenceAlignment> sa = new ArrayList<>();
        for (int k = 0; k < expected.size(); k++) {
            sa.add(new AlternativesJson.SentenceAlignment(2 * k, null, 2 * k + 1, 1.0, expected.get(k)));
        }
        JsonNode json = MAPPER.readTree(AlternativesJsonWriter.toJson(jcas));
        assertThat(json.get("alignments")).isEqualTo(AlternativesJson.document("pairs", CasAlternatives.sentences(
                jcas), sa).get("alignments"));
        assertThat(JCasUtil.select(jcas, AnalysisMetadata.class)).anyMatch(m -> m.getAnalysisType()
                .equals(WordAlignment.class.getName()));
    }

    @Test
    void sparsemapOnTheTinyAlignerKeepsSeveralAlternativesForSomePair() throws Exception {
        JCas jcas = Docs.jcas("pairs", PAIRED);
        pairUp(jcas);
        aligner().process(jcas);
        Map<SentencePair, List<WordAlignment>> by = new java.util.HashMap<>();
        for (WordAlignment w : JCasUtil.select(jcas, WordAlignment.class)) {
            by.computeIfAbsent(w.getPair(), x -> new ArrayList<>()).add(w);
        }
        assertThat(by.values()).anyMatch(l -> l.size() > 1);
    }

    @Test
    void targetSentenceInAnotherViewIsAlignedAndNamedByItsDocumentId() throws Exception {
        JCas jcas = Docs.jcas("src", new String[][] {PAIRED[0]});
        JCas target = jcas.createView("target");
        Docs.fill(target, "tgt", new String[][] {PAIRED[1]});
        Sentence s = JCasUtil.selectSingle(jcas, Sentence.class);
        SentencePair p = new SentencePair(jcas, s.getBegin(), s.getEnd());
        p.setSource(s);
        p.setTarget(JCasUtil.selectSingle(target, Sentence.class));
        p.addToIndexes();
        aligner(SparseStructAnnotatorBase.PARAM_MIN_WEIGHT, 0.0).process(jcas);

        AlignAnalysis a = new AlignAnalyzer(ModelRegistry.align(TestModels.align()), AnalysisOptions.defaults()
                .withLimits(5, 0.0, 250)).analyze(List.of(new TokenPair(PAIRED[0], PAIRED[1]))).get(0);
        for (WordAlignment w : JCasUtil.select(jcas, WordAlignment.class)) {
            for (int i = 0; i < w.getLinks().size(); i++) {
                assertThat(((AlignmentLink) w.getLinks().get(i)).getTarget().getView()).isSameAs(target.getCas());
            }
        }
        JsonNode al = MAPPER.readTree(AlternativesJsonWriter.toJson(jcas)).get("alignments");
        assertThat(al).hasSize(1);
        assertThat(al.get(0).get("targetDocument").asText()).isEqualTo("tgt");
        assertThat(al.get(0).get("targetSentence").asInt()).isZero();
        assertThat(al.get(0)).isEqualTo(AlternativesJson.document("src", List.of(),
                List.of(new AlternativesJson.SentenceAlignment(0, "tgt", 0, 1.0, a))).get("alignments").get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"map", "sparsemap"})
    void viewsModeAlignsTheSentencesOfTwoViewsThenTheirWords(String decode) throws Exception {
        JCas jcas = twoViews();
        aligner(SparseStructAligner.PARAM_MODE, "views", SparseStructAnnotatorBase.PARAM_DECODING, decode)
                .process(jcas);

        DocumentAligner.Result r = new DocumentAligner(new AlignAnalyzer(ModelRegistry.align(TestModels.align()),
                AnalysisOptions.defaults().withDecode(decode)), 0.1)
                .align(List.of(SOURCE_DOC), List.of(TARGET_DOC));
        List<SentencePair> ps = new ArrayList<>(JCasUtil.select(jcas, SentencePair.class));
        // the split second sentence is aligned with both of its parts
        assertThat(ps).hasSize(4);
        List<Sentence> src = new ArrayList<>(JCasUtil.select(jcas, Sentence.class));
        List<Sentence> tgt = new ArrayList<>(JCasUtil.select(jcas.getView("target"), Sentence.class));
        int[][] expected = {{0, 0}, {1, 1}, {1, 2}, {2, 3}};
        for (int k = 0; k < 4; k++) {
            assertThat(ps.get(k).getSource()).isSameAs(src.get(expected[k][0]));
            assertThat(ps.get(k).getTarget()).isSameAs(tgt.get(expected[k][1]));
            assertThat(r.path().get(k).source()).isEqualTo(expected[k][0]);
            assertThat(r.path().get(k).target()).isEqualTo(expected[k][1]);
            assertThat(ps.get(k).getWeight()).isEqualTo(r.path().get(k).weight()).isGreaterThan(0.0)
                    .isLessThanOrEqualTo(1.0);
            SentencePair p = ps.get(k);
            double total = JCasUtil.select(jcas, WordAlignment.class).stream().filter(w -> w.getPair() == p)
                    .mapToDouble(WordAlignment::getWeight).sum();
            assertThat(total).isCloseTo(1.0, within(1e-9));
        }
        List<AlternativesJson.SentenceAlignment> sa = new ArrayList<>();
        for (DocumentAligner.SentenceLink l : r.path()) {
            sa.add(new AlternativesJson.SentenceAlignment(l.source(), "simplified", l.target(), l.weight(),
                    l.words()));
        }
        JsonNode json = MAPPER.readTree(AlternativesJsonWriter.toJson(jcas));
        assertThat(json.get("alignments")).isEqualTo(AlternativesJson.document("original", List.of(), sa)
                .get("alignments"));
        // nothing is written into the target view
        assertThat(JCasUtil.select(jcas.getView("target"), WordAlignment.class)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pairs", "views"})
    void xmiRoundTripGivesTheSameAlignmentsAndWeights(String mode) throws Exception {
        JCas jcas;
        if (mode.equals("pairs")) {
            jcas = Docs.jcas("pairs", PAIRED);
            pairUp(jcas);
        } else {
            jcas = twoViews();
        }
        aligner(SparseStructAligner.PARAM_MODE, mode).process(jcas);
        String json = AlternativesJsonWriter.toJson(jcas);
        assertThat(MAPPER.readTree(json).get("alignments").size()).isGreaterThan(1);
        JCas back = fromXmi(xmi(jcas));
        assertThat(AlternativesJsonWriter.toJson(back)).isEqualTo(json);
        assertThat(JCasUtil.select(back, WordAlignment.class)).hasSameSizeAs(JCasUtil.select(jcas,
                WordAlignment.class));
        assertThat(JCasUtil.select(back, LinkCandidate.class)).hasSameSizeAs(JCasUtil.select(jcas,
                LinkCandidate.class));
    }

    @Test
    void documentWithoutAlignmentsHasNoAlignmentsMember() throws Exception {
        JCas jcas = Docs.jcas("plain", PAIRED);
        aligner().process(jcas); // no SentencePair: nothing to do
        assertThat(MAPPER.readTree(AlternativesJsonWriter.toJson(jcas)).has("alignments")).isFalse();
    }

    // ---- bad and extreme input

    @Test
    void sentenceWithoutTokensOnOneSideGetsTheEmptyAlignmentOfWeightOne() throws Exception {
        JCas jcas = Docs.jcas("empty", new String[][] {PAIRED[0]});
        String text = jcas.getDocumentText();
        JCas fresh = Docs.empty();
        fresh.setDocumentText(text + "   \n");
        fresh.setDocumentLanguage("en");
        for (Sentence s : JCasUtil.select(jcas, Sentence.class)) {
            new Sentence(fresh, s.getBegin(), s.getEnd()).addToIndexes();
        }
        for (Token t : JCasUtil.select(jcas, Token.class)) {
            new Token(fresh, t.getBegin(), t.getEnd()).addToIndexes();
        }
        Sentence empty = new Sentence(fresh, text.length() + 1, text.length() + 3);
        empty.addToIndexes();
        Sentence full = JCasUtil.select(fresh, Sentence.class).iterator().next();
        for (Sentence[] st : new Sentence[][] {{full, empty}, {empty, full}}) {
            SentencePair p = new SentencePair(fresh, st[0].getBegin(), st[0].getEnd());
            p.setSource(st[0]);
            p.setTarget(st[1]);
            p.addToIndexes();
        }
        aligner().process(fresh);
        Collection<WordAlignment> ws = JCasUtil.select(fresh, WordAlignment.class);
        assertThat(ws).hasSize(2).allSatisfy(w -> {
            assertThat(w.getWeight()).isEqualTo(1.0);
            assertThat(w.getLinks().size()).isZero();
        });
        assertThat(JCasUtil.select(fresh, LinkCandidate.class)).isEmpty();
        JsonNode al = MAPPER.readTree(AlternativesJsonWriter.toJson(fresh)).get("alignments");
        assertThat(al).hasSize(2);
        assertThat(al.get(0).get("targetLength").asInt()).isZero();
        assertThat(al.get(1).get("sourceLength").asInt()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"matching", "sequential"})
    void oneTokenAndIdenticalSentencesGiveValidAlignments(String decoder) throws Exception {
        String[][] s = {{"a1"}, {"a1"}, PAIRED[0], PAIRED[0], {"."}, PAIRED[1]};
        JCas jcas = Docs.jcas("extreme", s);
        pairUp(jcas);
        aligner(SparseStructAligner.PARAM_DECODER, decoder).process(jcas);
        List<SentencePair> ps = new ArrayList<>(JCasUtil.select(jcas, SentencePair.class));
        for (int k = 0; k < ps.size(); k++) {
            SentencePair p = ps.get(k);
            List<WordAlignment> alts = JCasUtil.select(jcas, WordAlignment.class).stream()
                    .filter(w -> w.getPair() == p).toList();
            assertThat(alts).isNotEmpty();
            assertThat(alts.stream().mapToDouble(WordAlignment::getWeight).sum()).isCloseTo(1.0, within(1e-9));
            for (WordAlignment w : alts) {
                Set<Token> sources = new HashSet<>();
                Set<Token> targets = new HashSet<>();
                for (int i = 0; i < w.getLinks().size(); i++) {
                    AlignmentLink l = (AlignmentLink) w.getLinks().get(i);
                    assertThat(l.getSource().getBegin()).isBetween(p.getSource().getBegin(), p.getSource().getEnd());
                    assertThat(l.getTarget().getBegin()).isBetween(p.getTarget().getBegin(), p.getTarget().getEnd());
                    assertThat(sources.add(l.getSource())).as("a source word links at most once").isTrue();
                    if (decoder.equals("matching")) {
                        assertThat(targets.add(l.getTarget())).as("one-to-one").isTrue();
                    }
                }
            }
        }
    }

    @Test
    void missingModelFileIsAnErrorNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope-align.zip");
        assertThatThrownBy(() -> createEngine(SparseStructAligner.class,
                SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, missing.toString()))
                .satisfies(e -> assertThat(messages(e)).contains(missing.toAbsolutePath().toString())
                        .contains("word alignment"));
    }

    @Test
    void corruptModelFileIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("corrupt-align.zip");
        Files.writeString(bad, "this is not a model");
        assertThatThrownBy(() -> createEngine(SparseStructAligner.class,
                SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, bad.toString()))
                .satisfies(e -> assertThat(messages(e)).contains(bad.toAbsolutePath().toString()));
    }

    @ParameterizedTest
    @CsvSource({"mode,both,'pairs, views'", "decoder,hungarian,'matching, sequential'",
        "decoding,dp_l2,'map, sparsemap, marginals'"})
    void unknownParameterValuesAreErrorsListingTheAllowedOnes(String param, String value, String allowed) {
        assertThatThrownBy(() -> aligner(param, value))
                .satisfies(e -> assertThat(messages(e)).contains(value).contains(allowed));
    }

    @Test
    void viewsModeWithoutTheTargetViewNamesTheMissingViewAndTheViewsThereAre() throws Exception {
        JCas jcas = Docs.jcas("only", SOURCE_DOC);
        AnalysisEngine e = aligner(SparseStructAligner.PARAM_MODE, "views", SparseStructAligner.PARAM_TARGET_VIEW,
                "translation");
        assertThatThrownBy(() -> e.process(jcas))
                .satisfies(x -> assertThat(messages(x)).contains("'translation'").contains("_InitialView"));
    }

    @Test
    void viewsModeSegmentsAPlainTextTargetViewWhenAsked() throws Exception {
        JCas jcas = Docs.jcas("original", SOURCE_DOC);
        JCas target = jcas.createView("target");
        StringBuilder text = new StringBuilder();
        for (String[] s : TARGET_DOC) {
            text.append(String.join(" ", s)).append(' ');
        }
        target.setDocumentText(text.toString());
        AnalysisEngine strict = aligner(SparseStructAligner.PARAM_MODE, "views");
        assertThatThrownBy(() -> strict.process(jcas))
                .satisfies(x -> assertThat(messages(x)).contains("segmentIfMissing"));
        aligner(SparseStructAligner.PARAM_MODE, "views", SparseStructAnnotatorBase.PARAM_SEGMENT_IF_MISSING, true)
                .process(jcas);
        assertThat(JCasUtil.select(jcas, SentencePair.class)).isNotEmpty();
    }
}
