package io.github.sparsestruct.models.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.data.AlignmentReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlignmentReaderTest {
    @Test
    void readsMultiMwaLinesIncludingALastLineWithoutNewline() {
        String text = "0:0\tthe cat sat .\tN/A\tthe cat was sitting .\tN/A\t1\t1\t0-0 1-1 2-2 2-3 3-4\t\t\n"
                + "\n"
                + "1:1\thello\tN/A\thi there\tN/A\t1\t1\t0-0 0-1\t\t";
        List<AlignPair> pairs = AlignmentReader.parse(text);
        assertThat(pairs).hasSize(2);
        AlignPair p = pairs.get(0);
        assertThat(p.id()).isEqualTo("0:0");
        assertThat(p.source()).containsExactly("the", "cat", "sat", ".");
        assertThat(p.target()).hasSize(5);
        assertThat(p.sure()).hasSize(5);
        assertThat(p.sureMatrix()[2 * 5 + 3]).isTrue();
        assertThat(p.possible()).isEmpty();
        assertThat(pairs.get(1).sure()).extracting(l -> l[1]).containsExactly(0, 1);
    }

    @Test
    void badLinesAreRejectedWithTheLineNumber() {
        assertThatThrownBy(() -> AlignmentReader.parse("0:0\ta b\tN/A\tc\tN/A\t1\t1\t0-5\t\t"))
                .hasMessageContaining("line 1").hasMessageContaining("outside");
        assertThatThrownBy(() -> AlignmentReader.parse("ok\tline\n0:0\ta b\n"))
                .hasMessageContaining("line 1").hasMessageContaining("8 tab-separated");
        assertThatThrownBy(() -> AlignmentReader.parse("0:0\ta\tN/A\tc\tN/A\t1\t1\t0_0\t\t"))
                .hasMessageContaining("bad link");
    }
}
