package io.github.sparsestruct.models.analysis;

import io.github.sparsestruct.models.decode.Decoding;
import java.util.Locale;

/**
 * What the adapters (UIMA, CoreNLP, CLI) ask of an analyzer: the decoding, how many alternatives to keep, the
 * lightest weight kept, and the longest sentence decoded as a whole.
 *
 * <p>Alternatives: the heaviest {@code maxAlternatives} structures of weight ≥ {@code minWeight} are kept (the best one
 * always), and their weights are renormalised to sum to 1. Candidate spans / arcs keep their marginal weight under
 * the full decoded distribution and are listed when it is ≥ {@code minWeight}.
 *
 * <p>Sentences longer than {@code maxSentenceLength} tokens are cut into consecutive chunks of at most that many
 * tokens, each decoded with {@code map} (one structure of weight 1; for parsing, each chunk's root attaches to the
 * sentence root), and the result is marked {@code chunked}; the analyzer logs a warning naming the sentence length.
 *
 * @param decode            decoding mode, lower case (NER: map, marginals, sparsemap, dp_l2; parsing: map,
 *                          marginals, sparsemap; alignment: map, sparsemap, marginals)
 * @param maxAlternatives   most alternatives kept per sentence (≥ 1)
 * @param minWeight         lightest alternative / candidate kept, in [0, 1)
 * @param maxSentenceLength longest sentence decoded as a whole (≥ 1)
 */
public record AnalysisOptions(String decode, int maxAlternatives, double minWeight, int maxSentenceLength) {
    /** Default decoding. */
    public static final String DEFAULT_DECODE = "sparsemap";
    /** Default number of alternatives. */
    public static final int DEFAULT_MAX_ALTERNATIVES = 5;
    /** Default lightest weight kept. */
    public static final double DEFAULT_MIN_WEIGHT = 0.01;
    /** Default longest sentence decoded as a whole. */
    public static final int DEFAULT_MAX_SENTENCE_LENGTH = 250;

    /** Validates the values; errors name the allowed ones. */
    public AnalysisOptions {
        decode = decode == null ? DEFAULT_DECODE : decode.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (maxAlternatives < 1) {
            throw new IllegalArgumentException("maxAlternatives must be at least 1, got " + maxAlternatives);
        }
        if (!(minWeight >= 0 && minWeight < 1)) {
            throw new IllegalArgumentException("minWeight must be in [0, 1), got " + minWeight);
        }
        if (maxSentenceLength < 1) {
            throw new IllegalArgumentException("maxSentenceLength must be at least 1, got " + maxSentenceLength);
        }
    }

    /** sparsemap, 5 alternatives, weights ≥ 0.01, sentences up to 250 tokens. */
    public static AnalysisOptions defaults() {
        return new AnalysisOptions(DEFAULT_DECODE, DEFAULT_MAX_ALTERNATIVES, DEFAULT_MIN_WEIGHT,
                DEFAULT_MAX_SENTENCE_LENGTH);
    }

    /** The same with another decoding. */
    public AnalysisOptions withDecode(String d) {
        return new AnalysisOptions(d, maxAlternatives, minWeight, maxSentenceLength);
    }

    /** The same with other limits. */
    public AnalysisOptions withLimits(int alternatives, double weight, int sentenceLength) {
        return new AnalysisOptions(decode, alternatives, weight, sentenceLength);
    }

    /** The decoding named by {@link #decode()}, or an error naming the task and listing its decodings. */
    public Decoding decoding(Decoding.Task task) {
        return task.parse(decode);
    }
}
