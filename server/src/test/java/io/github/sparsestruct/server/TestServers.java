package io.github.sparsestruct.server;

/** Servers for the tests: the bundled fast models, any free port on loopback. */
public final class TestServers {
    private TestServers() {
    }

    /** The defaults of {@code bin/sparsestruct serve}, but on any free port. */
    public static ServerConfig.Builder config() {
        return ServerConfig.builder().port(0);
    }

    /** Starts a server. */
    public static SparseStructServer start(ServerConfig.Builder b) throws Exception {
        return SparseStructServer.start(b.build());
    }
}
