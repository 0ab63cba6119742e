package io.github.sparsestruct.models.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which OpenBLAS kernels this process runs, and which it should (docs/performance.md). OpenBLAS (0.3.19, through
 * JavaCPP, built for every x86 core) picks its kernels from the CPU's family and model numbers; on a VM or container
 * that masks them, or a CPU newer than the build, it falls back to generic SSE3 kernels ("Prescott") although the CPU
 * has AVX2 or AVX-512, and matrix products run 2–3 times slower. The instruction sets the CPU reports say which core
 * type is safe: {@link #coreFor}. {@code bin/sparsestruct} and the other launchers export it as
 * {@value #ENV} before the JVM starts (bin/openblas-coretype, the same mapping); in a library (UIMA, CoreNLP, Spark
 * executors) {@link #check()} logs one warning naming the variable to set, where OpenBLAS picked a generic core.
 */
public final class OpenBlasCore {
    /** The environment variable OpenBLAS reads when it loads. */
    public static final String ENV = "OPENBLAS_CORETYPE";
    /** Core names (lower case) whose kernels use no AVX: what OpenBLAS falls back to. */
    static final Set<String> GENERIC = Set.of("prescott", "core2", "penryn", "dunnington", "nehalem", "atom",
            "katmai", "coppermine", "northwood", "banias", "athlon", "opteron", "opteron_sse3", "barcelona", "bobcat",
            "nano", "generic", "unknown");
    private static final Logger LOG = LoggerFactory.getLogger(OpenBlasCore.class);
    private static volatile Status checked;

    private OpenBlasCore() {
    }

    /**
     * What this CPU reports in {@code /proc/cpuinfo}.
     *
     * @param flags  the instruction-set flags of the first processor
     * @param vendor its vendor id ({@code GenuineIntel}, {@code AuthenticAMD}), or "" when absent
     * @param model  its model name, or ""
     */
    public record Cpu(Set<String> flags, String vendor, String model) {
        /** The unknown CPU (no cpuinfo: not Linux, or not x86). */
        public static final Cpu UNKNOWN = new Cpu(Set.of(), "", "");

        /** The widest vector extension it reports, for messages ("AVX-512", "AVX2", "AVX", or "no AVX"). */
        public String vectors() {
            if (flags.contains("avx512f")) {
                return "AVX-512";
            }
            return flags.contains("avx2") ? "AVX2" : flags.contains("avx") ? "AVX" : "no AVX";
        }
    }

    /**
     * What OpenBLAS runs and what this CPU allows.
     *
     * @param detected  the core OpenBLAS uses (its {@code openblas_get_corename}), or null where it cannot be asked
     * @param expected  the core type the CPU's instruction sets allow ({@link #coreFor}), or null
     * @param requested the value of {@value #ENV}, or null when unset
     * @param cpu       the CPU
     */
    public record Status(String detected, String expected, String requested, Cpu cpu) {
        /** Whether OpenBLAS runs generic kernels where the CPU allows vector ones. */
        public boolean generic() {
            return detected != null && expected != null && GENERIC.contains(detected.toLowerCase(Locale.ROOT));
        }

        /** For a summary line: {@code SkylakeX}, {@code SkylakeX (OPENBLAS_CORETYPE=SKYLAKEX)}, or {@code unknown}. */
        public String describe() {
            String d = detected == null ? "unknown" : detected;
            return requested == null ? d : d + " (" + ENV + "=" + requested + ")";
        }

        /** The warning for a generic core, or null. */
        public String warning() {
            if (!generic()) {
                return null;
            }
            return "OpenBLAS runs its generic '" + detected + "' kernels, but this CPU (" + (cpu.model().isEmpty()
                    ? "model name masked" : "'" + cpu.model() + "'") + ") supports " + cpu.vectors() + ": matrix "
                    + "products run 2-3 times slower. Set " + ENV + "=" + expected + " in the environment before the "
                    + "JVM starts (bin/sparsestruct does so; Spark: --conf spark.executorEnv." + ENV + "=" + expected
                    + ")";
        }
    }

    /**
     * The OpenBLAS core type safe for a CPU with these instruction sets: SKYLAKEX with the AVX-512 foundation,
     * conflict, byte/word, doubleword/quadword and vector-length extensions; HASWELL (ZEN on AMD) with AVX2 and FMA;
     * SANDYBRIDGE with AVX; else null (leave OpenBLAS's choice).
     */
    public static String coreFor(Set<String> flags, String vendor) {
        if (flags.containsAll(Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"))) {
            return "SKYLAKEX";
        }
        if (flags.containsAll(Set.of("avx2", "fma"))) {
            return "AuthenticAMD".equals(vendor) ? "ZEN" : "HASWELL";
        }
        return flags.contains("avx") ? "SANDYBRIDGE" : null;
    }

    /** Parses cpuinfo text: the first {@code flags}, {@code vendor_id} and {@code model name} lines. */
    public static Cpu parse(String cpuinfo) {
        Set<String> flags = null;
        String vendor = "";
        String model = "";
        for (String line : cpuinfo.split("\n")) {
            int c = line.indexOf(':');
            if (c < 0) {
                continue;
            }
            String key = line.substring(0, c).trim();
            String value = line.substring(c + 1).trim();
            if (key.equals("flags") && flags == null) {
                flags = new TreeSet<>(Arrays.asList(value.split("\\s+")));
                flags.remove("");
            } else if (key.equals("vendor_id") && vendor.isEmpty()) {
                vendor = value;
            } else if (key.equals("model name") && model.isEmpty()) {
                model = value;
            }
        }
        return flags == null ? Cpu.UNKNOWN : new Cpu(Set.copyOf(flags), vendor, model);
    }

    /** This machine's CPU, or {@link Cpu#UNKNOWN} where {@code /proc/cpuinfo} cannot be read. */
    public static Cpu cpu() {
        try {
            return parse(Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Cpu.UNKNOWN;
        }
    }

    /**
     * The core the loaded OpenBLAS runs: {@code openblas_get_corename()} of the libraries JavaCPP loaded (through
     * JNA; it loads OpenBLAS if nothing has yet, as ND4J would), or null where that cannot be asked.
     */
    public static String detected() {
        try {
            // by name: a CUDA build of ND4J has no OpenBLAS (then there is nothing to ask)
            org.bytedeco.javacpp.Loader.load(Class.forName("org.bytedeco.openblas.global.openblas_nolapack"));
            for (Map.Entry<String, String> e : org.bytedeco.javacpp.Loader.getLoadedLibraries().entrySet()) {
                if (e.getKey().startsWith("openblas") && e.getValue() != null) {
                    com.sun.jna.NativeLibrary lib = com.sun.jna.NativeLibrary.getInstance(e.getValue());
                    return lib.getFunction("openblas_get_corename").invokeString(new Object[0], false);
                }
            }
        } catch (Throwable t) {
            LOG.debug("could not ask OpenBLAS for its core: {}", t.toString());
        }
        return null;
    }

    /**
     * The status of this process, computed once; logs {@link Status#warning()} the first time where OpenBLAS picked a
     * generic core.
     */
    public static Status check() {
        Status s = checked;
        if (s == null) {
            synchronized (OpenBlasCore.class) {
                s = checked;
                if (s == null) {
                    Cpu cpu = cpu();
                    String req = System.getenv(ENV);
                    s = new Status(detected(), coreFor(cpu.flags(), cpu.vendor()), req == null || req.isBlank()
                            ? null : req, cpu);
                    if (s.warning() != null) {
                        LOG.warn(s.warning());
                    }
                    checked = s;
                }
            }
        }
        return s;
    }
}
