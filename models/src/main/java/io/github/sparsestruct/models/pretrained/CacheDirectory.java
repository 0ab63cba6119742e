package io.github.sparsestruct.models.pretrained;

import java.nio.file.Path;

/**
 * Where converted pretrained weights and precomputed vectors live: the system property {@code sparsestruct.cache},
 * else the environment variable {@code SPARSESTRUCT_CACHE}, else {@code $XDG_CACHE_HOME/sparsestruct}, else
 * {@code ~/.cache/sparsestruct}. Never part of the repository.
 */
public final class CacheDirectory {
    /** System property naming the cache directory. */
    public static final String PROPERTY = "sparsestruct.cache";
    /** Environment variable naming the cache directory. */
    public static final String ENV = "SPARSESTRUCT_CACHE";

    private CacheDirectory() {
    }

    /** The cache directory (not created). */
    public static Path root() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(ENV);
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "sparsestruct");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "sparsestruct");
    }
}
