package io.github.sparsestruct.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The size limits of {@code solve}, by structure, each on its structure's measure ({@link #SIZE_MEASURE}): an
 * instance over its limit is refused before it is solved.
 */
final class SolveLimits {
    /** The default size limits, by structure: {@link InstanceSolver#DEFAULT_MAX_SIZE}. */
    static final Map<String, Long> DEFAULT_MAX_SIZE;
    /** What {@code --max-size} measures, by structure. */
    static final Map<String, String> SIZE_MEASURE;

    static {
        Map<String, Long> limit = new LinkedHashMap<>();
        Map<String, String> measure = new LinkedHashMap<>();
        limit.put("sequence", 10_000_000L);
        measure.put("sequence", "T·S·S");
        limit.put("tree", 1_000L);
        measure.put("tree", "n");
        limit.put("projective_tree", 500L);
        measure.put("projective_tree", "n");
        limit.put("matching", 1_000_000L);
        measure.put("matching", "m·k");
        limit.put("alignment", 1_000_000L);
        measure.put("alignment", "NA·NB");
        DEFAULT_MAX_SIZE = Collections.unmodifiableMap(limit);
        SIZE_MEASURE = Collections.unmodifiableMap(measure);
    }

    private final Map<String, Long> maxSize;

    /**
     * @param maxSize the size limit by structure ({@link #SIZE_MEASURE}); a structure absent or mapped to 0 has none
     * @throws IllegalArgumentException for an unknown structure or a negative limit
     */
    SolveLimits(Map<String, Long> maxSize) {
        this.maxSize = Map.copyOf(maxSize);
        for (Map.Entry<String, Long> e : this.maxSize.entrySet()) {
            if (!SIZE_MEASURE.containsKey(e.getKey())) {
                throw new IllegalArgumentException("unknown structure '" + e.getKey() + "' in a size limit; expected "
                        + String.join(", ", SIZE_MEASURE.keySet()));
            }
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("the size limit of " + e.getKey() + " must be >= 0 (0: none), got "
                        + e.getValue());
            }
        }
    }

    /** Fails when {@code size} (on the structure's measure) is over the structure's limit. */
    void check(String structure, long size, String what) {
        Long limit = maxSize.get(structure);
        if (limit != null && limit > 0 && size > limit) {
            String measure = SIZE_MEASURE.get(structure);
            throw new InstanceException(what + " is over the size limit of " + structure + ", " + measure + " <= "
                    + limit + "; raise it with --max-size " + structure + "=N (0 for no limit), or split the instance");
        }
    }
}
