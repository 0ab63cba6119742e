package io.github.sparsestruct.bert;

/**
 * Test-only BERT forward pass in plain Java doubles, written from the reference numpy script's math (post-LayerNorm,
 * eps 1e-12, tanh GELU, scale 1/sqrt(head size), token type 0), for one unpadded sentence.
 */
final class ReferenceBert {
    private final TinyBert m;

    ReferenceBert(TinyBert m) {
        this.m = m;
    }

    /** Hidden states of every layer: {@code out[l][t][i]}. */
    double[][][] forward(int[] ids) {
        int n = ids.length;
        int h = m.hidden;
        double[][] x = new double[n][h];
        float[] we = m.get("embeddings/word_embeddings");
        float[] pe = m.get("embeddings/position_embeddings");
        float[] te = m.get("embeddings/token_type_embeddings");
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < h; i++) {
                x[t][i] = (double) we[ids[t] * h + i] + pe[t * h + i] + te[i];
            }
        }
        x = layerNorm(x, "embeddings/LayerNorm/");
        double[][][] out = new double[m.layers][][];
        int hs = h / m.heads;
        for (int l = 0; l < m.layers; l++) {
            String q = "encoder/layer_" + l + "/";
            double[][] qq = dense(x, q + "attention/self/query");
            double[][] kk = dense(x, q + "attention/self/key");
            double[][] vv = dense(x, q + "attention/self/value");
            double[][] ctx = new double[n][h];
            for (int a = 0; a < m.heads; a++) {
                for (int t = 0; t < n; t++) {
                    double[] s = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u < n; u++) {
                        double d = 0;
                        for (int i = 0; i < hs; i++) {
                            d += qq[t][a * hs + i] * kk[u][a * hs + i];
                        }
                        s[u] = d / Math.sqrt(hs);
                        max = Math.max(max, s[u]);
                    }
                    double z = 0;
                    for (int u = 0; u < n; u++) {
                        s[u] = Math.exp(s[u] - max);
                        z += s[u];
                    }
                    for (int u = 0; u < n; u++) {
                        for (int i = 0; i < hs; i++) {
                            ctx[t][a * hs + i] += s[u] / z * vv[u][a * hs + i];
                        }
                    }
                }
            }
            x = layerNorm(add(dense(ctx, q + "attention/output/dense"), x), q + "attention/output/LayerNorm/");
            double[][] mid = dense(x, q + "intermediate/dense");
            for (double[] row : mid) {
                for (int i = 0; i < row.length; i++) {
                    double v = row[i];
                    row[i] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                }
            }
            x = layerNorm(add(dense(mid, q + "output/dense"), x), q + "output/LayerNorm/");
            out[l] = x;
        }
        return out;
    }

    private double[][] dense(double[][] x, String name) {
        float[] k = m.get(name + "/kernel");
        float[] b = m.get(name + "/bias");
        int in = x[0].length;
        int outW = b.length;
        double[][] y = new double[x.length][outW];
        for (int t = 0; t < x.length; t++) {
            for (int j = 0; j < outW; j++) {
                double s = b[j];
                for (int i = 0; i < in; i++) {
                    s += x[t][i] * k[i * outW + j];
                }
                y[t][j] = s;
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int t = 0; t < a.length; t++) {
            for (int i = 0; i < a[0].length; i++) {
                y[t][i] = a[t][i] + b[t][i];
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, String prefix) {
        float[] g = m.get(prefix + "gamma");
        float[] b = m.get(prefix + "beta");
        double[][] y = new double[x.length][x[0].length];
        for (int t = 0; t < x.length; t++) {
            double mean = 0;
            for (double v : x[t]) {
                mean += v;
            }
            mean /= x[t].length;
            double var = 0;
            for (double v : x[t]) {
                var += (v - mean) * (v - mean);
            }
            var /= x[t].length;
            for (int i = 0; i < x[t].length; i++) {
                y[t][i] = (x[t][i] - mean) / Math.sqrt(var + 1e-12) * g[i] + b[i];
            }
        }
        return y;
    }
}
