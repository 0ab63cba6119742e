package io.github.sparsestruct.bert;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BERT's word-piece tokenisation of pre-tokenised sentences, for a cased vocabulary (Google's BERT-base cased and
 * multilingual BERT-base cased, whose tokenizers differ in nothing but the vocabulary: neither lower-cases nor strips
 * accents, both split CJK ideographs).
 *
 * <p>The annotation's tokens stay the unit: word pieces never cross a token. Inside each token BERT's basic
 * tokenizer runs (clean text: control characters, U+0000 and U+FFFD dropped, whitespace splits; CJK ideographs split
 * into single characters; punctuation split off; <em>no</em> lower-casing and <em>no</em> accent stripping), then
 * greedy longest-match-first WordPiece with the {@code ##} continuation prefix; a word longer than
 * {@value #MAX_CHARS_PER_WORD} code points, or one that cannot be covered by the vocabulary, becomes {@code [UNK]}. A
 * token that yields no pieces at all (empty, only whitespace or control characters) gets one {@code [UNK]}, so every
 * token has a first piece.
 *
 * <p>The work is done by HuggingFace's tokenizers (Rust, through DJL), configured from the vocabulary alone: the
 * tokenizer description is generated in memory (BertNormalizer with lowercase and strip_accents off, BertPreTokenizer,
 * WordPiece); nothing is read from or written to a model hub. The vocabulary has no added (special) tokens, so a
 * token whose text is {@code "[SEP]"} is split like any other text and never becomes the separator.
 *
 * <p>Where HuggingFace's character classes differ from Google's {@code tokenization.py}, HuggingFace's hold:
 * private-use characters (category Co) are dropped like control characters (Google keeps them, so the word around
 * one becomes {@code [UNK]}), and punctuation assigned by recent Unicode versions may not be split off. Lone
 * surrogates in a Java string are dropped.
 *
 * <p>DJL extracts its native library into its cache directory ({@code ~/.djl.ai}, or {@code DJL_CACHE_DIR}) on first
 * use. On a machine with CUDA it would otherwise try to download a CUDA build of that library; unless the
 * {@code RUST_FLAVOR} environment variable or system property says otherwise, this class sets the system property
 * {@code RUST_FLAVOR=cpu} before DJL loads, so the CPU library inside the jar is used and no network is needed.
 *
 * <p>Thread-safe: {@link #pieces} may be called from many threads at once. {@link #close} frees the native tokenizer;
 * it must not race with calls to {@link #pieces}.
 */
public final class WordPieceTokenizer implements AutoCloseable {

    /** Longest word (in code points) that WordPiece splits; longer words become {@code [UNK]}. */
    public static final int MAX_CHARS_PER_WORD = 100;

    /** The unknown-word piece. */
    public static final String UNK = "[UNK]";
    /** The classification piece that starts each model input. */
    public static final String CLS = "[CLS]";
    /** The separator piece that ends each model input. */
    public static final String SEP = "[SEP]";
    /** The padding piece. */
    public static final String PAD = "[PAD]";

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        if (System.getenv("RUST_FLAVOR") == null && System.getProperty("RUST_FLAVOR") == null) {
            System.setProperty("RUST_FLAVOR", "cpu");
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final String[] vocab;
    private final int unk;
    private final int cls;
    private final int sep;
    private final int pad;

    private WordPieceTokenizer(HuggingFaceTokenizer tokenizer, String[] vocab, Map<String, Integer> ids) {
        this.tokenizer = tokenizer;
        this.vocab = vocab;
        this.unk = ids.get(UNK);
        this.cls = ids.get(CLS);
        this.sep = ids.get(SEP);
        this.pad = ids.get(PAD);
    }

    /**
     * A tokenizer for a BERT {@code vocab.txt}: one piece per line (surrounding whitespace stripped), id = line number
     * from 0. The vocabulary must hold {@code [UNK]}, {@code [CLS]}, {@code [SEP]} and {@code [PAD]}. The stream is
     * read to its end but not closed.
     *
     * @throws IllegalArgumentException if a special piece is missing or a piece occurs twice
     */
    public static WordPieceTokenizer fromVocab(InputStream vocabTxt) throws IOException {
        Objects.requireNonNull(vocabTxt, "vocabTxt");
        List<String> pieces = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(vocabTxt, StandardCharsets.UTF_8));
        for (String line; (line = reader.readLine()) != null; ) {
            pieces.add(line.strip());
        }
        return fromPieces(pieces);
    }

    /** {@link #fromVocab(InputStream)} from a file. */
    public static WordPieceTokenizer fromVocab(Path vocabTxt) throws IOException {
        try (InputStream in = Files.newInputStream(vocabTxt)) {
            return fromVocab(in);
        }
    }

    /** A tokenizer whose piece {@code i} is {@code pieces.get(i)}; same requirements as {@link #fromVocab}. */
    public static WordPieceTokenizer fromPieces(List<String> pieces) {
        String[] vocab = pieces.toArray(new String[0]);
        Map<String, Integer> ids = new HashMap<>(vocab.length * 2);
        for (int i = 0; i < vocab.length; i++) {
            if (vocab[i].isEmpty()) {
                throw new IllegalArgumentException("empty piece at line " + (i + 1));
            }
            if (ids.putIfAbsent(vocab[i], i) != null) {
                throw new IllegalArgumentException("piece " + vocab[i] + " occurs twice (line " + (i + 1) + ")");
            }
        }
        for (String special : new String[] {UNK, CLS, SEP, PAD}) {
            if (!ids.containsKey(special)) {
                throw new IllegalArgumentException("vocabulary lacks " + special);
            }
        }
        byte[] json = tokenizerJson(vocab);
        Map<String, String> options = Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
        try {
            HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
            return new WordPieceTokenizer(hf, vocab, ids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The HuggingFace tokenizer.json for BERT cased over this vocabulary. */
    private static byte[] tokenizerJson(String[] vocab) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens");
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "BertNormalizer");
        normalizer.put("clean_text", true);
        normalizer.put("handle_chinese_chars", true);
        normalizer.put("strip_accents", false);
        normalizer.put("lowercase", false);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        root.putNull("post_processor");
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "WordPiece");
        decoder.put("prefix", "##");
        decoder.put("cleanup", false);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece");
        model.put("unk_token", UNK);
        model.put("continuing_subword_prefix", "##");
        model.put("max_input_chars_per_word", MAX_CHARS_PER_WORD);
        ObjectNode ids = model.putObject("vocab");
        for (int i = 0; i < vocab.length; i++) {
            ids.put(vocab[i], i);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The piece ids of each token: {@code result[i]} holds token {@code i}'s pieces in order, at least one each.
     *
     * @throws NullPointerException if {@code tokens} or one of its elements is null
     */
    public int[][] pieces(String[] tokens) {
        Objects.requireNonNull(tokens, "tokens");
        for (int i = 0; i < tokens.length; i++) {
            Objects.requireNonNull(tokens[i], "token " + i);
        }
        int n = tokens.length;
        int[][] out = new int[n][];
        if (n == 0) {
            return out;
        }
        Encoding encoding = tokenizer.encode(tokens, false, false);
        long[] ids = encoding.getIds();
        long[] words = encoding.getWordIds();
        int[] counts = new int[n];
        for (long w : words) {
            counts[(int) w]++;
        }
        for (int i = 0; i < n; i++) {
            out[i] = counts[i] == 0 ? new int[] {unk} : new int[counts[i]];
        }
        int[] fill = new int[n];
        for (int k = 0; k < ids.length; k++) {
            int w = (int) words[k];
            out[w][fill[w]++] = (int) ids[k];
        }
        return out;
    }

    /** The piece ids of one token (at least one). */
    public int[] pieces(String token) {
        return pieces(new String[] {token})[0];
    }

    /** The number of pieces in the vocabulary. */
    public int vocabSize() {
        return vocab.length;
    }

    /** The piece with id {@code id}. */
    public String piece(int id) {
        return vocab[id];
    }

    /** The id of {@value #UNK}. */
    public int unkId() {
        return unk;
    }

    /** The id of {@value #CLS}. */
    public int clsId() {
        return cls;
    }

    /** The id of {@value #SEP}. */
    public int sepId() {
        return sep;
    }

    /** The id of {@value #PAD}. */
    public int padId() {
        return pad;
    }

    /** Frees the native tokenizer. */
    @Override
    public void close() {
        tokenizer.close();
    }
}
