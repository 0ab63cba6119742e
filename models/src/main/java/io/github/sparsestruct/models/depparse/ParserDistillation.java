package io.github.sparsestruct.models.depparse;

import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.train.TeacherCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Distillation of a parser (docs/training.md, "Distillation"): a teacher parser's arc marginals (matrix-tree, at its
 * calibrated {@code marginals} temperature) as the soft target of the student's arc loss. The target is the mix
 * goldWeight·gold + (1 − goldWeight)·teacher, a point of the tree polytope (a Fenchel-Young loss accepts any);
 * relations and UPOS keep their gold cross-entropies, so distillation needs treebank sentences. The targets are
 * computed once and cached ({@link TeacherCache}).
 */
public final class ParserDistillation {
    /** Sentences the teacher scores at a time. */
    private static final int TEACH_CHUNK = 512;

    private ParserDistillation() {
    }

    /**
     * The soft arc targets of a training set.
     *
     * @param bySentence the teacher's arc marginals [(n+1), (n+1)] (row = head, column = dependent) of each sentence
     *                   object (identity: the training list's own objects)
     * @param goldWeight the weight of the gold tree in the mix, in [0, 1]
     */
    public record Targets(Map<DepSentence, double[]> bySentence, double goldWeight) {
        /** Checks the weight. */
        public Targets {
            if (!(goldWeight >= 0 && goldWeight <= 1)) {
                throw new IllegalArgumentException("the gold weight must be in [0, 1], got " + goldWeight);
            }
        }

        /** The targets of {@code sentences} (in order) from a list of the same length. */
        public static Targets of(List<DepSentence> sentences, List<double[]> arcs, double goldWeight) {
            if (sentences.size() != arcs.size()) {
                throw new IllegalArgumentException(sentences.size() + " sentences but " + arcs.size() + " targets");
            }
            Map<DepSentence, double[]> m = new IdentityHashMap<>();
            for (int i = 0; i < sentences.size(); i++) {
                int nn = sentences.get(i).length() + 1;
                if (arcs.get(i).length != nn * nn) {
                    throw new IllegalArgumentException("target " + i + " has " + arcs.get(i).length
                            + " entries; its sentence needs " + nn * nn);
                }
                m.put(sentences.get(i), arcs.get(i));
            }
            return new Targets(m, goldWeight);
        }

        /** The mixed target of a sentence with this set's target: goldWeight·gold + (1 − goldWeight)·teacher. */
        double[] mix(DepSentence s) {
            double[] teacher = bySentence.get(s);
            int nn = s.length() + 1;
            double[] mu = new double[nn * nn];
            for (int q = 0; q < mu.length; q++) {
                mu[q] = (1 - goldWeight) * teacher[q];
            }
            for (int m = 1; m < nn; m++) {
                mu[s.heads()[m - 1] * nn + m] += goldWeight;
            }
            return mu;
        }
    }

    /**
     * The teacher's arc marginals [(n+1), (n+1)] of sentences (each of at least one word), rounding residues below 0
     * set to 0.
     */
    public static List<double[]> teach(ParserModel teacher, List<String[]> sentences) {
        List<double[]> out = new ArrayList<>(sentences.size());
        // a chunk at a time: only the targets of the whole corpus are held
        for (int from = 0; from < sentences.size(); from += TEACH_CHUNK) {
            List<String[]> chunk = sentences.subList(from, Math.min(sentences.size(), from + TEACH_CHUNK));
            List<double[]> eta = teacher.arcScores(chunk);
            for (int i = 0; i < chunk.size(); i++) {
                double[] mu = teacher.decodeArcs(chunk.get(i).length, eta.get(i), Decoding.MARGINALS).marginals()
                        .clone();
                for (int q = 0; q < mu.length; q++) {
                    // the matrix-tree inverse leaves rounding residues such as -1e-33 where an arc is impossible
                    mu[q] = Math.max(0.0, mu[q]);
                }
                out.add(mu);
            }
        }
        return out;
    }

    /**
     * The teacher's targets, from {@code cache} when it holds those of this teacher ({@code teacherId}, e.g. the
     * model file's checksum) for exactly these sentences, else computed ({@link #teach}) and written there.
     */
    public static List<double[]> cached(Path cache, ParserModel teacher, String teacherId, List<String[]> sentences)
            throws IOException {
        List<double[][]> parts = TeacherCache.cached(cache, key(teacherId, sentences), 1, sentences.size(),
                (i, p) -> (sentences.get(i).length + 1) * (sentences.get(i).length + 1),
                () -> teach(teacher, sentences).stream().map(a -> new double[][] {a}).toList());
        return parts.stream().map(t -> t[0]).toList();
    }

    /** What a cache must match: {@link TeacherCache#key}, for the parsing task. */
    static String key(String teacherId, List<String[]> sentences) {
        return TeacherCache.key("depparse\u0000" + teacherId, List.of(), sentences);
    }
}
