package io.github.sparsestruct.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxBertTest {
    @TempDir
    static Path tmp;
    static TinyBert model;
    static ReferenceBert ref;
    static OnnxBert fp32;
    static OnnxBert int8;

    @BeforeAll
    static void build() throws Exception {
        model = TinyBert.standard(20240611L);
        ref = new ReferenceBert(model);
        model.writeSavedModel(tmp);
        try (TensorBundle b = TensorBundle.open(tmp.resolve("variables"))) {
            OnnxBertBuilder builder = new OnnxBertBuilder(b, BertConfig.of(b, 2));
            builder.write(tmp.resolve("fp32.onnx"), OnnxBertBuilder.Precision.FP32, 0, 1);
            builder.write(tmp.resolve("int8.onnx"), OnnxBertBuilder.Precision.INT8, 0, 1);
            builder.write(tmp.resolve("int8s8.onnx"), OnnxBertBuilder.Precision.INT8_S8, 0, 1);
            builder.write(tmp.resolve("first.onnx"), OnnxBertBuilder.Precision.FP32, 0);
        }
        fp32 = new OnnxBert(tmp.resolve("fp32.onnx"), 1);
        int8 = new OnnxBert(tmp.resolve("int8.onnx"), 1);
    }

    @AfterAll
    static void close() {
        fp32.close();
        int8.close();
    }

    @Test
    void weightsLieInOneExternalFileAndTheProtobufStaysSmall() throws IOException {
        Path data = tmp.resolve("fp32.onnx.data");
        long weights = 0;
        for (float[] v : model.w.values()) {
            weights += 4L * v.length;
        }
        assertThat(Files.size(data)).isGreaterThanOrEqualTo(weights);
        assertThat(Files.size(tmp.resolve("fp32.onnx"))).isLessThan(weights / 2);
    }

    @Test
    void describesItsOutputs() {
        assertThat(fp32.hidden()).isEqualTo(32);
        assertThat(fp32.outputLayers()).containsExactly(0, 1);
        assertThat(fp32.maxLength()).isEqualTo(40);
    }

    @Test
    void fp32MatchesTheReferenceForwardPass() throws Exception {
        Random r = new Random(5);
        int[] lengths = {1, 2, 3, 7, 12, 40};
        for (int len : lengths) {
            int[] ids = model.randomIds(r, len);
            float[][][] out = fp32.run(new int[][] {ids});
            double[][][] want = ref.forward(ids);
            assertThat(out).hasDimensions(1, 2);
            for (int j = 0; j < 2; j++) {
                assertClose(out[0][j], want[j], 1e-5, "length " + len + " layer " + j);
            }
        }
    }

    @Test
    void paddingInAMixedBatchDoesNotChangeTheRows() throws Exception {
        Random r = new Random(11);
        int[][] batch = {model.randomIds(r, 9), model.randomIds(r, 1), model.randomIds(r, 17),
            model.randomIds(r, 4)};
        float[][][] out = fp32.run(batch);
        for (int b = 0; b < batch.length; b++) {
            double[][][] want = ref.forward(batch[b]);
            float[][][] alone = fp32.run(new int[][] {batch[b]});
            for (int j = 0; j < 2; j++) {
                assertThat(out[b][j]).hasSize(batch[b].length * 32);
                assertClose(out[b][j], want[j], 1e-5, "row " + b + " layer " + j);
                for (int i = 0; i < out[b][j].length; i++) {
                    assertThat(out[b][j][i]).isCloseTo(alone[0][j][i], org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
        }
    }

    @Test
    void aModelOfTheFirstLayerOnlyStopsThere() throws Exception {
        int[] ids = model.randomIds(new Random(3), 6);
        try (OnnxBert first = new OnnxBert(tmp.resolve("first.onnx"), 1)) {
            assertThat(first.outputLayers()).containsExactly(0);
            float[][][] out = first.run(new int[][] {ids});
            assertClose(out[0][0], ref.forward(ids)[0], 1e-5, "layer 0");
        }
    }

    @Test
    void int8IsCloseToFp32PerToken() throws Exception {
        Random r = new Random(8);
        double worst = 1;
        for (int len : new int[] {1, 5, 13, 30}) {
            int[] ids = model.randomIds(r, len);
            float[][][] a = fp32.run(new int[][] {ids});
            float[][][] q = int8.run(new int[][] {ids});
            for (int j = 0; j < 2; j++) {
                for (int t = 0; t < len; t++) {
                    worst = Math.min(worst, cosine(a[0][j], q[0][j], t * 32, 32));
                }
            }
        }
        assertThat(worst).isGreaterThanOrEqualTo(0.98);
    }

    @Test
    void theS8GraphHoldsTheU8GraphsValuesAsSignedBytesWithZeroPointZero() throws IOException {
        java.util.Map<String, byte[]> u8 = quantisedTensors(tmp.resolve("int8.onnx"));
        java.util.Map<String, byte[]> s8 = quantisedTensors(tmp.resolve("int8s8.onnx"));
        assertThat(s8.keySet()).isEqualTo(u8.keySet()).isNotEmpty();
        for (String name : u8.keySet()) {
            byte[] a = u8.get(name);
            byte[] b = s8.get(name);
            assertThat(b).as(name).hasSameSizeAs(a);
            for (int i = 0; i < a.length; i++) {
                // uint8 q + 128 in the u8 graph (zero point 128), int8 q in the s8 graph (zero point 0)
                assertThat((a[i] & 0xff) - 128).as(name + "[" + i + "]").isEqualTo((int) b[i]);
            }
        }
    }

    @Test
    void onAVnniCpuTheS8GraphGivesTheU8GraphsOutputs() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(CpuFeatures.hasVnni(), "the CPU has no VNNI");
        Random r = new Random(21);
        int[][] batch = {model.randomIds(r, 9), model.randomIds(r, 1), model.randomIds(r, 17), model.randomIds(r, 40)};
        try (OnnxBert s8 = new OnnxBert(tmp.resolve("int8s8.onnx"), 1)) {
            float[][][] a = int8.run(batch);
            float[][][] b = s8.run(batch);
            for (int row = 0; row < batch.length; row++) {
                for (int j = 0; j < 2; j++) {
                    for (int i = 0; i < a[row][j].length; i++) {
                        assertThat(b[row][j][i]).isCloseTo(a[row][j][i], org.assertj.core.data.Offset.offset(1e-5f));
                    }
                }
            }
        }
    }

    /** The quantised kernels ({@code .../kq}) and zero points ({@code .../kz}) of a graph, from its data file. */
    private static java.util.Map<String, byte[]> quantisedTensors(Path graph) throws IOException {
        onnx.Onnx.ModelProto m;
        try (java.io.InputStream in = Files.newInputStream(graph)) {
            m = onnx.Onnx.ModelProto.parseFrom(in);
        }
        boolean signed = m.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals("precision")
                && p.getValue().equals("int8_s8"));
        byte[] data = Files.readAllBytes(graph.resolveSibling(graph.getFileName() + ".data"));
        java.util.Map<String, byte[]> out = new java.util.TreeMap<>();
        for (onnx.Onnx.TensorProto t : m.getGraph().getInitializerList()) {
            boolean zeroPoint = t.getName().endsWith("/kz");
            if (!t.getName().endsWith("/kq") && !zeroPoint) {
                continue;
            }
            assertThat(t.getDataType()).as(t.getName()).isEqualTo((signed ? onnx.Onnx.TensorProto.DataType.INT8
                    : onnx.Onnx.TensorProto.DataType.UINT8).getNumber());
            long offset = 0;
            long length = 0;
            for (onnx.Onnx.StringStringEntryProto e : t.getExternalDataList()) {
                if (e.getKey().equals("offset")) {
                    offset = Long.parseLong(e.getValue());
                } else if (e.getKey().equals("length")) {
                    length = Long.parseLong(e.getValue());
                }
            }
            byte[] v = java.util.Arrays.copyOfRange(data, (int) offset, (int) (offset + length));
            if (zeroPoint) {
                for (byte z : v) {
                    assertThat(z & 0xff).as(t.getName()).isEqualTo(signed ? 0 : 128);
                }
            }
            out.put(t.getName(), v);
        }
        return out;
    }

    @Test
    void badInputIsRefused() throws Exception {
        assertThat(fp32.run(new int[0][])).isEmpty();
        assertThatThrownBy(() -> fp32.run(new int[][] {{}})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fp32.run(new int[][] {new int[41]})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..40");
        assertThatThrownBy(() -> fp32.run(new int[][] {{2, 50, 3}})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("piece id 50");
        assertThatThrownBy(() -> fp32.run(new int[][] {{2, -1}})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outputLayersMustBeDistinctAndInRange() throws IOException {
        try (TensorBundle b = TensorBundle.open(tmp.resolve("variables"))) {
            OnnxBertBuilder builder = new OnnxBertBuilder(b, BertConfig.of(b, 2));
            Path out = tmp.resolve("bad.onnx");
            assertThatThrownBy(() -> builder.write(out, OnnxBertBuilder.Precision.FP32, 2))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> builder.write(out, OnnxBertBuilder.Precision.FP32, 1, 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> builder.write(out, OnnxBertBuilder.Precision.FP32))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void threadCountDefaultsToOne() {
        String old = System.getProperty(OnnxBert.THREADS_PROPERTY);
        try {
            System.setProperty(OnnxBert.THREADS_PROPERTY, "3");
            assertThat(OnnxBert.defaultThreads()).isEqualTo(3);
            System.clearProperty(OnnxBert.THREADS_PROPERTY);
            String omp = System.getenv("OMP_NUM_THREADS");
            int want = omp == null || omp.isBlank() ? 1 : Math.max(1, Integer.parseInt(omp.trim()));
            assertThat(OnnxBert.defaultThreads()).isEqualTo(want);
        } finally {
            if (old != null) {
                System.setProperty(OnnxBert.THREADS_PROPERTY, old);
            }
        }
    }

    static double cosine(float[] a, float[] b, int from, int n) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = from; i < from + n; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    private static void assertClose(float[] got, double[][] want, double tol, String what) {
        int h = want[0].length;
        assertThat(got).as(what).hasSize(want.length * h);
        double worst = 0;
        for (int t = 0; t < want.length; t++) {
            for (int i = 0; i < h; i++) {
                worst = Math.max(worst, Math.abs(got[t * h + i] - want[t][i]));
            }
        }
        assertThat(worst).as(what + ": max abs difference").isLessThanOrEqualTo(tol);
    }

    @Test
    void theDevicePropertyNamesTheCpuOrAGpu() {
        String old = System.getProperty(OnnxBert.DEVICE_PROPERTY);
        try {
            System.clearProperty(OnnxBert.DEVICE_PROPERTY);
            org.assertj.core.api.Assertions.assertThat(OnnxBert.cudaDevice()).isEqualTo(-1);
            System.setProperty(OnnxBert.DEVICE_PROPERTY, "CUDA");
            org.assertj.core.api.Assertions.assertThat(OnnxBert.cudaDevice()).isZero();
            System.setProperty(OnnxBert.DEVICE_PROPERTY, "cuda:3");
            org.assertj.core.api.Assertions.assertThat(OnnxBert.cudaDevice()).isEqualTo(3);
            System.setProperty(OnnxBert.DEVICE_PROPERTY, "gpu");
            org.assertj.core.api.Assertions.assertThatThrownBy(OnnxBert::cudaDevice)
                    .hasMessageContaining("cpu, cuda or cuda:N");
        } finally {
            if (old == null) {
                System.clearProperty(OnnxBert.DEVICE_PROPERTY);
            } else {
                System.setProperty(OnnxBert.DEVICE_PROPERTY, old);
            }
        }
    }
}
