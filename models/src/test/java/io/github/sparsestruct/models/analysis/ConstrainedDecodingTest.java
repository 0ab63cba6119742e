package io.github.sparsestruct.models.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.depparse.ParsePrediction;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.ner.NerPrediction;
import io.github.sparsestruct.models.testing.TinyModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Re-decoding under a user's constraints, on tiny models: no kept alternative and no marginal contradicts a
 * constraint, for every decoding; the constrained MAP is the best structure that satisfies them (found by enumerating
 * every structure with the k-best list); no constraint gives the plain analysis; infeasible or invalid constraints
 * are clear errors.
 */
class ConstrainedDecodingTest {
    private static final String[][] SENTENCES = {
        {"Alice", "visited", "Paris", "."},
        {"Bob", "Smith", "works", "for", "Acme", "in", "Rome"},
        {"Carol"},
    };
    private static final String[] TYPES = {"PER", "LOC", "ORG"};
    private static NerModel ner;
    private static ParserModel parser;

    @BeforeAll
    static void models() {
        ner = TinyModels.ner(2, 5);
        parser = TinyModels.parser(2, 5);
    }

    private static NerAnalyzer ner(Decoding d) {
        return new NerAnalyzer(ner, AnalysisOptions.defaults().withDecode(d.id()).withLimits(50, 0.0, 250));
    }

    private static ParseAnalyzer parser(Decoding d) {
        return new ParseAnalyzer(parser, AnalysisOptions.defaults().withDecode(d.id()).withLimits(50, 0.0, 250));
    }

    private static NerConstraints randomNer(Random rng, int n) {
        List<NerConstraints.Span> acc = new ArrayList<>();
        List<NerConstraints.Span> rej = new ArrayList<>();
        int s = rng.nextInt(n);
        int e = s + 1 + rng.nextInt(Math.min(2, n - s));
        if (rng.nextBoolean()) {
            acc.add(new NerConstraints.Span(s, e, TYPES[rng.nextInt(3)]));
        } else {
            rej.add(new NerConstraints.Span(s, e, TYPES[rng.nextInt(3)]));
        }
        if (rng.nextBoolean()) {
            int t = rng.nextInt(n);
            rej.add(new NerConstraints.Span(t, t + 1, TYPES[rng.nextInt(3)]));
        }
        return new NerConstraints(acc, rej);
    }

    /** Whether a tag sequence respects the constraints (accepted exactly; no rejected type on a rejected token). */
    private static boolean satisfies(String[] tags, NerConstraints c) {
        for (NerConstraints.Span a : c.accepted()) {
            for (int t = a.start(); t < a.end(); t++) {
                if (!tags[t].equals((t == a.start() ? "B-" : "I-") + a.type())) {
                    return false;
                }
            }
            if (a.end() < tags.length && tags[a.end()].equals("I-" + a.type())) {
                return false;
            }
        }
        for (NerConstraints.Span r : c.rejected()) {
            for (int t = r.start(); t < r.end(); t++) {
                if (tags[t].endsWith("-" + r.type())) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void everyNerDecodingRespectsAcceptedAndRejectedEntities() {
        Random rng = new Random(11);
        List<String[]> sentences = Arrays.asList(SENTENCES);
        for (int rep = 0; rep < 8; rep++) {
            List<NerConstraints> cs = new ArrayList<>();
            for (String[] s : sentences) {
                NerConstraints c;
                do {
                    c = randomNer(rng, s.length);
                } while (!feasible(s, c));
                cs.add(c);
            }
            for (Decoding d : Decoding.Task.NER.decodings()) {
                List<NerAnalysis> out = ner(d).analyze(sentences, cs);
                for (int i = 0; i < out.size(); i++) {
                    NerAnalysis a = out.get(i);
                    NerConstraints c = cs.get(i);
                    assertThat(a.analyses()).as("%s %s", d, c).allMatch(x -> satisfies(x.tags(), c));
                    assertThat(a.analyses().stream().mapToDouble(NerAnalysis.Analysis::weight).sum())
                            .isCloseTo(1.0, within(1e-9));
                    for (NerConstraints.Span acc : c.accepted()) {
                        assertThat(a.candidates()).as("%s %s", d, c).anySatisfy(e -> {
                            assertThat(e.start()).isEqualTo(acc.start());
                            assertThat(e.end()).isEqualTo(acc.end());
                            assertThat(e.type()).isEqualTo(acc.type());
                            assertThat(e.weight()).isCloseTo(1.0, within(1e-6));
                        });
                    }
                    for (NerConstraints.Span rej : c.rejected()) {
                        for (int t = rej.start(); t < rej.end(); t++) {
                            for (String tag : List.of("B-" + rej.type(), "I-" + rej.type())) {
                                assertThat(a.tagProbabilities()[t][a.labels().indexOf(tag)]).as("%s %s", d, c)
                                        .isCloseTo(0.0, within(1e-9));
                            }
                        }
                    }
                }
            }
        }
    }

    private static boolean feasible(String[] s, NerConstraints c) {
        try {
            ner(Decoding.MAP).analyze(List.<String[]>of(s), List.of(c));
            return true;
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageContaining("allow no tag sequence");
            return false;
        }
    }

    @Test
    void theConstrainedNerMapIsTheBestSequenceThatSatisfiesTheConstraints() {
        Random rng = new Random(3);
        String[] s = SENTENCES[0];
        // every tag sequence of the 4 tokens, best first (7^4 = 2,401; k-best is checked against brute force)
        NerPrediction all = ner.predictKBest(List.<String[]>of(s), new int[] {2401}).get(0);
        for (int rep = 0; rep < 12; rep++) {
            NerConstraints c = randomNer(rng, s.length);
            String[] oracle = all.alternatives().stream().map(NerPrediction.WeightedTags::tags)
                    .filter(t -> satisfies(t, c)).findFirst().orElse(null);
            if (oracle == null) {
                assertThatThrownBy(() -> ner(Decoding.MAP).analyze(List.<String[]>of(s), List.of(c)))
                        .hasMessageContaining("allow no tag sequence");
                continue;
            }
            assertThat(ner(Decoding.MAP).analyze(List.<String[]>of(s), List.of(c)).get(0).tags()).as("%s", c)
                    .containsExactly(oracle);
        }
    }

    @Test
    void noConstraintGivesThePlainAnalysis() {
        List<String[]> sentences = Arrays.asList(SENTENCES);
        List<NerConstraints> none = List.of(NerConstraints.NONE, NerConstraints.NONE, NerConstraints.NONE);
        List<ParseConstraints> noArcs = List.of(ParseConstraints.NONE, ParseConstraints.NONE, ParseConstraints.NONE);
        for (Decoding d : Decoding.Task.NER.decodings()) {
            assertThat(json(ner(d).analyze(sentences, none), null)).isEqualTo(json(ner(d).analyze(sentences), null));
        }
        for (Decoding d : Decoding.Task.PARSE.decodings()) {
            assertThat(json(null, parser(d).analyze(sentences, noArcs)))
                    .isEqualTo(json(null, parser(d).analyze(sentences)));
        }
        // one constrained sentence leaves the others as they were
        List<NerConstraints> one = List.of(new NerConstraints(List.of(new NerConstraints.Span(0, 1, "PER")),
                List.of()), NerConstraints.NONE, NerConstraints.NONE);
        List<NerAnalysis> plain = ner(Decoding.SPARSEMAP).analyze(sentences);
        List<NerAnalysis> constrained = ner(Decoding.SPARSEMAP).analyze(sentences, one);
        assertThat(json(constrained.subList(1, 3), null)).isEqualTo(json(plain.subList(1, 3), null));
    }

    private static String json(List<NerAnalysis> ner, List<ParseAnalysis> dep) {
        List<String[]> s = ner != null ? Arrays.asList(SENTENCES).subList(3 - ner.size(), 3) : Arrays.asList(SENTENCES);
        return AlternativesJson.toJson("d", TinyModels.jsonSentences(s, ner, dep));
    }

    @Test
    void everyParseDecodingRespectsAcceptedAndRejectedArcs() {
        Random rng = new Random(7);
        String[] s = SENTENCES[1];
        int n = s.length;
        for (int rep = 0; rep < 10; rep++) {
            int m = 1 + rng.nextInt(n);
            int h;
            do {
                h = rng.nextInt(n + 1);
            } while (h == m);
            int m2 = 1 + rng.nextInt(n);
            int h2;
            do {
                h2 = rng.nextInt(n + 1);
            } while (h2 == m2);
            ParseConstraints c = new ParseConstraints(List.of(new ParseConstraints.Arc(h, m)),
                    List.of(new ParseConstraints.Arc(h2, m2)));
            if (h == h2 && m == m2) {
                assertThatThrownBy(() -> parser(Decoding.MAP).analyze(List.<String[]>of(s), List.of(c)))
                        .hasMessageContaining("allow no tree");
                continue;
            }
            for (Decoding d : Decoding.Task.PARSE.decodings()) {
                ParseAnalysis a = parser(d).analyze(List.<String[]>of(s), List.of(c)).get(0);
                int hh = h;
                int mm = m;
                int hh2 = h2;
                int mm2 = m2;
                assertThat(a.trees()).as("%s %s", d, c).allMatch(t -> t.heads()[mm - 1] == hh
                        && t.heads()[mm2 - 1] != hh2);
                assertThat(a.arcs()).as("%s %s", d, c).noneMatch(x -> x.dependent() == mm && x.head() != hh
                        || x.dependent() == mm2 && x.head() == hh2);
                assertThat(a.arcs()).anySatisfy(x -> {
                    assertThat(x.head()).isEqualTo(hh);
                    assertThat(x.dependent()).isEqualTo(mm);
                    assertThat(x.weight()).isCloseTo(1.0, within(1e-6));
                });
            }
        }
    }

    @Test
    void theConstrainedParseMapIsTheBestTreeThatSatisfiesTheConstraints() {
        Random rng = new Random(5);
        String[] s = SENTENCES[0];
        int n = s.length;
        // every single-root tree of 4 words, best first (at most 5^3 = 125)
        ParsePrediction all = parser.predictKBest(List.<String[]>of(s), new int[] {200}).get(0);
        for (int rep = 0; rep < 12; rep++) {
            int m = 1 + rng.nextInt(n);
            int h = (m + 1 + rng.nextInt(n)) % (n + 1);
            ParseConstraints c = new ParseConstraints(List.of(new ParseConstraints.Arc(h, m)),
                    List.of(new ParseConstraints.Arc((h + 1) % (n + 1) == m ? 0 : (h + 1) % (n + 1),
                            1 + (m % n))));
            int[] oracle = all.trees().stream().map(ParsePrediction.WeightedTree::heads).filter(t -> {
                for (ParseConstraints.Arc a : c.accepted()) {
                    if (t[a.dependent() - 1] != a.head()) {
                        return false;
                    }
                }
                for (ParseConstraints.Arc r : c.rejected()) {
                    if (t[r.dependent() - 1] == r.head()) {
                        return false;
                    }
                }
                return true;
            }).findFirst().orElse(null);
            if (oracle == null) {
                assertThatThrownBy(() -> parser(Decoding.MAP).analyze(List.<String[]>of(s), List.of(c)))
                        .hasMessageContaining("allow no tree");
                continue;
            }
            assertThat(parser(Decoding.MAP).analyze(List.<String[]>of(s), List.of(c)).get(0).heads()).as("%s", c)
                    .containsExactly(oracle);
        }
    }

    @Test
    void infeasibleAndInvalidConstraintsAreClearErrors() {
        List<String[]> one = List.<String[]>of(SENTENCES[1]);
        NerConstraints overlap = new NerConstraints(List.of(new NerConstraints.Span(0, 2, "PER"),
                new NerConstraints.Span(1, 3, "LOC")), List.of());
        assertThatThrownBy(() -> ner(Decoding.SPARSEMAP).analyze(one, List.of(overlap)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allow no tag sequence");
        NerConstraints both = new NerConstraints(List.of(new NerConstraints.Span(0, 1, "PER")),
                List.of(new NerConstraints.Span(0, 2, "PER")));
        assertThatThrownBy(() -> ner(Decoding.MARGINALS).analyze(one, List.of(both)))
                .hasMessageContaining("allow no tag sequence");
        assertThatThrownBy(() -> ner(Decoding.MAP).analyze(one, List.of(new NerConstraints(
                List.of(new NerConstraints.Span(0, 1, "FOO")), List.of())))).hasMessageContaining("'FOO'")
                .hasMessageContaining("PER");
        assertThatThrownBy(() -> ner(Decoding.MAP).analyze(one, List.of(new NerConstraints(
                List.of(new NerConstraints.Span(5, 9, "PER")), List.of())))).hasMessageContaining("[5, 9)");
        assertThatThrownBy(() -> ner(Decoding.MAP).analyze(one, List.of())).hasMessageContaining("one constraint");
        ParseConstraints cycle = new ParseConstraints(List.of(new ParseConstraints.Arc(1, 2),
                new ParseConstraints.Arc(2, 1)), List.of());
        assertThatThrownBy(() -> parser(Decoding.SPARSEMAP).analyze(one, List.of(cycle)))
                .hasMessageContaining("allow no tree");
        ParseConstraints twoRoots = new ParseConstraints(List.of(new ParseConstraints.Arc(0, 1),
                new ParseConstraints.Arc(0, 3)), List.of());
        assertThatThrownBy(() -> parser(Decoding.MAP).analyze(one, List.of(twoRoots)))
                .hasMessageContaining("allow no tree");
        assertThatThrownBy(() -> parser(Decoding.MAP).analyze(one, List.of(new ParseConstraints(
                List.of(new ParseConstraints.Arc(3, 3)), List.of())))).hasMessageContaining("3 -> 3");
        AnalysisOptions shortLimit = AnalysisOptions.defaults().withLimits(5, 0.01, 3);
        assertThatThrownBy(() -> new NerAnalyzer(ner, shortLimit).analyze(one, List.of(new NerConstraints(
                List.of(new NerConstraints.Span(0, 1, "PER")), List.of())))).hasMessageContaining("maxSentenceLength");
    }
}
