package io.github.sparsestruct.models.pretrained;

import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.nn.TokenVectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token vectors from a frozen {@link PretrainedEncoder} at prediction time, with a small memo of the latest
 * sentences: the NER model and the parser of one pipeline share one instance per encoder and precision
 * ({@link #shared}), so a sentence that both analyse is encoded once. The memo holds at most
 * {@code sparsestruct.pretrained.memoTokens} tokens (system property; default 8,192, about 100 MB for BERT-base's
 * four layers). Thread-safe.
 */
public final class EncoderVectors implements TokenVectors {
    /** System property: the memo's bound in tokens (0 turns it off). */
    public static final String MEMO_PROPERTY = "sparsestruct.pretrained.memoTokens";
    /** System property: overrides every model's precision ({@code fp32} or {@code int8}). */
    public static final String PRECISION_PROPERTY = "sparsestruct.pretrained.precision";
    private static final Map<String, EncoderVectors> SHARED = new ConcurrentHashMap<>();

    private final PretrainedEncoder encoder;
    private final int width;
    private final int memoTokens;
    private final LinkedHashMap<List<String>, float[]> memo = new LinkedHashMap<>(64, 0.75f, true);
    private int memoSize;

    /** Vectors from an encoder, with a memo of at most {@code memoTokens} tokens. */
    public EncoderVectors(PretrainedEncoder encoder, int memoTokens) {
        this.encoder = encoder;
        this.width = encoder.layers() * encoder.dim();
        this.memoTokens = memoTokens;
    }

    /**
     * The process-wide vectors of an encoder; {@code precision} is the model's, unless
     * {@value #PRECISION_PROPERTY} overrides it.
     */
    public static EncoderVectors shared(String id, String precision) {
        String p = System.getProperty(PRECISION_PROPERTY, precision);
        return SHARED.computeIfAbsent(id + "@" + p, k -> new EncoderVectors(PretrainedEncoders.shared(id, p),
                memoTokens()));
    }

    /** The bound of the shared memos, in tokens: {@value #MEMO_PROPERTY}, default 8,192 (0 or less: no memo). */
    public static int memoTokens() {
        return Integer.getInteger(MEMO_PROPERTY, 8192);
    }

    /**
     * Vectors of the encoder a model names, opened on first use ({@link #shared}), so that loading a model does
     * not load the encoder until it predicts.
     */
    public static TokenVectors lazy(io.github.sparsestruct.models.nn.PretrainedInput input) {
        return new TokenVectors() {
            private volatile EncoderVectors open;

            @Override
            public int width() {
                return input.width();
            }

            @Override
            public float[] batch(List<String[]> sentences, int t) {
                EncoderVectors v = open;
                if (v == null) {
                    v = shared(input.encoder(), input.precision());
                    if (v.width() != input.width()) {
                        throw new IllegalStateException("the pretrained encoder '" + input.encoder() + "' gives "
                                + v.width() + " values per token; the model expects " + input.width());
                    }
                    open = v;
                }
                return v.batch(sentences, t);
            }
        };
    }

    /** The encoder. */
    public PretrainedEncoder encoder() {
        return encoder;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public float[] batch(List<String[]> sentences, int t) {
        List<List<String>> keys = new ArrayList<>(sentences.size());
        List<String[]> missing = new ArrayList<>();
        List<List<String>> missingKeys = new ArrayList<>();
        Map<List<String>, float[]> found = new java.util.HashMap<>();
        synchronized (memo) {
            for (String[] s : sentences) {
                List<String> key = Arrays.asList(content(s));
                keys.add(key);
                float[] v = memo.get(key);
                if (v != null) {
                    found.put(key, v);
                } else if (!found.containsKey(key) && !missingKeys.contains(key)) {
                    missingKeys.add(key);
                    missing.add(key.toArray(new String[0]));
                }
            }
        }
        if (!missing.isEmpty()) {
            List<float[]> got = encoder.encode(missing);
            for (int i = 0; i < missing.size(); i++) {
                found.put(missingKeys.get(i), got.get(i));
            }
            remember(missingKeys, got);
        }
        float[] out = new float[sentences.size() * t * width];
        for (int i = 0; i < sentences.size(); i++) {
            int offset = sentences.get(i).length - keys.get(i).size();
            float[] v = found.get(keys.get(i));
            System.arraycopy(v, 0, out, (i * t + offset) * width, v.length);
        }
        return out;
    }

    private void remember(List<List<String>> keys, List<float[]> values) {
        if (memoTokens <= 0) {
            return;
        }
        synchronized (memo) {
            for (int i = 0; i < keys.size(); i++) {
                if (memo.put(keys.get(i), values.get(i)) == null) {
                    memoSize += keys.get(i).size();
                }
            }
            var it = memo.entrySet().iterator();
            while (memoSize > memoTokens && it.hasNext()) {
                memoSize -= it.next().getKey().size();
                it.remove();
            }
        }
    }

    /** The forms without a leading ROOT pseudo-token (which gets zeros). */
    static String[] content(String[] forms) {
        if (forms.length > 0 && TokenFeaturizer.ROOT.equals(forms[0])) {
            return Arrays.copyOfRange(forms, 1, forms.length);
        }
        return forms;
    }
}
