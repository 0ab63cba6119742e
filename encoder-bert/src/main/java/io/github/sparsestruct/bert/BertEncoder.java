package io.github.sparsestruct.bert;

import ai.onnxruntime.OrtException;
import io.github.sparsestruct.models.pretrained.PretrainedEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * BERT as a {@link PretrainedEncoder}: word pieces inside each token ({@link WordPieceTokenizer}), laid out in
 * windows of at most the model's length ({@link PieceWindows}), encoded by ONNX Runtime ({@link OnnxBert}) in
 * length-sorted batches of rows of near-equal lengths ({@link #batchEnd}); a token's vector in each output layer is its
 * first piece's. The int8 graphs quantise activations with one scale per batch, so a sentence's int8 vectors move
 * slightly with the sentences it is batched with (the fp32 graph's only in the last float digits). Thread-safe.
 */
public final class BertEncoder implements PretrainedEncoder {
    /** Rows per ONNX Runtime call. */
    static final int BATCH_ROWS = 16;
    /** The padding a batch may add, as a share of its real pieces. */
    static final double PADDING = 0.1;
    private final String id;
    private final OnnxBert bert;
    private final WordPieceTokenizer tokenizer;
    private final int maxLength;

    /**
     * An encoder over converted files.
     *
     * @param id the identifier {@link #id()} reports
     * @param onnx the graph (fp32 or int8)
     * @param vocab its word-piece vocabulary
     * @param threads ONNX Runtime's intra-op threads
     */
    public BertEncoder(String id, Path onnx, Path vocab, int threads) throws IOException {
        this(id, open(onnx, threads), WordPieceTokenizer.fromVocab(vocab), Integer.MAX_VALUE);
    }

    /** An encoder from its parts; rows are at most {@code min(maxLength, bert.maxLength())} pieces. */
    BertEncoder(String id, OnnxBert bert, WordPieceTokenizer tokenizer, int maxLength) {
        this.id = id;
        this.bert = bert;
        this.tokenizer = tokenizer;
        this.maxLength = Math.min(maxLength, bert.maxLength());
    }

    private static OnnxBert open(Path onnx, int threads) throws IOException {
        try {
            return new OnnxBert(onnx, threads);
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime could not open " + onnx + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int layers() {
        return bert.outputLayers().length;
    }

    @Override
    public int dim() {
        return bert.hidden();
    }

    @Override
    public List<float[]> encode(List<String[]> sentences) {
        int layers = layers();
        int dim = dim();
        List<PieceWindows> layouts = new ArrayList<>(sentences.size());
        List<int[]> rows = new ArrayList<>();
        List<int[]> rowOwner = new ArrayList<>();
        for (int s = 0; s < sentences.size(); s++) {
            String[] forms = sentences.get(s);
            PieceWindows w = forms.length == 0 ? null : PieceWindows.of(tokenizer.pieces(forms), maxLength,
                    tokenizer.clsId(), tokenizer.sepId());
            layouts.add(w);
            for (int k = 0; w != null && k < w.windowCount(); k++) {
                rows.add(w.windowIds(k));
                rowOwner.add(new int[] {s, k});
            }
        }
        Integer[] order = new Integer[rows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> rows.get(i).length));
        float[][][] hidden = new float[rows.size()][][];
        for (int start = 0, end; start < order.length; start = end) {
            end = batchEnd(rows, order, start);
            int[][] batch = new int[end - start][];
            for (int i = start; i < end; i++) {
                batch[i - start] = rows.get(order[i]);
            }
            float[][][] got;
            try {
                got = bert.run(batch);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch.length + " rows: "
                        + e.getMessage(), e);
            }
            for (int i = start; i < end; i++) {
                hidden[order[i]] = got[i - start];
            }
        }
        // rows were added sentence by sentence, window by window: the first row of sentence s is at firstRow[s]
        int[] firstRow = new int[sentences.size()];
        for (int r = rows.size() - 1; r >= 0; r--) {
            firstRow[rowOwner.get(r)[0]] = r - rowOwner.get(r)[1];
        }
        List<float[]> out = new ArrayList<>(sentences.size());
        for (int s = 0; s < sentences.size(); s++) {
            PieceWindows w = layouts.get(s);
            int n = sentences.get(s).length;
            float[] v = new float[n * layers * dim];
            for (int k = 0; k < n; k++) {
                float[][] h = hidden[firstRow[s] + w.window(k)];
                int p = w.position(k);
                for (int l = 0; l < layers; l++) {
                    System.arraycopy(h[l], p * dim, v, (k * layers + l) * dim, dim);
                }
            }
            out.add(v);
        }
        return out;
    }

    /**
     * The end of the batch that starts at {@code start} of the length-sorted {@code order}: at most
     * {@link #BATCH_ROWS} rows, and no more padding than {@link #PADDING} of the batch's pieces (each row is padded
     * to the longest), since a padded piece costs as much as a real one.
     */
    static int batchEnd(List<int[]> rows, Integer[] order, int start) {
        long pieces = rows.get(order[start]).length;
        int end = start + 1;
        while (end < order.length && end - start < BATCH_ROWS) {
            int len = rows.get(order[end]).length;
            if ((double) (end - start + 1) * len > (pieces + len) * (1 + PADDING)) {
                break;
            }
            pieces += len;
            end++;
        }
        return end;
    }

    @Override
    public void close() {
        bert.close();
        tokenizer.close();
    }
}
