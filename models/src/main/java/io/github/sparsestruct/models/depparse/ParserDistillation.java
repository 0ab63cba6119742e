package io.github.sparsestruct.models.depparse;

import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.train.TeacherCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Distillation of a parser (docs/training.md, "Distillation"): a teacher parser's arc marginals (matrix-tree, at its
 * calibrated {@code marginals} temperature) as the soft target of the student's arc loss. The target is the mix
 * goldWeight·gold + (1 − goldWeight)·teacher, a point of the tree polytope (a Fenchel-Young loss accepts any);
 * relations and UPOS keep their gold cross-entropies. Text without trees ({@link #cachedText}) becomes silver
 * sentences: the teacher's arc marginals alone are their arc target, and its best tree's relations and its UPOS tags
 * the targets of the two cross-entropies. The targets are computed once and cached ({@link TeacherCache}).
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
    /**
     * @param teacherOnly the sentences (identity) whose tree is the teacher's own (silver text): their arc target is
     *                    the teacher's marginals alone, whatever the gold weight
     */
    public record Targets(Map<DepSentence, double[]> bySentence, double goldWeight, Set<DepSentence> teacherOnly) {
        /** Checks the weight. */
        public Targets {
            if (!(goldWeight >= 0 && goldWeight <= 1)) {
                throw new IllegalArgumentException("the gold weight must be in [0, 1], got " + goldWeight);
            }
            teacherOnly = teacherOnly == null ? Set.of() : teacherOnly;
        }

        /** Targets of treebank sentences only. */
        public Targets(Map<DepSentence, double[]> bySentence, double goldWeight) {
            this(bySentence, goldWeight, Set.of());
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

        /** These targets and those of the teacher's silver sentences (arc target: the teacher alone). */
        public Targets with(Taught text) {
            Map<DepSentence, double[]> m = new IdentityHashMap<>(bySentence);
            Set<DepSentence> only = Collections.newSetFromMap(new IdentityHashMap<>());
            only.addAll(teacherOnly);
            for (int i = 0; i < text.sentences().size(); i++) {
                m.put(text.sentences().get(i), text.arcs().get(i));
                only.add(text.sentences().get(i));
            }
            return new Targets(m, goldWeight, only);
        }

        /** The mixed target of a sentence with this set's target: goldWeight·gold + (1 − goldWeight)·teacher. */
        double[] mix(DepSentence s) {
            double[] teacher = bySentence.get(s);
            double w = teacherOnly.contains(s) ? 0 : goldWeight;
            int nn = s.length() + 1;
            double[] mu = new double[nn * nn];
            for (int q = 0; q < mu.length; q++) {
                mu[q] = (1 - w) * teacher[q];
            }
            for (int m = 1; m < nn && w > 0; m++) {
                mu[s.heads()[m - 1] * nn + m] += w;
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
                out.add(nonNegative(teacher.decodeArcs(chunk.get(i).length, eta.get(i), Decoding.MARGINALS)
                        .marginals().clone()));
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

    /**
     * The teacher's reading of text without trees: silver sentences (its best tree, the relations on it and its UPOS
     * tags) and their arc marginals [(n+1), (n+1)], in the order of the text.
     */
    public record Taught(List<DepSentence> sentences, List<double[]> arcs) {
        /** Checks that each sentence has its marginals. */
        public Taught {
            if (sentences.size() != arcs.size()) {
                throw new IllegalArgumentException(sentences.size() + " sentences but " + arcs.size() + " targets");
            }
        }
    }

    /**
     * The teacher's silver sentences of {@code text} (each of at least one word; ids {@code idPrefix + i}): one pass
     * of {@link Decoding#MARGINALS} gives the best tree with its relations, the UPOS tags and the arc marginals (the
     * same calibrated marginals {@link #teach} gives).
     */
    public static Taught teachText(ParserModel teacher, List<String[]> text, String idPrefix) {
        List<DepSentence> out = new ArrayList<>(text.size());
        List<double[]> arcs = new ArrayList<>(text.size());
        for (int from = 0; from < text.size(); from += TEACH_CHUNK) {
            List<String[]> chunk = text.subList(from, Math.min(text.size(), from + TEACH_CHUNK));
            List<ParsePrediction> p = teacher.predict(chunk, Decoding.MARGINALS);
            for (int i = 0; i < chunk.size(); i++) {
                ParsePrediction pi = p.get(i);
                out.add(new DepSentence(idPrefix + (from + i), chunk.get(i), pi.upos(), pi.heads(), pi.deprels()));
                arcs.add(flatten(pi.arcMarginals()));
            }
        }
        return new Taught(out, arcs);
    }

    /**
     * {@link #teachText} from {@code cache} when it holds this teacher's reading of exactly this text, else computed
     * and written there (the best tree, relation and UPOS indices stored beside the marginals).
     */
    public static Taught cachedText(Path cache, ParserModel teacher, String teacherId, List<String[]> text,
                                    String idPrefix) throws IOException {
        List<String> rel = teacher.deprels();
        List<String> pos = teacher.uposTags();
        List<String> labels = new ArrayList<>(rel);
        labels.add("\u0002");
        labels.addAll(pos);
        List<double[][]> parts = TeacherCache.cached(cache, TeacherCache.key("depparse-text\u0000" + teacherId, labels,
                text), 4, text.size(), (i, p) -> p == 0 ? (text.get(i).length + 1) * (text.get(i).length + 1)
                : text.get(i).length, () -> {
                    Taught t = teachText(teacher, text, idPrefix);
                    List<double[][]> rows = new ArrayList<>(text.size());
                    for (int i = 0; i < text.size(); i++) {
                        DepSentence s = t.sentences().get(i);
                        double[] h = new double[s.length()];
                        double[] r = new double[s.length()];
                        double[] u = new double[s.length()];
                        for (int m = 0; m < s.length(); m++) {
                            h[m] = s.heads()[m];
                            r[m] = rel.indexOf(s.deprels()[m]);
                            u[m] = pos.indexOf(s.upos()[m]);
                        }
                        rows.add(new double[][] {t.arcs().get(i), h, r, u});
                    }
                    return rows;
                });
        List<DepSentence> out = new ArrayList<>(text.size());
        List<double[]> arcs = new ArrayList<>(text.size());
        for (int i = 0; i < text.size(); i++) {
            double[][] t = parts.get(i);
            int n = text.get(i).length;
            int[] h = new int[n];
            String[] r = new String[n];
            String[] u = new String[n];
            for (int m = 0; m < n; m++) {
                h[m] = index(t[1][m], n + 1, "head");
                r[m] = rel.get(index(t[2][m], rel.size(), "relation"));
                u[m] = pos.get(index(t[3][m], pos.size(), "UPOS tag"));
            }
            out.add(new DepSentence(idPrefix + i, text.get(i), u, h, r));
            arcs.add(t[0]);
        }
        return new Taught(out, arcs);
    }

    private static int index(double v, int bound, String what) {
        int k = (int) v;
        if (k != v || k < 0 || k >= bound) {
            throw new IllegalArgumentException("teacher cache holds a " + what + " index " + v + " outside [0, "
                    + bound + ")");
        }
        return k;
    }

    private static double[] flatten(double[][] rows) {
        int nn = rows.length;
        double[] mu = new double[nn * nn];
        for (int h = 0; h < nn; h++) {
            System.arraycopy(rows[h], 0, mu, h * nn, nn);
        }
        return nonNegative(mu);
    }

    /** {@code mu} with the matrix-tree inverse's rounding residues (such as −1e-33 where no arc can be) set to 0. */
    private static double[] nonNegative(double[] mu) {
        for (int q = 0; q < mu.length; q++) {
            mu[q] = Math.max(0.0, mu[q]);
        }
        return mu;
    }

    /** What a cache must match: {@link TeacherCache#key}, for the parsing task. */
    static String key(String teacherId, List<String[]> sentences) {
        return TeacherCache.key("depparse\u0000" + teacherId, List.of(), sentences);
    }
}
