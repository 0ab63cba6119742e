package io.github.sparsestruct.models.testing;

import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.align.AlignConfig;
import io.github.sparsestruct.models.align.AlignDecoder;
import io.github.sparsestruct.models.align.AlignLoss;
import io.github.sparsestruct.models.align.AlignModel;
import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import io.github.sparsestruct.models.analysis.ParseAnalysis;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.depparse.ArcLoss;
import io.github.sparsestruct.models.depparse.ParserConfig;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.format.ParameterFiles;
import io.github.sparsestruct.models.ner.NerConfig;
import io.github.sparsestruct.models.ner.NerLoss;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.nn.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small models trained in a second on synthetic data, for the adapters' tests (UIMA, CoreNLP, CLI): they run the real
 * code paths (encoder, decoders, model files) without the bundled models. Their analyses are deliberately uncertain
 * (few training steps), so sparsemap gives several alternatives.
 */
public final class TinyModels {
    private static final String[] PER = {"Alice", "Bob Smith", "Carol", "Dan Brown"};
    private static final String[] LOC = {"Paris", "New York", "Lyon", "Rome"};
    private static final String[] ORG = {"Acme Corp", "Initech", "Globex Inc"};
    private static final String[][] NER_TEMPLATES = {
        {"PER", "visited", "LOC", "."},
        {"PER", "works", "for", "ORG", "in", "LOC", "."},
        {"Yesterday", "PER", "met", "PER", "."},
        {"ORG", "opened", "an", "office", "in", "LOC", "."},
        {"the", "weather", "in", "LOC", "was", "nice", "."},
    };

    private TinyModels() {
    }

    /** Synthetic NER sentences filled from templates. */
    public static List<NerSentence> nerData(int count, long seed) {
        Random r = new Random(seed);
        List<NerSentence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> forms = new ArrayList<>();
            List<String> tags = new ArrayList<>();
            for (String slot : NER_TEMPLATES[i % NER_TEMPLATES.length]) {
                String[] pool = switch (slot) {
                    case "PER" -> PER;
                    case "LOC" -> LOC;
                    case "ORG" -> ORG;
                    default -> null;
                };
                if (pool == null) {
                    forms.add(slot);
                    tags.add("O");
                    continue;
                }
                String[] words = pool[r.nextInt(pool.length)].split(" ");
                for (int k = 0; k < words.length; k++) {
                    forms.add(words[k]);
                    tags.add((k == 0 ? "B-" : "I-") + slot);
                }
            }
            out.add(new NerSentence("s" + i, forms.toArray(new String[0]), tags.toArray(new String[0])));
        }
        return out;
    }

    /** Synthetic parsed sentences: "DET NOUN VERB DET NOUN ." style trees with labels and UPOS. */
    public static List<DepSentence> parseData(int count, long seed) {
        Random r = new Random(seed);
        String[] nouns = {"dog", "cat", "man", "park", "ball", "tree"};
        String[] verbs = {"saw", "chased", "liked", "found"};
        List<DepSentence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] forms = {"the", nouns[r.nextInt(nouns.length)], verbs[r.nextInt(verbs.length)], "a",
                nouns[r.nextInt(nouns.length)], "."};
            String[] upos = {"DET", "NOUN", "VERB", "DET", "NOUN", "PUNCT"};
            int[] heads = {2, 3, 0, 5, 3, 3};
            String[] rels = {"det", "nsubj", "root", "det", "obj", "punct"};
            out.add(new DepSentence("p" + i, forms, upos, heads, rels));
        }
        return out;
    }

    /** A tiny NER model after {@code steps} training steps. */
    public static NerModel ner(int steps, long seed) {
        List<NerSentence> data = nerData(24, seed);
        NerModel m = NerModel.create(new NerConfig(EncoderConfig.tiny(), NerLoss.CRF, false,
                Adam.Config.defaults().withLearningRate(0.02), 0), data, seed);
        Random rng = new Random(seed);
        for (int s = 0; s < steps; s++) {
            m.trainStep(data.subList((s * 6) % 24, (s * 6) % 24 + 6), rng);
        }
        return m;
    }

    /** A tiny parser after {@code steps} training steps. */
    public static ParserModel parser(int steps, long seed) {
        List<DepSentence> data = parseData(24, seed);
        ParserModel m = ParserModel.create(new ParserConfig(EncoderConfig.tiny(), 16, 8, 0.0, ArcLoss.SPARSEMAP,
                false, 50, Adam.Config.defaults().withLearningRate(0.02)), data, seed);
        Random rng = new Random(seed);
        for (int s = 0; s < steps; s++) {
            m.trainStep(data.subList((s * 6) % 24, (s * 6) % 24 + 6), rng);
        }
        return m;
    }

    /**
     * Synthetic monolingual alignment pairs (as in the align tests): the target is the source with one word dropped
     * and an extra word inserted, and identical words are sure links.
     */
    public static List<AlignPair> alignData(int count, long seed) {
        String[] vocab = {"a1", "b2", "c3", "d4", "e5", "f6", "g7", "h8", "the", "of", ".", ","};
        Random r = new Random(seed);
        List<AlignPair> out = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            int len = 4 + r.nextInt(5);
            String[] s = new String[len];
            for (int i = 0; i < len; i++) {
                s[i] = vocab[r.nextInt(vocab.length)];
            }
            int drop = r.nextInt(len);
            int insert = r.nextInt(len);
            List<String> t = new ArrayList<>();
            List<int[]> sure = new ArrayList<>();
            for (int i = 0; i < len; i++) {
                if (t.size() == insert) {
                    t.add("extra" + r.nextInt(3));
                }
                if (i != drop) {
                    sure.add(new int[] {i, t.size()});
                    t.add(s[i]);
                }
            }
            out.add(new AlignPair("c" + p, s, t.toArray(new String[0]), sure, List.of()));
        }
        return out;
    }

    /** A tiny word aligner (both decoders, SparseMAP loss) after {@code steps} training steps. */
    public static AlignModel align(int steps, long seed) {
        List<AlignPair> data = alignData(24, seed);
        AlignModel m = AlignModel.create(new AlignConfig(EncoderConfig.tiny(), 16, 8, AlignLoss.SPARSEMAP,
                AlignDecoder.BOTH, Adam.Config.defaults().withLearningRate(0.02)), data, seed);
        Random rng = new Random(seed);
        for (int s = 0; s < steps; s++) {
            m.trainStep(data.subList((s * 6) % 24, (s * 6) % 24 + 6), rng);
        }
        return m;
    }

    /**
     * Sentences of the alternatives JSON schema for token forms laid out as "form form form" with one space between
     * tokens and sentences (character offsets follow that layout); either analysis list may be null.
     */
    public static List<AlternativesJson.Sentence> jsonSentences(List<String[]> sentences, List<NerAnalysis> ner,
                                                               List<ParseAnalysis> parse) {
        List<AlternativesJson.Sentence> out = new ArrayList<>();
        int off = 0;
        for (int i = 0; i < sentences.size(); i++) {
            List<AlternativesJson.Token> toks = new ArrayList<>();
            int begin = off;
            for (String f : sentences.get(i)) {
                toks.add(new AlternativesJson.Token(f, off, off + f.length()));
                off += f.length() + 1;
            }
            out.add(new AlternativesJson.Sentence(begin, Math.max(begin, off - 1), toks,
                    ner == null ? null : ner.get(i), parse == null ? null : parse.get(i)));
        }
        return out;
    }

    /** Writes a tiny NER model file and returns its path. */
    public static Path writeNer(Path file, int steps, long seed) throws IOException {
        ParameterStore store = new InMemoryParameterStore();
        ner(steps, seed).save(store);
        ParameterFiles.save(file, BundledModels.NER, store, null);
        return file;
    }

    /** Writes a tiny word aligner file and returns its path. */
    public static Path writeAlign(Path file, int steps, long seed) throws IOException {
        ParameterStore store = new InMemoryParameterStore();
        align(steps, seed).save(store);
        ParameterFiles.save(file, BundledModels.ALIGN, store, null);
        return file;
    }

    /** Writes a tiny parser model file and returns its path. */
    public static Path writeParser(Path file, int steps, long seed) throws IOException {
        ParameterStore store = new InMemoryParameterStore();
        parser(steps, seed).save(store);
        ParameterFiles.save(file, BundledModels.DEPPARSE, store, null);
        return file;
    }

    /** Moves every parameter by Gaussian noise of the given scale (so that no bias or table row keeps its initial value). */
    public static void perturb(java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> parameters, Random rng,
                               double scale) {
        for (org.nd4j.linalg.api.ndarray.INDArray a : parameters.values()) {
            for (long i = 0; i < a.length(); i++) {
                a.putScalar(i, a.getDouble(i) + scale * rng.nextGaussian());
            }
        }
    }
}
