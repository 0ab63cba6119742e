package io.github.sparsestruct.inference.sparsemap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** k-best lists by Lawler–Murty partitioning equal the top k of the enumerated structures. */
class KBestTest {
    static Stream<Integer> seeds() {
        return IntStream.range(0, 200).boxed();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void kBestEqualsTheTopKOfAllStructures(int seed) {
        PolytopeSparseMapTest.Case c = PolytopeSparseMapTest.make(seed);
        int k = 1 + seed % 7;
        List<KBest.Scored> got = KBest.kBest(c.poly(), c.etaU(), c.etaV(), k);
        List<Double> expected = c.all().stream().map(s -> s.score(c.etaU(), c.etaV()))
                .filter(x -> x > Double.NEGATIVE_INFINITY).sorted(Comparator.reverseOrder()).limit(k).toList();
        assertThat(got).hasSize(expected.size());
        Set<Structure> distinct = new HashSet<>();
        for (int i = 0; i < got.size(); i++) {
            KBest.Scored s = got.get(i);
            assertThat(s.score()).isCloseTo(expected.get(i), within(1e-9));
            assertThat(s.structure().score(c.etaU(), c.etaV())).isCloseTo(s.score(), within(1e-12));
            assertThat(c.all()).contains(s.structure());
            assertThat(distinct.add(s.structure())).as("structures are distinct").isTrue();
        }
    }
}
