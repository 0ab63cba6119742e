package io.github.sparsestruct.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.server.ServerConfig;
import io.github.sparsestruct.server.SparseStructServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/sparsestruct serve against bin/sparsestruct annotate: the same text and options give the same bytes over HTTP as
 * annotate writes into NAME.json; and where the bearer token may come from.
 */
class ServeCommandTest {
    private static final Path EXAMPLES = Path.of("..", "examples", "documents");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static SparseStructServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        server = SparseStructServer.start(ServerConfig.builder().port(0).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] post(ObjectNode body) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/v1/annotate"))
                .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body), StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private byte[] annotate(Path file, String... options) throws Exception {
        Path out = Files.createTempDirectory(tmp, "out");
        List<String> args = new java.util.ArrayList<>(List.of("annotate", file.toString(), "-o", out.toString(),
                "--format", "json", "--no-progress"));
        args.addAll(List.of(options));
        assertThat(TrainEvaluateCommandTest.run(args.toArray(new String[0])).rc()).isZero();
        String name = file.getFileName().toString();
        return Files.readAllBytes(out.resolve(name.substring(0, name.lastIndexOf('.')) + ".json"));
    }

    @Test
    void theServerAnswersTheBytesAnnotateWritesForEveryExampleDocument() throws Exception {
        List<Path> docs;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            docs = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(docs).hasSizeGreaterThanOrEqualTo(4);
        for (Path d : docs) {
            String name = d.getFileName().toString().replace(".txt", "");
            ObjectNode body = MAPPER.createObjectNode().put("id", name).put("text", Files.readString(d));
            assertThat(post(body)).as(name).isEqualTo(annotate(d));
        }
    }

    @Test
    void theSameOptionsGiveTheSameBytes() throws Exception {
        Path d = EXAMPLES.resolve("03-news.txt");
        ObjectNode body = MAPPER.createObjectNode().put("id", "03-news").put("text", Files.readString(d))
                .put("decode", "marginals").put("maxAlternatives", 2).put("minWeight", 0.05)
                .put("maxSentenceLength", 10);
        body.putArray("tasks").add("depparse");
        assertThat(post(body)).isEqualTo(annotate(d, "--decode", "marginals", "--max-alternatives", "2",
                "--min-weight", "0.05", "--max-sentence-length", "10", "--tasks", "depparse"));
        ObjectNode ner = MAPPER.createObjectNode().put("id", "03-news").put("text", Files.readString(d))
                .put("decode", "dp_l2");
        ner.putArray("tasks").add("ner");
        assertThat(post(ner)).isEqualTo(annotate(d, "--decode", "dp_l2", "--tasks", "ner"));
    }

    @Test
    void preTokenisedSentencesGiveTheBytesAnnotateWritesForTheSameCoNLLU() throws Exception {
        Path conllu = tmp.resolve("pretok.conllu");
        Files.writeString(conllu, String.join("\n",
                "# sent_id = 1 (every token followed by a space: the layout pre-tokenised sentences get)",
                "1\tAlice\t_\t_\t_\t_\t_\t_\t_\t_",
                "2\tvisited\t_\t_\t_\t_\t_\t_\t_\t_",
                "3\tNew\t_\t_\t_\t_\t_\t_\t_\t_",
                "4\tYork\t_\t_\t_\t_\t_\t_\t_\t_",
                "5\t.\t_\t_\t_\t_\t_\t_\t_\t_",
                "",
                "1\tShe\t_\t_\t_\t_\t_\t_\t_\t_",
                "2\tsaw\t_\t_\t_\t_\t_\t_\t_\t_",
                "3\tthe\t_\t_\t_\t_\t_\t_\t_\t_",
                "4\tman\t_\t_\t_\t_\t_\t_\t_\t_",
                "5\twith\t_\t_\t_\t_\t_\t_\t_\t_",
                "6\tthe\t_\t_\t_\t_\t_\t_\t_\t_",
                "7\ttelescope\t_\t_\t_\t_\t_\t_\t_\t_",
                "", ""));
        ObjectNode body = MAPPER.createObjectNode().put("id", "pretok");
        var sents = body.putArray("sentences");
        sents.addArray().add("Alice").add("visited").add("New").add("York").add(".");
        sents.addArray().add("She").add("saw").add("the").add("man").add("with").add("the").add("telescope");
        String served = new String(post(body), StandardCharsets.UTF_8);
        String annotated = new String(annotate(conllu), StandardCharsets.UTF_8);
        assertThat(served).isEqualTo(annotated);
    }

    @Test
    void theTokenComesFromTheEnvironmentOrAFile() throws Exception {
        assertThat(ServeCommand.token(Map.of(), null)).isNull();
        assertThat(ServeCommand.token(Map.of(ServeCommand.TOKEN_ENV, " abc \n"), null)).isEqualTo("abc");
        Path f = tmp.resolve("token");
        Files.writeString(f, "from-file\n");
        assertThat(ServeCommand.token(Map.of(), f)).isEqualTo("from-file");
        assertThatThrownBy(() -> ServeCommand.token(Map.of(ServeCommand.TOKEN_ENV, "a"), f))
                .hasMessageContaining("given twice");
        Files.writeString(f, "\n");
        assertThatThrownBy(() -> ServeCommand.token(Map.of(), f)).hasMessageContaining("is empty");
    }

    @Test
    void theTokenCannotBeGivenOnTheCommandLine() {
        TrainEvaluateCommandTest.Run r = TrainEvaluateCommandTest.run("serve", "--token", "abc");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown options: '--token'");
        assertThat(TrainEvaluateCommandTest.run("serve", "--help").out()).contains("--token-file")
                .contains("--host").contains("127.0.0.1");
    }

    @Test
    void badOptionsFailWithAMessage() {
        TrainEvaluateCommandTest.Run r = TrainEvaluateCommandTest.run("serve", "--tasks", "align", "--port", "0");
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("unknown task 'align'");
    }

}
