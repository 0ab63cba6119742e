package io.github.sparsestruct.models.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparsestruct.models.data.AlignPair;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The identical-token LCS baseline against brute force, and the non-identical link counts by hand. */
class HardLinksTest {
    @Test
    void theBaselineIsALongestCommonSubsequenceOfEqualTokens() {
        Random rng = new Random(5);
        String[] vocab = {"a", "B", "b", "c", "d"};
        for (int trial = 0; trial < 300; trial++) {
            String[] s = random(rng, vocab, rng.nextInt(7));
            String[] t = random(rng, vocab, rng.nextInt(7));
            List<int[]> links = HardLinks.lcs(s, t);
            for (int k = 0; k < links.size(); k++) {
                int[] l = links.get(k);
                assertThat(s[l[0]].toLowerCase()).isEqualTo(t[l[1]].toLowerCase());
                if (k > 0) {
                    assertThat(l[0]).isGreaterThan(links.get(k - 1)[0]);
                    assertThat(l[1]).isGreaterThan(links.get(k - 1)[1]);
                }
            }
            assertThat(links).as("trial %d", trial).hasSize(bruteForceLcs(s, t, 0, 0));
        }
    }

    @Test
    void countsOnlyTheLinksWhoseTokensDiffer() {
        // "The big cat sat" / "The large cat sat": sure links 0-0, 1-1 (big/large), 2-2, 3-3
        AlignPair p = new AlignPair("x", new String[] {"The", "big", "cat", "sat"},
                new String[] {"the", "large", "cat", "sat"},
                List.of(new int[] {0, 0}, new int[] {1, 1}, new int[] {2, 2}, new int[] {3, 3}), List.of());
        HardLinks h = new HardLinks();
        // the model links big-large (right), and big-cat (wrong, different tokens), and the identical ones
        h.add(p, List.of(new int[] {0, 0}, new int[] {1, 1}, new int[] {1, 2}, new int[] {2, 2}, new int[] {3, 3}));
        HardLinks.Figures f = h.figures();
        assertThat(f.model()).isEqualTo(new PrfCounts(1, 2, 1));
        assertThat(f.baseline()).isEqualTo(new PrfCounts(4, 3, 3));
        assertThat(f.baselineHard()).isEqualTo(new PrfCounts(1, 0, 0));
        assertThat(f.toJson().at("/nonIdenticalLinks/gold").asLong()).isEqualTo(1);
        assertThat(f.table()).contains("non-identical sure links").contains("LCS baseline");
    }

    private static String[] random(Random rng, String[] vocab, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = vocab[rng.nextInt(vocab.length)];
        }
        return out;
    }

    private static int bruteForceLcs(String[] s, String[] t, int i, int j) {
        if (i == s.length || j == t.length) {
            return 0;
        }
        int best = Math.max(bruteForceLcs(s, t, i + 1, j), bruteForceLcs(s, t, i, j + 1));
        if (s[i].equalsIgnoreCase(t[j])) {
            best = Math.max(best, 1 + bruteForceLcs(s, t, i + 1, j + 1));
        }
        return best;
    }
}
