package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.decode.SparseDistribution;
import io.github.sparsestruct.models.train.TeacherCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

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
     * model file's checksum) for exactly these sentences and tags, else computed ({@link #teach}) and written there
     * ({@link TeacherCache}).
     */
    public static List<Target> cached(Path cache, NerModel teacher, String teacherId, List<String> studentTags,
                                      List<String[]> sentences) throws IOException {
        int s = studentTags.size();
        List<double[][]> parts = TeacherCache.cached(cache, key(teacherId, studentTags, sentences), 2,
                sentences.size(), (i, p) -> {
                    int n = sentences.get(i).length;
                    return p == 0 ? n * s : (n - 1) * s * s + 2 * s;
                }, () -> teach(teacher, studentTags, sentences).stream()
                        .map(t -> new double[][] {t.u(), t.v()}).toList());
        return parts.stream().map(t -> new Target(t[0], t[1])).toList();
    }

    /** What a cache must match: {@link TeacherCache#key}, for the NER task. */
    static String key(String teacherId, List<String> tags, List<String[]> sentences) {
        return TeacherCache.key("ner\u0000" + teacherId, tags, sentences);
    }
}
