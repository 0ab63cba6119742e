package io.github.sparsestruct.models.format;

import static io.github.sparsestruct.models.format.ModelFile.HEADER_ENTRY;
import static io.github.sparsestruct.models.format.ModelFile.MAX_HEADER_BYTES;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a model file from a path or a stream: the zip's header, every array entry measured against its declared
 * shape ({@link EntrySizes}), then the arrays decoded ({@link ArrayCodec}); every failure is a
 * {@link ModelFormatException} naming the source. {@link ModelFile#read} is its public entry.
 */
final class ModelReader {
    private static final Logger LOG = LoggerFactory.getLogger(ModelFile.class);

    private ModelReader() {
    }

    /** {@link ModelFile#read(Path, String)} with the heap the arrays may take given ({@code heapBytes}). */
    static LoadedModel read(Path file, String expectedTask, long heapBytes) throws ModelFormatException {
        String src = "model file " + file;
        if (!Files.exists(file)) {
            throw new ModelFormatException(src + " does not exist; check the path or the modelLocation parameter");
        }
        if (Files.isDirectory(file)) {
            throw new ModelFormatException(src + " is a directory; give the path of the model file inside it");
        }
        long t0 = System.nanoTime();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            long fileBytes = Files.size(file);
            ZipEntry headerEntry = zip.getEntry(HEADER_ENTRY);
            if (headerEntry == null) {
                throw noHeader(src);
            }
            if (headerEntry.getSize() > MAX_HEADER_BYTES) {
                throw ParsedHeader.tooLarge(src, headerEntry.getSize() + " bytes");
            }
            ParsedHeader header;
            try (InputStream in = zip.getInputStream(headerEntry)) {
                header = ParsedHeader.parse(ParsedHeader.readBytes(in, src), src, expectedTask);
            }
            // check every declared size against its entry before anything is allocated
            List<ZipEntry> entries = new ArrayList<>();
            long directoryTotal = 0;
            for (ArraySpec spec : header.arrays()) {
                ZipEntry e = zip.getEntry(spec.entry());
                if (e == null) {
                    throw missingEntry(src, spec);
                }
                long stored = EntrySizes.storedSize(e, fileBytes);
                if (stored >= 0) {
                    directoryTotal += stored;
                    EntrySizes.checkEntrySize(src, spec, stored, false);
                } else if (e.getSize() >= 0 && e.getSize() != spec.bytes()) {
                    EntrySizes.checkEntrySize(src, spec, e.getSize(), false);
                } else {
                    // compressed: count what it inflates to (up to one byte past the declared size), keeping nothing
                    long cap = EntrySizes.measureCap(spec);
                    long real;
                    try (InputStream in = zip.getInputStream(e)) {
                        real = EntrySizes.measure(in, cap);
                    }
                    EntrySizes.checkEntrySize(src, spec, real, real == cap);
                }
                entries.add(e);
            }
            if (directoryTotal > fileBytes) {
                throw new ModelFormatException(src + " is corrupt: its uncompressed array entries claim "
                        + directoryTotal + " bytes in all, more than the file's " + fileBytes
                        + " bytes; re-download or re-export the model");
            }
            EntrySizes.checkHeap(src, header, heapBytes);
            Map<String, Tensor> arrays = new LinkedHashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                ArraySpec spec = header.arrays().get(i);
                try (InputStream in = zip.getInputStream(entries.get(i))) {
                    arrays.put(spec.name(), ArrayCodec.decode(in, spec, src));
                }
            }
            LoadedModel m = new LoadedModel(header.task(), header.version(), header.metadata(), arrays, file,
                    file.toString());
            LOG.debug("read {} in {} ms", src, (System.nanoTime() - t0) / 1_000_000);
            return m;
        } catch (ModelFormatException e) {
            throw e;
        } catch (ZipException | EOFException e) {
            throw zipError(src, e);
        } catch (IOException e) {
            throw new ModelFormatException(src + " cannot be read: " + e + "; check its permissions and the disk", e);
        }
    }

    /** {@link ModelFile#read(InputStream, String, String)} with the heap the arrays may take given. */
    static LoadedModel read(InputStream in, String sourceName, String expectedTask, long heapBytes)
            throws ModelFormatException {
        String src = "model file " + sourceName;
        byte[] all;
        try {
            all = in.readAllBytes();
        } catch (IOException e) {
            throw new ModelFormatException(src + " cannot be read: " + e, e);
        }
        if (!hasEndOfCentralDirectory(all)) {
            throw truncated(src, new ZipException(all.length == 0 ? "the stream is empty"
                    : "no end-of-central-directory record in " + all.length + " bytes"));
        }
        ParsedHeader header = null;
        Map<String, Long> sizes = new HashMap<>();
        Map<String, Boolean> capped = new HashMap<>();
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(all))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                entries++;
                if (e.isDirectory() || sizes.containsKey(e.getName())) {
                    continue;
                }
                if (e.getName().equals(HEADER_ENTRY)) {
                    if (e.getSize() > MAX_HEADER_BYTES) {
                        throw ParsedHeader.tooLarge(src, e.getSize() + " bytes");
                    }
                    header = ParsedHeader.parse(ParsedHeader.readBytes(zip, src), src, expectedTask);
                    sizes.put(HEADER_ENTRY, -1L);
                } else {
                    ArraySpec spec = header == null ? null : header.byEntry().get(e.getName());
                    if (header != null && spec == null) {
                        continue; // not listed: skipped unread
                    }
                    long cap = spec != null ? EntrySizes.measureCap(spec) : ArraySpec.MAX_ARRAY_BYTES + 1;
                    long real = EntrySizes.measure(zip, cap);
                    sizes.put(e.getName(), real);
                    capped.put(e.getName(), real == cap);
                }
            }
        } catch (ModelFormatException e) {
            throw e;
        } catch (ZipException | EOFException e) {
            throw zipError(src, e);
        } catch (IOException e) {
            throw new ModelFormatException(src + " cannot be read: " + e, e);
        }
        if (entries == 0) {
            throw truncated(src, new ZipException("no zip entries found"));
        }
        if (header == null) {
            throw noHeader(src);
        }
        for (ArraySpec spec : header.arrays()) {
            Long real = sizes.get(spec.entry());
            if (real == null) {
                throw missingEntry(src, spec);
            }
            EntrySizes.checkEntrySize(src, spec, real, capped.get(spec.entry()));
        }
        EntrySizes.checkHeap(src, header, heapBytes);
        Map<String, Tensor> decoded = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(all))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                ArraySpec spec = header.byEntry().get(e.getName());
                if (spec != null && !decoded.containsKey(spec.name())) {
                    decoded.put(spec.name(), ArrayCodec.decode(zip, spec, src));
                }
            }
        } catch (ModelFormatException e) {
            throw e;
        } catch (ZipException | EOFException e) {
            throw zipError(src, e);
        } catch (IOException e) {
            throw new ModelFormatException(src + " cannot be read: " + e, e);
        }
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        for (ArraySpec spec : header.arrays()) {
            Tensor t = decoded.get(spec.name());
            if (t == null) {
                throw missingEntry(src, spec);
            }
            arrays.put(spec.name(), t);
        }
        return new LoadedModel(header.task(), header.version(), header.metadata(), arrays, null, sourceName);
    }

    /** Whether the last 64 KiB + 22 bytes hold a zip end-of-central-directory record (PK 5 6). */
    private static boolean hasEndOfCentralDirectory(byte[] b) {
        int stop = Math.max(0, b.length - 22 - 0xFFFF);
        for (int i = b.length - 22; i >= stop; i--) {
            if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 5 && b[i + 3] == 6) {
                return true;
            }
        }
        return false;
    }

    private static ModelFormatException zipError(String src, IOException cause) {
        String m = String.valueOf(cause.getMessage());
        if (cause instanceof ZipException && m.startsWith("invalid entry")) {
            return new ModelFormatException(src + " is corrupt: " + m + "; re-download or re-export the model", cause);
        }
        return truncated(src, cause);
    }

    private static ModelFormatException truncated(String src, IOException cause) {
        return new ModelFormatException(src + " is truncated or not a SparseStruct model (zip): " + cause.getMessage()
                + "; re-download or re-export it", cause);
    }

    private static ModelFormatException noHeader(String src) {
        return new ModelFormatException(src + " has no " + HEADER_ENTRY + ": it is a zip but not a SparseStruct model");
    }

    private static ModelFormatException missingEntry(String src, ArraySpec spec) {
        return new ModelFormatException(src + " lists array '" + spec.name() + "' but has no entry " + spec.entry()
                + "; the file is incomplete: re-download or re-export it");
    }
}
