package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.decode.SparseDistribution;
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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distillation of a NER model (docs/training.md, "Distillation"): a teacher's marginals as soft targets of the
 * student's structured loss. A Fenchel-Young loss accepts any point of the marginal polytope as its target, so the
 * teacher's CRF marginals (unary and per-position transition, at its calibrated {@code marginals} temperature) are
 * the target as they are ({@code StructuredLoss.softLoss}); where gold tags exist the target is the mix
 * goldWeight·gold + (1 − goldWeight)·teacher, a point of the polytope too. Sentences without tags (text the teacher
 * labels, {@link NerSentence#tags()} null) learn from the teacher alone. The teacher's outputs are computed once and
 * cached in a file of the model format, checked against the teacher and the sentences.
 */
public final class NerDistillation {
    /** The cache's task name in the model-file header. */
    public static final String CACHE_TASK = "ner-teacher-targets";
    private static final Logger LOG = LoggerFactory.getLogger(NerDistillation.class);
    /** Sentences the teacher scores at a time. */
    private static final int TEACH_CHUNK = 512;

    private NerDistillation() {
    }

    /**
     * One sentence's teacher marginals in the student's tag order.
     *
     * @param u unary marginals [n, S]
     * @param v per-position transition marginals [(n − 1), S, S], then start [S] and end [S] (the student polytope's
     *          {@code packExtra} layout)
     */
    public record Target(double[] u, double[] v) {
    }

    /**
     * The soft targets of a training set.
     *
     * @param bySentence the target of each sentence object (identity: the training list's own objects)
     * @param goldWeight the weight of the gold indicators in the mix where a sentence has tags, in [0, 1]
     */
    public record Targets(Map<NerSentence, Target> bySentence, double goldWeight) {
        /** Checks the weight. */
        public Targets {
            if (!(goldWeight >= 0 && goldWeight <= 1)) {
                throw new IllegalArgumentException("the gold weight must be in [0, 1], got " + goldWeight);
            }
        }

        /** The targets of {@code sentences} (in order) from a list of the same length. */
        public static Targets of(List<NerSentence> sentences, List<Target> targets, double goldWeight) {
            if (sentences.size() != targets.size()) {
                throw new IllegalArgumentException(sentences.size() + " sentences but " + targets.size()
                        + " targets");
            }
            Map<NerSentence, Target> m = new IdentityHashMap<>();
            for (int i = 0; i < sentences.size(); i++) {
                m.put(sentences.get(i), targets.get(i));
            }
            return new Targets(m, goldWeight);
        }
    }

    /**
     * The teacher's targets for sentences (each of at least one token), in the student's tag order.
     *
     * @throws IllegalArgumentException when the teacher tags a label the student does not know
     */
    public static List<Target> teach(NerModel teacher, List<String> studentTags, List<String[]> sentences) {
        int s = studentTags.size();
        List<String> tt = teacher.tags();
        int[] map = new int[tt.size()];
        for (int a = 0; a < tt.size(); a++) {
            map[a] = studentTags.indexOf(tt.get(a));
            if (map[a] < 0) {
                throw new IllegalArgumentException("the teacher tags '" + tt.get(a) + "', which the student does "
                        + "not know (its tags: " + studentTags + ")");
            }
        }
        List<Target> out = new ArrayList<>(sentences.size());
        // the teacher's scores a chunk at a time: only the targets of the whole corpus are held
        for (int from = 0; from < sentences.size(); from += TEACH_CHUNK) {
            List<String[]> chunk = sentences.subList(from, Math.min(sentences.size(), from + TEACH_CHUNK));
            for (NerModel.SentenceScores sc : teacher.sentenceScores(chunk)) {
                out.add(target(teacher, sc, map, s));
            }
        }
        return out;
    }

    /** One scored sentence's teacher marginals, remapped to the student's {@code s} tags by {@code map}. */
    private static Target target(NerModel teacher, NerModel.SentenceScores sc, int[] map, int s) {
        List<String> tt = teacher.tags();
        SparseDistribution d = teacher.distribution(sc, Decoding.MARGINALS);
        int n = sc.n();
        int ts = tt.size();
        double[] u = new double[n * s];
        for (int k = 0; k < n; k++) {
            for (int a = 0; a < ts; a++) {
                u[k * s + map[a]] += d.marginals()[k * ts + a];
            }
        }
        double[] v = new double[(n - 1) * s * s + 2 * s];
        double[] tv = d.extraMarginals();
        for (int k = 0; k + 1 < n; k++) {
            for (int a = 0; a < ts; a++) {
                for (int b = 0; b < ts; b++) {
                    v[k * s * s + map[a] * s + map[b]] += tv[k * ts * ts + a * ts + b];
                }
            }
        }
        int start = (n - 1) * ts * ts;
        for (int a = 0; a < ts; a++) {
            v[(n - 1) * s * s + map[a]] += tv[start + a];
            v[(n - 1) * s * s + s + map[a]] += tv[start + ts + a];
        }
        return new Target(u, v);
    }

    /**
     * The teacher's targets, from {@code cache} when it holds those of this teacher ({@code teacherId}, e.g. the
     * model file's checksum) for exactly these sentences and tags, else computed ({@link #teach}) and written there.
     */
    public static List<Target> cached(Path cache, NerModel teacher, String teacherId, List<String> studentTags,
                                      List<String[]> sentences) throws IOException {
        String key = key(teacherId, studentTags, sentences);
        if (cache != null && Files.isRegularFile(cache)) {
            try {
                ParameterStore st = ParameterFiles.load(cache, CACHE_TASK);
                if (("\"" + key + "\"").equals(st.getMetadata("key"))) {
                    LOG.info("teacher targets of {} sentences read from {}", sentences.size(), cache);
                    return read(st, studentTags.size(), sentences);
                }
                LOG.info("{} holds the targets of another teacher or other sentences: computing them again", cache);
            } catch (ModelFormatException | IllegalArgumentException e) {
                LOG.warn("teacher cache {} is unreadable ({}): computing the targets again", cache, e.getMessage());
            }
        }
        long t0 = System.nanoTime();
        List<Target> t = teach(teacher, studentTags, sentences);
        LOG.info("teacher targets of {} sentences computed in {} s", sentences.size(),
                String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        if (cache != null) {
            write(cache, key, t);
        }
        return t;
    }

    private static void write(Path cache, String key, List<Target> targets) throws IOException {
        int nu = 0;
        int nv = 0;
        for (Target t : targets) {
            nu += t.u().length;
            nv += t.v().length;
        }
        float[] u = new float[nu];
        float[] v = new float[nv];
        int iu = 0;
        int iv = 0;
        for (Target t : targets) {
            for (double x : t.u()) {
                u[iu++] = (float) x;
            }
            for (double x : t.v()) {
                v[iv++] = (float) x;
            }
        }
        InMemoryParameterStore st = new InMemoryParameterStore();
        st.putMetadata("key", "\"" + key + "\"");
        st.putArray("u", new ParameterStore.StoredArray(new long[] {nu}, u));
        st.putArray("v", new ParameterStore.StoredArray(new long[] {nv}, v));
        ParameterFiles.save(cache, CACHE_TASK, st, null);
    }

    private static List<Target> read(ParameterStore st, int s, List<String[]> sentences) {
        float[] u = st.getArray("u").data();
        float[] v = st.getArray("v").data();
        List<Target> out = new ArrayList<>(sentences.size());
        int iu = 0;
        int iv = 0;
        for (String[] f : sentences) {
            int n = f.length;
            double[] tu = new double[n * s];
            double[] tv = new double[(n - 1) * s * s + 2 * s];
            if (iu + tu.length > u.length || iv + tv.length > v.length) {
                throw new IllegalArgumentException("teacher cache is shorter than its sentences");
            }
            for (int k = 0; k < tu.length; k++) {
                tu[k] = u[iu++];
            }
            for (int k = 0; k < tv.length; k++) {
                tv[k] = v[iv++];
            }
            out.add(new Target(tu, tv));
        }
        if (iu != u.length || iv != v.length) {
            throw new IllegalArgumentException("teacher cache is longer than its sentences");
        }
        return out;
    }

    /** SHA-256 of the teacher id, the tags and every sentence's tokens: what a cache must match. */
    static String key(String teacherId, List<String> tags, List<String[]> sentences) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((teacherId + "\u0000" + String.join("\u0001", tags) + "\u0000").getBytes(StandardCharsets.UTF_8));
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
