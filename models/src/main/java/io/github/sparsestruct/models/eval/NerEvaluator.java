package io.github.sparsestruct.models.eval;

import io.github.sparsestruct.models.data.NerSentence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exact-span NER evaluation as conlleval does it: a predicted entity counts only when its start, end and type all
 * equal a gold entity's. Spans are read from tag sequences with the conlleval chunk rules (the widely used
 * extension that also knows {@code E-} and {@code S-}): an {@code I-X} after {@code O} or after another type
 * starts an entity, so IOB1, IOB2 and BIOES input all work. Feed sentences with {@link #add}, then read
 * {@link #result()}.
 */
public final class NerEvaluator {
    private long sentences;
    private long tokens;
    private long correctTags;
    private final Map<String, long[]> counts = new HashMap<>();

    /** Scores one sentence. */
    public void add(String[] gold, String[] predicted) {
        if (gold.length != predicted.length) {
            throw new IllegalArgumentException("gold has " + gold.length + " tags, prediction " + predicted.length);
        }
        sentences++;
        tokens += gold.length;
        for (int i = 0; i < gold.length; i++) {
            if (gold[i].equals(predicted[i])) {
                correctTags++;
            }
        }
        List<Span> g = spans(gold);
        List<Span> p = spans(predicted);
        Set<Span> goldSet = new HashSet<>(g);
        for (Span s : g) {
            counts.computeIfAbsent(s.type(), k -> new long[3])[0]++;
        }
        for (Span s : p) {
            long[] c = counts.computeIfAbsent(s.type(), k -> new long[3]);
            c[1]++;
            if (goldSet.contains(s)) {
                c[2]++;
            }
        }
    }

    /** Scores one sentence against the tags of a gold sentence; the sentence id names it in errors. */
    public void add(NerSentence gold, String[] predicted) {
        if (gold.length() != predicted.length) {
            throw new IllegalArgumentException("sentence " + gold.id() + " has " + gold.length()
                    + " tokens, the prediction " + predicted.length + " tags");
        }
        add(gold.tags(), predicted);
    }

    /** The scores of the sentences added so far. */
    public NerResult result() {
        Map<String, PrfCounts> byType = new HashMap<>();
        PrfCounts all = PrfCounts.ZERO;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] c = e.getValue();
            PrfCounts pc = new PrfCounts(c[0], c[1], c[2]);
            byType.put(e.getKey(), pc);
            all = all.plus(pc);
        }
        return new NerResult(sentences, tokens, correctTags, all, byType);
    }

    /** Scores a corpus of parallel gold and predicted tag sequences. */
    public static NerResult evaluate(List<String[]> gold, List<String[]> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException(gold.size() + " gold sentences but " + predicted.size()
                    + " predicted ones");
        }
        NerEvaluator ev = new NerEvaluator();
        for (int i = 0; i < gold.size(); i++) {
            ev.add(gold.get(i), predicted.get(i));
        }
        return ev.result();
    }

    /**
     * The entities of a tag sequence, in order, by the conlleval rules. Tags are {@code O} or
     * {@code P-TYPE} with prefix {@code P} one of {@code B I E S} (also {@code U}/{@code L} of BILOU).
     */
    public static List<Span> spans(String[] tags) {
        List<Span> out = new ArrayList<>();
        char prevTag = 'O';
        String prevType = "";
        int start = -1;
        for (int i = 0; i <= tags.length; i++) {
            char tag;
            String type;
            if (i == tags.length) {
                tag = 'O';
                type = "";
            } else {
                String t = tags[i];
                if (t.equals("O")) {
                    tag = 'O';
                    type = "";
                } else {
                    int dash = t.indexOf('-');
                    if (dash != 1 || t.length() < 3 || "BIESUL".indexOf(t.charAt(0)) < 0) {
                        throw new IllegalArgumentException("'" + t + "' at token " + i + " is not a tag of the "
                                + "form O, B-X, I-X, E-X or S-X");
                    }
                    tag = bilouToBioes(t.charAt(0));
                    type = t.substring(2);
                }
            }
            if (start >= 0 && endOfChunk(prevTag, tag, prevType, type)) {
                out.add(new Span(start, i, prevType));
                start = -1;
            }
            if (startOfChunk(prevTag, tag, prevType, type)) {
                start = i;
            }
            prevTag = tag;
            prevType = type;
        }
        return out;
    }

    /** Rewrites BIOES (or BILOU) tags as IOB2: {@code S-X}/{@code U-X} → {@code B-X}, {@code E-X}/{@code L-X} →
     * {@code I-X}. */
    public static String[] bioesToIob2(String[] tags) {
        String[] out = new String[tags.length];
        for (int i = 0; i < tags.length; i++) {
            String t = tags[i];
            if (t.length() > 2 && t.charAt(1) == '-') {
                char c = t.charAt(0);
                if (c == 'S' || c == 'U') {
                    t = "B" + t.substring(1);
                } else if (c == 'E' || c == 'L') {
                    t = "I" + t.substring(1);
                }
            }
            out[i] = t;
        }
        return out;
    }

    private static char bilouToBioes(char c) {
        return c == 'U' ? 'S' : c == 'L' ? 'E' : c;
    }

    private static boolean endOfChunk(char prevTag, char tag, String prevType, String type) {
        return prevTag == 'E' || prevTag == 'S'
                || (prevTag == 'B' || prevTag == 'I') && (tag == 'B' || tag == 'S' || tag == 'O')
                || prevTag != 'O' && !prevType.equals(type);
    }

    private static boolean startOfChunk(char prevTag, char tag, String prevType, String type) {
        return tag == 'B' || tag == 'S'
                || (prevTag == 'E' || prevTag == 'S' || prevTag == 'O') && (tag == 'E' || tag == 'I')
                || tag != 'O' && !prevType.equals(type);
    }
}
