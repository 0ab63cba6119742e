package io.github.sparsestruct.inference.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TransitionMasksTest {
    static final String[] BIO = {"O", "B-PER", "I-PER", "B-LOC", "I-LOC"};
    static final String[] IOBES = {"O", "B-X", "I-X", "E-X", "S-X", "B-Y", "E-Y"};

    /** Independent BIO legality: every I-X continues a B-X or I-X at the previous position. */
    static boolean legalBio(String[] names, int[] y) {
        for (int t = 0; t < y.length; t++) {
            String tag = names[y[t]];
            if (tag.startsWith("I-")) {
                String type = tag.substring(2);
                if (t == 0) {
                    return false;
                }
                String prev = names[y[t - 1]];
                if (!prev.equals("B-" + type) && !prev.equals("I-" + type)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Independent IOBES legality: read the tags as spans with an open-span state machine. */
    static boolean legalIobes(String[] names, int[] y) {
        String open = null;
        for (int t : y) {
            String tag = names[t];
            char p = tag.charAt(0);
            String type = tag.length() > 2 ? tag.substring(2) : "";
            if (p == 'O' || p == 'S' || p == 'B') {
                if (open != null) {
                    return false;
                }
                if (p == 'B') {
                    open = type;
                }
            } else {
                if (!type.equals(open)) {
                    return false;
                }
                if (p == 'E') {
                    open = null;
                }
            }
        }
        return open == null;
    }

    static int[] decodeIndex(int code, int s, int t) {
        int[] y = new int[t];
        for (int i = 0; i < t; i++) {
            y[i] = code % s;
            code /= s;
        }
        return y;
    }

    @Test
    void bioLegalityAgreesWithIndependentCheckOnAllShortSequences() {
        TransitionMasks masks = TransitionMasks.bio(BIO);
        for (int t = 1; t <= 4; t++) {
            for (int code = 0; code < Math.pow(BIO.length, t); code++) {
                int[] y = decodeIndex(code, BIO.length, t);
                assertThat(masks.isLegal(y)).as("%s", java.util.Arrays.toString(y)).isEqualTo(legalBio(BIO, y));
            }
        }
    }

    @Test
    void iobesLegalityAgreesWithIndependentCheckOnAllShortSequences() {
        TransitionMasks masks = TransitionMasks.iobes(IOBES);
        for (int t = 1; t <= 4; t++) {
            for (int code = 0; code < Math.pow(IOBES.length, t); code++) {
                int[] y = decodeIndex(code, IOBES.length, t);
                assertThat(masks.isLegal(y)).as("%s", java.util.Arrays.toString(y)).isEqualTo(legalIobes(IOBES, y));
            }
        }
    }

    @Test
    void bioMaskSpotChecks() {
        TransitionMasks m = TransitionMasks.bio(BIO);
        boolean[] a = m.allowed();
        int s = BIO.length;
        assertThat(a[0 * s + 2]).as("O -> I-PER").isFalse();
        assertThat(a[1 * s + 2]).as("B-PER -> I-PER").isTrue();
        assertThat(a[2 * s + 2]).as("I-PER -> I-PER").isTrue();
        assertThat(a[3 * s + 2]).as("B-LOC -> I-PER").isFalse();
        assertThat(a[2 * s + 3]).as("I-PER -> B-LOC").isTrue();
        assertThat(m.allowedStart()).containsExactly(true, true, false, true, false);
        assertThat(m.allowedEnd()).containsOnly(true);
        assertThat(m.startPenalties()).containsExactly(0, 0, Double.NEGATIVE_INFINITY, 0, Double.NEGATIVE_INFINITY);
    }

    @Test
    void iobesMaskSpotChecks() {
        TransitionMasks m = TransitionMasks.iobes(IOBES);
        boolean[] a = m.allowed();
        int s = IOBES.length;
        assertThat(a[1 * s + 3]).as("B-X -> E-X").isTrue();
        assertThat(a[1 * s + 0]).as("B-X -> O").isFalse();
        assertThat(a[1 * s + 6]).as("B-X -> E-Y").isFalse();
        assertThat(a[3 * s + 4]).as("E-X -> S-X").isTrue();
        assertThat(a[4 * s + 2]).as("S-X -> I-X").isFalse();
        assertThat(m.allowedEnd()).containsExactly(true, false, false, true, true, false, true);
        assertThat(m.allowedStart()).containsExactly(true, true, false, false, true, true, false);
    }

    @Test
    void malformedTagNamesAreRejected() {
        assertThatThrownBy(() -> TransitionMasks.bio("O", "E-X")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("E-X");
        assertThatThrownBy(() -> TransitionMasks.iobes("B-")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransitionMasks.bio("PER")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void penaltiesTurnMasksIntoMinusInfinity() {
        assertThat(TransitionMasks.penalties(new boolean[] {true, false}))
                .containsExactly(0, Double.NEGATIVE_INFINITY);
        double[] scores = {1, 2, 3};
        TransitionMasks.applyMask(new boolean[] {false, true}, scores, 1);
        assertThat(scores).containsExactly(1, Double.NEGATIVE_INFINITY, 3);
    }

    static IntStream seeds() {
        return IntStream.range(0, 150);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void maskedViterbiDecodesTheBestLegalSequence(int seed) {
        boolean bio = seed % 2 == 0;
        String[] names = bio ? BIO : IOBES;
        TransitionMasks masks = bio ? TransitionMasks.bio(names) : TransitionMasks.iobes(names);
        Random rnd = new Random(seed);
        int s = names.length;
        int t = 1 + rnd.nextInt(4);
        double[] unary = new double[t * s];
        for (int i = 0; i < unary.length; i++) {
            unary[i] = seed % 3 == 0 ? rnd.nextInt(5) - 2 : rnd.nextGaussian();
        }
        double[] trans = new double[s * s];
        for (int i = 0; i < trans.length; i++) {
            trans[i] = rnd.nextGaussian() * 0.5;
        }
        int[] tags = new int[t];
        double got = Viterbi.decode(t, s, unary, trans, false, masks.startPenalties(), masks.endPenalties(),
                masks.allowed(), tags);
        double best = Double.NEGATIVE_INFINITY;
        for (int code = 0; code < Math.pow(s, t); code++) {
            int[] y = decodeIndex(code, s, t);
            if (bio ? legalBio(names, y) : legalIobes(names, y)) {
                best = Math.max(best, chainScore(unary, trans, s, y));
            }
        }
        assertThat(BruteForce.close(got, best, 1e-9)).as("value %s vs oracle %s", got, best).isTrue();
        assertThat(bio ? legalBio(names, tags) : legalIobes(names, tags)).as("legal").isTrue();
        assertThat(BruteForce.close(chainScore(unary, trans, s, tags), got, 1e-12)).isTrue();
    }

    static double chainScore(double[] unary, double[] trans, int s, int[] y) {
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            total += unary[i * s + y[i]];
            if (i + 1 < y.length) {
                total += trans[y[i] * s + y[i + 1]];
            }
        }
        return total;
    }
}
