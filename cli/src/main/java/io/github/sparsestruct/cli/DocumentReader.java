package io.github.sparsestruct.cli;

import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import io.github.sparsestruct.cli.AnnotateInputs.Doc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.uima.cas.impl.XmiCasDeserializer;
import org.apache.uima.collection.CollectionReader;
import org.apache.uima.fit.factory.CollectionReaderFactory;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.dkpro.core.io.conll.ConllUReader;

/**
 * Reads one of {@code annotate}'s documents into a CAS: plain text (UTF-8, checked), XMI (our types and DKPro's) or
 * CoNLL-U (checked by {@link ConlluInput}), with its document metadata, and for the align task its counterpart text
 * into the view {@value #TARGET_VIEW}. Documents over the size limit fail before they are read. One per thread.
 */
final class DocumentReader {
    /** The CAS view that holds the counterpart document of the align task. */
    static final String TARGET_VIEW = "target";
    /** How much larger than its text an XMI or CoNLL-U file may be before it is read (they carry markup). */
    static final long MARKUP_FACTOR = 32;
    private static final String RAISE = "raise it with the heap: SPARSESTRUCT_JAVA_OPTS=-Xmx8g, or split the document";

    private final long maxDocumentSize;
    private final String language;
    private final Path alignTo;
    private final Path workDir;

    /**
     * @param maxDocumentSize largest text, in bytes (see {@code --max-document-size})
     * @param language        the language of documents that do not say theirs
     * @param alignTo         {@code --align-to} (for messages), or null
     * @param workDir         where checked copies of CoNLL-U files go while they are read
     */
    DocumentReader(long maxDocumentSize, String language, Path alignTo, Path workDir) {
        this.maxDocumentSize = maxDocumentSize;
        this.language = language;
        this.alignTo = alignTo;
        this.workDir = workDir;
    }

    /** Reads a document into an empty CAS; returns whether it is plain text (and so still needs segmenting). */
    boolean read(Doc d, JCas jcas) throws Exception {
        checkSize(d.file(), d.kind(), null);
        switch (d.kind()) {
            case "xmi" -> {
                try (InputStream in = Files.newInputStream(d.file())) {
                    XmiCasDeserializer.deserialize(in, jcas.getCas(), true);
                }
                if (jcas.getDocumentText() == null) {
                    throw new IOException("the XMI has no document text");
                }
            }
            case "conllu" -> {
                Path source = ConlluInput.prepare(d.file(), workDir);
                CollectionReader reader = CollectionReaderFactory.createReader(ConllUReader.class,
                        ConllUReader.PARAM_SOURCE_LOCATION, source.toString(),
                        ConllUReader.PARAM_READ_POS, false, ConllUReader.PARAM_READ_CPOS, false,
                        ConllUReader.PARAM_READ_DEPENDENCY, false, ConllUReader.PARAM_READ_LEMMA, false,
                        ConllUReader.PARAM_READ_MORPH, false);
                try {
                    if (!reader.hasNext()) {
                        throw new IOException("the CoNLL-U reader found no document");
                    }
                    reader.getNext(jcas.getCas());
                } finally {
                    reader.destroy();
                    if (!source.equals(d.file())) {
                        Files.deleteIfExists(source);
                    }
                }
            }
            default -> jcas.setDocumentText(text(d.file()));
        }
        checkTextSize(jcas);
        if (jcas.getDocumentLanguage() == null || jcas.getDocumentLanguage().equals("x-unspecified")) {
            jcas.setDocumentLanguage(language);
        }
        DocumentMetaData meta = JCasUtil.select(jcas, DocumentMetaData.class).isEmpty()
                ? DocumentMetaData.create(jcas) : DocumentMetaData.get(jcas);
        meta.setDocumentId(d.name());
        meta.setDocumentTitle(d.name());
        meta.setDocumentUri(d.file().toUri().toString());
        if (d.counterpart() != null) {
            readCounterpart(d.counterpart(), jcas);
        }
        return d.kind().equals("text");
    }

    /** The counterpart text into the target view, with its own document metadata (id: its file name). */
    private void readCounterpart(Path file, JCas jcas) throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no counterpart to align with: " + file + " does not exist (--align-to "
                    + alignTo + ")");
        }
        checkSize(file, "text", file);
        JCas t = jcas.createView(TARGET_VIEW);
        t.setDocumentText(text(file));
        t.setDocumentLanguage(language);
        DocumentMetaData m = DocumentMetaData.create(t);
        String name = AnnotateInputs.stripExtension(file.getFileName().toString());
        m.setDocumentId(name);
        m.setDocumentTitle(name);
        m.setDocumentUri(file.toUri().toString());
    }

    /**
     * Fails a document whose file is over {@code --max-document-size} (an XMI or CoNLL-U file may be
     * {@link #MARKUP_FACTOR} times as large: its text is checked once read), before any of it is read.
     */
    private void checkSize(Path file, String kind, Path named) throws IOException {
        long size = Files.size(file);
        long limit = kind.equals("text") ? maxDocumentSize
                : (maxDocumentSize > Long.MAX_VALUE / MARKUP_FACTOR ? Long.MAX_VALUE : maxDocumentSize * MARKUP_FACTOR);
        if (size > limit) {
            throw new IOException((named == null ? "" : named + ": ") + size + " bytes, over the limit of "
                    + limit + (kind.equals("text") ? "" : " for " + kind + " (" + MARKUP_FACTOR + " x "
                    + maxDocumentSize + ")") + " (--max-document-size; " + RAISE + ")");
        }
    }

    /** Fails a document whose text, once read from XMI or CoNLL-U, is over {@code --max-document-size}. */
    private void checkTextSize(JCas jcas) throws IOException {
        String text = jcas.getDocumentText();
        if (text != null && text.length() > maxDocumentSize) {
            throw new IOException("its text is " + text.length() + " characters, over the limit of "
                    + maxDocumentSize + " (--max-document-size; " + RAISE + ")");
        }
    }

    /** A file's text, which must be UTF-8. */
    static String text(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text (" + e.getMessage() + ")", e);
        }
    }
}
