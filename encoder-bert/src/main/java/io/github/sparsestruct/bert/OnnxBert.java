package io.github.sparsestruct.bert;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A BERT encoder written by {@link OnnxBertBuilder}, run with ONNX Runtime on the CPU (graph optimisation level
 * ALL). {@link #run} takes rows of word-piece ids of any lengths and pads them internally. Thread-safe; close it to
 * release the native session.
 */
public final class OnnxBert implements AutoCloseable {
    /** System property giving the intra-op thread count (else env {@code OMP_NUM_THREADS}, else 1). */
    public static final String THREADS_PROPERTY = "sparsestruct.bert.threads";
    private static final long LOADER_STACK_BYTES = 256L << 20;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String[] outputNames;
    private final int[] outputLayers;
    private final int hidden;
    private final int vocab;
    private final int maxPositions;

    /**
     * System property: {@code cuda} or {@code cuda:N} runs the graph on that GPU with ONNX Runtime's CUDA execution
     * provider (needs the {@code onnxruntime_gpu} build: {@code mvn -Pcuda}); default {@code cpu}.
     */
    public static final String DEVICE_PROPERTY = "sparsestruct.bert.device";

    /** Opens {@code onnxFile} with {@link #defaultThreads()} intra-op threads. */
    public OnnxBert(Path onnxFile) throws OrtException {
        this(onnxFile, defaultThreads());
    }

    /** Opens {@code onnxFile} (its external data file beside it) with {@code threads} intra-op threads. */
    public OnnxBert(Path onnxFile, int threads) throws OrtException {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be positive: " + threads);
        }
        env = onLargeStack(OrtEnvironment::getEnvironment);
        session = onLargeStack(() -> {
            try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
                opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                opts.setIntraOpNumThreads(threads);
                opts.setInterOpNumThreads(1);
                opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                int gpu = cudaDevice();
                if (gpu >= 0) {
                    opts.addCUDA(gpu);
                }
                return env.createSession(onnxFile.toString(), opts);
            }
        });
        try {
            List<String> names = new ArrayList<>();
            List<Integer> layers = new ArrayList<>();
            int h = -1;
            for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
                String n = e.getKey();
                if (!n.startsWith("layer_")) {
                    continue;
                }
                names.add(n);
                layers.add(Integer.parseInt(n.substring("layer_".length())));
                long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape();
                h = (int) shape[shape.length - 1];
            }
            if (names.isEmpty() || h < 1) {
                throw new IllegalArgumentException(onnxFile + ": no layer_K outputs of a known width");
            }
            Integer[] order = new Integer[names.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Integer.compare(layers.get(a), layers.get(b)));
            outputNames = new String[order.length];
            outputLayers = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                outputNames[i] = names.get(order[i]);
                outputLayers[i] = layers.get(order[i]);
            }
            hidden = h;
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            vocab = Integer.parseInt(meta.getOrDefault("vocab", Integer.toString(Integer.MAX_VALUE)));
            maxPositions = Integer.parseInt(meta.getOrDefault("max_positions", Integer.toString(Integer.MAX_VALUE)));
        } catch (RuntimeException | OrtException ex) {
            session.close();
            throw ex;
        }
    }

    /** The GPU of {@value #DEVICE_PROPERTY}, or −1 for the CPU. */
    static int cudaDevice() {
        String d = System.getProperty(DEVICE_PROPERTY, "cpu").trim().toLowerCase(java.util.Locale.ROOT);
        if (d.equals("cpu") || d.isEmpty()) {
            return -1;
        }
        if (d.equals("cuda")) {
            return 0;
        }
        if (d.matches("cuda:\\d+")) {
            return Integer.parseInt(d.substring(5));
        }
        throw new IllegalArgumentException(DEVICE_PROPERTY + " must be cpu, cuda or cuda:N, got " + d);
    }

    /**
     * Runs {@code call} (loading ONNX Runtime, creating the session) on a thread with a large stack: loading the
     * BERT-base graph from a thread with the default 1 MB Java stack was seen to kill the JVM with a segmentation
     * fault (no JVM error report), while the same load on a large-stack thread succeeds.
     */
    private static <T> T onLargeStack(java.util.concurrent.Callable<T> call) throws OrtException {
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(call);
        Thread t = new Thread(null, task, "onnx-session-loader", LOADER_STACK_BYTES);
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof OrtException oe) {
                        throw oe;
                    }
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    if (c instanceof Error er) {
                        throw er;
                    }
                    throw new IllegalStateException(c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The thread count from system property {@value #THREADS_PROPERTY}, else env {@code OMP_NUM_THREADS}, else 1. */
    public static int defaultThreads() {
        String s = System.getProperty(THREADS_PROPERTY);
        if (s == null || s.isBlank()) {
            s = System.getenv("OMP_NUM_THREADS");
        }
        if (s == null || s.isBlank()) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Width H of each output vector. */
    public int hidden() {
        return hidden;
    }

    /** The 0-based layers returned by {@link #run}, in increasing order (a copy). */
    public int[] outputLayers() {
        return outputLayers.clone();
    }

    /** The longest row {@link #run} accepts, in pieces (the model's position embeddings). */
    public int maxLength() {
        return maxPositions;
    }

    /**
     * Encodes a batch.
     *
     * @param ids B rows of word-piece ids, each already with {@code [CLS]} ... {@code [SEP]}, 1 to {@link #maxLength()}
     *     long; rows may differ in length
     * @return {@code out[b][j]}: the hidden states of output layer {@code outputLayers()[j]} for row {@code b},
     *     {@code ids[b].length * hidden()} floats, row-major (padding removed)
     */
    public float[][][] run(int[][] ids) throws OrtException {
        int batch = ids.length;
        if (batch == 0) {
            return new float[0][][];
        }
        int len = 0;
        for (int[] row : ids) {
            if (row.length == 0 || row.length > maxPositions) {
                throw new IllegalArgumentException("row length " + row.length + " outside 1.." + maxPositions);
            }
            len = Math.max(len, row.length);
        }
        long[] idBuf = new long[batch * len];
        long[] maskBuf = new long[batch * len];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < ids[b].length; t++) {
                int id = ids[b][t];
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("piece id " + id + " outside the vocabulary 0.." + (vocab - 1));
                }
                idBuf[b * len + t] = id;
                maskBuf[b * len + t] = 1;
            }
        }
        long[] shape = {batch, len};
        float[][][] out = new float[batch][outputNames.length][];
        try (OnnxTensor idT = OnnxTensor.createTensor(env, LongBuffer.wrap(idBuf), shape);
                OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(maskBuf), shape);
                OrtSession.Result r = session.run(Map.of("input_ids", idT, "attention_mask", maskT),
                        java.util.Set.of(outputNames))) {
            for (int j = 0; j < outputNames.length; j++) {
                FloatBuffer fb = ((OnnxTensor) r.get(outputNames[j]).orElseThrow()).getFloatBuffer();
                for (int b = 0; b < batch; b++) {
                    float[] v = new float[ids[b].length * hidden];
                    fb.get((int) ((long) b * len * hidden), v);
                    out[b][j] = v;
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session failed", e);
        }
    }
}
