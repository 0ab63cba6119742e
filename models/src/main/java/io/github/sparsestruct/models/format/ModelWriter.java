package io.github.sparsestruct.models.format;

import static io.github.sparsestruct.models.format.ModelFile.FORMAT_NAME;
import static io.github.sparsestruct.models.format.ModelFile.FORMAT_VERSION;
import static io.github.sparsestruct.models.format.ModelFile.HEADER_ENTRY;
import static io.github.sparsestruct.models.format.ModelFile.entryName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a model file: checks the task, metadata and array names, builds {@code header.json} with each array's
 * dtype, shape and SHA-256, and writes the zip atomically ({@link AtomicFiles}). {@link ModelFile#write} is its
 * public entry.
 */
final class ModelWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ModelFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ARRAY_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+(/[A-Za-z0-9_.\\-]+)*");

    private ModelWriter() {
    }

    /** See {@link ModelFile#write(Path, String, JsonNode, Map)}. */
    static void write(Path file, String task, JsonNode metadata, Map<String, Tensor> arrays)
            throws IOException {
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException("model task must be a non-blank name such as 'ner' or 'depparse'");
        }
        if (metadata != null && !metadata.isObject()) {
            throw new IllegalArgumentException("model metadata must be a JSON object, found " + metadata.getNodeType());
        }
        Map<String, Tensor> snapshot = new LinkedHashMap<>(arrays);
        ObjectNode header = JSON.createObjectNode();
        header.put("format", FORMAT_NAME);
        header.put("formatVersion", FORMAT_VERSION);
        header.put("task", task);
        header.put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        header.set("metadata", metadata == null ? JSON.createObjectNode() : metadata.deepCopy());
        ArrayNode list = header.putArray("arrays");
        Map<String, CRC32> crcs = new HashMap<>();
        byte[] buf = new byte[ArrayCodec.CHUNK];
        for (Map.Entry<String, Tensor> e : snapshot.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null || !ARRAY_NAME.matcher(name).matches() || Arrays.asList(name.split("/")).contains("..")
                    || Arrays.asList(name.split("/")).contains(".")) {
                throw new IllegalArgumentException("array name '" + name + "' is not allowed: use letters, digits, "
                        + "'_', '.', '-' and '/' between parts");
            }
            if (t == null) {
                throw new IllegalArgumentException("array '" + name + "' is null");
            }
            MessageDigest sha = ArrayCodec.sha256();
            CRC32 crc = new CRC32();
            ArrayCodec.forEachChunk(t, buf, n -> {
                sha.update(buf, 0, n);
                crc.update(buf, 0, n);
            });
            crcs.put(name, crc);
            ObjectNode a = list.addObject();
            a.put("name", name);
            a.put("dtype", t.dtype().jsonName());
            ArrayNode shape = a.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            a.put("entry", entryName(name));
            a.put("sha256", HexFormat.of().formatHex(sha.digest()));
        }
        AtomicFiles.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.putNextEntry(new ZipEntry(HEADER_ENTRY));
                zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(header));
                zip.closeEntry();
                for (Map.Entry<String, Tensor> e : snapshot.entrySet()) {
                    Tensor t = e.getValue();
                    ZipEntry entry = new ZipEntry(entryName(e.getKey()));
                    long bytes = (long) t.size() * t.dtype().bytes();
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(bytes);
                    entry.setCompressedSize(bytes);
                    entry.setCrc(crcs.get(e.getKey()).getValue());
                    zip.putNextEntry(entry);
                    ArrayCodec.forEachChunk(t, buf, n -> zip.write(buf, 0, n));
                    zip.closeEntry();
                }
                zip.finish();
            }
        });
        LOG.debug("wrote {} model {} ({} arrays)", task, file, snapshot.size());
    }
}
