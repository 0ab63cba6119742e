package io.github.sparsestruct.models.format;

import static io.github.sparsestruct.models.format.ArraySpec.MAX_ARRAY_VALUES;
import static io.github.sparsestruct.models.format.ModelFile.FORMAT_NAME;
import static io.github.sparsestruct.models.format.ModelFile.FORMAT_VERSION;
import static io.github.sparsestruct.models.format.ModelFile.HEADER_ENTRY;
import static io.github.sparsestruct.models.format.ModelFile.MAX_HEADER_BYTES;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A model file's {@code header.json} as read and validated: format, version, task, metadata and the arrays it
 * lists, by order and by entry name.
 */
record ParsedHeader(String task, int version, JsonNode metadata, List<ArraySpec> arrays,
                    Map<String, ArraySpec> byEntry) {
    /** The most dimensions an array may declare. */
    static final int MAX_RANK = 32;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    /** Reads the header entry's bytes, failing when it holds more than {@link ModelFile#MAX_HEADER_BYTES}. */
    static byte[] readBytes(InputStream in, String src) throws IOException {
        byte[] b = in.readNBytes(MAX_HEADER_BYTES);
        if (b.length == MAX_HEADER_BYTES && in.read() != -1) {
            throw tooLarge(src, "more than " + MAX_HEADER_BYTES + " bytes");
        }
        return b;
    }

    /** The error of a header entry holding {@code size}, over {@link ModelFile#MAX_HEADER_BYTES}. */
    static ModelFormatException tooLarge(String src, String size) {
        return new ModelFormatException(src + ": " + HEADER_ENTRY + " holds " + size + ", more than the "
                + MAX_HEADER_BYTES + " bytes this build reads; it is corrupt or not a SparseStruct model: "
                + "re-download or re-export it");
    }

    /** Parses and validates {@code bytes}, failing unless the model is for {@code expectedTask} (null: any). */
    static ParsedHeader parse(byte[] bytes, String src, String expectedTask) throws ModelFormatException {
        JsonNode h;
        try {
            h = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(src + " has a malformed header.json (" + e.getOriginalMessage()
                    + "); re-export the model", e);
        } catch (IOException e) {
            throw new ModelFormatException(src + " has an unreadable header.json: " + e, e);
        }
        if (h == null || !h.isObject()) {
            throw new ModelFormatException(src + ": header.json is not a JSON object; it is not a SparseStruct model");
        }
        JsonNode format = h.get("format");
        if (format == null || !format.isTextual() || !format.asText().equals(FORMAT_NAME)) {
            throw new ModelFormatException(src + " is not a SparseStruct model: header.json has format "
                    + (format == null ? "(missing)" : format.toString()) + ", expected \"" + FORMAT_NAME + "\"");
        }
        JsonNode v = h.get("formatVersion");
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new ModelFormatException(src + ": header.json has no integer formatVersion; re-export the model");
        }
        int version = v.intValue();
        if (version != FORMAT_VERSION) {
            String what = version > FORMAT_VERSION ? "use a newer SparseStruct build to read it"
                    : "re-export it with this build";
            throw new ModelFormatException(src + " is format version " + version + ", this build reads version "
                    + FORMAT_VERSION + "; " + what);
        }
        String task = text(h, "task", src);
        if (expectedTask != null && !expectedTask.equals(task)) {
            throw new ModelFormatException(src + " is a '" + task + "' model, expected '" + expectedTask
                    + "'; pass a " + expectedTask + " model");
        }
        JsonNode metadata = h.get("metadata");
        if (metadata == null || metadata.isNull()) {
            metadata = JSON.createObjectNode();
        } else if (!metadata.isObject()) {
            throw new ModelFormatException(src + ": header.json metadata is not a JSON object; re-export the model");
        }
        JsonNode list = h.get("arrays");
        if (list == null || !list.isArray()) {
            throw new ModelFormatException(src + ": header.json has no \"arrays\" list; re-export the model");
        }
        List<ArraySpec> specs = new ArrayList<>();
        Map<String, ArraySpec> byEntry = new HashMap<>();
        Map<String, ArraySpec> byName = new HashMap<>();
        for (JsonNode a : list) {
            if (!a.isObject()) {
                throw new ModelFormatException(src + ": header.json lists an array that is not an object: " + a);
            }
            String name = text(a, "name", src);
            String dtypeName = text(a, "dtype", src);
            Tensor.DType dtype = Tensor.DType.fromJsonName(dtypeName);
            if (dtype == null) {
                throw new ModelFormatException(src + ": array '" + name + "' has dtype '" + dtypeName
                        + "', this build reads float32 and int32");
            }
            JsonNode shapeNode = a.get("shape");
            if (shapeNode == null || !shapeNode.isArray()) {
                throw new ModelFormatException(src + ": array '" + name + "' has no shape list in header.json");
            }
            if (shapeNode.size() > MAX_RANK) {
                throw new ModelFormatException(src + ": array '" + name + "' declares " + shapeNode.size()
                        + " dimensions, more than the " + MAX_RANK + " this build reads; header.json is corrupt or "
                        + "was edited: re-download or re-export the model");
            }
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                    throw new ModelFormatException(src + ": array '" + name + "' has a bad shape " + shapeNode
                            + " in header.json (dimensions are non-negative integers); re-download or re-export "
                            + "the model");
                }
                shape[i] = d.longValue();
            }
            // a shape too large for one array is reported with its entry's real size, once that is known
            long count = 1;
            String countProblem = null;
            if (Arrays.stream(shape).anyMatch(d -> d == 0)) {
                count = 0;
            } else {
                for (long d : shape) {
                    count = multiplyOrMinusOne(count, d);
                    if (count < 0) {
                        countProblem = "whose element count overflows 64 bits";
                        break;
                    }
                }
                if (count > MAX_ARRAY_VALUES) {
                    countProblem = "which holds " + count + " values, more than one array can (" + MAX_ARRAY_VALUES
                            + ")";
                    count = -1;
                }
            }
            String entry = text(a, "entry", src);
            String sha = text(a, "sha256", src);
            if (!SHA256_HEX.matcher(sha).matches()) {
                throw new ModelFormatException(src + ": array '" + name + "' has a malformed sha256 '" + sha
                        + "' (64 hex digits expected)");
            }
            ArraySpec spec = new ArraySpec(name, dtype, shape, count, countProblem, entry, sha);
            if (byName.put(name, spec) != null || byEntry.put(entry, spec) != null) {
                throw new ModelFormatException(src + ": header.json lists array '" + name + "' or entry " + entry
                        + " twice; re-export the model");
            }
            specs.add(spec);
        }
        return new ParsedHeader(task, version, metadata, specs, byEntry);
    }

    /** a × b for non-negative a and b, or -1 when it overflows. */
    private static long multiplyOrMinusOne(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? -1 : lo;
    }

    private static String text(JsonNode n, String field, String src) throws ModelFormatException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new ModelFormatException(src + ": header.json lacks the text field \"" + field + "\" in " + n
                    .toString().substring(0, Math.min(200, n.toString().length())) + "; re-export the model");
        }
        return v.asText();
    }
}
