package io.github.sparsestruct.models.pretrained;

import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.nn.PretrainedInput;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Training with a frozen pretrained encoder: the encoder's fp32 outputs on every training and dev sentence are
 * computed once into a {@link VectorTable} (cached under {@link CacheDirectory}), and the model's featurizer reads
 * them from there every epoch.
 */
public final class TrainingVectors {
    /** Precision of the vectors the heads train on. */
    public static final String TRAINING_PRECISION = "fp32";

    private TrainingVectors() {
    }

    /** The encoder configuration that reads the pretrained encoder {@code id}, run at {@code precision}. */
    public static EncoderConfig withPretrained(EncoderConfig e, String id, String precision) {
        PretrainedEncoder enc = PretrainedEncoders.shared(id, TRAINING_PRECISION);
        return e.withPretrained(new PretrainedInput(id, enc.layers(), enc.dim(), precision));
    }

    /**
     * Attaches the table of these sentences' vectors to a featurizer.
     *
     * @param cacheFile the table's cache file, or null for the default one (named by the encoder and a hash of the
     *                  sentences)
     */
    public static VectorTable attach(TokenFeaturizer features, PretrainedInput input, List<String[]> sentences,
                                     Path cacheFile) throws IOException {
        PretrainedEncoder enc = PretrainedEncoders.shared(input.encoder(), TRAINING_PRECISION);
        Path file = cacheFile != null ? cacheFile : CacheDirectory.root().resolve("vectors")
                .resolve(input.encoder() + "-" + TRAINING_PRECISION + "-" + hash(sentences) + ".ssvt");
        VectorTable t = VectorTable.of(enc, sentences, file);
        features.useVectors(t);
        return t;
    }

    private static String hash(List<String[]> sentences) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String[] s : sentences) {
                for (String f : EncoderVectors.content(s)) {
                    md.update(f.getBytes(StandardCharsets.UTF_8));
                    md.update((byte) 0);
                }
                md.update((byte) 1);
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
