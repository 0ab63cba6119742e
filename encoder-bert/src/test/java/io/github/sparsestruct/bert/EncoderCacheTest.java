package io.github.sparsestruct.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.models.pretrained.CacheDirectory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderCacheTest {
    @TempDir
    Path tmp;

    private final AtomicInteger extractions = new AtomicInteger();
    private final TinyBert model = TinyBert.standard(99);

    private EncoderCache.Spec spec() {
        return new EncoderCache.Spec("tiny", 2, new int[] {0, 1}, dir -> {
            extractions.incrementAndGet();
            model.writeSavedModel(dir);
        });
    }

    @Test
    void convertsOnceThenReuses() throws Exception {
        EncoderCache cache = new EncoderCache(tmp.resolve("cache"));
        EncoderCache.Converted a = cache.ensure(spec());
        assertThat(a.dir()).isEqualTo(tmp.resolve("cache/tiny/" + EncoderCache.VERSION).toAbsolutePath());
        try (Stream<Path> s = Files.list(a.dir())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("MANIFEST",
                    "model-fp32.onnx", "model-fp32.onnx.data", "model-int8.onnx", "model-int8.onnx.data",
                    "model-int8-s8.onnx", "model-int8-s8.onnx.data", "vocab.txt");
        }
        assertThat(a.int8ForCpu()).isEqualTo(CpuFeatures.hasVnni() ? a.int8s8() : a.int8());
        assertThat(Files.readAllLines(a.vocab())).hasSize(50).startsWith("[PAD]", "[UNK]", "[CLS]", "[SEP]");
        EncoderCache.Converted b = new EncoderCache(tmp.resolve("cache")).ensure(spec());
        assertThat(b).isEqualTo(a);
        assertThat(extractions).hasValue(1);
        try (OnnxBert bert = new OnnxBert(a.fp32(), 1)) {
            int[] ids = model.randomIds(new Random(1), 5);
            double[][][] want = new ReferenceBert(model).forward(ids);
            float[] got = bert.run(new int[][] {ids})[0][1];
            for (int t = 0; t < 5; t++) {
                for (int i = 0; i < 32; i++) {
                    assertThat((double) got[t * 32 + i]).isCloseTo(want[1][t][i],
                            org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }
    }

    @Test
    void concurrentBuildersConvertOnceAndAgree() throws Exception {
        Path root = tmp.resolve("cache");
        int n = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<EncoderCache.Converted>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(pool.submit(() -> {
                    start.await();
                    return new EncoderCache(root).ensure(spec()); // a separate instance each, as processes would
                }));
            }
            start.countDown();
            EncoderCache.Converted first = fs.get(0).get();
            for (Future<EncoderCache.Converted> f : fs) {
                assertThat(f.get()).isEqualTo(first);
            }
            assertThat(extractions).hasValue(1);
            assertThat(EncoderCache.check(first.dir())).isNull();
            try (Stream<Path> s = Files.list(root.resolve("tiny"))) {
                assertThat(s.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(EncoderCache.VERSION, EncoderCache.VERSION + ".lock");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void corruptedFileIsDetectedAndRebuilt() throws Exception {
        EncoderCache cache = new EncoderCache(tmp.resolve("cache"));
        EncoderCache.Converted a = cache.ensure(spec());
        Path data = a.dir().resolve("model-fp32.onnx.data");
        byte[] good = Files.readAllBytes(data);
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (good[100] ^ 0x55)}), 100);
        }
        assertThat(EncoderCache.check(a.dir())).contains("model-fp32.onnx.data").contains("SHA-256");
        EncoderCache.Converted b = cache.ensure(spec());
        assertThat(extractions).hasValue(2);
        assertThat(Files.readAllBytes(b.dir().resolve("model-fp32.onnx.data"))).isEqualTo(good);
        assertThat(EncoderCache.check(b.dir())).isNull();

        Files.delete(b.vocab());
        assertThat(EncoderCache.check(b.dir())).contains("missing vocab.txt");
        Files.write(b.dir().resolve("MANIFEST"), List.of("0 1 model-fp32.onnx"), StandardOpenOption.APPEND);
        assertThat(EncoderCache.check(b.dir())).isNotNull();
    }

    @Test
    void leftoversOfADeadBuilderAreCleanedUp() throws Exception {
        Path base = tmp.resolve("cache/tiny");
        Files.createDirectories(base.resolve(EncoderCache.VERSION + ".tmp-123/src"));
        Files.createDirectories(base.resolve(EncoderCache.VERSION)); // a half-written result without a manifest
        EncoderCache.Converted a = new EncoderCache(tmp.resolve("cache")).ensure(spec());
        assertThat(EncoderCache.check(a.dir())).isNull();
        try (Stream<Path> s = Files.list(base)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(EncoderCache.VERSION, EncoderCache.VERSION + ".lock");
        }
    }

    @Test
    void olderLayoutsAreListedAndKept() throws Exception {
        Path base = tmp.resolve("cache/tiny");
        Files.createDirectories(base.resolve("v1"));
        Files.createDirectories(base.resolve("v2"));
        Files.createDirectories(base.resolve("v2x")); // not a layout folder
        EncoderCache cache = new EncoderCache(tmp.resolve("cache"));
        assertThat(cache.olderLayouts(spec())).containsExactly(base.resolve("v1"), base.resolve("v2"));
        cache.ensure(spec());
        // a process of an older version may still read them: listed in the log, never deleted
        assertThat(base.resolve("v2")).isDirectory();
        assertThat(cache.olderLayouts(spec())).hasSize(2).doesNotContain(base.resolve(EncoderCache.VERSION));
        assertThat(new EncoderCache(tmp.resolve("none")).olderLayouts(spec())).isEmpty();
    }

    @Test
    void aFailingSourceLeavesNoResult() {
        EncoderCache cache = new EncoderCache(tmp.resolve("cache"));
        EncoderCache.Spec bad = new EncoderCache.Spec("tiny", 2, new int[] {0}, dir -> {
            throw new IOException("no weights here");
        });
        assertThatThrownBy(() -> cache.ensure(bad)).isInstanceOf(IOException.class).hasMessage("no weights here");
        assertThat(tmp.resolve("cache/tiny/" + EncoderCache.VERSION)).doesNotExist();
    }

    @Test
    void rootComesFromThePropertyFirst() {
        String old = System.getProperty(CacheDirectory.PROPERTY);
        try {
            System.setProperty(CacheDirectory.PROPERTY, tmp.resolve("p").toString());
            assertThat(EncoderCache.defaultRoot()).isEqualTo(tmp.resolve("p"));
            System.clearProperty(CacheDirectory.PROPERTY);
            String env = System.getenv(CacheDirectory.ENV);
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path want = env != null && !env.isBlank() ? Path.of(env)
                    : xdg != null && !xdg.isBlank() ? Path.of(xdg, "sparsestruct")
                    : Path.of(System.getProperty("user.home"), ".cache", "sparsestruct");
            assertThat(EncoderCache.defaultRoot()).isEqualTo(want);
        } finally {
            if (old != null) {
                System.setProperty(CacheDirectory.PROPERTY, old);
            }
        }
    }

    @Test
    void badNamesAreRefused() {
        assertThatThrownBy(() -> new EncoderCache.Spec("../x", 2, new int[] {0}, d -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
