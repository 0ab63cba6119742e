package io.github.sparsestruct.models.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.testing.TinyModels;
import io.github.sparsestruct.models.train.StepResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Teacher targets, soft-target training steps and the teacher cache on tiny models. */
class NerDistillationTest {
    private static List<String[]> forms(List<NerSentence> data) {
        return data.stream().map(NerSentence::forms).toList();
    }

    @Test
    void teacherTargetsAreConsistentMarginals() {
        NerModel teacher = TinyModels.ner(20, 1);
        List<NerSentence> data = TinyModels.nerData(12, 3);
        List<NerDistillation.Target> t = NerDistillation.teach(teacher, teacher.tags(), forms(data));
        int s = teacher.tags().size();
        for (int i = 0; i < data.size(); i++) {
            NerDistillation.Target x = t.get(i);
            int n = data.get(i).length();
            assertThat(x.u()).hasSize(n * s);
            for (int k = 0; k < n; k++) {
                double row = 0;
                for (int a = 0; a < s; a++) {
                    row += x.u()[k * s + a];
                }
                assertThat(row).isCloseTo(1.0, within(1e-6));
            }
            // each position's transition marginals sum, over the next tag, to the unary marginal of its tag
            for (int k = 0; k + 1 < n; k++) {
                for (int a = 0; a < s; a++) {
                    double out = 0;
                    for (int b = 0; b < s; b++) {
                        out += x.v()[k * s * s + a * s + b];
                    }
                    assertThat(out).isCloseTo(x.u()[k * s + a], within(1e-6));
                }
            }
            // the unary marginals are the teacher's own CRF marginals
            double[][] crf = teacher.predict(List.<String[]>of(data.get(i).forms()), Decoding.MARGINALS).get(0)
                    .marginals();
            for (int k = 0; k < n; k++) {
                for (int a = 0; a < s; a++) {
                    assertThat(x.u()[k * s + a]).isCloseTo(crf[k][a], within(1e-6));
                }
            }
        }
    }

    @Test
    void aGoldWeightOfOneTrainsAsTheGoldLossDoes() {
        NerModel teacher = TinyModels.ner(20, 1);
        List<NerSentence> data = TinyModels.nerData(8, 3);
        NerModel a = TinyModels.ner(0, 5);
        NerModel b = TinyModels.ner(0, 5);
        b.distill(NerDistillation.Targets.of(data, NerDistillation.teach(teacher, b.tags(), forms(data)), 1.0));
        StepResult ra = a.trainStep(data, new Random(9));
        StepResult rb = b.trainStep(data, new Random(9));
        assertThat(rb.loss()).isCloseTo(ra.loss(), within(1e-9 * Math.max(1, ra.loss())));
        assertThat(rb.gradientNorm()).isCloseTo(ra.gradientNorm(), within(1e-6 * Math.max(1, ra.gradientNorm())));
    }

    @Test
    void textWithoutTagsLearnsTheTeachersMarginals() {
        NerModel teacher = TinyModels.ner(40, 1);
        List<NerSentence> labelled = TinyModels.nerData(24, 7);
        List<NerSentence> text = labelled.stream().map(s -> new NerSentence(s.id(), s.forms(), null)).toList();
        NerModel student = TinyModels.ner(0, 11);
        List<NerDistillation.Target> t = NerDistillation.teach(teacher, student.tags(), forms(text));
        student.distill(NerDistillation.Targets.of(text, t, 0.5));
        double before = distance(student, teacher, text);
        Random rng = new Random(2);
        for (int step = 0; step < 40; step++) {
            student.trainStep(text.subList((step * 6) % 24, (step * 6) % 24 + 6), rng);
        }
        assertThat(distance(student, teacher, text)).isLessThan(before * 0.5);
        // a sentence with neither tags nor a target is an error naming it
        student.distill(null);
        assertThatThrownBy(() -> student.trainStep(text.subList(0, 2), rng)).hasMessageContaining(text.get(0).id());
    }

    @Test
    void theCacheReturnsTheSameTargetsAndIsRecomputedForAnotherTeacher(@TempDir Path dir) throws Exception {
        NerModel teacher = TinyModels.ner(20, 1);
        List<NerSentence> data = TinyModels.nerData(6, 3);
        Path cache = dir.resolve("teacher.ssm");
        List<NerDistillation.Target> first = NerDistillation.cached(cache, teacher, "t1", teacher.tags(),
                forms(data));
        assertThat(cache).exists();
        List<NerDistillation.Target> again = NerDistillation.cached(cache, teacher, "t1", teacher.tags(),
                forms(data));
        for (int i = 0; i < first.size(); i++) {
            for (int k = 0; k < first.get(i).u().length; k++) {
                assertThat(again.get(i).u()[k]).isCloseTo(first.get(i).u()[k], within(1e-6));
            }
            assertThat(again.get(i).v()).hasSameSizeAs(first.get(i).v());
        }
        // the cache is what answers: another model under the same id gets the first teacher's targets
        NerModel other = TinyModels.ner(20, 2);
        List<NerDistillation.Target> cachedAnswer = NerDistillation.cached(cache, other, "t1", teacher.tags(),
                forms(data));
        assertThat(cachedAnswer.get(0).u()[0]).isCloseTo(first.get(0).u()[0], within(1e-6));
        // and another id computes them again, from the other model
        List<NerDistillation.Target> third = NerDistillation.cached(cache, other, "t2", teacher.tags(), forms(data));
        assertThat(third.get(0).u()[0]).isNotCloseTo(first.get(0).u()[0], within(1e-9));
        assertThat(NerDistillation.key("t1", teacher.tags(), forms(data)))
                .isNotEqualTo(NerDistillation.key("t1", teacher.tags(), forms(data.subList(0, 5))));
    }

    @Test
    void replicasTrainOnTheSameSoftTargets() {
        NerModel teacher = TinyModels.ner(20, 1);
        List<NerSentence> text = TinyModels.nerData(6, 3).stream()
                .map(s -> new NerSentence(s.id(), s.forms(), null)).toList();
        NerModel student = TinyModels.ner(0, 5);
        student.distill(NerDistillation.Targets.of(text, NerDistillation.teach(teacher, student.tags(), forms(text)),
                0.5));
        // data-parallel training (--threads 2) steps replicas: untagged text must keep its targets there
        NerModel r = student.replica();
        StepResult a = student.trainStep(text, new Random(1));
        assertThat(r.trainStep(text, new Random(1)).loss()).isCloseTo(a.loss(), within(1e-9 * Math.max(1,
                a.loss())));
    }

    @Test
    void theGoldWeightIsChecked() {
        assertThatThrownBy(() -> new NerDistillation.Targets(java.util.Map.of(), 1.5))
                .hasMessageContaining("[0, 1]");
    }

    /** Mean squared difference of the student's and the teacher's CRF marginals. */
    private static double distance(NerModel student, NerModel teacher, List<NerSentence> data) {
        double d = 0;
        int c = 0;
        List<double[][]> a = student.predict(forms(data), Decoding.MARGINALS).stream()
                .map(p -> p.marginals()).toList();
        List<double[][]> b = teacher.predict(forms(data), Decoding.MARGINALS).stream()
                .map(p -> p.marginals()).toList();
        for (int i = 0; i < a.size(); i++) {
            for (int k = 0; k < a.get(i).length; k++) {
                for (int q = 0; q < a.get(i)[k].length; q++) {
                    double x = a.get(i)[k][q] - b.get(i)[k][q];
                    d += x * x;
                    c++;
                }
            }
        }
        return d / c;
    }
}
