package io.github.sparsestruct.models.depparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.testing.GradientCheck;
import io.github.sparsestruct.models.testing.TinyModels;
import io.github.sparsestruct.models.train.StepResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Teacher arc targets, soft-target training steps of the parser, the cache and {@code continueWith}. */
class ParserDistillationTest {
    private static List<String[]> forms(List<DepSentence> data) {
        return data.stream().map(DepSentence::forms).toList();
    }

    @Test
    void teacherTargetsAreTheTeachersArcMarginals() {
        ParserModel teacher = TinyModels.parser(20, 1);
        List<DepSentence> data = ParserModelTest.synthetic(9, 4);
        List<double[]> t = ParserDistillation.teach(teacher, forms(data));
        List<ParsePrediction> p = teacher.predict(forms(data), Decoding.MARGINALS);
        for (int i = 0; i < data.size(); i++) {
            int nn = data.get(i).length() + 1;
            assertThat(t.get(i)).hasSize(nn * nn);
            for (int m = 1; m < nn; m++) {
                double col = 0;
                for (int h = 0; h < nn; h++) {
                    col += t.get(i)[h * nn + m];
                    assertThat(t.get(i)[h * nn + m]).isCloseTo(p.get(i).arcMarginals()[h][m], within(1e-9));
                }
                assertThat(col).isCloseTo(1.0, within(1e-9));
                assertThat(t.get(i)[m * nn + m]).isZero();
            }
        }
    }

    @Test
    void theMixedTargetIsAPointOfTheTreePolytope() {
        ParserModel teacher = TinyModels.parser(20, 1);
        List<DepSentence> data = ParserModelTest.synthetic(5, 2);
        ParserDistillation.Targets t = ParserDistillation.Targets.of(data, ParserDistillation.teach(teacher,
                forms(data)), 0.3);
        DepSentence s = data.get(0);
        int nn = s.length() + 1;
        double[] mu = t.mix(s);
        double[] teach = t.bySentence().get(s);
        for (int m = 1; m < nn; m++) {
            double col = 0;
            for (int h = 0; h < nn; h++) {
                double gold = s.heads()[m - 1] == h ? 1 : 0;
                assertThat(mu[h * nn + m]).isCloseTo(0.3 * gold + 0.7 * teach[h * nn + m], within(1e-12));
                col += mu[h * nn + m];
            }
            assertThat(col).isCloseTo(1.0, within(1e-9));
        }
        assertThatThrownBy(() -> ParserDistillation.Targets.of(data, List.of(new double[4]), 0.5))
                .hasMessageContaining("5 sentences but 1");
        assertThatThrownBy(() -> ParserDistillation.Targets.of(data.subList(0, 1), List.of(new double[4]), 0.5))
                .hasMessageContaining("needs " + nn * nn);
        assertThatThrownBy(() -> new ParserDistillation.Targets(Map.of(), -0.1)).hasMessageContaining("[0, 1]");
    }

    @ParameterizedTest
    @EnumSource(value = ArcLoss.class, names = {"SPARSEMAP", "CRF"})
    void aGoldWeightOfOneTrainsAsTheGoldLossDoes(ArcLoss loss) {
        ParserModel teacher = TinyModels.parser(20, 1);
        List<DepSentence> data = ParserModelTest.synthetic(8, 3);
        ParserModel a = ParserModel.create(ParserModelTest.tinyConfig(loss), data, 5);
        ParserModel b = ParserModel.create(ParserModelTest.tinyConfig(loss), data, 5);
        b.distill(ParserDistillation.Targets.of(data, ParserDistillation.teach(teacher, forms(data)), 1.0));
        StepResult ra = a.trainStep(data, new Random(9));
        StepResult rb = b.trainStep(data, new Random(9));
        assertThat(rb.loss()).isCloseTo(ra.loss(), within(1e-9 * Math.max(1, ra.loss())));
        assertThat(rb.gradientNorm()).isCloseTo(ra.gradientNorm(), within(1e-6 * Math.max(1, ra.gradientNorm())));
    }

    @ParameterizedTest
    @EnumSource(value = ArcLoss.class, names = {"SPARSEMAP", "CRF"})
    void softTargetGradientsMatchFiniteDifferences(ArcLoss loss) {
        List<DepSentence> data = ParserModelTest.synthetic(4, 3);
        ParserModel teacher = TinyModels.parser(20, 1);
        ParserConfig cfg = new ParserConfig(EncoderConfig.tiny().withLstm(4, 1).withDataType("double"), 5, 4, 0.0,
                loss, false, 1000, Adam.Config.defaults());
        ParserModel m = ParserModel.create(cfg, data, 11);
        m.distill(ParserDistillation.Targets.of(data, ParserDistillation.teach(teacher, forms(data)), 0.25));
        GradientCheck.perturb(m.parameters(), 5);
        Map<String, INDArray> grads = m.lossGradients(data);
        int words = data.stream().mapToInt(DepSentence::length).sum();
        int checked = GradientCheck.check(m.parameters(), grads, List.of("dep/arcU", "dep/arcHeadBias",
                "dep/arcDep/W", "enc/lstm0f/Wr", "enc/wordEmb"), () -> m.loss(data), words, loss);
        assertThat(checked).isEqualTo(15);
    }

    @Test
    void theStudentLearnsTheTeachersArcMarginals() {
        ParserModel teacher = TinyModels.parser(40, 1);
        List<DepSentence> data = ParserModelTest.synthetic(24, 7);
        ParserModel student = ParserModel.create(ParserModelTest.tinyConfig(ArcLoss.SPARSEMAP), data, 11);
        student.distill(ParserDistillation.Targets.of(data, ParserDistillation.teach(teacher, forms(data)), 0.0));
        double before = distance(student, teacher, data);
        ParserModelTest.train(student, data, 6, 2);
        assertThat(distance(student, teacher, data)).isLessThan(before * 0.5);
        // data-parallel workers (--threads 2) step replicas: they see the same targets
        ParserModel r = student.replica();
        StepResult a = student.trainStep(data.subList(0, 6), new Random(1));
        assertThat(r.trainStep(data.subList(0, 6), new Random(1)).loss()).isCloseTo(a.loss(),
                within(1e-6 * Math.max(1, a.loss())));
    }

    @Test
    void continueWithKeepsTheParserAndTakesTheNewOptimizer() {
        ParserModel source = TinyModels.parser(20, 1);
        ParserModel c = source.continueWith(Adam.Config.defaults().withLearningRate(1e-4));
        assertThat(c.config().optimizer().learningRate()).isEqualTo(1e-4);
        List<DepSentence> data = ParserModelTest.synthetic(6, 8);
        List<ParsePrediction> a = source.predict(forms(data), Decoding.MARGINALS);
        List<ParsePrediction> b = c.predict(forms(data), Decoding.MARGINALS);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).heads()).isEqualTo(a.get(i).heads());
            assertThat(b.get(i).arcMarginals()[0][1]).isCloseTo(a.get(i).arcMarginals()[0][1], within(1e-9));
        }
        assertThat(c.calibration()).isEqualTo(source.calibration());
    }

    @Test
    void theCacheAnswersForTheSameTeacherAndSentences(@TempDir Path dir) throws Exception {
        ParserModel teacher = TinyModels.parser(20, 1);
        List<DepSentence> data = ParserModelTest.synthetic(6, 3);
        Path cache = dir.resolve("teacher.ssm");
        List<double[]> first = ParserDistillation.cached(cache, teacher, "t1", forms(data));
        assertThat(cache).exists();
        // the cache is what answers: another model under the same id gets the first teacher's targets (as float32)
        ParserModel other = TinyModels.parser(20, 2);
        List<double[]> again = ParserDistillation.cached(cache, other, "t1", forms(data));
        for (int i = 0; i < first.size(); i++) {
            assertThat(again.get(i)).hasSameSizeAs(first.get(i));
            for (int k = 0; k < first.get(i).length; k++) {
                assertThat(again.get(i)[k]).isCloseTo(first.get(i)[k], within(1e-6));
            }
        }
        List<double[]> third = ParserDistillation.cached(cache, other, "t2", forms(data));
        assertThat(third.get(0)[1]).isNotCloseTo(first.get(0)[1], within(1e-9));
        // and other sentences are another key
        assertThat(ParserDistillation.key("t1", forms(data)))
                .isNotEqualTo(ParserDistillation.key("t1", forms(data.subList(0, 5))));
    }

    @Test
    void teacherTextBecomesSilverTreesWithTheTeachersMarginals() {
        ParserModel teacher = TinyModels.parser(20, 1);
        List<DepSentence> data = ParserModelTest.synthetic(7, 5);
        ParserDistillation.Taught t = ParserDistillation.teachText(teacher, forms(data), "x#");
        List<ParsePrediction> map = teacher.predict(forms(data), Decoding.MAP);
        List<double[]> marg = ParserDistillation.teach(teacher, forms(data));
        assertThat(t.sentences()).hasSize(7);
        for (int i = 0; i < data.size(); i++) {
            DepSentence s = t.sentences().get(i);
            assertThat(s.id()).isEqualTo("x#" + i);
            assertThat(s.forms()).isSameAs(data.get(i).forms());
            // the silver tree is the teacher's best tree, with its relations and tags
            assertThat(s.heads()).isEqualTo(map.get(i).heads());
            assertThat(s.deprels()).isEqualTo(map.get(i).deprels());
            assertThat(s.upos()).isEqualTo(map.get(i).upos());
            ParserModel.checkTree(s);
            assertThat(t.arcs().get(i)).hasSameSizeAs(marg.get(i));
            for (int q = 0; q < marg.get(i).length; q++) {
                assertThat(t.arcs().get(i)[q]).isCloseTo(marg.get(i)[q], within(1e-9));
            }
        }
    }

    @Test
    void aSilverSentencesArcTargetIsTheTeacherAloneWhateverTheGoldWeight() {
        ParserModel teacher = TinyModels.parser(20, 1);
        List<DepSentence> data = ParserModelTest.synthetic(4, 2);
        List<DepSentence> text = ParserModelTest.synthetic(3, 6);
        ParserDistillation.Taught silver = ParserDistillation.teachText(teacher, forms(text), "t#");
        ParserDistillation.Targets t = ParserDistillation.Targets.of(data, ParserDistillation.teach(teacher,
                forms(data)), 0.8).with(silver);
        assertThat(t.goldWeight()).isEqualTo(0.8);
        assertThat(t.mix(silver.sentences().get(1))).containsExactly(silver.arcs().get(1));
        // the treebank sentences keep their mix with gold
        DepSentence g = data.get(0);
        int nn = g.length() + 1;
        int m = 1;
        int h = g.heads()[m - 1];
        assertThat(t.mix(g)[h * nn + m]).isCloseTo(0.8 + 0.2 * t.bySentence().get(g)[h * nn + m], within(1e-12));
        assertThat(t.teacherOnly()).hasSize(3).doesNotContain(g);
    }

    @Test
    void aStudentLearnsTheTeachersTreesFromTextAlone() {
        ParserModel teacher = TinyModels.parser(40, 1);
        List<DepSentence> data = ParserModelTest.synthetic(24, 7);
        ParserDistillation.Taught silver = ParserDistillation.teachText(teacher, forms(data), "t#");
        ParserModel student = ParserModel.create(ParserModelTest.tinyConfig(ArcLoss.SPARSEMAP), data, 11);
        student.distill(new ParserDistillation.Targets(Map.of(), 0.5).with(silver));
        double before = distance(student, teacher, data);
        double agreeBefore = agreement(student, silver.sentences());
        ParserModelTest.train(student, silver.sentences(), 6, 2);
        assertThat(distance(student, teacher, data)).isLessThan(before * 0.5);
        assertThat(agreement(student, silver.sentences())).isGreaterThan(agreeBefore);
    }

    @Test
    void theTextCacheAnswersWithTheSameTreesAndLabels(@TempDir Path dir) throws Exception {
        ParserModel teacher = TinyModels.parser(20, 1);
        List<DepSentence> data = ParserModelTest.synthetic(6, 3);
        Path cache = dir.resolve("teacher.text");
        ParserDistillation.Taught first = ParserDistillation.cachedText(cache, teacher, "t1", forms(data), "a#");
        assertThat(cache).exists();
        ParserDistillation.Taught again = ParserDistillation.cachedText(cache, TinyModels.parser(20, 2), "t1",
                forms(data), "a#");
        for (int i = 0; i < data.size(); i++) {
            DepSentence a = first.sentences().get(i);
            DepSentence b = again.sentences().get(i);
            assertThat(b.heads()).isEqualTo(a.heads());
            assertThat(b.deprels()).isEqualTo(a.deprels());
            assertThat(b.upos()).isEqualTo(a.upos());
            assertThat(b.id()).isEqualTo(a.id());
            for (int q = 0; q < a.length(); q++) {
                assertThat(again.arcs().get(i)[q]).isCloseTo(first.arcs().get(i)[q], within(1e-6));
            }
        }
        // a truncated or foreign file is computed again, not trusted
        java.nio.file.Files.write(cache, new byte[] {1, 2, 3});
        ParserDistillation.Taught third = ParserDistillation.cachedText(cache, teacher, "t1", forms(data), "a#");
        assertThat(third.sentences().get(0).heads()).isEqualTo(first.sentences().get(0).heads());
    }

    /** The share of words whose best-tree head is the silver tree's. */
    private static double agreement(ParserModel student, List<DepSentence> silver) {
        List<ParsePrediction> p = student.predict(forms(silver), Decoding.MAP);
        int same = 0;
        int all = 0;
        for (int i = 0; i < silver.size(); i++) {
            for (int m = 0; m < silver.get(i).length(); m++) {
                same += p.get(i).heads()[m] == silver.get(i).heads()[m] ? 1 : 0;
                all++;
            }
        }
        return same / (double) all;
    }

    /** Mean squared difference of the student's and the teacher's arc marginals. */
    private static double distance(ParserModel student, ParserModel teacher, List<DepSentence> data) {
        List<ParsePrediction> a = student.predict(forms(data), Decoding.MARGINALS);
        List<ParsePrediction> b = teacher.predict(forms(data), Decoding.MARGINALS);
        double d = 0;
        int c = 0;
        for (int i = 0; i < a.size(); i++) {
            double[][] x = a.get(i).arcMarginals();
            double[][] y = b.get(i).arcMarginals();
            for (int h = 0; h < x.length; h++) {
                for (int m = 1; m < x.length; m++) {
                    d += (x[h][m] - y[h][m]) * (x[h][m] - y[h][m]);
                    c++;
                }
            }
        }
        return d / c;
    }
}
