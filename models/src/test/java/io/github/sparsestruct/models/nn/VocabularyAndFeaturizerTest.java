package io.github.sparsestruct.models.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VocabularyAndFeaturizerTest {
    @Test
    void openVocabularyKeepsFrequentWordsMostFrequentFirstAndMapsTheRestToUnknown() {
        Vocabulary v = Vocabulary.open(Map.of("a", 3, "b", 1, "c", 5, "d", 3), 2,
                List.of(Vocabulary.PAD, Vocabulary.UNK));
        assertThat(v.items()).containsExactly(Vocabulary.PAD, Vocabulary.UNK, "c", "a", "d");
        assertThat(v.indexOf("b")).isEqualTo(v.unknownIndex()).isEqualTo(1);
        assertThat(v.count(v.indexOf("c"))).isEqualTo(5);
        Vocabulary back = Vocabulary.fromJson(v.toJson());
        assertThat(back.items()).isEqualTo(v.items());
        assertThat(back.counts()).isEqualTo(v.counts());
        assertThat(back.reserved()).isEqualTo(2);
    }

    @Test
    void closedVocabularyRejectsUnknownLabelsByName() {
        Vocabulary v = Vocabulary.closed(List.of("O", "B-PER", "I-PER"));
        assertThat(v.indexOf("I-PER")).isEqualTo(2);
        assertThatThrownBy(() -> v.indexOf("B-LOC")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("B-LOC");
    }

    @Test
    void caseFeatureDistinguishesShapes() {
        assertThat(CaseFeature.of("dog")).isEqualTo(CaseFeature.LOWER);
        assertThat(CaseFeature.of("Dog")).isEqualTo(CaseFeature.TITLE);
        assertThat(CaseFeature.of("A")).isEqualTo(CaseFeature.TITLE);
        assertThat(CaseFeature.of("NASA")).isEqualTo(CaseFeature.UPPER);
        assertThat(CaseFeature.of("iPhone")).isEqualTo(CaseFeature.MIXED);
        assertThat(CaseFeature.of("3rd")).isEqualTo(CaseFeature.DIGIT);
        assertThat(CaseFeature.of("...")).isEqualTo(CaseFeature.OTHER);
    }

    @Test
    void featurizerPadsBatchesAndListsEachFormOnceForTheCharacterModel() {
        List<String[]> train = List.of(new String[] {"The", "cat", "sat"}, new String[] {"the", "dog", "sat", "2"});
        TokenFeaturizer f = TokenFeaturizer.build(train, 2, 4);
        assertThat(f.words().items()).containsExactly(Vocabulary.PAD, Vocabulary.UNK, TokenFeaturizer.ROOT, "sat",
                "the");
        EncoderBatch b = f.featurize(List.of(new String[] {"The", "sat"}, new String[] {"sat", "Sat", "elephant"}),
                0, null);
        assertThat(b.lengths()).containsExactly(2, 3);
        assertThat(b.maxLength()).isEqualTo(3);
        int the = f.words().indexOf("the");
        int sat = f.words().indexOf("sat");
        assertThat(b.words()).containsExactly(the, sat, 0, sat, sat, 1);
        assertThat(b.cases()[4]).isEqualTo(CaseFeature.TITLE);
        assertThat(b.cases()[2]).isEqualTo(CaseFeature.PAD);
        // distinct forms: The, sat, Sat, elephant; padding points nowhere
        assertThat(b.types()).isEqualTo(4);
        assertThat(b.chars()).hasSize(4 * 6);
        assertThat(b.typeIndex()).containsExactly(0, 1, -1, 1, 2, 3);
        // "elephant" keeps "el" + "nt"; unseen characters are unknown (1); begin 2, end 3
        int[] eleph = java.util.Arrays.copyOfRange(b.chars(), 18, 24);
        assertThat(eleph[0]).isEqualTo(2);
        assertThat(eleph[5]).isEqualTo(3);
        assertThat(eleph[1]).isEqualTo(f.chars().indexOf("e"));
        assertThat(eleph[4]).isEqualTo(f.chars().indexOf("t"));
        assertThat(eleph[2]).isEqualTo(1);
        // "sat": 3 windows inside the form, the 4th outside
        assertThat(java.util.Arrays.copyOfRange(b.charPenalty(), 4, 8)).containsExactly(0f, 0f, 0f,
                TokenFeaturizer.CHAR_PAD_PENALTY);
        assertThat(TokenFeaturizer.normalize("A1-B29")).isEqualTo("a0-b00");
    }

    @Test
    void wordDropoutTurnsRareWordsUnknownMoreOftenThanFrequentOnes() {
        List<String[]> train = java.util.Collections.singletonList(
                new String[] {"a", "a", "a", "a", "a", "a", "a", "a", "b"});
        TokenFeaturizer f = TokenFeaturizer.build(train, 1, 5);
        Random rng = new Random(7);
        int unkA = 0;
        int unkB = 0;
        for (int i = 0; i < 2000; i++) {
            EncoderBatch b = f.featurize(java.util.Collections.singletonList(new String[] {"a", "b"}), 0.25, rng);
            unkA += b.words()[0] == 1 ? 1 : 0;
            unkB += b.words()[1] == 1 ? 1 : 0;
        }
        assertThat(unkB / 2000.0).isBetween(0.15, 0.25); // 0.25 / 1.25
        assertThat(unkA / 2000.0).isBetween(0.01, 0.06); // 0.25 / 8.25
    }

    @Test
    void lengthBucketsCoverEverySentenceOnceWithinTheLimits() {
        Random r = new Random(3);
        int[] lengths = new int[200];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = 1 + r.nextInt(60);
        }
        List<int[]> batches = LengthBuckets.batches(lengths, 16, 400, new Random(1));
        Set<Integer> seen = new HashSet<>();
        for (int[] b : batches) {
            int longest = 0;
            for (int i : b) {
                assertThat(seen.add(i)).isTrue();
                longest = Math.max(longest, lengths[i]);
            }
            assertThat(b.length).isLessThanOrEqualTo(16);
            assertThat((long) longest * b.length).isLessThanOrEqualTo(400);
        }
        assertThat(seen).hasSize(200);
        assertThat(LengthBuckets.batches(lengths, 16, 400, new Random(1)))
                .usingRecursiveComparison().isEqualTo(batches);
        List<int[]> sorted = LengthBuckets.batches(lengths, 16, 400, null);
        assertThat(lengths[sorted.get(0)[0]]).isEqualTo(1);
    }
}
