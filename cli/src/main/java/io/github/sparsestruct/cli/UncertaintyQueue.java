package io.github.sparsestruct.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import io.github.sparsestruct.models.analysis.ParseAnalysis;
import io.github.sparsestruct.models.analysis.Uncertainty;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The annotation queue of {@code annotate --rank-by uncertainty} (docs/cli.md): one JSON line per sentence, most
 * uncertain first, in the task shape Prodigy and doccano read ({@code text}, {@code tokens}, {@code spans},
 * {@code relations}, doccano's {@code label}, and {@code meta} with the document, the sentence and its
 * {@link Uncertainty} per task). A sentence's {@code score} is the probability that some task's best analysis is
 * wrong, 1 − Π (1 − bestWrong); ties, and sentences without a probability (dp_l2), are ordered by the expected number
 * of wrong parts. Only the {@code capacity} most uncertain sentences are kept, so memory stays bounded however many
 * documents run. Safe to fill from several threads.
 */
final class UncertaintyQueue {
    /** The queue's file name in the output folder (no document output ends in {@code .jsonl}). */
    static final String FILE = "queue.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Most uncertain first; a sentence without a score after every scored one. */
    static final Comparator<Entry> ORDER = Comparator.comparingDouble((Entry e) -> Double.isNaN(e.score)
            ? Double.NEGATIVE_INFINITY : e.score).thenComparingDouble(e -> e.expected).reversed()
            .thenComparing(e -> e.document).thenComparingInt(e -> e.sentence);

    /** One queued sentence. */
    record Entry(double score, double expected, String document, int sentence, String line) {
    }

    private final int capacity;
    private final PriorityQueue<Entry> kept;

    /** A queue keeping at most {@code capacity} sentences. */
    UncertaintyQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("--queue-size must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.kept = new PriorityQueue<>(ORDER.reversed());
    }

    /** Queues the sentences of one document. */
    void add(String document, String text, List<AlternativesJson.Sentence> sentences) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            Entry e = entry(document, text, i, sentences.get(i));
            if (e != null) {
                entries.add(e);
            }
        }
        synchronized (kept) {
            for (Entry e : entries) {
                kept.add(e);
                if (kept.size() > capacity) {
                    kept.poll();
                }
            }
        }
    }

    /** The kept sentences, most uncertain first. */
    List<Entry> entries() {
        synchronized (kept) {
            List<Entry> all = new ArrayList<>(kept);
            all.sort(ORDER);
            return all;
        }
    }

    /** Writes the queue to {@code dir/queue.jsonl} (through a temporary file, so a reader never sees half of it). */
    Path write(Path dir) throws IOException {
        Path target = dir.resolve(FILE);
        Path tmp = Files.createTempFile(dir, ".queue", ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (Entry e : entries()) {
                w.write(e.line());
                w.write('\n');
            }
        }
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the default permissions stand
        }
        return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The entry of one sentence, or null when it has no tokens or no analysis. */
    static Entry entry(String document, String text, int index, AlternativesJson.Sentence s) {
        Uncertainty ner = s.ner() == null ? null : s.ner().uncertainty();
        Uncertainty dep = s.parse() == null ? null : s.parse().uncertainty();
        if (s.tokens().isEmpty() || (ner == null && dep == null)) {
            return null;
        }
        double allRight = 1;
        boolean scored = false;
        double expected = 0;
        for (Uncertainty u : new Uncertainty[] {ner, dep}) {
            if (u != null) {
                if (!Double.isNaN(u.bestWrong())) {
                    allRight *= 1 - u.bestWrong();
                    scored = true;
                }
                expected += Double.isNaN(u.expectedWrongParts()) ? 0 : u.expectedWrongParts();
            }
        }
        double score = scored ? 1 - allRight : Double.NaN;
        return new Entry(score, expected, document, index, line(document, text, index, s, score));
    }

    private static String line(String document, String text, int index, AlternativesJson.Sentence s, double score) {
        ObjectNode o = JSON.createObjectNode();
        int base = s.begin();
        o.put("text", text.substring(s.begin(), s.end()));
        ArrayNode toks = o.putArray("tokens");
        for (int i = 0; i < s.tokens().size(); i++) {
            AlternativesJson.Token t = s.tokens().get(i);
            toks.addObject().put("text", t.text()).put("start", t.begin() - base).put("end", t.end() - base)
                    .put("id", i);
        }
        ArrayNode spans = o.putArray("spans");
        ArrayNode label = JSON.createArrayNode();
        if (s.ner() != null && !s.ner().analyses().isEmpty()) {
            for (NerAnalysis.Entity e : s.ner().analyses().get(0).entities()) {
                int b = s.tokens().get(e.start()).begin() - base;
                int en = s.tokens().get(e.end() - 1).end() - base;
                spans.addObject().put("start", b).put("end", en).put("token_start", e.start())
                        .put("token_end", e.end() - 1).put("label", e.type());
                label.addArray().add(b).add(en).add(e.type());
            }
        }
        o.set("label", label);
        ArrayNode rel = o.putArray("relations");
        if (s.parse() != null) {
            ParseAnalysis p = s.parse();
            for (int m = 1; m <= p.heads().length; m++) {
                if (p.heads()[m - 1] > 0) {
                    rel.addObject().put("head", p.heads()[m - 1] - 1).put("child", m - 1)
                            .put("label", p.deprels()[m - 1]);
                }
            }
        }
        ObjectNode meta = o.putObject("meta");
        meta.put("document", document).put("sentence", index).put("begin", s.begin()).put("end", s.end());
        if (s.ner() != null && s.ner().uncertainty() != null) {
            meta.set("ner", AlternativesJson.uncertaintyJson(s.ner().uncertainty()));
        }
        if (s.parse() != null && s.parse().uncertainty() != null) {
            meta.set("depparse", AlternativesJson.uncertaintyJson(s.parse().uncertainty()));
        }
        if (Double.isNaN(score)) {
            o.putNull("score");
        } else {
            o.put("score", score);
        }
        return o.toString();
    }
}
