package io.github.sparsestruct.bert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One sentence's word pieces laid out as model inputs: one or more windows {@code [CLS] pieces… [SEP]} of at most
 * {@code maxLength} ids, and for each token the window (and the position in it) whose vector stands for the token.
 *
 * <p>Let {@code C = maxLength − 2}, the content length of a window.
 * <ul>
 *   <li><b>Cutting.</b> A token with more than {@code C} pieces keeps its first {@code C} ({@link #pieceCount} says how
 *       many were laid out); nothing else is ever dropped.
 *   <li><b>One window.</b> If all the sentence's pieces fit in {@code C}, there is exactly one window:
 *       {@code [CLS]}, every piece in order, {@code [SEP]}. An empty sentence has no window.
 *   <li><b>Several windows.</b> Otherwise windows hold whole tokens only, so each starts and ends at a token boundary.
 *       The first starts at token 0; each holds as many tokens as fit. The next window starts at the token boundary
 *       (after the current start and no later than the current end) whose piece offset is nearest to half a window
 *       ({@code (C + 1) / 2} pieces) after the current start, ties to the earlier boundary; it starts later only where
 *       that is needed for it to hold the first token the current window could not. So consecutive windows overlap by
 *       about half a window (half, give or take the rounding to a token boundary), less around very long tokens. The
 *       last window is the first that reaches the end of the sentence.
 *   <li><b>Choice of window.</b> A token's context in a window is the number of pieces on either side of its first
 *       piece inside the window; a side where the window reaches the sentence's start (or end) counts as unbounded,
 *       since no context was cut off there. Each token takes the window in which the smaller of its two sides is
 *       largest; ties go to the earlier window.
 * </ul>
 *
 * <p>Immutable; the arrays handed out are copies.
 */
public final class PieceWindows {

    private final int maxLength;
    private final int[][] windows;
    private final int[] firstToken;
    private final int[] endToken;
    private final int[] window;
    private final int[] position;
    private final int[] pieceCount;

    private PieceWindows(int maxLength, int[][] windows, int[] firstToken, int[] endToken, int[] window, int[] position,
            int[] pieceCount) {
        this.maxLength = maxLength;
        this.windows = windows;
        this.firstToken = firstToken;
        this.endToken = endToken;
        this.window = window;
        this.position = position;
        this.pieceCount = pieceCount;
    }

    /**
     * Lays out a sentence.
     *
     * @param tokenPieces the piece ids of each token, at least one per token (as from
     *     {@link WordPieceTokenizer#pieces})
     * @param maxLength the model's maximum sequence length including {@code [CLS]} and {@code [SEP]} (512 for
     *     BERT-base), at least 3
     * @param cls the id of {@code [CLS]}
     * @param sep the id of {@code [SEP]}
     * @throws IllegalArgumentException if {@code maxLength < 3} or a token has no pieces
     */
    public static PieceWindows of(int[][] tokenPieces, int maxLength, int cls, int sep) {
        Objects.requireNonNull(tokenPieces, "tokenPieces");
        if (maxLength < 3) {
            throw new IllegalArgumentException("maxLength must be at least 3 ([CLS], one piece, [SEP]): " + maxLength);
        }
        int content = maxLength - 2;
        int n = tokenPieces.length;
        int[] len = new int[n];
        long[] off = new long[n + 1];
        for (int i = 0; i < n; i++) {
            Objects.requireNonNull(tokenPieces[i], "pieces of token " + i);
            if (tokenPieces[i].length == 0) {
                throw new IllegalArgumentException("token " + i + " has no pieces");
            }
            len[i] = Math.min(tokenPieces[i].length, content);
            off[i + 1] = off[i] + len[i];
        }

        List<int[]> spans = new ArrayList<>(); // {first token, end token}
        if (n > 0) {
            int s = 0;
            while (true) {
                int e = s + 1;
                while (e < n && off[e + 1] - off[s] <= content) {
                    e++;
                }
                spans.add(new int[] {s, e});
                if (e == n) {
                    break;
                }
                long target = off[s] + (content + 1) / 2;
                int next = s + 1;
                for (int t = s + 2; t <= e; t++) {
                    if (Math.abs(off[t] - target) < Math.abs(off[next] - target)) {
                        next = t;
                    }
                }
                // the next window must hold token e, the first one this window could not
                while (off[e + 1] - off[next] > content) {
                    next++;
                }
                s = next;
            }
        }

        int w = spans.size();
        int[][] windows = new int[w][];
        int[] firstToken = new int[w];
        int[] endToken = new int[w];
        for (int k = 0; k < w; k++) {
            int s = spans.get(k)[0];
            int e = spans.get(k)[1];
            firstToken[k] = s;
            endToken[k] = e;
            int[] ids = new int[(int) (off[e] - off[s]) + 2];
            ids[0] = cls;
            int p = 1;
            for (int i = s; i < e; i++) {
                System.arraycopy(tokenPieces[i], 0, ids, p, len[i]);
                p += len[i];
            }
            ids[p] = sep;
            windows[k] = ids;
        }

        int[] window = new int[n];
        int[] position = new int[n];
        int k0 = 0;
        for (int i = 0; i < n; i++) {
            while (endToken[k0] <= i) {
                k0++; // the first window holding token i
            }
            int best = -1;
            long bestScore = -1;
            for (int k = k0; k < w && firstToken[k] <= i; k++) {
                long left = firstToken[k] == 0 ? Long.MAX_VALUE : off[i] - off[firstToken[k]];
                long right = endToken[k] == n ? Long.MAX_VALUE : off[endToken[k]] - off[i] - 1;
                long score = Math.min(left, right);
                if (score > bestScore) {
                    bestScore = score;
                    best = k;
                }
            }
            window[i] = best;
            position[i] = (int) (off[i] - off[firstToken[best]]) + 1;
        }
        return new PieceWindows(maxLength, windows, firstToken, endToken, window, position, len);
    }

    /** The windows' ids, each {@code [CLS] pieces… [SEP]} and at most {@link #maxLength} long (a copy). */
    public int[][] windows() {
        int[][] out = new int[windows.length][];
        for (int k = 0; k < windows.length; k++) {
            out[k] = windows[k].clone();
        }
        return out;
    }

    /** The ids of window {@code index} (a copy). */
    public int[] windowIds(int index) {
        return windows[index].clone();
    }

    /** The number of windows (0 for an empty sentence). */
    public int windowCount() {
        return windows.length;
    }

    /** The number of tokens. */
    public int tokenCount() {
        return window.length;
    }

    /** The window whose vectors stand for {@code token}. */
    public int window(int token) {
        return window[token];
    }

    /**
     * The index of {@code token}'s first piece inside the ids of {@link #window(int) its window}, counting
     * {@code [CLS]} at 0; its pieces are at {@code position(token) … position(token) + pieceCount(token) − 1}.
     */
    public int position(int token) {
        return position[token];
    }

    /** How many of {@code token}'s pieces were laid out (all of them unless cut to {@code maxLength − 2}). */
    public int pieceCount(int token) {
        return pieceCount[token];
    }

    /** The first token that window {@code index} holds. */
    public int firstToken(int index) {
        return firstToken[index];
    }

    /** One past the last token that window {@code index} holds. */
    public int endToken(int index) {
        return endToken[index];
    }

    /** The maximum window length this layout was made for. */
    public int maxLength() {
        return maxLength;
    }

    @Override
    public String toString() {
        return "PieceWindows[tokens=" + window.length + ", windows=" + windows.length + ", maxLength=" + maxLength
                + ", starts=" + Arrays.toString(firstToken) + "]";
    }
}
