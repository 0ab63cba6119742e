package io.github.sparsestruct.models.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparsestruct.models.data.ConlluReader;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.data.Iob2Reader;
import io.github.sparsestruct.models.data.NerSentence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gold against gold on the English-EWT dev sets in {@code ../../shared/data}, skipped when they are absent. */
class RealDataEvaluationTest {
    private static final Logger LOG = LoggerFactory.getLogger(RealDataEvaluationTest.class);
    private static final Path SHARED = Path.of("..", "..", "shared", "data");

    private static Path require(String relative) {
        Path p = SHARED.resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), () -> p.toAbsolutePath().normalize() + " does not exist: the shared "
                + "data sets are not beside this checkout, so the real-data check is skipped");
        return p;
    }

    @Test
    void unerEnglishEwtDevGoldAgainstGoldHasF1OneAndTheDocumentedMentions() throws IOException {
        List<NerSentence> dev = Iob2Reader.read(require("uner-english-ewt/en_ewt-ud-dev.iob2"));
        NerEvaluator ev = new NerEvaluator();
        dev.forEach(s -> ev.add(s, s.tags()));
        NerResult r = ev.result();
        LOG.info("UNER English-EWT dev, gold vs gold:\n{}", r.table());
        assertThat(r.f1()).isEqualTo(1.0);
        assertThat(r.overall().gold()).isEqualTo(966);
        assertThat(r.byType()).containsOnlyKeys("PER", "ORG", "LOC");
        assertThat(r.byType().get("PER").gold()).isEqualTo(343);
        assertThat(r.byType().get("ORG").gold()).isEqualTo(224);
        assertThat(r.byType().get("LOC").gold()).isEqualTo(399);
    }

    @Test
    void udEnglishEwtDevGoldAgainstGoldHasFullAttachmentScores() throws IOException {
        List<DepSentence> dev = ConlluReader.read(require("ud-english-ewt/en_ewt-ud-dev.conllu"));
        DependencyEvaluator ev = new DependencyEvaluator();
        dev.forEach(s -> ev.add(s, s));
        DependencyResult r = ev.result();
        LOG.info("UD English-EWT dev, gold vs gold:\n{}", r.table());
        assertThat(r.sentences()).isEqualTo(2001);
        assertThat(r.withPunct().tokens()).isEqualTo(25147);
        assertThat(r.uas()).isEqualTo(1.0);
        assertThat(r.las()).isEqualTo(1.0);
        assertThat(r.withoutPunct().uas()).isEqualTo(1.0);
        assertThat(r.withoutPunct().las()).isEqualTo(1.0);
        assertThat(r.withoutPunct().tokens()).isLessThan(r.withPunct().tokens());
    }
}
