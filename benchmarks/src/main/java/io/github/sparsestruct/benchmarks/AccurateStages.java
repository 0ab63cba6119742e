package io.github.sparsestruct.benchmarks;

import io.github.sparsestruct.bert.EncoderCache;
import io.github.sparsestruct.bert.OnnxBert;
import io.github.sparsestruct.bert.WordPieceTokenizer;
import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.NerAnalyzer;
import io.github.sparsestruct.models.analysis.ParseAnalyzer;
import io.github.sparsestruct.models.data.ConlluReader;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.nn.EncoderBatch;
import io.github.sparsestruct.models.nn.LengthBuckets;
import io.github.sparsestruct.models.nn.PretrainedInput;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.nn.TokenVectors;
import io.github.sparsestruct.models.pretrained.EncoderVectors;
import io.github.sparsestruct.models.pretrained.PretrainedEncoder;
import io.github.sparsestruct.models.pretrained.PretrainedEncoders;
import io.github.sparsestruct.models.pretrained.VectorTable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * Where the accurate variant's time goes, on the calling thread: for the same sentences (the forms of a CoNLL-U
 * file), the median over R repeats of each stage's wall time and tokens per second:
 * <ol>
 *   <li><b>tokenise</b>: {@link WordPieceTokenizer#pieces} over every sentence (the converted vocabulary of
 *       {@link EncoderCache#bertBaseCased()});
 *   <li><b>tokenise + encoder</b>: {@link PretrainedEncoder#encode} over all sentences, length-sorted, in chunks of
 *       {@value #ENCODE_CHUNK} (as {@link VectorTable#of} computes a table); <b>encoder</b> = that minus stage 1;
 *   <li><b>heads</b>: with the vectors precomputed in a {@link VectorTable} attached to each model's featurizer, the
 *       NER model's tag scores and the parser's head outputs, in batches of {@value #BATCH} (as evaluation runs
 *       {@code predict}) cut into the models' own length buckets (as {@code SentenceBatches} does), without decoding.
 *       The models keep these methods package-private ({@code NerModel.scores}, {@code ParserModel.headOutputs}):
 *       they are called by reflection, and where that fails the row says so and only the next one is measured;
 *   <li><b>heads + decode</b>: {@link NerAnalyzer} and {@link ParseAnalyzer} (sparsemap, default options) over the
 *       same batches with the table attached; <b>decode</b> = that minus stage 3 (for the parser it also holds the
 *       relation labelling of the decoded arcs, which the model does after decoding);
 * </ol>
 * and the <b>whole</b>: a fresh {@link EncoderVectors} (no table; its memo lets the parser reuse what the NER model
 * encoded) attached to both models, then per batch of {@value #BATCH} sentences the NER analyzer and the parser's, as
 * {@code annotate} does for each group of documents: a check that the stages add up. Before it is timed, each stage
 * runs once untimed: over every sentence for the cheap stages (tokenise, heads, heads + decode: the JIT compiles the
 * decoders there), over the first {@value #WARM_SENTENCES} sentences for those that run the encoder. The header gives
 * the CPU model, the thread counts and the encoder's precision; the last line is the same figures as JSON.
 *
 * <pre>
 * OMP_NUM_THREADS=1 taskset -c 0 bin/sparsestruct-bench AccurateStages [--ner MODEL] [--parser MODEL] \
 *     [--data ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu] [--precision int8|fp32] [--sentences N] \
 *     [--repeat R]
 * </pre>
 * Models default to the bundled accurate ones ({@code BundledModels.ner("en", "accurate")}, {@code parser}); the
 * precision to the NER model's (or {@code -Dsparsestruct.pretrained.precision}); {@code --sentences 0} (the default)
 * takes every sentence; {@code --repeat} defaults to 3. One thread: ONNX Runtime gets one intra-op thread unless
 * {@code -Dsparsestruct.bert.threads} says otherwise, the parser's parallel decoding runs in the caller (the common
 * fork-join pool's parallelism is set to 0 unless given), and OpenBLAS / ND4J follow {@code OMP_NUM_THREADS}, which
 * should be 1 (a warning says when it is not).
 */
public final class AccurateStages {
    /** Sentences per prediction call, as evaluation ({@code NerEvaluation.run(..., 64)}) and annotate's groups. */
    static final int BATCH = 64;
    /** Sentences per encoder call, as {@link VectorTable#of}. */
    static final int ENCODE_CHUNK = 256;
    /** Sentences each stage runs once before timing. */
    static final int WARM_SENTENCES = 32;
    static final String DEFAULT_DATA = "../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu";
    private static final String FJ_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private AccurateStages() {
    }

    /** One row: a stage's median seconds (NaN: not measured). */
    record Row(String stage, double seconds, String note) {
    }

    /** See the class comment. */
    public static void main(String[] args) throws Exception {
        if (System.getProperty(FJ_PARALLELISM) == null) {
            System.setProperty(FJ_PARALLELISM, "0"); // before the common pool exists: parallel streams run here
        }
        if (System.getProperty(OnnxBert.THREADS_PROPERTY) == null) {
            System.setProperty(OnnxBert.THREADS_PROPERTY, "1");
        }
        Options o = Options.parse(args, List.of("--ner", "--parser", "--data", "--precision", "--sentences",
                "--repeat"));
        int repeat = o.getInt("--repeat", 3);
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
        }
        org.nd4j.linalg.factory.Nd4j.create(1);
        NerModel ner = o.get("--ner", null) == null ? BundledModels.ner("en", "accurate")
                : BundledModels.ner(Path.of(o.get("--ner", null)));
        ParserModel parser = o.get("--parser", null) == null ? BundledModels.parser("en", "accurate")
                : BundledModels.parser(Path.of(o.get("--parser", null)));
        PretrainedInput nerIn = ner.config().encoder().pretrained();
        PretrainedInput parIn = parser.config().encoder().pretrained();
        if (nerIn == null || parIn == null) {
            throw new IllegalArgumentException("both models must read a pretrained encoder (the accurate variant); "
                    + (nerIn == null ? "the NER model" : "the parser") + " does not");
        }
        if (!nerIn.encoder().equals(parIn.encoder()) || nerIn.width() != parIn.width()) {
            throw new IllegalArgumentException("the models read different encoders: " + nerIn + " and " + parIn);
        }
        String precision = o.get("--precision",
                System.getProperty(EncoderVectors.PRECISION_PROPERTY, nerIn.precision()));
        if (!"int8".equals(precision) && !"fp32".equals(precision)) {
            throw new IllegalArgumentException("--precision must be int8 or fp32, got " + precision);
        }

        Path data = Path.of(o.get("--data", DEFAULT_DATA));
        List<String[]> sentences = new ArrayList<>();
        for (DepSentence s : ConlluReader.read(data)) {
            if (s.forms().length > 0) {
                sentences.add(s.forms());
            }
        }
        int max = o.getInt("--sentences", 0);
        if (max > 0 && sentences.size() > max) {
            sentences = new ArrayList<>(sentences.subList(0, max));
        }
        long tokens = 0;
        for (String[] s : sentences) {
            tokens += s.length;
        }
        List<String[]> warm = sentences.subList(0, Math.min(WARM_SENTENCES, sentences.size()));

        PretrainedEncoder encoder = PretrainedEncoders.shared(nerIn.encoder(), precision);
        if (encoder.layers() * encoder.dim() != nerIn.width()) {
            throw new IllegalStateException("the encoder gives " + encoder.layers() * encoder.dim()
                    + " values per token; the models expect " + nerIn.width());
        }
        String omp = System.getenv("OMP_NUM_THREADS");
        System.out.printf(Locale.ROOT, "cpu: %s (%d available to the JVM)%n", cpuModel(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "threads: ONNX Runtime intra-op %d (inter-op 1, device %s), OMP_NUM_THREADS=%s,"
                        + " fork-join common parallelism %s%n", OnnxBert.defaultThreads(),
                System.getProperty("sparsestruct.bert.device", "cpu"), omp == null ? "(unset)" : omp,
                System.getProperty(FJ_PARALLELISM));
        if (!"1".equals(omp)) {
            System.out.println("WARNING: OMP_NUM_THREADS is not 1: OpenBLAS / ND4J may use more than one thread");
        }
        System.out.printf(Locale.ROOT, "encoder: %s, precision %s, %d layers x %d%n", encoder.id(), precision,
                encoder.layers(), encoder.dim());
        System.out.printf(Locale.ROOT, "data: %s, %d sentences, %d tokens; median of %d repeat(s), warm-up on "
                + "%d sentences for the encoder stages, all for the others%n", data, sentences.size(), tokens, repeat,
                warm.size());
        System.out.printf(Locale.ROOT, "models: ner %s, parser %s%n", o.get("--ner", "bundled en accurate"),
                o.get("--parser", "bundled en accurate"));
        System.out.flush();

        List<Row> rows = new ArrayList<>();
        final List<String[]> all = sentences;

        // 1. word pieces
        Path vocab = new EncoderCache().bertBaseCased().vocab();
        double tokenise;
        try (WordPieceTokenizer wp = WordPieceTokenizer.fromVocab(vocab)) {
            Function<List<String[]>, Object> pieces = ss -> {
                long n = 0;
                for (String[] s : ss) {
                    n += wp.pieces(s).length;
                }
                return n;
            };
            pieces.apply(all);
            tokenise = median(repeat, () -> pieces.apply(all));
        }
        rows.add(new Row("tokenise", tokenise, "WordPieceTokenizer.pieces"));

        // 2. the encoder, as VectorTable.of: length-sorted chunks of 256
        encodeSorted(encoder, warm);
        Map<List<String>, float[]> encoded = new HashMap<>();
        double encode = median(repeat, () -> {
            encoded.clear();
            encoded.putAll(encodeSorted(encoder, all));
            return encoded.size();
        });
        rows.add(new Row("tokenise + encoder", encode, "encode, chunks of " + ENCODE_CHUNK + " length-sorted"));
        rows.add(new Row("encoder", encode - tokenise, "= (tokenise + encoder) - tokenise"));
        VectorTable table = VectorTable.of(replay(encoder, encoded), all, null);
        encoded.clear();

        // 3. + 4. heads, then heads + decode through the analyzers, on the table
        TokenFeaturizer nf = ner.features();
        TokenFeaturizer pf = parser.features();
        TokenVectors nerOwn = nf.vectors();
        TokenVectors parOwn = pf.vectors();
        nf.useVectors(table);
        pf.useVectors(table);
        List<List<String[]>> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += BATCH) {
            batches.add(all.subList(i, Math.min(all.size(), i + BATCH)));
        }
        Heads nerHeads = nerHeads(ner);
        Heads parHeads = parserHeads(parser);
        double[] headSecs = new double[2];
        Heads[] heads = {nerHeads, parHeads};
        String[] names = {"NER", "parser"};
        for (int h = 0; h < 2; h++) {
            Heads hd = heads[h];
            if (hd.failure() != null) {
                headSecs[h] = Double.NaN;
                rows.add(new Row("heads: " + names[h], Double.NaN, "not measured: " + hd.failure()));
                continue;
            }
            for (List<String[]> b : batches) {
                hd.run(b);
            }
            headSecs[h] = median(repeat, () -> {
                for (List<String[]> b : batches) {
                    hd.run(b);
                }
                return null;
            });
            rows.add(new Row("heads: " + names[h], headSecs[h], hd.what()));
        }
        AnalysisOptions opts = AnalysisOptions.defaults();
        NerAnalyzer nerA = new NerAnalyzer(ner, opts);
        ParseAnalyzer parA = new ParseAnalyzer(parser, opts);
        List<Function<List<String[]>, ?>> analyzers = List.of(nerA::analyze, parA::analyze);
        double[] fullSecs = new double[2];
        for (int h = 0; h < 2; h++) {
            Function<List<String[]>, ?> a = analyzers.get(h);
            for (List<String[]> b : batches) {
                a.apply(b);
            }
            fullSecs[h] = median(repeat, () -> {
                for (List<String[]> b : batches) {
                    a.apply(b);
                }
                return null;
            });
            rows.add(new Row("heads + decode: " + names[h], fullSecs[h], (h == 0 ? "NerAnalyzer" : "ParseAnalyzer")
                    + ".analyze, " + opts.decode() + ", batches of " + BATCH));
        }
        for (int h = 0; h < 2; h++) {
            rows.add(new Row("decode: " + names[h], fullSecs[h] - headSecs[h], "= (heads + decode) - heads"
                    + (h == 1 ? "; holds the relation labels" : "")));
        }
        double sum = encode + fullSecs[0] + fullSecs[1];
        rows.add(new Row("sum of stages", sum, "tokenise + encoder + heads + decode (both models)"));

        // the whole, as annotate: encoder vectors (no table) and both analyzers per group of sentences
        final EncoderVectors[] fresh = new EncoderVectors[1];
        int memo = Integer.getInteger(EncoderVectors.MEMO_PROPERTY, 8192);
        Function<List<List<String[]>>, Object> annotate = bs -> {
            fresh[0] = new EncoderVectors(encoder, memo);
            nf.useVectors(fresh[0]);
            pf.useVectors(fresh[0]);
            for (List<String[]> b : bs) {
                nerA.analyze(b);
                parA.analyze(b);
            }
            return null;
        };
        annotate.apply(List.of(warm));
        double total = median(repeat, () -> annotate.apply(batches));
        rows.add(new Row("whole", total, "EncoderVectors (memo " + memo + " tokens) + both analyzers, batches of "
                + BATCH));
        nf.useVectors(nerOwn);
        pf.useVectors(parOwn);

        System.out.print(report(rows, tokens));
        System.out.printf(Locale.ROOT, "fork-join worker threads started: %d%n",
                ForkJoinPool.commonPool().getPoolSize());
        System.out.println(json(rows, tokens, sentences.size(), repeat, precision));
    }

    /** The model's own heads of a batch, without decoding, or why they cannot be called. */
    interface Heads {
        /** Computes the heads of these sentences (in the model's length buckets). */
        void run(List<String[]> sentences);

        /** What is called. */
        String what();

        /** Null, or why the heads cannot be called. */
        String failure();
    }

    private static Heads failed(String why) {
        return new Heads() {
            @Override
            public void run(List<String[]> sentences) {
                throw new IllegalStateException(why);
            }

            @Override
            public String what() {
                return "";
            }

            @Override
            public String failure() {
                return why;
            }
        };
    }

    /** {@code NerModel.scores(forms)} per length bucket, as {@code NerModel.predictBatched} calls it. */
    static Heads nerHeads(NerModel model) {
        Method m;
        try {
            m = NerModel.class.getDeclaredMethod("scores", List.class);
            m.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return failed("NerModel.scores(List) not found: " + e);
        }
        int[] limits = limits(NerModel.class);
        return bucketed(limits, 0, "NerModel.scores per bucket of <= " + limits[0] + " sentences / " + limits[1]
                + " tokens", forms -> invoke(m, model, forms));
    }

    /** {@code ParserModel.headOutputs(featurize(root + forms))} per length bucket, as {@code predictBatch} does. */
    static Heads parserHeads(ParserModel model) {
        Method m;
        try {
            m = ParserModel.class.getDeclaredMethod("headOutputs", EncoderBatch.class);
            m.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return failed("ParserModel.headOutputs(EncoderBatch) not found: " + e);
        }
        int[] limits = limits(ParserModel.class);
        return bucketed(limits, 1, "ParserModel.headOutputs per bucket of <= " + limits[0] + " sentences / "
                + limits[1] + " tokens (root included)", forms -> {
                    List<String[]> rooted = new ArrayList<>(forms.size());
                    for (String[] s : forms) {
                        String[] f = new String[s.length + 1];
                        f[0] = TokenFeaturizer.ROOT;
                        System.arraycopy(s, 0, f, 1, s.length);
                        rooted.add(f);
                    }
                    return invoke(m, model, model.features().featurize(rooted, 0, null));
                });
    }

    private static Heads bucketed(int[] limits, int extra, String what, Function<List<String[]>, Object> call) {
        return new Heads() {
            @Override
            public void run(List<String[]> sentences) {
                int[] lengths = new int[sentences.size()];
                for (int i = 0; i < lengths.length; i++) {
                    lengths[i] = sentences.get(i).length + extra;
                }
                for (int[] idx : LengthBuckets.batches(lengths, limits[0], limits[1], null)) {
                    List<String[]> forms = new ArrayList<>(idx.length);
                    for (int i : idx) {
                        forms.add(sentences.get(i));
                    }
                    call.apply(forms);
                }
            }

            @Override
            public String what() {
                return what;
            }

            @Override
            public String failure() {
                return null;
            }
        };
    }

    /** A model class's {@code PREDICT_SENTENCES} and {@code PREDICT_TOKENS} (64 and 3,000 where unreadable). */
    static int[] limits(Class<?> c) {
        return new int[] {constant(c, "PREDICT_SENTENCES", 64), constant(c, "PREDICT_TOKENS", 3000)};
    }

    private static int constant(Class<?> c, String name, int fallback) {
        try {
            Field f = c.getDeclaredField(name);
            f.setAccessible(true);
            return f.getInt(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return fallback;
        }
    }

    private static Object invoke(Method m, Object target, Object arg) {
        try {
            return m.invoke(target, arg);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The vectors of every distinct sentence: length-sorted, {@value #ENCODE_CHUNK} sentences per call. */
    static Map<List<String>, float[]> encodeSorted(PretrainedEncoder encoder, List<String[]> sentences) {
        List<String[]> todo = new ArrayList<>(sentences);
        todo.sort(Comparator.comparingInt(s -> s.length));
        Map<List<String>, float[]> out = new HashMap<>();
        for (int i = 0; i < todo.size(); i += ENCODE_CHUNK) {
            List<String[]> part = todo.subList(i, Math.min(todo.size(), i + ENCODE_CHUNK));
            List<float[]> got = encoder.encode(part);
            for (int j = 0; j < part.size(); j++) {
                out.put(Arrays.asList(part.get(j)), got.get(j));
            }
        }
        return out;
    }

    /** An encoder that gives back vectors already computed (so that building the table costs no second pass). */
    static PretrainedEncoder replay(PretrainedEncoder real, Map<List<String>, float[]> vectors) {
        return new PretrainedEncoder() {
            @Override
            public String id() {
                return real.id();
            }

            @Override
            public int layers() {
                return real.layers();
            }

            @Override
            public int dim() {
                return real.dim();
            }

            @Override
            public List<float[]> encode(List<String[]> sentences) {
                List<float[]> out = new ArrayList<>(sentences.size());
                for (String[] s : sentences) {
                    float[] v = vectors.get(Arrays.asList(s));
                    out.add(v != null ? v : real.encode(List.<String[]>of(s)).get(0));
                }
                return out;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Something timed; its result is kept from the optimiser. */
    @FunctionalInterface
    interface Timed {
        Object run();
    }

    static volatile Object sink;

    /** The median wall time of {@code repeat} runs, in seconds. */
    static double median(int repeat, Timed t) {
        double[] s = new double[repeat];
        for (int r = 0; r < repeat; r++) {
            long t0 = System.nanoTime();
            sink = t.run();
            s[r] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(s);
        return repeat % 2 == 1 ? s[repeat / 2] : (s[repeat / 2 - 1] + s[repeat / 2]) / 2;
    }

    /** The first {@code model name} of /proc/cpuinfo, else os.arch. */
    static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch") + " (no /proc/cpuinfo model name)";
    }

    static String report(List<Row> rows, long tokens) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-22s %10s %12s  %s%n", "stage", "seconds",
                "tokens/s", "what"));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-22s %10s %12s  %s%n", r.stage(),
                    Double.isNaN(r.seconds()) ? "-" : String.format(Locale.ROOT, "%.3f", r.seconds()),
                    rate(tokens, r.seconds()), r.note()));
        }
        return b.toString();
    }

    private static String rate(long tokens, double seconds) {
        return Double.isNaN(seconds) || seconds <= 0 ? "-" : String.format(Locale.ROOT, "%.1f", tokens / seconds);
    }

    static String json(List<Row> rows, long tokens, int sentences, int repeat, String precision) {
        StringBuilder j = new StringBuilder(String.format(Locale.ROOT,
                "{\"cpu\":\"%s\",\"onnxThreads\":%d,\"precision\":\"%s\",\"sentences\":%d,\"tokens\":%d,"
                        + "\"repeats\":%d,\"stages\":[", cpuModel().replace("\"", "'"), OnnxBert.defaultThreads(),
                precision, sentences, tokens, repeat));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            boolean ok = !Double.isNaN(r.seconds()) && r.seconds() > 0;
            j.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"stage\":\"%s\",\"seconds\":%s,\"tokensPerSecond\":%s}", r.stage(),
                    Double.isNaN(r.seconds()) ? "null" : String.format(Locale.ROOT, "%.4f", r.seconds()),
                    ok ? String.format(Locale.ROOT, "%.1f", tokens / r.seconds()) : "null"));
        }
        return j.append("]}").toString();
    }
}
