package io.github.sparsestruct.bert;

import io.github.sparsestruct.models.cpu.OpenBlasCore;
import java.util.Locale;
import java.util.Set;

/**
 * Which int8 graph suits this CPU: {@link OnnxBertBuilder.Precision#INT8_S8} where the CPU has VNNI (the
 * {@code avx512_vnni} or {@code avx_vnni} flag of Linux's {@code /proc/cpuinfo} on x86-64), else
 * {@link OnnxBertBuilder.Precision#INT8}, which is exact everywhere. The system property {@value #PROPERTY}
 * ({@code auto}, {@code u8} or {@code s8}) overrides the choice.
 */
public final class CpuFeatures {
    /** System property choosing the int8 weights: {@code auto} (default), {@code u8} or {@code s8}. */
    public static final String PROPERTY = "sparsestruct.bert.int8.weights";
    private static final Set<String> VNNI_FLAGS = Set.of("avx512_vnni", "avx_vnni");
    private static final boolean VNNI = detect();

    private CpuFeatures() {}

    /** Whether this is an x86-64 Linux machine whose CPU flags include VNNI. */
    public static boolean hasVnni() {
        return VNNI;
    }

    /** The int8 graph to run here: the property's choice, else {@link #int8For(boolean)} of {@link #hasVnni()}. */
    public static OnnxBertBuilder.Precision int8Precision() {
        String p = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "auto" -> int8For(VNNI);
            case "u8" -> OnnxBertBuilder.Precision.INT8;
            case "s8" -> OnnxBertBuilder.Precision.INT8_S8;
            default -> throw new IllegalArgumentException(PROPERTY + " must be auto, u8 or s8, got " + p);
        };
    }

    /** {@link OnnxBertBuilder.Precision#INT8_S8} with VNNI, else {@link OnnxBertBuilder.Precision#INT8}. */
    static OnnxBertBuilder.Precision int8For(boolean vnni) {
        return vnni ? OnnxBertBuilder.Precision.INT8_S8 : OnnxBertBuilder.Precision.INT8;
    }

    /** Whether a CPU's flags (as {@link OpenBlasCore#parse} reads them from {@code /proc/cpuinfo}) include VNNI. */
    static boolean vnniIn(Set<String> flags) {
        return flags.stream().anyMatch(VNNI_FLAGS::contains);
    }

    private static boolean detect() {
        String arch = System.getProperty("os.arch", "");
        return (arch.equals("amd64") || arch.equals("x86_64")) && vnniIn(OpenBlasCore.cpu().flags());
    }
}
