package io.github.sparsestruct.benchmarks;

import io.github.sparsestruct.models.data.ConlluReader;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.data.Iob2Reader;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.depparse.ParsePrediction;
import io.github.sparsestruct.models.depparse.ParserConfig;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.ner.NerConfig;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.ner.NerPrediction;
import io.github.sparsestruct.models.nn.LengthBuckets;
import io.github.sparsestruct.models.train.StepResult;
import io.github.sparsestruct.models.train.TrainableModel;
import io.github.sparsestruct.models.train.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times training steps and decoding on real data (no full training): BATCHES timed training batches (after 5 untimed
 * ones), the MAP accuracy on the first 600 dev sentences after them, and predict throughput per decoding on those:
 * <pre>
 * bin/sparsestruct-bench TrainThroughput dep|ner TRAIN.conllu|.iob2 DEV BATCHES [LSTM_HIDDEN LSTM_LAYERS]
 * </pre>
 * (OMP_WAIT_POLICY=PASSIVE, which the launcher sets; formerly models' test class {@code train.ThroughputProbe}).
 */
public final class TrainThroughput {
    private static final Logger LOG = LoggerFactory.getLogger(TrainThroughput.class);

    private TrainThroughput() {
    }

    /** {@code dep|ner TRAIN DEV BATCHES [LSTM_HIDDEN LSTM_LAYERS]}. */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: TrainThroughput dep|ner TRAIN DEV BATCHES [LSTM_HIDDEN LSTM_LAYERS]");
            System.exit(2);
        }
        String task = args[0];
        int batches = Integer.parseInt(args[3]);
        int devCount = 600;
        if (task.equals("dep")) {
            List<DepSentence> train = ConlluReader.read(Path.of(args[1]));
            List<DepSentence> dev = first(ConlluReader.read(Path.of(args[2])), devCount);
            ParserConfig cfg = ParserConfig.defaults();
            if (args.length > 5) {
                cfg = cfg.withEncoder(cfg.encoder().withLstm(Integer.parseInt(args[4]), Integer.parseInt(args[5])));
            }
            List<DepSentence> ok = new ArrayList<>();
            for (DepSentence s : train) {
                try {
                    ParserModel.checkTree(s);
                    ok.add(s);
                } catch (IllegalArgumentException e) {
                    LOG.warn("skipping: {}", e.getMessage());
                }
            }
            ParserModel m = ParserModel.create(cfg, ok, 1);
            LOG.info("config {}", cfg);
            timeTraining(m, ok, DepSentence::length, batches);
            List<String[]> forms = dev.stream().map(DepSentence::forms).toList();
            int tokens = dev.stream().mapToInt(DepSentence::length).sum();
            List<ParsePrediction> best = m.predict(forms, Decoding.MAP);
            int uas = 0;
            int las = 0;
            int pos = 0;
            for (int i = 0; i < dev.size(); i++) {
                for (int k = 0; k < dev.get(i).length(); k++) {
                    boolean h = best.get(i).heads()[k] == dev.get(i).heads()[k];
                    uas += h ? 1 : 0;
                    las += h && best.get(i).deprels()[k].equals(dev.get(i).deprels()[k]) ? 1 : 0;
                    pos += best.get(i).upos()[k].equals(dev.get(i).upos()[k]) ? 1 : 0;
                }
            }
            LOG.info("dev subset after the timed batches (MAP): UAS {} LAS {} UPOS {}", f(uas / (double) tokens),
                    f(las / (double) tokens), f(pos / (double) tokens));
            for (Decoding mode : Decoding.Task.PARSE.decodings()) {
                m.predict(first(forms, 50), mode);
                long t0 = System.nanoTime();
                List<ParsePrediction> p = m.predict(forms, mode);
                double s = (System.nanoTime() - t0) / 1e9;
                double support = p.stream().mapToInt(x -> x.trees().size()).average().orElse(0);
                LOG.info("predict {}: {} sentences, {} tokens in {} s = {} tokens/s, mean trees {}", mode,
                        forms.size(), tokens, f(s), Math.round(tokens / s), f(support));
            }
        } else {
            List<NerSentence> train = Iob2Reader.read(Path.of(args[1]));
            List<NerSentence> dev = first(Iob2Reader.read(Path.of(args[2])), devCount);
            NerConfig cfg = NerConfig.defaults();
            if (args.length > 5) {
                cfg = cfg.withEncoder(cfg.encoder().withLstm(Integer.parseInt(args[4]), Integer.parseInt(args[5])));
            }
            NerModel m = NerModel.create(cfg, train, 1);
            LOG.info("config {}", cfg);
            timeTraining(m, train, NerSentence::length, batches);
            List<String[]> forms = dev.stream().map(NerSentence::forms).toList();
            int tokens = dev.stream().mapToInt(NerSentence::length).sum();
            List<NerPrediction> best = m.predict(forms, Decoding.MAP);
            int ok = 0;
            for (int i = 0; i < dev.size(); i++) {
                for (int k = 0; k < dev.get(i).length(); k++) {
                    ok += best.get(i).tags()[k].equals(dev.get(i).tags()[k]) ? 1 : 0;
                }
            }
            LOG.info("dev subset after the timed batches (MAP): token accuracy {}", f(ok / (double) tokens));
            for (Decoding mode : Decoding.Task.NER.decodings()) {
                m.predict(first(forms, 50), mode);
                long t0 = System.nanoTime();
                List<NerPrediction> p = m.predict(forms, mode);
                double s = (System.nanoTime() - t0) / 1e9;
                double support = p.stream().mapToInt(x -> x.alternatives().size()).average().orElse(0);
                LOG.info("predict {}: {} sentences, {} tokens in {} s = {} tokens/s, mean alternatives {}", mode,
                        forms.size(), tokens, f(s), Math.round(tokens / s), f(support));
            }
        }
    }

    private static <S> void timeTraining(TrainableModel<S> m, List<S> train, ToIntFunction<S> len, int batches) {
        int[] lengths = train.stream().mapToInt(len).toArray();
        long allTokens = 0;
        for (int l : lengths) {
            allTokens += l;
        }
        TrainerConfig tc = TrainerConfig.defaults();
        Random rng = new Random(1);
        List<int[]> all = LengthBuckets.batches(lengths, tc.batchSentences(), tc.batchTokens(), rng);
        int warm = 5;
        long tokens = 0;
        long t0 = 0;
        double loss = 0;
        for (int b = 0; b < Math.min(all.size(), batches + warm); b++) {
            if (b == warm) {
                t0 = System.nanoTime();
            }
            List<S> batch = new ArrayList<>();
            for (int i : all.get(b)) {
                batch.add(train.get(i));
            }
            StepResult r = m.trainStep(batch, rng);
            if (b >= warm) {
                tokens += r.tokens();
                loss += r.loss();
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double tps = tokens / s;
        double epochHours = allTokens / tps / 3600;
        LOG.info("train: {} batches ({} of {} per epoch), {} tokens in {} s = {} tokens/s, {} s/batch; "
                        + "epoch of {} tokens ~ {} h, {} epochs in 2 h; loss/token {}", batches, batches, all.size(),
                tokens, f(s), Math.round(tps), f(s / batches), allTokens, f(epochHours), f(2 / epochHours),
                f(loss / tokens));
    }

    private static <T> List<T> first(List<T> list, int n) {
        return list.subList(0, Math.min(n, list.size()));
    }

    private static String f(double x) {
        return String.format("%.3f", x);
    }
}
