package io.github.sparsestruct.models.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads and writes SparseStruct model files: a zip holding {@code header.json} (format, version, task, creation
 * time, free-form metadata and the list of arrays with dtype, shape and SHA-256) and one entry per array of raw
 * little-endian row-major values. See {@code models/FORMAT.md}. No Java serialization is involved: a model file
 * can only yield JSON and numbers. {@link ModelWriter} and {@link ModelReader} do the work.
 */
public final class ModelFile {
    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The value of the header's {@code format} field. */
    public static final String FORMAT_NAME = "sparsestruct-model";
    /** The name of the header entry. */
    public static final String HEADER_ENTRY = "header.json";

    /** The most bytes {@code header.json} may hold; checked before it is parsed. */
    static final int MAX_HEADER_BYTES = 64 << 20;

    private ModelFile() {
    }

    /**
     * Writes a model file atomically (temporary file in the same directory, synced, then moved over {@code file})
     * so a crash never leaves a half-written model; missing parent directories are created. Arrays are written in
     * the map's iteration order.
     *
     * @param file     the model file to write (replaced when it exists)
     * @param task     the task the model is for ({@code ner}, {@code depparse}, {@code align}, ...)
     * @param metadata a JSON object (label sets, vocabularies, hyper-parameters, figures...); null for {@code {}}
     * @param arrays   the arrays by name; names are path-like ({@code encoder/lstm.W}: letters, digits,
     *                 {@code _ . -}, separated by {@code /})
     * @throws IOException when the file cannot be written; nothing is left behind then
     */
    public static void write(Path file, String task, JsonNode metadata, Map<String, Tensor> arrays)
            throws IOException {
        ModelWriter.write(file, task, metadata, arrays);
    }

    /**
     * Reads and validates a model file: header, format version, task, array entries, sizes and checksums. Every
     * size the header declares is checked against the bytes its entry really holds before any array is allocated.
     *
     * @param file         the model file
     * @param expectedTask the task the caller needs, or null to accept any
     * @throws ModelFormatException naming the file and what is wrong with it
     */
    public static LoadedModel read(Path file, String expectedTask) throws ModelFormatException {
        return read(file, expectedTask, Runtime.getRuntime().maxMemory());
    }

    /** {@link #read(Path, String)} with the heap the arrays may take given ({@code heapBytes}), for tests. */
    static LoadedModel read(Path file, String expectedTask, long heapBytes) throws ModelFormatException {
        return ModelReader.read(file, expectedTask, heapBytes);
    }

    /**
     * Reads and validates a model from a stream, for models bundled as resources. The stream is read to its end
     * (held in memory while decoding) but not closed. A first pass over the zip finds the header and measures every
     * entry without keeping its bytes; arrays are allocated in a second pass, once every declared size has been
     * checked against its entry.
     *
     * @param in           the zip bytes
     * @param sourceName   names the model in messages (a resource path, a URL)
     * @param expectedTask the task the caller needs, or null to accept any
     * @throws ModelFormatException naming the source and what is wrong with it
     */
    public static LoadedModel read(InputStream in, String sourceName, String expectedTask)
            throws ModelFormatException {
        return read(in, sourceName, expectedTask, Runtime.getRuntime().maxMemory());
    }

    /** {@link #read(InputStream, String, String)} with the heap the arrays may take given, for tests. */
    static LoadedModel read(InputStream in, String sourceName, String expectedTask, long heapBytes)
            throws ModelFormatException {
        return ModelReader.read(in, sourceName, expectedTask, heapBytes);
    }

    /** The zip entry holding array {@code name}: {@code arrays/NAME.bin}. */
    public static String entryName(String name) {
        return "arrays/" + name + ".bin";
    }

    /** Writes through {@code body} into a temporary file beside {@code file}, then moves it into place. */
    static void writeAtomically(Path file, AtomicFiles.IoConsumer<OutputStream> body) throws IOException {
        AtomicFiles.write(file, body);
    }
}
