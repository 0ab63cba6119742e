package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.nn.Json;
import io.github.sparsestruct.models.nn.ParameterStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pretrained word vectors (GloVe, word2vec text format) as fixed per-token features of the NER head: what the tagger
 * cannot learn from its training data, that "Accenture" is a company or "Ouagadougou" a place.
 *
 * <p>Lookup is case-insensitive (lower-cased with {@link Locale#ROOT}, as the uncased GloVe vectors are). Token t of a
 * sentence gets {@code 3 × dim + 1} features: the vectors of tokens t − 1, t and t + 1 (zeros outside the sentence or
 * for a word without a vector), then 1 when token t has no vector. The vectors are not trained; a model stores them
 * ({@link #save}), so annotating needs nothing else. Immutable and thread-safe.
 */
public final class WordVectors {
    /** Metadata key suffix of the word list; the vectors are the array {@code PREFIX/vectors}. */
    private static final String WORDS = "/vectorWords";
    private static final String VECTORS = "/vectors";

    private final String[] words;
    private final float[] vectors;
    private final int dim;
    private final Map<String, Integer> index;

    private WordVectors(String[] words, float[] vectors, int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("word vectors need at least one dimension, not " + dim);
        }
        if ((long) words.length * dim != vectors.length) {
            throw new IllegalArgumentException(words.length + " words of dimension " + dim + " need "
                    + (long) words.length * dim + " values, found " + vectors.length);
        }
        for (float v : vectors) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("word vectors must be finite, found " + v);
            }
        }
        this.words = words;
        this.vectors = vectors;
        this.dim = dim;
        this.index = new HashMap<>(words.length * 2);
        for (int i = 0; i < words.length; i++) {
            index.putIfAbsent(words[i].toLowerCase(Locale.ROOT), i);
        }
    }

    /**
     * Vectors from memory.
     *
     * @param words   the words, one per row
     * @param vectors row-major [words, dim]
     * @throws IllegalArgumentException when the sizes disagree, dim is below 1 or a value is not finite
     */
    public static WordVectors of(List<String> words, float[] vectors, int dim) {
        return new WordVectors(words.toArray(new String[0]), vectors.clone(), dim);
    }

    /**
     * Reads a text file (UTF-8): one word per line followed by its values, separated by spaces (GloVe's format); a
     * first line of two integers (word2vec's "count dim" header) is skipped; blank lines are skipped. Every line must
     * have the same number of values.
     *
     * @throws IOException              naming the file when it is missing or unreadable
     * @throws IllegalArgumentException naming the file and line when a line is malformed, has another number of
     *                                  values than the first, or a value that is not a finite number; or when the
     *                                  file holds no vector
     */
    public static WordVectors read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "word vector file not found");
        }
        List<String> words = new ArrayList<>();
        float[] values = new float[1 << 16];
        int size = 0;
        int dim = -1;
        int lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty()) {
                    continue;
                }
                String[] parts = s.split(" +");
                if (lineNo == 1 && parts.length == 2 && parts[0].matches("\\d+") && parts[1].matches("\\d+")) {
                    continue;
                }
                if (parts.length < 2) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": expected a word and its values");
                }
                if (dim < 0) {
                    dim = parts.length - 1;
                } else if (parts.length - 1 != dim) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": " + (parts.length - 1)
                            + " values, the first line has " + dim);
                }
                if (size + dim > values.length) {
                    values = Arrays.copyOf(values, Math.max(values.length * 2, size + dim));
                }
                for (int k = 1; k < parts.length; k++) {
                    float v;
                    try {
                        v = Float.parseFloat(parts[k]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + ":" + lineNo + ": '" + parts[k]
                                + "' is not a number");
                    }
                    if (!Float.isFinite(v)) {
                        throw new IllegalArgumentException(file + ":" + lineNo + ": value " + parts[k]
                                + " is not finite");
                    }
                    values[size++] = v;
                }
                words.add(parts[0]);
            }
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException(file + ": no word vectors (lines: word value value ...)");
        }
        return new WordVectors(words.toArray(new String[0]), Arrays.copyOf(values, size), dim);
    }

    /** Number of words. */
    public int size() {
        return words.length;
    }

    /** The i-th word, in file order. */
    public String word(int i) {
        return words[i];
    }

    /** Values per word. */
    public int dim() {
        return dim;
    }

    /** Features per token: {@code 3 × dim + 1}. */
    public int featureCount() {
        return 3 * dim + 1;
    }

    /** The vector of a word (case-insensitive), a copy, or null when it has none. */
    public float[] vector(String word) {
        Integer i = index.get(word.toLowerCase(Locale.ROOT));
        return i == null ? null : Arrays.copyOfRange(vectors, i * dim, (i + 1) * dim);
    }

    /** The features of a sentence, row-major [tokens, {@link #featureCount()}]. */
    public float[] features(String[] forms) {
        int n = forms.length;
        int f = featureCount();
        float[] out = new float[n * f];
        int[] row = new int[n];
        for (int t = 0; t < n; t++) {
            Integer i = index.get(forms[t].toLowerCase(Locale.ROOT));
            row[t] = i == null ? -1 : i;
        }
        for (int t = 0; t < n; t++) {
            for (int w = -1; w <= 1; w++) {
                int u = t + w;
                if (u >= 0 && u < n && row[u] >= 0) {
                    System.arraycopy(vectors, row[u] * dim, out, t * f + (w + 1) * dim, dim);
                }
            }
            if (row[t] < 0) {
                out[t * f + 3 * dim] = 1;
            }
        }
        return out;
    }

    /** Stores the words (metadata {@code prefix/vectorWords}) and vectors (array {@code prefix/vectors}). */
    public void save(ParameterStore store, String prefix) {
        store.putMetadata(prefix + WORDS, Json.write(words));
        store.putArray(prefix + VECTORS, new ParameterStore.StoredArray(new long[] {words.length, dim},
                vectors.clone()));
    }

    /**
     * The vectors saved under a prefix, or null when the store has none.
     *
     * @throws IllegalArgumentException when the word list is there but the array is missing or of another shape
     */
    public static WordVectors load(ParameterStore store, String prefix) {
        String w = store.getMetadata(prefix + WORDS);
        if (w == null) {
            return null;
        }
        String[] words = Json.read(w, String[].class);
        ParameterStore.StoredArray a = store.getArray(prefix + VECTORS);
        if (a == null || a.shape().length != 2 || a.shape()[0] != words.length) {
            throw new IllegalArgumentException("model lists " + words.length + " words with vectors but its array '"
                    + prefix + VECTORS + "' is " + (a == null ? "missing" : Arrays.toString(a.shape())));
        }
        return new WordVectors(words, a.data(), (int) a.shape()[1]);
    }
}
