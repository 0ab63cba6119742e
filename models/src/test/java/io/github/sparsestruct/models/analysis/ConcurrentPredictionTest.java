package io.github.sparsestruct.models.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.depparse.ParsePrediction;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.ner.NerPrediction;
import io.github.sparsestruct.models.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Models on the prediction path predict from several threads at once with the results of one thread. */
class ConcurrentPredictionTest {
    @Test
    void nerAndParserPredictConcurrentlyAsSequentially() throws Exception {
        NerModel ner = TinyModels.ner(4, 3);
        ParserModel parser = TinyModels.parser(4, 3);
        assumeTrue(ner.concurrentPrediction() && parser.concurrentPrediction());
        List<List<String[]>> batches = new ArrayList<>();
        List<NerSentence> nd = TinyModels.nerData(24, 8);
        List<DepSentence> pd = TinyModels.parseData(24, 8);
        for (int i = 0; i < 8; i++) {
            List<String[]> b = new ArrayList<>();
            for (int j = 0; j <= i % 5; j++) {
                b.add(nd.get((3 * i + j) % nd.size()).forms());
                b.add(pd.get((5 * i + j) % pd.size()).forms());
            }
            batches.add(b);
        }
        List<List<NerPrediction>> nerSeq = new ArrayList<>();
        List<List<ParsePrediction>> parSeq = new ArrayList<>();
        for (List<String[]> b : batches) {
            nerSeq.add(ner.predict(b, Decoding.SPARSEMAP));
            parSeq.add(parser.predict(b, Decoding.SPARSEMAP));
        }
        onFourThreads(batches.size(), k -> {
            List<NerPrediction> n = ner.predict(batches.get(k), Decoding.SPARSEMAP);
            List<ParsePrediction> p = parser.predict(batches.get(k), Decoding.SPARSEMAP);
            for (int s = 0; s < n.size(); s++) {
                assertThat(n.get(s).alternatives()).usingRecursiveComparison()
                        .isEqualTo(nerSeq.get(k).get(s).alternatives());
                assertThat(p.get(s).trees()).usingRecursiveComparison().isEqualTo(parSeq.get(k).get(s).trees());
            }
        });
    }

    /** Runs check(0 … tasks−1) six times over, on four threads at once, and rethrows the first failure. */
    private static void onFourThreads(int tasks, java.util.function.IntConsumer check) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int rep = 0; rep < 6; rep++) {
                for (int i = 0; i < tasks; i++) {
                    int k = i;
                    fs.add(pool.submit(() -> check.accept(k)));
                }
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void alignerPredictsConcurrentlyAsSequentially() throws Exception {
        io.github.sparsestruct.models.align.AlignModel m = TinyModels.align(4, 3);
        assumeTrue(m.concurrentPrediction());
        List<io.github.sparsestruct.models.align.TokenPair> pairs = new ArrayList<>();
        for (io.github.sparsestruct.models.data.AlignPair p : TinyModels.alignData(12, 9)) {
            pairs.add(new io.github.sparsestruct.models.align.TokenPair(p.source(), p.target()));
        }
        List<List<io.github.sparsestruct.models.align.TokenPair>> batches = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batches.add(pairs.subList(i, Math.min(pairs.size(), i + 1 + i % 4)));
        }
        var decoders = io.github.sparsestruct.models.align.AlignDecoder.values();
        var modes = Decoding.Task.ALIGN.decodings().toArray(new Decoding[0]);
        List<List<io.github.sparsestruct.models.align.AlignPrediction>> seq = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            seq.add(m.predict(batches.get(i), decoders[i % decoders.length], modes[i % modes.length]));
        }
        onFourThreads(batches.size(), k -> {
            var got = m.predict(batches.get(k), decoders[k % decoders.length], modes[k % modes.length]);
            for (int s = 0; s < got.size(); s++) {
                assertThat(got.get(s).alternatives()).usingRecursiveComparison()
                        .isEqualTo(seq.get(k).get(s).alternatives());
                assertThat(got.get(s).marginals()).isEqualTo(seq.get(k).get(s).marginals());
            }
        });
    }
}
