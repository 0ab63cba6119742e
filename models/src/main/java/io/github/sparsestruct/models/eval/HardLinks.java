package io.github.sparsestruct.models.eval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.data.AlignPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Word alignment where it is hard: the sure links whose two tokens differ (lower-cased), and a model-free baseline
 * that links identical lower-cased tokens along their longest common subsequence. On a benchmark of mostly copied
 * tokens the baseline alone scores high; the figures on non-identical links say what a model adds.
 */
public final class HardLinks {
    private PrfCounts model = PrfCounts.ZERO;
    private PrfCounts baseline = PrfCounts.ZERO;
    private PrfCounts baselineHard = PrfCounts.ZERO;

    /**
     * The figures.
     *
     * @param model        the model's predicted links against the gold sure links whose tokens differ (a predicted
     *                     link counts when its tokens differ)
     * @param baseline     the identical-token LCS baseline against all gold sure links
     * @param baselineHard the baseline on the links whose tokens differ (it predicts none: recall 0 by construction)
     */
    public record Figures(PrfCounts model, PrfCounts baseline, PrfCounts baselineHard) {
        /** As JSON. */
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.set("nonIdenticalLinks", model.toJson());
            o.set("lcsBaseline", baseline.toJson());
            o.set("lcsBaselineNonIdentical", baselineHard.toJson());
            return o;
        }

        /** Two table rows. */
        public String table() {
            return new TextTable().row("", "P", "R", "F1", "gold", "predicted", "correct")
                    .row("non-identical sure links", TextTable.pct(model.precision()), TextTable.pct(model.recall()),
                            TextTable.pct(model.f1()), Long.toString(model.gold()), Long.toString(model.predicted()),
                            Long.toString(model.correct()))
                    .row("identical-token LCS baseline, all", TextTable.pct(baseline.precision()),
                            TextTable.pct(baseline.recall()), TextTable.pct(baseline.f1()),
                            Long.toString(baseline.gold()), Long.toString(baseline.predicted()),
                            Long.toString(baseline.correct()))
                    .row("identical-token LCS baseline, non-identical", TextTable.pct(baselineHard.precision()),
                            TextTable.pct(baselineHard.recall()), TextTable.pct(baselineHard.f1()),
                            Long.toString(baselineHard.gold()), Long.toString(baselineHard.predicted()),
                            Long.toString(baselineHard.correct()))
                    .toString();
        }
    }

    /** Adds one pair: its gold and the model's predicted links ({source, target}). */
    public void add(AlignPair gold, List<int[]> predicted) {
        boolean[] sure = gold.sureMatrix();
        int n = gold.target().length;
        long hardGold = gold.sure().stream().filter(l -> !identical(gold, l[0], l[1])).count();
        long hardPred = 0;
        long hardCorrect = 0;
        for (int[] l : predicted) {
            if (!identical(gold, l[0], l[1])) {
                hardPred++;
                hardCorrect += sure[l[0] * n + l[1]] ? 1 : 0;
            }
        }
        model = model.plus(hardGold, hardPred, hardCorrect);
        List<int[]> lcs = lcs(gold.source(), gold.target());
        long correct = lcs.stream().filter(l -> sure[l[0] * n + l[1]]).count();
        baseline = baseline.plus(gold.sure().size(), lcs.size(), correct);
        baselineHard = baselineHard.plus(hardGold, 0, 0);
    }

    /** The figures so far. */
    public Figures figures() {
        return new Figures(model, baseline, baselineHard);
    }

    /** Whether the tokens of link {i, j} are equal, lower-cased. */
    public static boolean identical(AlignPair p, int i, int j) {
        return p.source()[i].toLowerCase(Locale.ROOT).equals(p.target()[j].toLowerCase(Locale.ROOT));
    }

    /**
     * The identical-token baseline: links between equal lower-cased tokens along a longest common subsequence of the
     * two token sequences (ties broken towards the earliest source positions), in source order.
     */
    public static List<int[]> lcs(String[] source, String[] target) {
        int m = source.length;
        int n = target.length;
        String[] s = new String[m];
        String[] t = new String[n];
        for (int i = 0; i < m; i++) {
            s[i] = source[i].toLowerCase(Locale.ROOT);
        }
        for (int j = 0; j < n; j++) {
            t[j] = target[j].toLowerCase(Locale.ROOT);
        }
        // len[i][j]: LCS length of s[i..] and t[j..]
        int[][] len = new int[m + 1][n + 1];
        for (int i = m - 1; i >= 0; i--) {
            for (int j = n - 1; j >= 0; j--) {
                len[i][j] = s[i].equals(t[j]) ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
            }
        }
        List<int[]> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < m && j < n) {
            if (s[i].equals(t[j]) && len[i][j] == len[i + 1][j + 1] + 1) {
                out.add(new int[] {i++, j++});
            } else if (len[i + 1][j] >= len[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return Collections.unmodifiableList(out);
    }
}
