package io.github.sparsestruct.models.nn;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Turns word forms into encoder inputs: a word id (lowercased form with digits mapped to 0, from a vocabulary with a
 * frequency cutoff), a {@link CaseFeature} class and the characters of the form. Word vocabulary: padding 0,
 * unknown 1, root 2 (the parser's artificial first token), then the training words. Character vocabulary: padding
 * 0, unknown 1, begin 2, end 3, then the training characters (code points). Forms longer than {@code maxChars} keep
 * their first and last halves.
 */
public final class TokenFeaturizer {
    /** The artificial root token the parser prepends to each sentence. */
    public static final String ROOT = "<root>";
    /** Penalty added to character windows outside a form before max pooling. */
    public static final float CHAR_PAD_PENALTY = -1e4f;
    private static final int BOW = 2;
    private static final int EOW = 3;

    private final Vocabulary words;
    private final Vocabulary chars;
    private final int maxChars;
    private volatile TokenVectors vectors;

    /** A featurizer over given vocabularies (as built by {@link #build} or read back from a model). */
    public TokenFeaturizer(Vocabulary words, Vocabulary chars, int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be at least 1, got " + maxChars);
        }
        if (words.reserved() != 3 || chars.reserved() != 4) {
            throw new IllegalArgumentException("word vocabulary must reserve pad/unk/root and character vocabulary "
                    + "pad/unk/begin/end");
        }
        this.words = words;
        this.chars = chars;
        this.maxChars = maxChars;
    }

    /** Builds the vocabularies from training sentences: words seen at least {@code minWordCount} times. */
    public static TokenFeaturizer build(Iterable<String[]> sentences, int minWordCount, int maxChars) {
        Map<String, Integer> wc = new HashMap<>();
        Map<String, Integer> cc = new HashMap<>();
        for (String[] s : sentences) {
            for (String f : s) {
                wc.merge(normalize(f), 1, Integer::sum);
                f.codePoints().forEach(c -> cc.merge(new String(Character.toChars(c)), 1, Integer::sum));
            }
        }
        Vocabulary w = Vocabulary.open(wc, minWordCount, List.of(Vocabulary.PAD, Vocabulary.UNK, ROOT));
        Vocabulary c = Vocabulary.open(cc, 1, List.of(Vocabulary.PAD, Vocabulary.UNK, "<bow>", "<eow>"));
        return new TokenFeaturizer(w, c, maxChars);
    }

    /** The word key of a form: lowercased, every digit replaced by 0; the root token stays as it is. */
    public static String normalize(String form) {
        if (form.equals(ROOT)) {
            return form;
        }
        String s = form.toLowerCase(Locale.ROOT);
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isDigit(c) && c != '0') {
                if (b == null) {
                    b = new StringBuilder(s);
                }
                b.setCharAt(i, '0');
            }
        }
        return b == null ? s : b.toString();
    }

    /** The word vocabulary. */
    public Vocabulary words() {
        return words;
    }

    /**
     * Attaches the source of pretrained token vectors that {@link #featurize} puts into each batch (the frozen
     * encoder at prediction time, a precomputed table in training); null detaches it.
     */
    public void useVectors(TokenVectors source) {
        this.vectors = source;
    }

    /** The attached source of pretrained token vectors, or null. */
    public TokenVectors vectors() {
        return vectors;
    }

    /** The character vocabulary. */
    public Vocabulary chars() {
        return chars;
    }

    /** Longest character sequence kept per form. */
    public int maxChars() {
        return maxChars;
    }

    /**
     * Featurizes a batch of sentences (each at least one token).
     *
     * @param sentences   the word forms of each sentence
     * @param wordDropout α of word dropout: a training word with count c becomes unknown with probability α/(α+c);
     *                    0 turns it off
     * @param rng         randomness for word dropout (may be null when {@code wordDropout} is 0)
     */
    public EncoderBatch featurize(List<String[]> sentences, double wordDropout, Random rng) {
        int b = sentences.size();
        int t = 0;
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            lengths[i] = sentences.get(i).length;
            if (lengths[i] == 0) {
                throw new IllegalArgumentException("sentence " + i + " of the batch is empty");
            }
            t = Math.max(t, lengths[i]);
        }
        int[] wordIds = new int[b * t];
        int[] caseIds = new int[b * t];
        int[] typeIdx = new int[b * t];
        java.util.Arrays.fill(typeIdx, -1);
        Map<String, Integer> types = new LinkedHashMap<>();
        for (int i = 0; i < b; i++) {
            String[] s = sentences.get(i);
            for (int j = 0; j < s.length; j++) {
                String f = s[j];
                int w = words.indexOf(normalize(f));
                if (wordDropout > 0 && w >= words.reserved()
                        && rng.nextDouble() < wordDropout / (wordDropout + words.count(w))) {
                    w = words.unknownIndex();
                }
                wordIds[i * t + j] = w;
                caseIds[i * t + j] = f.equals(ROOT) ? CaseFeature.OTHER : CaseFeature.of(f);
                Integer k = types.get(f);
                if (k == null) {
                    k = types.size();
                    types.put(f, k);
                }
                typeIdx[i * t + j] = k;
            }
        }
        int u = types.size();
        int lc = maxChars + 2;
        int[] charIds = new int[u * lc];
        float[] penalty = new float[u * maxChars];
        java.util.Arrays.fill(penalty, CHAR_PAD_PENALTY);
        int row = 0;
        for (String f : types.keySet()) {
            int[] cps = f.codePoints().toArray();
            int n = Math.min(cps.length, maxChars);
            int head = cps.length > maxChars ? maxChars / 2 : n;
            charIds[row * lc] = BOW;
            for (int j = 0; j < n; j++) {
                int cp = j < head ? cps[j] : cps[cps.length - (n - j)];
                charIds[row * lc + 1 + j] = chars.indexOf(new String(Character.toChars(cp)));
            }
            charIds[row * lc + 1 + n] = EOW;
            for (int j = 0; j < n; j++) {
                penalty[row * maxChars + j] = 0f;
            }
            row++;
        }
        TokenVectors v = vectors;
        return new EncoderBatch(lengths, t, wordIds, caseIds, u, charIds, penalty, typeIdx,
                v == null ? null : v.batch(sentences, t));
    }

    /** Writes the vocabularies and the character limit as metadata {@code PREFIX/words}, {@code PREFIX/chars},
     * {@code PREFIX/maxChars} (the layout every model file uses). */
    public void save(ParameterStore store, String prefix) {
        store.putMetadata(prefix + "/words", words.toJson());
        store.putMetadata(prefix + "/chars", chars.toJson());
        store.putMetadata(prefix + "/maxChars", Integer.toString(maxChars()));
    }

    /** Reads a featurizer written by {@link #save(ParameterStore, String)}. */
    public static TokenFeaturizer load(ParameterStore store, String prefix) {
        return new TokenFeaturizer(Vocabulary.fromJson(store.requireMetadata(prefix + "/words")),
                Vocabulary.fromJson(store.requireMetadata(prefix + "/chars")),
                Integer.parseInt(store.requireMetadata(prefix + "/maxChars")));
    }
}
