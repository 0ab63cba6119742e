package io.github.sparsestruct.cli;

import static org.apache.uima.fit.factory.AnalysisEngineFactory.createEngine;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.models.ModelCatalog;
import io.github.sparsestruct.models.align.AlignDecoder;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.analysis.AlignAnalyzer;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.models.analysis.AnalysisOptions;
import io.github.sparsestruct.models.analysis.ModelRegistry;
import io.github.sparsestruct.type.EntityAnalysis;
import io.github.sparsestruct.type.SentencePair;
import io.github.sparsestruct.type.TreeAnalysis;
import io.github.sparsestruct.uima.AnnotationPipeline;
import io.github.sparsestruct.uima.BatchRunner;
import io.github.sparsestruct.uima.CasAlternatives;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.analysis_engine.AnalysisEngineDescription;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.dkpro.core.tokit.BreakIteratorSegmenter;
import io.github.sparsestruct.cli.AnnotateInputs.Doc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The main job: annotates documents (text files, folders read recursively, XMI, CoNLL-U) with the UIMA pipeline
 * (DKPro BreakIteratorSegmenter for plain text → SparseStruct NER → SparseStruct parser) and writes, per document,
 * XMI, the alternatives JSON, CoNLL-U of the best analysis and a self-contained HTML view. Each document's outputs
 * are written to temporary files and moved into place only when all succeeded, so a failing document leaves nothing
 * half-written; the others are still processed and the exit status is 1.
 */
@Command(name = "annotate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Annotate documents with weighted entity analyses and dependency trees.")
public final class AnnotateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "INPUT", arity = "1..*",
            description = "text files, folders (recursively: *.txt, *.xmi, *.conllu), XMI (.xmi) or CoNLL-U (.conllu)")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, defaultValue = "out", paramLabel = "DIR", description = "output folder (out)")
    Path output;

    @Option(names = "--format", split = ",", defaultValue = "json,html,xmi,conllu", paramLabel = "F",
            description = "outputs: json, html, xmi, conllu (default all)")
    List<String> formats;

    @Option(names = "--tasks", split = ",", defaultValue = "ner,depparse", paramLabel = "T",
            description = "ner, depparse, align (default ner,depparse); align needs --align-to")
    List<String> tasks;

    @Option(names = "--align-to", paramLabel = "PATH",
            description = "align: the counterpart text(s): a file (with one INPUT file) or a folder holding a text "
                    + "file of the same relative name as each input document; its sentences are aligned with the "
                    + "document's (DTW), then the words of each aligned sentence pair")
    Path alignTo;

    @Option(names = "--decoder", defaultValue = "matching", paramLabel = "D",
            description = "align: matching (one-to-one links) or sequential (default matching)")
    String decoder;

    @Option(names = "--align-model", defaultValue = "bundled", paramLabel = "MODEL",
            description = "word aligner model file (default: the bundled English aligner)")
    String alignModel;

    @Option(names = "--decode", defaultValue = "sparsemap", paramLabel = "MODE",
            completionCandidates = Decoding.Names.class,
            description = "one of ${COMPLETION-CANDIDATES} that the task allows (another fails, listing those); "
                    + "default ${DEFAULT-VALUE}")
    String decode;

    @Option(names = "--max-alternatives", defaultValue = "5", paramLabel = "N",
            description = "alternatives kept per sentence (5)")
    int maxAlternatives;

    @Option(names = "--min-weight", defaultValue = "0.01", paramLabel = "W",
            description = "lightest alternative / candidate kept (0.01)")
    double minWeight;

    @Option(names = "--max-sentence-length", defaultValue = "250", paramLabel = "N",
            description = "longer sentences are decoded in chunks with map (250)")
    int maxSentenceLength;

    @Option(names = "--ner-model", defaultValue = "bundled", paramLabel = "MODEL",
            description = "NER model file (default: the bundled English model)")
    String nerModel;

    @Option(names = "--parser-model", defaultValue = "bundled", paramLabel = "MODEL",
            description = "parser model file (default: the bundled English model)")
    String parserModel;

    @Option(names = "--language", defaultValue = ModelCatalog.DEFAULT_LANGUAGE, paramLabel = "LANG",
            description = "language of the bundled models, and of documents that do not say theirs (default en)")
    String language;

    @Option(names = "--variant", defaultValue = ModelCatalog.DEFAULT_VARIANT, paramLabel = "V",
            description = "variant of the bundled models: fast (the default) or another that a model jar on the "
                    + "classpath lists; an unknown one is an error naming those that exist")
    String variant;

    @Option(names = "--max-document-size", defaultValue = "1m", paramLabel = "SIZE",
            converter = ByteSizeConverter.class,
            description = "larger input files fail (with a message naming them) and the others are annotated; a "
                    + "number of bytes, or with k, m, g (default 1m: about 200,000 words of English, which the "
                    + "launcher's 3 GB heap holds; raise both together)")
    long maxDocumentSize;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "worker threads (1)")
    int threads;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    @Option(names = "--rank-by", paramLabel = "KEY", description = "uncertainty: also write " + UncertaintyQueue.FILE
            + ", the sentences most uncertain first, one JSON line each in the task shape Prodigy and doccano read")
    String rankBy;

    @Option(names = "--queue-size", defaultValue = "10000", paramLabel = "N", description = "most sentences kept in "
            + "the queue of --rank-by (10000; the most uncertain)")
    int queueSize;

    private static final List<String> TASKS = List.of("ner", "depparse", "align");
    private static final List<String> DECODERS = AlignDecoder.predictionNames();

    /** What annotating one document gave. */
    record Outcome(Doc doc, int tokens, int sentences, int nerAlternatives, int trees, int pairs, String error) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        check(formats, DocumentWriter.FORMATS, "format");
        check(tasks, TASKS, "task");
        check(List.of(decoder), DECODERS, "decoder");
        boolean align = tasks.contains("align");
        if (align && alignTo == null) {
            throw new IllegalArgumentException("--tasks align needs --align-to PATH (the texts to align the inputs "
                    + "with)");
        }
        if (!align && alignTo != null) {
            throw new IllegalArgumentException("--align-to is only read by the align task; add align to --tasks");
        }
        if (align && !Files.exists(alignTo)) {
            throw new IllegalArgumentException("--align-to " + alignTo + ": no such file or folder");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        if (maxDocumentSize < 1) {
            throw new IllegalArgumentException("--max-document-size must be positive, got " + maxDocumentSize);
        }
        if (rankBy != null && !rankBy.trim().equalsIgnoreCase("uncertainty")) {
            throw new IllegalArgumentException("unknown --rank-by '" + rankBy + "'; allowed: uncertainty");
        }
        if (rankBy != null && !tasks.contains("ner") && !tasks.contains("depparse")) {
            throw new IllegalArgumentException("--rank-by uncertainty needs the ner or depparse task");
        }
        UncertaintyQueue queue = rankBy == null ? null : new UncertaintyQueue(queueSize);
        AnnotateInputs.Collected collected = AnnotateInputs.collect(inputs);
        List<Doc> docs = collected.docs();
        List<String> unreadable = collected.failures();
        for (String note : collected.notes()) {
            err.println("annotate: " + note);
        }
        if (align) {
            docs = pairWithCounterparts(docs);
        }
        // load the models once, up front, so that a missing or corrupt model is one clear error, not one per document
        // (and the options are checked against each model's decodings, with the allowed values in the message)
        AnalysisOptions opts = new AnalysisOptions(decode, maxAlternatives, minWeight, maxSentenceLength);
        AnnotationPipeline pipeline = new AnnotationPipeline(tasks, nerModel, parserModel, alignModel, language,
                variant, opts, decoder, DocumentReader.TARGET_VIEW);
        List<Function<List<String[]>, ?>> analyzers = pipeline.analyzers();
        if (align) {
            new AlignAnalyzer(ModelRegistry.align(alignModel, language, variant), opts, AlignDecoder.valueOf(decoder
                    .trim()
                    .toUpperCase(Locale.ROOT)));
        }
        OutputFiles files;
        try {
            files = new OutputFiles(output);
        } catch (IOException e) {
            boolean here = e instanceof java.nio.file.FileSystemException f && f.getOtherFile() == null
                    && output.equals(Path.of(f.getFile()));
            throw new IllegalArgumentException("cannot write into the output folder " + output + ": "
                    + (here ? IoMessages.reason(e) : IoMessages.describe(e)), e);
        }
        AnalysisEngineDescription engines = pipeline.engines();
        long t0 = System.nanoTime();
        AtomicLong tokens = new AtomicLong();
        List<Outcome> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ThreadLocal<Worker> workers = ThreadLocal.withInitial(() -> {
            try {
                return new Worker(createEngine(engines), files, analyzers, queue);
            } catch (Exception e) {
                throw new IllegalStateException("could not build the pipeline: " + message(e), e);
            }
        });
        try (ProgressBar bar = noProgress || docs.size() < 2 ? null : new ProgressBarBuilder()
                .setTaskName("annotate").setInitialMax(docs.size()).setUnit(" docs", 1).showSpeed()
                .setStyle(ProgressBarStyle.ASCII).setConsumer(
                        new me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(500).build()) {
            List<Future<List<Outcome>>> futures = new ArrayList<>();
            for (List<Doc> group : groups(docs)) {
                futures.add(pool.submit(() -> workers.get().annotateGroup(group, o -> {
                    tokens.addAndGet(o.tokens());
                    if (bar != null) {
                        bar.step();
                        double s = (System.nanoTime() - t0) / 1e9;
                        bar.setExtraMessage(String.format(Locale.ROOT, " %.0f tokens/s", tokens.get() / s));
                    }
                })));
            }
            for (Future<List<Outcome>> f : futures) {
                outcomes.addAll(f.get());
            }
        } finally {
            pool.shutdown();
            files.close();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int ok = 0;
        int sentences = 0;
        long nerAlts = 0;
        long trees = 0;
        long pairs = 0;
        List<String> failed = new ArrayList<>(unreadable);
        for (Outcome o : outcomes) {
            if (o.error() == null) {
                ok++;
                sentences += o.sentences();
                nerAlts += o.nerAlternatives();
                trees += o.trees();
                pairs += o.pairs();
            } else {
                failed.add(o.doc().file() + ": " + o.error());
            }
        }
        out.printf(Locale.ROOT, "annotated %d documents, %d sentences, %d tokens in %.1f s (%.0f tokens/s, %d "
                        + "thread%s) into %s%n", ok, sentences, tokens.get(), seconds, tokens.get() / seconds, threads,
                threads == 1 ? "" : "s", output);
        if (sentences > 0 && (tasks.contains("ner") || tasks.contains("depparse"))) {
            out.printf(Locale.ROOT, "mean alternatives per sentence: %s%s%n",
                    tasks.contains("ner") ? String.format(Locale.ROOT, "%.2f entity analyses", nerAlts
                            / (double) sentences) : "",
                    tasks.contains("depparse") ? String.format(Locale.ROOT, "%s%.2f trees",
                            tasks.contains("ner") ? ", " : "", trees / (double) sentences) : "");
        }
        if (align) {
            out.printf(Locale.ROOT, "aligned %d sentence pairs%n", pairs);
        }
        out.printf(Locale.ROOT, "OpenBLAS core: %s%n", io.github.sparsestruct.models.cpu.OpenBlasCore.check()
                .describe());
        if (queue != null) {
            Path q = queue.write(output);
            out.printf(Locale.ROOT, "wrote the %d most uncertain sentences to %s%n", queue.entries().size(), q);
        }
        out.flush();
        if (!failed.isEmpty()) {
            err.printf("annotate: %d input%s could not be annotated (the others were):%n", failed.size(),
                    failed.size() == 1 ? "" : "s");
            for (String f : failed) {
                err.println("  " + f);
            }
            err.flush();
            return 1;
        }
        return 0;
    }

    /**
     * Gives each document its counterpart under {@code --align-to}: the file itself when it is a file (then there
     * must be one document), else the text file of the same relative name (without extension) in that folder.
     */
    private List<Doc> pairWithCounterparts(List<Doc> docs) throws IOException {
        List<Doc> out = new ArrayList<>();
        if (Files.isRegularFile(alignTo)) {
            if (docs.size() != 1) {
                throw new IllegalArgumentException("--align-to " + alignTo + " is one file but there are "
                        + docs.size() + " input documents; give a folder of counterparts named like the inputs");
            }
            out.add(new Doc(docs.get(0).file(), docs.get(0).kind(), docs.get(0).name(), alignTo));
            return out;
        }
        Map<String, Path> byName = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(alignTo)) {
            for (Path f : s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
                if (f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt")) {
                    String rel = alignTo.relativize(f).toString().replace('\\', '/');
                    byName.putIfAbsent(AnnotateInputs.stripExtension(rel), f);
                }
            }
        }
        for (Doc d : docs) {
            Path c = byName.get(d.name());
            // a document that has no counterpart fails on its own with a message naming the file it looked for
            out.add(new Doc(d.file(), d.kind(), d.name(), c == null ? alignTo.resolve(d.name() + ".txt") : c));
        }
        return out;
    }

    private static void check(List<String> values, List<String> allowed, String what) {
        for (String v : values) {
            if (!allowed.contains(v.trim().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("unknown " + what + " '" + v + "'; allowed: "
                        + String.join(", ", allowed));
            }
        }
    }

    /** Most documents in a group whose sentences the models predict in one batch. */
    static final int GROUP_DOCUMENTS = 32;
    /** Most input bytes in such a group (about 20,000 tokens of English text). */
    static final long GROUP_BYTES = 128 * 1024;

    /**
     * Consecutive documents in groups of at most {@link #GROUP_DOCUMENTS} documents and {@link #GROUP_BYTES} bytes,
     * and at least 8 groups where there are 8 documents (so that threads share small inputs). The groups do not
     * depend on the thread count: a sentence's scores can differ in the last float digits with the batch it was
     * computed in, and the output must not depend on {@code --threads}.
     */
    static List<List<Doc>> groups(List<Doc> docs) {
        int per = Math.max(1, Math.min(GROUP_DOCUMENTS, (docs.size() + 7) / 8));
        List<List<Doc>> out = new ArrayList<>();
        List<Doc> cur = new ArrayList<>();
        long bytes = 0;
        for (Doc d : docs) {
            long size;
            try {
                size = Files.size(d.file());
            } catch (IOException e) {
                size = 0; // reported when the document is read
            }
            if (!cur.isEmpty() && (cur.size() >= per || bytes + size > GROUP_BYTES)) {
                out.add(cur);
                cur = new ArrayList<>();
                bytes = 0;
            }
            cur.add(d);
            bytes += size;
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /** One thread's batching runner, reader and writer. */
    private final class Worker {
        private final BatchRunner<Doc> runner;
        private final DocumentReader reader;
        private final DocumentWriter writer;
        private final OutputFiles files;
        private final UncertaintyQueue queue;

        Worker(AnalysisEngine engines, OutputFiles files, List<Function<List<String[]>, ?>> analyzers,
               UncertaintyQueue queue) throws Exception {
            this.files = files;
            this.queue = queue;
            this.runner = new BatchRunner<>(createEngine(BreakIteratorSegmenter.class), engines, analyzers);
            Path work = Files.createTempDirectory(files.staging(), "w");
            this.reader = new DocumentReader(maxDocumentSize, language, alignTo, work);
            this.writer = new DocumentWriter(formats, output, work);
        }

        /** Annotates a group of documents (see {@link BatchRunner}) and writes each one's files. */
        List<Outcome> annotateGroup(List<Doc> group, java.util.function.Consumer<Outcome> done) throws Exception {
            List<Outcome> out = new ArrayList<>(group.size());
            runner.annotate(group, reader::read, (d, jcas, error) -> {
                Outcome o = error != null ? failed(d, error) : write(d, jcas);
                done.accept(o);
                out.add(o);
            });
            return out;
        }

        private Outcome write(Doc d, JCas jcas) {
            try {
                // read once, for the outputs and the queue
                List<AlternativesJson.Sentence> sentences = queue == null ? null : CasAlternatives.sentences(jcas);
                files.writeAll(writer.render(d, jcas, sentences));
                if (queue != null) {
                    queue.add(d.name(), jcas.getDocumentText(), sentences);
                }
                return new Outcome(d, JCasUtil.select(jcas, Token.class).size(),
                        JCasUtil.select(jcas, Sentence.class).size(), JCasUtil.select(jcas, EntityAnalysis.class)
                        .size(), JCasUtil.select(jcas, TreeAnalysis.class).size(),
                        JCasUtil.select(jcas, SentencePair.class).size(), null);
            } catch (Exception e) {
                return failed(d, e);
            } catch (OutOfMemoryError e) {
                return failed(d, new BatchRunner.OutOfMemory(e));
            }
        }

        private Outcome failed(Doc d, Exception e) {
            String m = e instanceof BatchRunner.OutOfMemory ? "out of memory while annotating it (" + e.getCause()
                    .getMessage() + "); give the launcher more heap (SPARSESTRUCT_JAVA_OPTS=-Xmx8g) or split the "
                    + "document" : message(e);
            return new Outcome(d, 0, 0, 0, 0, 0, m);
        }
    }

    /** Our own messages as they are; the innermost message for a framework's wrapped exception. */
    private static String message(Throwable e) {
        if (e instanceof java.nio.file.FileSystemException) {
            return IoMessages.describe(e);
        }
        if (e instanceof IOException && e.getMessage() != null) {
            return e.getMessage();
        }
        Throwable t = e;
        String m = null;
        while (t != null) {
            if (t.getMessage() != null) {
                m = t.getMessage();
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
