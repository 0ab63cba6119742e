package io.github.sparsestruct.server.inception;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparsestruct.server.SparseStructServer;
import io.github.sparsestruct.server.TestClient;
import io.github.sparsestruct.server.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server's log (request lines at debug, the engines' warnings) never holds the text of a request. */
class ServerLoggingTest {
    private static final String SECRET = "Zanzibarquux";

    @Test
    void requestTextIsNeverLogged() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        try (SparseStructServer server = TestServers.start(TestServers.config())) {
            TestClient client = new TestClient(server.uri());
            String text = SECRET + " hired a former engineer in Seattle.";
            assertThat(client.post("/v1/annotate", TestClient.body(Map.of("text", text))).statusCode())
                    .isEqualTo(200);
            assertThat(client.post("/v1/annotate", TestClient.body(Map.of("text", SECRET + " " + "x ".repeat(300))))
                    .statusCode()).isEqualTo(413);
            // a user annotation of a type the model does not tag: the engine warns about it, by offsets
            InceptionFixtures.Request req = InceptionFixtures.request(InceptionFixtures.NAMED_ENTITY, "value", text,
                    cas -> InceptionFixtures.annotate(cas, InceptionFixtures.NAMED_ENTITY, "value", 0,
                            SECRET.length(), "OTH"));
            assertThat(client.post("/inception/ner/predict", req.body()).statusCode()).isEqualTo(200);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("POST annotate -> 200").contains("POST inception.ner.predict -> 200")
                .contains("is not an entity the model can be constrained to");
        assertThat(log).doesNotContain(SECRET).doesNotContain("Seattle");
    }

    /** Writes to two streams. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
