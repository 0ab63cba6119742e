package io.github.sparsestruct.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.data.DepSentence;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DependencyEvaluatorTest {
    private static String[] t(String s) {
        return s.split(" ");
    }

    private static final DepSentence SHE = new DepSentence("s1", t("She saw it ."), t("PRON VERB PRON PUNCT"),
            new int[] {2, 0, 2, 2}, t("nsubj root obj punct"));
    private static final DepSentence HI = new DepSentence("s2", t("Hi !"), t("INTJ PUNCT"), new int[] {0, 1},
            t("root punct"));

    /**
     * Hand count. s1: token 1 right head, wrong label; token 2 right; token 3 wrong head; token 4 (punct) wrong
     * head; UPOS wrong on token 3. s2: token 1 right; token 2 (punct) right head, wrong label.
     * All 6 tokens: UAS 4, LAS 2, UPOS 5. Without the 2 punctuation tokens: UAS 3/4, LAS 2/4, UPOS 3/4.
     */
    @Test
    void twoSentencesScoreAsCountedByHand() {
        DependencyEvaluator ev = new DependencyEvaluator();
        ev.add(SHE, new int[] {2, 0, 4, 3}, t("obj root obj punct"), t("PRON VERB NOUN PUNCT"));
        ev.add(HI, new int[] {0, 1}, t("root discourse"), t("INTJ PUNCT"));
        DependencyResult r = ev.result();
        assertThat(r.withPunct()).isEqualTo(new DependencyResult.Scores(6, 4, 6, 2, 6, 5));
        assertThat(r.uas()).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(r.las()).isCloseTo(2.0 / 6, within(1e-12));
        assertThat(r.withoutPunct()).isEqualTo(new DependencyResult.Scores(4, 3, 4, 2, 4, 3));
        assertThat(r.withoutPunct().uposAccuracy()).isCloseTo(0.75, within(1e-12));

        ObjectNode j = r.toJson();
        assertThat(j.get("withoutPunct").get("las").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(j.get("withPunct").get("tokens").asLong()).isEqualTo(6);
        assertThat(r.table()).contains("66.67").contains("33.33").contains("83.33").contains("75.00")
                .contains("without punctuation");
    }

    @Test
    void missingLabelsAndTagsAreReportedAsNotMeasured() {
        DependencyEvaluator ev = new DependencyEvaluator();
        ev.add(HI, new int[] {0, 1}, null, null);
        DependencyResult r = ev.result();
        assertThat(r.uas()).isEqualTo(1.0);
        assertThat(r.las()).isNaN();
        assertThat(r.toJson().get("withPunct").get("upos").isNull()).isTrue();
        assertThat(r.table()).contains("-");
    }

    @Test
    void universalLabelsIgnoreSubtypes() {
        DepSentence g = new DepSentence("p", t("my dog"), t("PRON NOUN"), new int[] {2, 0}, t("nmod:poss root"));
        DependencyEvaluator whole = new DependencyEvaluator();
        DependencyEvaluator universal = new DependencyEvaluator(true);
        whole.add(g, new int[] {2, 0}, t("nmod root"), null);
        universal.add(g, new int[] {2, 0}, t("nmod root"), null);
        assertThat(whole.result().las()).isEqualTo(0.5);
        assertThat(universal.result().las()).isEqualTo(1.0);
    }

    @Test
    void badInputNamesTheSentence() {
        assertThatThrownBy(() -> new DependencyEvaluator().add(SHE, new int[] {0}, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sentence s1 has 4 tokens");
        DepSentence unannotated = new DepSentence("u", t("x"), t("X"), new int[] {-1}, t("_"));
        assertThatThrownBy(() -> new DependencyEvaluator().add(unannotated, new int[] {0}, null, null))
                .hasMessageContaining("sentence u: token 1 has no gold head");
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6, 7})
    void goldAgainstGoldIsPerfectAndScoresStayOrdered(long seed) {
        Random rnd = new Random(seed);
        String[] tags = {"NOUN", "VERB", "PUNCT", "ADJ"};
        String[] rels = {"nsubj", "obj", "punct", "amod"};
        DependencyEvaluator self = new DependencyEvaluator();
        DependencyEvaluator other = new DependencyEvaluator();
        for (int s = 0; s < 40; s++) {
            int n = 1 + rnd.nextInt(12);
            int[] heads = new int[n];
            int[] pred = new int[n];
            String[] u = new String[n];
            String[] d = new String[n];
            String[] pd = new String[n];
            for (int i = 0; i < n; i++) {
                heads[i] = rnd.nextInt(n + 1);
                pred[i] = rnd.nextInt(n + 1);
                u[i] = tags[rnd.nextInt(tags.length)];
                d[i] = rels[rnd.nextInt(rels.length)];
                pd[i] = rels[rnd.nextInt(rels.length)];
            }
            DepSentence g = new DepSentence("r" + s, u.clone(), u, heads, d);
            self.add(g, g);
            other.add(g, pred, pd, u);
        }
        DependencyResult r = self.result();
        assertThat(r.uas()).isEqualTo(1.0);
        assertThat(r.las()).isEqualTo(1.0);
        assertThat(r.withoutPunct().uas()).isEqualTo(1.0);
        assertThat(r.withPunct().uposAccuracy()).isEqualTo(1.0);
        DependencyResult o = other.result();
        assertThat(o.las()).isLessThanOrEqualTo(o.uas());
        assertThat(o.withoutPunct().las()).isLessThanOrEqualTo(o.withoutPunct().uas());
    }
}
