package io.github.sparsestruct.models.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecodingTest {
    @Test
    void eachTaskListsItsDecodingsInItsOrder() {
        assertThat(Decoding.Task.NER.names()).containsExactly("map", "marginals", "sparsemap", "dp_l2");
        assertThat(Decoding.Task.PARSE.names()).containsExactly("map", "sparsemap", "marginals");
        assertThat(Decoding.Task.ALIGN.names()).containsExactly("map", "sparsemap", "marginals");
        assertThat(Decoding.Task.PARSE.namesInDeclarationOrder()).containsExactly("map", "marginals", "sparsemap");
        assertThat(Decoding.names()).containsExactly("map", "marginals", "sparsemap", "dp_entropy", "dp_l2");
        assertThat(Decoding.byId("dp_entropy")).contains(Decoding.DP_ENTROPY);
        assertThat(Decoding.byId("DP_L2")).isEmpty();
        assertThat(new Decoding.Names()).containsExactlyElementsOf(Decoding.names());
    }

    @Test
    void eachDecodingSaysWhatItsResultHolds() {
        assertThat(Decoding.MAP.single()).isTrue();
        assertThat(Decoding.MAP.mixture()).isFalse();
        assertThat(Decoding.SPARSEMAP.mixture()).isTrue();
        assertThat(Decoding.SPARSEMAP.listsDistribution()).isTrue();
        assertThat(Decoding.SPARSEMAP.single()).isFalse();
        for (Decoding d : new Decoding[] {Decoding.MARGINALS, Decoding.DP_ENTROPY, Decoding.DP_L2}) {
            assertThat(d.listsDistribution()).isFalse();
            assertThat(d.mixture()).isFalse();
            assertThat(d.single()).isFalse();
        }
    }

    @Test
    void parseAcceptsAnyCaseAndDashesAndRejectsWhatTheTaskDoesNotAllow() {
        assertThat(Decoding.Task.NER.parse(" DP-L2 ")).isEqualTo(Decoding.DP_L2);
        assertThat(Decoding.Task.PARSE.parse("SparseMAP")).isEqualTo(Decoding.SPARSEMAP);
        assertThat(Decoding.Task.ALIGN.allows(Decoding.DP_L2)).isFalse();
        assertThatThrownBy(() -> Decoding.Task.PARSE.parse("dp_l2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown dependency parsing decoding 'dp_l2'; allowed: map, sparsemap, marginals");
        assertThatThrownBy(() -> Decoding.Task.NER.parse("beam"))
                .hasMessage("unknown NER decoding 'beam'; allowed: map, marginals, sparsemap, dp_l2");
    }

    @Test
    void everyStructureDecoderSupportsExactlyWhatItsTaskAllows() {
        // sequences have every decoding; NER lists all but dp_entropy, which on sequences is marginals
        assertThat(new SequenceDecoder(3, io.github.sparsestruct.inference.sparsemap.SparseMapOptions.DEFAULT)
                .supported()).containsExactlyInAnyOrder(Decoding.values());
        assertThat(Decoding.Task.NER.decodings()).containsExactlyInAnyOrder(Decoding.MAP, Decoding.MARGINALS,
                Decoding.SPARSEMAP, Decoding.DP_L2);
        assertThat(new TreeDecoder(io.github.sparsestruct.inference.sparsemap.SparseMapOptions.DEFAULT).supported())
                .containsExactlyInAnyOrderElementsOf(Decoding.Task.PARSE.decodings());
        assertThat(new AlignmentDecoder(io.github.sparsestruct.inference.sparsemap.SparseMapOptions.DEFAULT)
                .supported()).containsExactlyInAnyOrderElementsOf(Decoding.Task.ALIGN.decodings());
        assertThatThrownBy(() -> new TreeDecoder(io.github.sparsestruct.inference.sparsemap.SparseMapOptions.DEFAULT)
                .decode(2, new double[9], Decoding.DP_L2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dp_l2");
    }
}
