package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.nn.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Vocabulary expansion for a transferred encoder: words that the source model never saw, but that pretrained word
 * vectors know, get word embeddings mapped from their vectors, so the BiLSTM reads "Accenture" as something like the
 * trained words whose vectors resemble it instead of as the unknown word.
 *
 * <p>The map is affine, e = g·A + b, fitted by ridge regression (penalty λ on A, not on b) on the source vocabulary's
 * words that have a vector (their trained embeddings as targets); it is the vocabulary expansion of Kiros et al.
 * (2015, "Skip-thought vectors", §3.1). New words are taken in the vector file's order (most frequent first for
 * GloVe), keyed as the featurizer keys words ({@link TokenFeaturizer#normalize}), skipping words already known, up
 * to a limit. They get training count 0, so word dropout always hides them during training: the encoder is trained
 * on the source words only and meets the mapped embeddings at prediction time.
 *
 * @param vocabulary the source word vocabulary followed by the new words
 * @param rows       the new words' embeddings, row-major [added, dim]
 * @param added      how many words were added
 * @param fitted     how many source words the map was fitted on
 * @param r2         the share of the target embeddings' variance the map explains on those words
 */
public record VocabularyExpansion(Vocabulary vocabulary, float[] rows, int added, int fitted, double r2) {
    /** Ridge penalty on the map's weights. */
    public static final double RIDGE = 1.0;

    /**
     * Fits the map and adds up to {@code limit} words.
     *
     * @param words   the source word vocabulary
     * @param table   the source word embeddings, row-major [words.size(), dim]
     * @param dim     the embedding size
     * @param vectors the pretrained vectors
     * @param limit   the most words to add (≥ 0)
     * @throws IllegalArgumentException when fewer source words have a vector than the map has coefficients
     */
    public static VocabularyExpansion fit(Vocabulary words, float[] table, int dim, WordVectors vectors, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("cannot add a negative number of words: " + limit);
        }
        if ((long) words.size() * dim != table.length) {
            throw new IllegalArgumentException("embedding table has " + table.length + " values, " + words.size()
                    + " words of dimension " + dim + " need " + (long) words.size() * dim);
        }
        int p = vectors.dim() + 1;
        List<float[]> xs = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = words.reserved(); i < words.size(); i++) {
            float[] g = vectors.vector(words.get(i));
            if (g != null) {
                xs.add(g);
                ids.add(i);
            }
        }
        if (xs.size() < p) {
            throw new IllegalArgumentException("only " + xs.size() + " of the source's " + words.size()
                    + " words have a vector; mapping vectors of dimension " + vectors.dim() + " needs at least " + p);
        }
        // normal equations (XᵀX + λI')B = XᵀY, X = [g, 1], the bias unpenalised
        double[] xtx = new double[p * p];
        double[] xty = new double[p * dim];
        double[] x = new double[p];
        for (int n = 0; n < xs.size(); n++) {
            float[] g = xs.get(n);
            for (int a = 0; a < p - 1; a++) {
                x[a] = g[a];
            }
            x[p - 1] = 1;
            int row = ids.get(n) * dim;
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    xtx[a * p + b] += x[a] * x[b];
                }
                for (int k = 0; k < dim; k++) {
                    xty[a * dim + k] += x[a] * table[row + k];
                }
            }
        }
        for (int a = 0; a < p - 1; a++) {
            xtx[a * p + a] += RIDGE;
        }
        double[] coef = solveSpd(xtx, xty, p, dim);
        double r2 = explained(xs, ids, table, dim, coef, p);
        List<String> items = new ArrayList<>(words.items());
        int[] counts = Arrays.copyOf(words.counts(), words.size() + Math.min(limit, vectors.size()));
        Set<String> seen = new HashSet<>(words.items());
        float[] rows = new float[Math.min(limit, vectors.size()) * dim];
        int added = 0;
        for (int i = 0; i < vectors.size() && added < limit; i++) {
            String key = TokenFeaturizer.normalize(vectors.word(i));
            if (!seen.add(key)) {
                continue;
            }
            float[] g = vectors.vector(vectors.word(i));
            for (int k = 0; k < dim; k++) {
                double e = coef[(p - 1) * dim + k];
                for (int a = 0; a < p - 1; a++) {
                    e += g[a] * coef[a * dim + k];
                }
                rows[added * dim + k] = (float) e;
            }
            items.add(key);
            counts[words.size() + added] = 0;
            added++;
        }
        Vocabulary v = new Vocabulary(items, Arrays.copyOf(counts, words.size() + added), words.reserved());
        return new VocabularyExpansion(v, Arrays.copyOf(rows, added * dim), added, xs.size(), r2);
    }

    /** 1 − residual / total sum of squares of the fitted words' embeddings (each column about its mean). */
    private static double explained(List<float[]> xs, List<Integer> ids, float[] table, int dim, double[] coef,
                                    int p) {
        double[] mean = new double[dim];
        for (int id : ids) {
            for (int k = 0; k < dim; k++) {
                mean[k] += table[id * dim + k] / ids.size();
            }
        }
        double res = 0;
        double tot = 0;
        for (int n = 0; n < xs.size(); n++) {
            float[] g = xs.get(n);
            for (int k = 0; k < dim; k++) {
                double e = coef[(p - 1) * dim + k];
                for (int a = 0; a < p - 1; a++) {
                    e += g[a] * coef[a * dim + k];
                }
                double y = table[ids.get(n) * dim + k];
                res += (y - e) * (y - e);
                tot += (y - mean[k]) * (y - mean[k]);
            }
        }
        return tot == 0 ? 1 : 1 - res / tot;
    }

    /** Solves M·B = R for a symmetric positive definite M [p, p] and R [p, m] by Cholesky; returns B [p, m]. */
    static double[] solveSpd(double[] m, double[] r, int p, int cols) {
        double[] l = new double[p * p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j <= i; j++) {
                double s = m[i * p + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * p + k] * l[j * p + k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("the vectors of the source words are linearly dependent; "
                                + "cannot fit the map");
                    }
                    l[i * p + i] = Math.sqrt(s);
                } else {
                    l[i * p + j] = s / l[j * p + j];
                }
            }
        }
        double[] b = r.clone();
        for (int c = 0; c < cols; c++) {
            for (int i = 0; i < p; i++) {
                double s = b[i * cols + c];
                for (int k = 0; k < i; k++) {
                    s -= l[i * p + k] * b[k * cols + c];
                }
                b[i * cols + c] = s / l[i * p + i];
            }
            for (int i = p - 1; i >= 0; i--) {
                double s = b[i * cols + c];
                for (int k = i + 1; k < p; k++) {
                    s -= l[k * p + i] * b[k * cols + c];
                }
                b[i * cols + c] = s / l[i * p + i];
            }
        }
        return b;
    }
}
