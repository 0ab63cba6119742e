package io.github.sparsestruct.corenlp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.corenlp.SparseStructJsonOutputter;
import io.github.sparsestruct.corenlp.SparseStructNerAnnotator;
import io.github.sparsestruct.corenlp.SparseStructParserAnnotator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's settings (command line) and what they let a request do, without a server. */
class ServerSettingsTest {

    @Test
    void theDefaultsAreLoopbackTheShippedPropertiesAndTheCaps() {
        ServerSettings s = ServerSettings.parse();
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(9000);
        assertThat(s.maxRequestBytes()).isEqualTo(20_000);
        assertThat(s.maxSentenceLength()).isEqualTo(250);
        assertThat(s.annotators()).containsExactly("tokenize", "ssplit", "ssner", "ssparse");
        assertThat(s.properties().getProperty("customAnnotatorClass.ssner"))
                .isEqualTo(SparseStructNerAnnotator.class.getName());
    }

    @Test
    void flagsSetTheValuesAndPropertiesOverrideTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "annotators = tokenize,ssplit,ssner\n"
                + "customAnnotatorClass.ssner = " + SparseStructNerAnnotator.class.getName() + "\n"
                + "ssner.decode = map\n");
        ServerSettings s = ServerSettings.parse("--host", "::1", "--port", "0", "--props", file.toString(),
                "--property", "ssner.decode=marginals", "--max-request-bytes", "500", "--max-sentence-length", "40",
                "--threads", "3", "--timeout", "1000");
        assertThat(s.host()).isEqualTo("::1");
        assertThat(s.port()).isZero();
        assertThat(s.properties().getProperty("ssner.decode")).isEqualTo("marginals");
        assertThat(s.annotators()).containsExactly("tokenize", "ssplit", "ssner");
        assertThat(List.of(s.maxRequestBytes(), s.maxSentenceLength(), s.threads(), s.timeoutMillis()))
                .containsExactly(500, 40, 3, 1000);
    }

    @Test
    void badFlagsAreNamed() {
        assertThatThrownBy(() -> ServerSettings.parse("--bind", "0.0.0.0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --bind")
                .hasMessageContaining("--host");
        assertThatThrownBy(() -> ServerSettings.parse("--port")).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> ServerSettings.parse("--port", "http")).hasMessageContaining("--port http");
        assertThatThrownBy(() -> ServerSettings.parse("--port", "70000")).hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> ServerSettings.parse("--max-sentence-length", "0"))
                .hasMessageContaining("--max-sentence-length 0");
        assertThatThrownBy(() -> ServerSettings.parse("--property", "novalue"))
                .hasMessageContaining("not KEY=VALUE");
        assertThatThrownBy(() -> ServerSettings.parse("--props", "/no/such/file.properties"))
                .hasMessageContaining("/no/such/file.properties").hasMessageContaining("no such file");
    }

    private static ServerSettings shipped(String... more) {
        return ServerSettings.parse(more);
    }

    @Test
    void everySparseStructAnnotatorsSentenceLengthIsLoweredToTheHardCap() {
        Properties p = ServerSettings.load(ServerSettings.DEFAULT_PROPERTIES);
        p.setProperty("ssner.maxSentenceLength", "100000");
        p.setProperty("ssparse.maxSentenceLength", "20");
        p.remove("ssalign.maxSentenceLength");
        RequestPolicy policy = new RequestPolicy(ServerSettings.of(p).withCaps(1000, 64)
                .withAnnotators(List.of("tokenize", "ssplit", "ssner", "ssparse", "ssalign")));
        Properties base = policy.base();
        assertThat(base.getProperty("ssner.maxSentenceLength")).isEqualTo("64");
        assertThat(base.getProperty("ssparse.maxSentenceLength")).as("under the cap: kept").isEqualTo("20");
        assertThat(base.getProperty("ssalign.maxSentenceLength")).as("unset: the cap").isEqualTo("64");
        assertThat(base.getProperty("sscap.maxTokens")).isEqualTo("64");
        assertThat(base.getProperty("tokenize.options")).isEqualTo("untokenizable=noneDelete");
        assertThat(policy.ours()).containsOnlyKeys("ssner", "ssparse", "ssalign");
        // the cap default (250) also lowers the annotators' own default
        RequestPolicy small = new RequestPolicy(shipped("--max-sentence-length", "30"));
        assertThat(small.base().getProperty("ssner.maxSentenceLength")).isEqualTo("30");
        RequestPolicy large = new RequestPolicy(shipped("--max-sentence-length", "1000"));
        assertThat(large.base().getProperty("ssner.maxSentenceLength")).isEqualTo("250");
    }

    @Test
    void theEffectivePropertiesKeepTheServersAndTakeTheAllowedChoices() throws Exception {
        RequestPolicy policy = new RequestPolicy(shipped().withAnnotators(
                List.of("tokenize", "ssplit", "ssner", "ssparse", "ssalign")));
        Properties dflt = policy.effective(Map.of());
        assertThat(dflt.getProperty("annotators")).isEqualTo("tokenize,ssplit,ssner,ssparse");
        assertThat(RequestPolicy.formatName(dflt)).isEqualTo("sparsestruct");
        assertThat(dflt.getProperty("customOutputter")).isEqualTo(SparseStructJsonOutputter.class.getName());
        Properties p = policy.effective(Map.of("annotators", "tokenize, ssplit, ssparse, ssalign",
                "ssparse.decode", "map", "outputFormat", "JSON", "prettyPrint", "TRUE"));
        assertThat(p.getProperty("annotators")).as("the guard runs before the aligner")
                .isEqualTo("tokenize,ssplit,ssparse,sscap,ssalign");
        assertThat(p.getProperty("ssparse.decode")).isEqualTo("map");
        assertThat(p.getProperty("ssparse.model")).isEqualTo("bundled");
        assertThat(p.getProperty("outputFormat")).isEqualTo("json");
        assertThat(p.getProperty("output.prettyPrint")).isEqualTo("true");
        assertThat(policy.effective(Map.of("output.prettyPrint", "false")).getProperty("output.prettyPrint"))
                .isEqualTo("false");
        assertThat(p.getProperty("customAnnotatorClass.ssparse"))
                .isEqualTo(SparseStructParserAnnotator.class.getName());
        assertThatThrownBy(() -> policy.effective(Map.of("annotators", "tokenize,ssplit,ssner,ssner")))
                .isInstanceOf(HttpError.class).hasMessageContaining("'ssner' is listed twice");
        assertThatThrownBy(() -> policy.effective(Map.of("annotators", " , ")))
                .isInstanceOf(HttpError.class).hasMessageContaining("allowed: a comma-separated list of");
    }

    @Test
    void aDefaultAnnotatorOutsideTheAllowedOnesIsASettingsError() {
        assertThatThrownBy(() -> new RequestPolicy(shipped("--annotators", "tokenize,ssplit,ssner")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ssparse'");
        assertThatThrownBy(() -> new RequestPolicy(shipped("--property", "ssner.maxSentenceLength=long")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssner.maxSentenceLength = 'long'");
    }

    @Test
    void theRequestPropertiesAreAJsonObjectInTheUrl() throws Exception {
        assertThat(SafeServer.requestProperties(null)).isEmpty();
        assertThat(SafeServer.requestProperties("properties=%7B%22ssner.decode%22%3A%22map%22%2C"
                + "%22ssner.maxAlternatives%22%3A3%2C%22prettyPrint%22%3Atrue%7D&date=2024-01-01"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("ssner.decode", "map", "ssner.maxAlternatives", "3",
                        "prettyPrint", "true"));
        assertThat(SafeServer.requestProperties("props=%7B%22annotators%22%3A%22tokenize%22%7D"))
                .containsEntry("annotators", "tokenize");
        assertThatThrownBy(() -> SafeServer.requestProperties("properties=%7B%7D&props=%7B%7D"))
                .isInstanceOf(HttpError.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> SafeServer.requestProperties("properties=%ZZ"))
                .isInstanceOf(HttpError.class).hasMessageContaining("not URL-encoded");
    }
}
