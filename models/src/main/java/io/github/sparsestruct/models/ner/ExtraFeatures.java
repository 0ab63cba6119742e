package io.github.sparsestruct.models.ner;

import java.util.List;

/** The per-token features beside the encoder: gazetteer matches, then word-vector windows (either may be absent). */
final class ExtraFeatures {
    private final Gazetteer gazetteer;
    private final WordVectors vectors;
    private final int count;

    ExtraFeatures(Gazetteer gazetteer, WordVectors vectors) {
        this.gazetteer = gazetteer;
        this.vectors = vectors;
        this.count = (gazetteer == null ? 0 : gazetteer.featureCount())
                + (vectors == null ? 0 : vectors.featureCount());
    }

    /** Features per token (0 when there is neither a gazetteer nor word vectors). */
    int count() {
        return count;
    }

    /** The extra features of a batch, row-major [B, T, F], zero on padding. */
    float[] batch(List<String[]> forms, int t) {
        int f = count;
        float[] all = new float[forms.size() * t * f];
        for (int i = 0; i < forms.size(); i++) {
            float[] g = sentence(forms.get(i));
            System.arraycopy(g, 0, all, i * t * f, g.length);
        }
        return all;
    }

    /**
     * The extra features of one sentence, row-major [n, F]: per token, the gazetteer's match features, then the word
     * vectors' window features.
     */
    float[] sentence(String[] forms) {
        if (vectors == null) {
            return gazetteer.features(forms);
        }
        if (gazetteer == null) {
            return vectors.features(forms);
        }
        int n = forms.length;
        int fg = gazetteer.featureCount();
        int fv = vectors.featureCount();
        float[] g = gazetteer.features(forms);
        float[] v = vectors.features(forms);
        float[] out = new float[n * count];
        for (int k = 0; k < n; k++) {
            System.arraycopy(g, k * fg, out, k * count, fg);
            System.arraycopy(v, k * fv, out, k * count + fg, fv);
        }
        return out;
    }
}
