package io.github.sparsestruct.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.models.cpu.OpenBlasCore;
import org.junit.jupiter.api.Test;

class CpuFeaturesTest {
    @Test
    void vnniIsReadOffTheFlagsLine() {
        assertThat(vnni("processor\t: 0\nmodel name\t: AMD EPYC\n"
                + "flags\t\t: fpu sse2 avx2 avx512f avx512_vnni avx512_bf16\n")).isTrue();
        assertThat(vnni("flags\t\t: fpu avx2 avx_vnni\n")).isTrue();
        // AVX2 without VNNI (the machine whose u8s8 kernels saturated), a flag that only contains the name, no flags
        assertThat(vnni("flags\t\t: fpu sse2 avx2 fma\n")).isFalse();
        assertThat(vnni("flags\t\t: avx512_vnni_x avx2\n")).isFalse();
        assertThat(vnni("model name\t: avx512_vnni in a name\nbugs\t: avx_vnni\n")).isFalse();
        assertThat(vnni("")).isFalse();
    }

    private static boolean vnni(String cpuinfo) {
        return CpuFeatures.vnniIn(OpenBlasCore.parse(cpuinfo).flags());
    }

    @Test
    void s8OnlyWithVnniUnlessThePropertySaysSo() {
        assertThat(CpuFeatures.int8For(true)).isEqualTo(OnnxBertBuilder.Precision.INT8_S8);
        assertThat(CpuFeatures.int8For(false)).isEqualTo(OnnxBertBuilder.Precision.INT8);
        String old = System.getProperty(CpuFeatures.PROPERTY);
        try {
            System.setProperty(CpuFeatures.PROPERTY, "U8");
            assertThat(CpuFeatures.int8Precision()).isEqualTo(OnnxBertBuilder.Precision.INT8);
            System.setProperty(CpuFeatures.PROPERTY, "s8");
            assertThat(CpuFeatures.int8Precision()).isEqualTo(OnnxBertBuilder.Precision.INT8_S8);
            System.setProperty(CpuFeatures.PROPERTY, "auto");
            assertThat(CpuFeatures.int8Precision()).isEqualTo(CpuFeatures.int8For(CpuFeatures.hasVnni()));
            System.setProperty(CpuFeatures.PROPERTY, "int4");
            assertThatThrownBy(CpuFeatures::int8Precision).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("auto, u8 or s8");
        } finally {
            if (old == null) {
                System.clearProperty(CpuFeatures.PROPERTY);
            } else {
                System.setProperty(CpuFeatures.PROPERTY, old);
            }
        }
    }
}
