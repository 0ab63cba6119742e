package io.github.sparsestruct.models.train;

import io.github.sparsestruct.models.format.ModelFormatException;
import io.github.sparsestruct.models.format.ParameterFiles;
import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.nn.ParameterStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache of a teacher's soft targets (distillation, docs/training.md): one file of the model format (task
 * {@value #CACHE_TASK}) holding, for every sentence, a fixed number of parts (arrays whose lengths follow from the
 * sentence), stored as float32, with a key that names the teacher, the labels and the sentences. A cache whose key
 * differs, or that cannot be read, is computed again and overwritten.
 */
public final class TeacherCache {
    /** The cache's task name in the model-file header. */
    public static final String CACHE_TASK = "teacher-targets";
    private static final Logger LOG = LoggerFactory.getLogger(TeacherCache.class);

    private TeacherCache() {
    }

    /** The length of part {@code part} of sentence {@code sentence}'s targets. */
    @FunctionalInterface
    public interface PartLength {
        /** The number of values of the part. */
        int of(int sentence, int part);
    }

    /**
     * The targets, from {@code cache} when its key is {@code key}, else from {@code compute} (then written there;
     * {@code cache} null: never cached).
     *
     * @param parts   the number of arrays per sentence
     * @param length  the length of part p of sentence i: (i, p) → length
     * @param count   the number of sentences
     * @return per sentence its parts
     */
    public static List<double[][]> cached(Path cache, String key, int parts, int count,
                                          PartLength length,
                                          Supplier<List<double[][]>> compute) throws IOException {
        if (cache != null && Files.isRegularFile(cache)) {
            try {
                ParameterStore st = ParameterFiles.load(cache, CACHE_TASK);
                if (("\"" + key + "\"").equals(st.getMetadata("key"))) {
                    LOG.info("teacher targets of {} sentences read from {}", count, cache);
                    return read(st, parts, count, length);
                }
                LOG.info("{} holds the targets of another teacher or other sentences: computing them again", cache);
            } catch (ModelFormatException | IllegalArgumentException e) {
                LOG.warn("teacher cache {} is unreadable ({}): computing the targets again", cache, e.getMessage());
            }
        }
        long t0 = System.nanoTime();
        List<double[][]> t = compute.get();
        if (t.size() != count) {
            throw new IllegalStateException("the teacher gave " + t.size() + " targets for " + count + " sentences");
        }
        LOG.info("teacher targets of {} sentences computed in {} s", count,
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        if (cache != null) {
            write(cache, key, parts, t);
        }
        return t;
    }

    private static void write(Path cache, String key, int parts, List<double[][]> targets) throws IOException {
        InMemoryParameterStore st = new InMemoryParameterStore();
        st.putMetadata("key", "\"" + key + "\"");
        for (int p = 0; p < parts; p++) {
            int len = 0;
            for (double[][] t : targets) {
                len += t[p].length;
            }
            float[] a = new float[len];
            int at = 0;
            for (double[][] t : targets) {
                for (double x : t[p]) {
                    a[at++] = (float) x;
                }
            }
            st.putArray("part" + p, new ParameterStore.StoredArray(new long[] {len}, a));
        }
        ParameterFiles.save(cache, CACHE_TASK, st, null);
    }

    private static List<double[][]> read(ParameterStore st, int parts, int count,
                                         PartLength length) {
        float[][] a = new float[parts][];
        for (int p = 0; p < parts; p++) {
            ParameterStore.StoredArray s = st.getArray("part" + p);
            if (s == null) {
                throw new IllegalArgumentException("teacher cache has no part " + p);
            }
            a[p] = s.data();
        }
        int[] at = new int[parts];
        List<double[][]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double[][] t = new double[parts][];
            for (int p = 0; p < parts; p++) {
                int len = length.of(i, p);
                if (at[p] + len > a[p].length) {
                    throw new IllegalArgumentException("teacher cache is shorter than its sentences");
                }
                t[p] = new double[len];
                for (int k = 0; k < len; k++) {
                    t[p][k] = a[p][at[p]++];
                }
            }
            out.add(t);
        }
        for (int p = 0; p < parts; p++) {
            if (at[p] != a[p].length) {
                throw new IllegalArgumentException("teacher cache is longer than its sentences");
            }
        }
        return out;
    }

    /** SHA-256 of the teacher id, the labels and every sentence's tokens: what a cache must match. */
    public static String key(String teacherId, List<String> labels, List<String[]> sentences) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((teacherId + "\u0000" + String.join("\u0001", labels) + "\u0000")
                    .getBytes(StandardCharsets.UTF_8));
            for (String[] f : sentences) {
                md.update(String.join("\u0001", f).getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
