package io.github.sparsestruct.models.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The core-type mapping, the cpuinfo parser, the launcher script's agreement with them, and the warning. */
class OpenBlasCoreTest {
    private static final String AVX512 = "fpu sse sse2 ssse3 sse4_1 sse4_2 avx f16c fma avx2 avx512f avx512dq avx512cd "
            + "avx512bw avx512vl avx512_bf16";

    /** cpuinfo texts: a masked Intel with AVX-512, an AMD EPYC with AVX2, an old AVX-only Intel, SSE only, ARM. */
    static final List<String> CPUINFOS = List.of(
            "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Processor\nflags\t\t: " + AVX512
                    + "\n\nprocessor\t: 1\nflags\t\t: fpu\n",
            "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu sse2 avx fma avx2 "
                    + "bmi2\n",
            "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU E5-2670\nflags\t\t: sse2 "
                    + "avx\n",
            "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu sse sse2 sse3\n",
            "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm aes\nCPU implementer\t: 0x41\n",
            // AVX-512 without byte/word instructions (Knights Landing): not SKYLAKEX, its AVX2 is enough for HASWELL
            "vendor_id\t: GenuineIntel\nflags\t\t: avx avx2 fma avx512f avx512cd avx512er avx512pf\n");
    static final List<String> EXPECTED = java.util.Arrays.asList("SKYLAKEX", "ZEN", "SANDYBRIDGE", null, null,
            "HASWELL");

    @Test
    void theInstructionSetsChooseTheCore() {
        for (int i = 0; i < CPUINFOS.size(); i++) {
            OpenBlasCore.Cpu cpu = OpenBlasCore.parse(CPUINFOS.get(i));
            assertThat(OpenBlasCore.coreFor(cpu.flags(), cpu.vendor())).as("cpuinfo %d", i).isEqualTo(EXPECTED.get(i));
        }
        OpenBlasCore.Cpu masked = OpenBlasCore.parse(CPUINFOS.get(0));
        assertThat(masked.flags()).contains("avx512bw").doesNotContain("");
        assertThat(masked.vendor()).isEqualTo("GenuineIntel");
        assertThat(masked.model()).isEqualTo("Intel(R) Xeon(R) Processor");
        assertThat(masked.vectors()).isEqualTo("AVX-512");
        assertThat(OpenBlasCore.parse(CPUINFOS.get(4))).isEqualTo(OpenBlasCore.Cpu.UNKNOWN);
        assertThat(OpenBlasCore.coreFor(Set.of(), "")).isNull();
    }

    @Test
    void theLauncherScriptGivesTheSameAnswers(@TempDir Path dir) throws Exception {
        Path script = Path.of("..", "bin", "openblas-coretype").toAbsolutePath().normalize();
        assertThat(script).exists();
        for (int i = 0; i < CPUINFOS.size(); i++) {
            Path f = dir.resolve("cpuinfo" + i);
            Files.writeString(f, CPUINFOS.get(i), StandardCharsets.UTF_8);
            assertThat(run(script, f)).as("cpuinfo %d", i).isEqualTo(EXPECTED.get(i) == null ? "" : EXPECTED.get(i));
        }
        assertThat(run(script, dir.resolve("missing"))).isEmpty();
    }

    private static String run(Path script, Path cpuinfo) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", script.toString(), cpuinfo.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).isZero();
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"Prescott", "Core2", "Nehalem", "Barcelona"})
    void aGenericCoreOnAVectorCpuGetsAWarningNamingTheVariable(String core) {
        OpenBlasCore.Status s = new OpenBlasCore.Status(core, "SKYLAKEX", null, OpenBlasCore.parse(CPUINFOS.get(0)));
        assertThat(s.generic()).isTrue();
        assertThat(s.warning()).contains(core).contains("OPENBLAS_CORETYPE=SKYLAKEX").contains("AVX-512")
                .contains("spark.executorEnv.OPENBLAS_CORETYPE");
        assertThat(s.describe()).isEqualTo(core);
    }

    @Test
    void aVectorCoreOrAnUnknownCpuGetsNoWarning() {
        OpenBlasCore.Cpu cpu = OpenBlasCore.parse(CPUINFOS.get(0));
        assertThat(new OpenBlasCore.Status("SkylakeX", "SKYLAKEX", "SKYLAKEX", cpu).warning()).isNull();
        assertThat(new OpenBlasCore.Status("SkylakeX", "SKYLAKEX", "SKYLAKEX", cpu).describe())
                .isEqualTo("SkylakeX (OPENBLAS_CORETYPE=SKYLAKEX)");
        assertThat(new OpenBlasCore.Status("Prescott", null, null, OpenBlasCore.Cpu.UNKNOWN).warning()).isNull();
        assertThat(new OpenBlasCore.Status(null, "SKYLAKEX", null, cpu).warning()).isNull();
        assertThat(new OpenBlasCore.Status(null, null, null, cpu).describe()).isEqualTo("unknown");
    }

    @Test
    void theLoadedOpenBlasNamesItsCore() {
        // this build runs ND4J on OpenBLAS (linux-x86_64): it can be asked, and its answer is a core OpenBLAS knows
        String core = OpenBlasCore.detected();
        assertThat(core).isNotBlank();
        OpenBlasCore.Status s = OpenBlasCore.check();
        assertThat(s.detected()).isEqualTo(core);
        assertThat(OpenBlasCore.check()).isSameAs(s);
        if (System.getenv(OpenBlasCore.ENV) != null) {
            assertThat(s.requested()).isEqualTo(System.getenv(OpenBlasCore.ENV));
        }
    }
}
