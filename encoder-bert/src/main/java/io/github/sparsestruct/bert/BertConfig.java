package io.github.sparsestruct.bert;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of a BERT encoder as read from its tensor bundle, plus the number of attention heads (which the weights
 * do not record: BERT-base has 12).
 *
 * @param prefix the tensor-name prefix before {@code embeddings/} and {@code encoder/}, e.g. {@code module/bert/}
 * @param layers number of transformer layers
 * @param hidden hidden width H
 * @param intermediate width of the feed-forward layer
 * @param vocab number of word pieces
 * @param maxPositions number of position embeddings (the longest input, in pieces)
 * @param heads number of attention heads (divides {@code hidden})
 */
public record BertConfig(String prefix, int layers, int hidden, int intermediate, int vocab, int maxPositions,
        int heads) {
    private static final Pattern LAYER = Pattern.compile("encoder/layer_(\\d+)/");

    /** Checks the fields. */
    public BertConfig {
        if (layers < 1 || hidden < 1 || intermediate < 1 || vocab < 1 || maxPositions < 1 || heads < 1) {
            throw new IllegalArgumentException("BERT sizes must be positive: layers " + layers + ", hidden " + hidden
                    + ", intermediate " + intermediate + ", vocab " + vocab + ", positions " + maxPositions
                    + ", heads " + heads);
        }
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden size " + hidden + " is not a multiple of " + heads + " heads");
        }
    }

    /** Width of one attention head. */
    public int headSize() {
        return hidden / heads;
    }

    /** Name of a tensor of the embeddings, e.g. {@code embedding("word_embeddings")}. */
    public String embedding(String rest) {
        return prefix + "embeddings/" + rest;
    }

    /** Name of a tensor of layer {@code l}, e.g. {@code layer(0, "intermediate/dense/kernel")}. */
    public String layer(int l, String rest) {
        return prefix + "encoder/layer_" + l + "/" + rest;
    }

    /**
     * Reads the shape from a bundle: the prefix from the tensor ending in {@code embeddings/word_embeddings}, the layer
     * count from the {@code encoder/layer_N/} names (which must be 0..N-1), hidden and vocab sizes from the word
     * embeddings, the intermediate size from layer 0.
     *
     * @throws IllegalArgumentException the bundle does not hold a BERT encoder of this layout
     */
    public static BertConfig of(TensorBundle bundle, int heads) {
        String prefix = null;
        for (String n : bundle.names()) {
            if (n.endsWith("embeddings/word_embeddings")) {
                prefix = n.substring(0, n.length() - "embeddings/word_embeddings".length());
                break;
            }
        }
        if (prefix == null) {
            throw new IllegalArgumentException("no tensor named ...embeddings/word_embeddings: not a BERT bundle");
        }
        int max = -1;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (String n : bundle.names()) {
            if (n.startsWith(prefix)) {
                Matcher m = LAYER.matcher(n.substring(prefix.length()));
                if (m.lookingAt()) {
                    int l = Integer.parseInt(m.group(1));
                    seen.add(l);
                    max = Math.max(max, l);
                }
            }
        }
        if (max < 0 || seen.size() != max + 1) {
            throw new IllegalArgumentException("encoder layers " + new java.util.TreeSet<>(seen)
                    + " are not numbered 0..N-1");
        }
        long[] word = matrix(bundle, prefix + "embeddings/word_embeddings");
        long[] pos = matrix(bundle, prefix + "embeddings/position_embeddings");
        long[] inter = matrix(bundle, prefix + "encoder/layer_0/intermediate/dense/kernel");
        if (pos[1] != word[1] || inter[0] != word[1]) {
            throw new IllegalArgumentException("inconsistent widths: word embeddings " + word[1]
                    + ", position embeddings " + pos[1] + ", intermediate kernel input " + inter[0]);
        }
        return new BertConfig(prefix, max + 1, Math.toIntExact(word[1]), Math.toIntExact(inter[1]),
                Math.toIntExact(word[0]), Math.toIntExact(pos[0]), heads);
    }

    private static long[] matrix(TensorBundle bundle, String name) {
        if (!bundle.names().contains(name)) {
            throw new IllegalArgumentException("missing tensor " + name);
        }
        long[] s = bundle.shape(name);
        if (s.length != 2) {
            throw new IllegalArgumentException("tensor " + name + " has shape " + java.util.Arrays.toString(s)
                    + ", expected a matrix");
        }
        return s;
    }
}
