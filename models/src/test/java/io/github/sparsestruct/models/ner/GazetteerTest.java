package io.github.sparsestruct.models.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GazetteerTest {
    private static final String[] WORDS = {"new", "york", "New", "York", "city", "paris", "Paris", "bob", "Bob",
        "smith", "of", "the", "𝔘nion", "𝔲nion"};
    private static final String[] TYPES = {"LOC", "PER", "ORG"};

    /** The features by definition: every span of every length, looked up in the entry list. */
    private static float[] bruteForce(List<String[]> entries, String[] forms) {
        int f = 4 * 3;
        float[] out = new float[forms.length * f];
        for (int i = 0; i < forms.length; i++) {
            for (int j = i + 1; j <= forms.length; j++) {
                StringBuilder phrase = new StringBuilder();
                for (int k = i; k < j; k++) {
                    phrase.append(k > i ? " " : "").append(forms[k].toLowerCase(Locale.ROOT));
                }
                for (String[] e : entries) {
                    if (!e[1].toLowerCase(Locale.ROOT).equals(phrase.toString())) {
                        continue;
                    }
                    int t = List.of("LOC", "ORG", "PER").indexOf(e[0]); // sorted types
                    for (int k = i; k < j; k++) {
                        int base = k * f + 4 * t + (k == i ? 0 : 1);
                        out[base] = 1;
                        if (Character.isUpperCase(forms[i].codePointAt(0))) {
                            out[base + 2] = 1;
                        }
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void featuresEqualBruteForceSpanLookup(int seed) {
        Random r = new Random(seed);
        List<String[]> entries = new ArrayList<>();
        StringBuilder text = new StringBuilder("# comment\n\n");
        for (String type : TYPES) { // every type listed, so that the feature blocks are the three sorted types
            int n = 1 + r.nextInt(4);
            for (int e = 0; e < n; e++) {
                StringBuilder phrase = new StringBuilder();
                int len = 1 + r.nextInt(3);
                for (int k = 0; k < len; k++) {
                    phrase.append(k > 0 ? " " : "").append(WORDS[r.nextInt(WORDS.length)]);
                }
                entries.add(new String[] {type, phrase.toString()});
                text.append(type).append('\t').append(phrase).append('\n');
            }
        }
        Gazetteer g = Gazetteer.parse(text.toString());
        assertThat(g.types()).containsExactly("LOC", "ORG", "PER");
        assertThat(g.featureCount()).isEqualTo(12);
        for (int s = 0; s < 10; s++) {
            String[] forms = new String[1 + r.nextInt(8)];
            for (int k = 0; k < forms.length; k++) {
                forms[k] = WORDS[r.nextInt(WORDS.length)];
            }
            assertThat(g.features(forms)).as(String.join(" ", forms)).containsExactly(bruteForce(entries, forms));
        }
    }

    @Test
    void capitalisedMatchesSetTheSecondBlockAndNestedMatchesAllCount() {
        Gazetteer g = Gazetteer.parse("LOC\tnew york\nLOC\tYork\nORG\tnew york times\n");
        float[] f = g.features(new String[] {"the", "New", "York", "Times", "in", "york"});
        int w = g.featureCount();
        assertThat(w).isEqualTo(8); // LOC, ORG
        // "New York" (LOC, capitalised) and "New York Times" (ORG, capitalised); "York" alone is LOC too
        assertThat(slice(f, 0, w)).containsOnly(0f);
        assertThat(slice(f, 1, w)).containsExactly(1, 0, 1, 0, 1, 0, 1, 0);
        assertThat(slice(f, 2, w)).containsExactly(1, 1, 1, 1, 0, 1, 0, 1);
        assertThat(slice(f, 3, w)).containsExactly(0, 0, 0, 0, 0, 1, 0, 1);
        assertThat(slice(f, 4, w)).containsOnly(0f);
        assertThat(slice(f, 5, w)).containsExactly(1, 0, 0, 0, 0, 0, 0, 0); // lower-case: no capitalised feature
        assertThat(g.typesOf("NEW   York")).isEqualTo(1);
        assertThat(g.typesOf("nowhere")).isZero();
        assertThat(g.countsByType()).containsEntry("LOC", 2).containsEntry("ORG", 1);
    }

    private static float[] slice(float[] f, int token, int w) {
        float[] out = new float[w];
        System.arraycopy(f, token * w, out, 0, w);
        return out;
    }

    @Test
    void emptyTokensTokensWithSpacesNonBmpAndEmptySentencesAreDefined() {
        Gazetteer g = Gazetteer.parse("LOC\t𝔘nion city\n");
        assertThat(g.features(new String[0])).isEmpty();
        assertThat(g.features(new String[] {"𝔘NION", "City"})[0]).isEqualTo(1f); // 𝔘 has no upper/lower pair
        assertThat(g.features(new String[] {"𝔘nion city"})).containsOnly(0f);
        assertThat(g.features(new String[] {"", "city"})).containsOnly(0f);
        assertThat(Gazetteer.parse("# nothing\n").featureCount()).isZero();
    }

    @Test
    void malformedLinesAreRefusedWithTheirLineNumber(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Gazetteer.parse("LOC\tparis\nno tab here\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2")
                .hasMessageContaining("no tab here");
        assertThatThrownBy(() -> Gazetteer.parse("LOC\t   \n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> Gazetteer.parse("\tparis\n")).hasMessageContaining("line 1");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 31; i++) {
            many.append("T").append(i).append("\tx\n");
        }
        assertThatThrownBy(() -> Gazetteer.parse(many.toString())).hasMessageContaining("at most 30 types");
        Path bad = dir.resolve("bad.tsv");
        Files.writeString(bad, "PER\tbob\nPER bob\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Gazetteer.read(bad)).hasMessageContaining(bad.toString())
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> Gazetteer.read(dir.resolve("missing.tsv")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("missing.tsv");
    }

    @Test
    void theBundledEnglishListParses() throws Exception {
        Path file = Path.of("gazetteers/en/gazetteer.tsv");
        Gazetteer g = Gazetteer.read(file);
        assertThat(g.types()).containsExactly("BRAND", "LOC", "ORG", "PER");
        assertThat(g.size()).isGreaterThan(50_000);
        assertThat(g.typesOf("new york")).isEqualTo(1 << g.types().indexOf("LOC"));
        // EWT's tokenisation of a hyphenated brand
        assertThat(g.typesOf("coca - cola")).isEqualTo(1 << g.types().indexOf("BRAND"));
        assertThat(g.text()).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        // the bundled NER model was trained with this very list
        assertThat(io.github.sparsestruct.models.BundledModels.ner(null).gazetteer().text()).isEqualTo(g.text());
    }
}
