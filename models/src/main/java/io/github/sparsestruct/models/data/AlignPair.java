package io.github.sparsestruct.models.data;

import java.util.Arrays;
import java.util.List;

/**
 * A sentence pair with gold word alignments: sure links (scored) and possible links (not scored), each an
 * {@code int[2]} {source position, target position}, 0-based.
 *
 * @param id       the pair's id
 * @param source   sentence 1 tokens
 * @param target   sentence 2 tokens
 * @param sure     sure links
 * @param possible possible links
 */
public record AlignPair(String id, String[] source, String[] target, List<int[]> sure, List<int[]> possible) {
    /** Validates link positions. */
    public AlignPair {
        for (int[] l : sure) {
            check(id, l, source.length, target.length);
        }
        for (int[] l : possible) {
            check(id, l, source.length, target.length);
        }
    }

    private static void check(String id, int[] l, int m, int n) {
        if (l.length != 2 || l[0] < 0 || l[0] >= m || l[1] < 0 || l[1] >= n) {
            throw new IllegalArgumentException("pair '" + id + "': link " + Arrays.toString(l)
                    + " is outside the sentences (" + m + " and " + n + " tokens)");
        }
    }

    /** The sure links as a dense m×n indicator, row-major. */
    public boolean[] sureMatrix() {
        int n = target.length;
        boolean[] g = new boolean[source.length * n];
        for (int[] l : sure) {
            g[l[0] * n + l[1]] = true;
        }
        return g;
    }
}
