package io.github.sparsestruct.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ReadersTest {
    static final Path SHARED = Path.of("..", "..", "shared", "data");

    static BufferedReader text(String s) {
        return new BufferedReader(new StringReader(s));
    }

    @Test
    void conlluSkipsMultiwordRangesAndEmptyNodesAndKeepsHeadsRelationsAndTags() throws IOException {
        String doc = String.join("\n",
                "# sent_id = s1",
                "# text = I don't 😀",
                "1\tI\tI\tPRON\t_\t_\t2\tnsubj\t_\t_",
                "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_",
                "2\tdo\tdo\tAUX\t_\t_\t0\troot\t_\t_",
                "3\tn't\tnot\tPART\t_\t_\t2\tadvmod\t_\t_",
                "3.1\tgo\tgo\tVERB\t_\t_\t_\t_\t2:conj\t_",
                "4\t😀\t😀\tSYM\t_\t_\t2\tdiscourse\t_\t_",
                "",
                "1\tHi\thi\tINTJ\t_\t_\t0\troot\t_\t_",
                "");
        List<DepSentence> s = ConlluReader.read(text(doc), "mem");
        assertThat(s).hasSize(2);
        assertThat(s.get(0).id()).isEqualTo("s1");
        assertThat(s.get(0).forms()).containsExactly("I", "do", "n't", "😀");
        assertThat(s.get(0).heads()).containsExactly(2, 0, 2, 2);
        assertThat(s.get(0).deprels()).containsExactly("nsubj", "root", "advmod", "discourse");
        assertThat(s.get(0).upos()).containsExactly("PRON", "AUX", "PART", "SYM");
        assertThat(s.get(1).id()).isEqualTo("2");
        assertThat(s.get(1).heads()).containsExactly(0);
    }

    @Test
    void conlluErrorsNameTheSourceAndLine() {
        assertThatThrownBy(() -> ConlluReader.read(text("1\tx\n"), "bad.conllu"))
                .isInstanceOf(IOException.class).hasMessageContaining("bad.conllu:1");
        assertThatThrownBy(() -> ConlluReader.read(text("1\tx\tx\tX\t_\t_\t7\tdep\t_\t_\n"), "f"))
                .hasMessageContaining("head 7 outside 0..1");
        assertThatThrownBy(() -> ConlluReader.read(Path.of("no/such/file.conllu")))
                .isInstanceOf(IOException.class).hasMessageContaining("not found");
    }

    @Test
    void iob2ReadsTagsAndRepairsOrphanInsideTags() throws IOException {
        String doc = String.join("\n",
                "# sent_id = a-1",
                "1\tgo\tO\t-\t-",
                "2\tto\tO\t-\t-",
                "3\tNew\tB-LOC\t-\tann",
                "4\tYork\tI-LOC\t-\tann",
                "5\tMike\tI-PER\t-\tann",
                "",
                "1\tACME\tI-ORG\t-\t-",
                "");
        List<NerSentence> s = Iob2Reader.read(text(doc), "mem");
        assertThat(s).hasSize(2);
        assertThat(s.get(0).id()).isEqualTo("a-1");
        assertThat(s.get(0).tags()).containsExactly("O", "O", "B-LOC", "I-LOC", "B-PER");
        assertThat(s.get(1).tags()).containsExactly("B-ORG");
        assertThatThrownBy(() -> Iob2Reader.read(text("1\tx\tE-PER\t-\t-\n"), "f.iob2"))
                .isInstanceOf(IOException.class).hasMessageContaining("f.iob2:1").hasMessageContaining("E-PER");
    }

    @Test
    void realEwtDevSplitsHaveTheDocumentedSizes() throws IOException {
        Path ud = SHARED.resolve("ud-english-ewt/en_ewt-ud-dev.conllu");
        Path ner = SHARED.resolve("uner-english-ewt/en_ewt-ud-dev.iob2");
        Assumptions.assumeTrue(Files.exists(ud) && Files.exists(ner), "../shared/data is not beside the checkout");
        List<DepSentence> dep = ConlluReader.read(ud);
        assertThat(dep).hasSize(2001);
        assertThat(dep.stream().mapToInt(DepSentence::length).sum()).isEqualTo(25147);
        List<NerSentence> nes = Iob2Reader.read(ner);
        assertThat(nes).hasSize(2001);
        assertThat(nes.stream().mapToInt(NerSentence::length).sum()).isEqualTo(25149);
        long mentions = nes.stream().flatMap(x -> java.util.Arrays.stream(x.tags())).filter(t -> t.startsWith("B-"))
                .count();
        assertThat(mentions).isEqualTo(966);
    }
}
