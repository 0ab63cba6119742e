package io.github.sparsestruct.bert;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.shade.protobuf.ByteString;

/**
 * Writes a BERT encoder from a tensor bundle as an ONNX model (opset 13, plus {@code com.microsoft} 1 for int8):
 * inputs {@code input_ids} and {@code attention_mask} (int64 [B, L], dynamic B and L), outputs {@code layer_K}
 * (float [B, L, H]) for the requested 0-based layers. The computation is Google BERT's: post-LayerNorm (eps 1e-12),
 * tanh-approximated GELU, attention scale 1/sqrt(head size), token type 0, additive mask -10000 on padding. The
 * weights go to one external-data file {@code <model>.onnx.data} beside the model. {@link Precision#INT8} quantises
 * each dense kernel per output column (symmetric, scale = max|w| / 127, stored as uint8 with zero point 128) and
 * multiplies with ONNX Runtime's {@code DynamicQuantizeMatMul} (uint8 activations quantised per tensor at run time).
 * {@link Precision#INT8_S8} holds the same quantised values as int8 with zero point 0, for CPUs with VNNI.
 */
public final class OnnxBertBuilder {
    /** Weight precision of the dense layers. */
    public enum Precision {
        /** float32 weights. */
        FP32,
        /**
         * int8 values q = round(w / scale) stored as uint8 q + 128 with zero point 128: ONNX Runtime multiplies them
         * with its u8u8 kernels, exact on every x86 CPU.
         */
        INT8,
        /**
         * The same values q stored as int8 with zero point 0: ONNX Runtime takes its u8s8 kernels, which are exact
         * and about twice as fast as u8u8 on CPUs with VNNI ({@link CpuFeatures#hasVnni()}); on AVX2 without VNNI
         * they add pairs of u8 x s8 products in saturating 16-bit lanes, which wrecks the outputs (cosine to fp32
         * about 0.5 on an AMD EPYC without VNNI), so use it only where VNNI is present.
         */
        INT8_S8;

        boolean quantised() {
            return this != FP32;
        }
    }

    /** The 0-based layers the accurate models read from BERT-base (of 12). */
    public static final int[] BERT_BASE_LAYERS = {8, 9, 10, 11};
    /** The 0-based layers the multilingual models read (of 12): 7 (SimAlign's "layer 8") to 11. */
    public static final int[] MULTILINGUAL_LAYERS = {7, 8, 9, 10, 11};
    private static final int ALIGN = 4096;
    /** Zero point of the int8 graph's uint8 weights. */
    private static final int ZERO_POINT = 128;

    private final TensorBundle bundle;
    private final BertConfig cfg;

    /** A builder for the encoder of {@code cfg}'s shape whose weights lie in {@code bundle}. */
    public OnnxBertBuilder(TensorBundle bundle, BertConfig cfg) {
        this.bundle = bundle;
        this.cfg = cfg;
    }

    /**
     * Writes {@code onnxFile} and {@code onnxFile + ".data"} (replacing them).
     *
     * @param outputLayers distinct 0-based layers to output, each below {@link BertConfig#layers()}
     */
    public void write(Path onnxFile, Precision precision, int... outputLayers) throws IOException {
        int[] outs = new TreeSet<>(Arrays.stream(outputLayers).boxed().toList()).stream()
                .mapToInt(Integer::intValue).toArray();
        if (outs.length == 0 || outs.length != outputLayers.length || outs[0] < 0
                || outs[outs.length - 1] >= cfg.layers()) {
            throw new IllegalArgumentException("output layers " + Arrays.toString(outputLayers)
                    + " must be distinct and within 0.." + (cfg.layers() - 1));
        }
        Path dataFile = onnxFile.resolveSibling(onnxFile.getFileName() + ".data");
        try (FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Graph g = new Graph(ch, dataFile.getFileName().toString(), precision);
            GraphProto graph = build(g, outs);
            ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(7).setProducerName("sparsestruct")
                    .setGraph(graph)
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13));
            if (precision.quantised()) {
                m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1));
            }
            meta(m, "hidden", cfg.hidden());
            meta(m, "heads", cfg.heads());
            meta(m, "layers", cfg.layers());
            meta(m, "vocab", cfg.vocab());
            meta(m, "max_positions", cfg.maxPositions());
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey("precision")
                    .setValue(precision.name().toLowerCase(java.util.Locale.ROOT)));
            ch.force(true);
            try (OutputStream os = Files.newOutputStream(onnxFile)) {
                m.build().writeTo(os);
            }
        }
    }

    private static void meta(ModelProto.Builder m, String key, int value) {
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(Integer.toString(value)));
    }

    private GraphProto build(Graph g, int[] outs) throws IOException {
        int h = cfg.hidden();
        String eps = g.scalar("eps", 1e-12f);
        String half = g.scalar("half", 0.5f);
        String one = g.scalar("one", 1f);
        String k0 = g.scalar("k0", (float) Math.sqrt(2 / Math.PI));
        String k1 = g.scalar("k1", 0.044715f);
        String three = g.scalar("three", 3f);
        String scale = g.scalar("scale", (float) (1 / Math.sqrt(cfg.headSize())));
        String big = g.scalar("big", -10000f);
        String ids = "input_ids";
        String mask = "attention_mask";
        // positions 0..L-1: a slice of the position embeddings
        String len = g.node("Slice", g.node("Shape", ids), g.longs("s1", 1), g.longs("s2", 2));
        String pe = g.node("Slice", g.weight("pemb", cfg.embedding("position_embeddings")), g.longs("s0", 0), len,
                g.longs("a0", 0));
        String x = g.node("Add", g.gather(g.weight("wemb", cfg.embedding("word_embeddings")), ids), pe);
        float[] type0 = Arrays.copyOf(bundle.floats(cfg.embedding("token_type_embeddings")), h);
        x = g.node("Add", x, g.external("temb0", type0, h));
        x = layerNorm(g, x, cfg.embedding("LayerNorm/"), eps);
        // additive mask [B, 1, 1, L]
        String mf = g.node("Cast", List.of(mask), Attr.i("to", TensorProto.DataType.FLOAT.getNumber()));
        String am = g.node("Mul", g.node("Sub", one, g.node("Unsqueeze", mf, g.longs("ax12", 1, 2))), big);
        String heads = g.longs("heads", 0, 0, cfg.heads(), cfg.headSize());
        String back = g.longs("back", 0, 0, h);
        List<String> outputs = new ArrayList<>();
        int last = outs[outs.length - 1];
        int next = 0;
        for (int l = 0; l <= last; l++) {
            String q = split(g, dense(g, x, l, "attention/self/query"), heads);
            String k = split(g, dense(g, x, l, "attention/self/key"), heads);
            String v = split(g, dense(g, x, l, "attention/self/value"), heads);
            String s = g.node("Add", g.node("Mul",
                    g.node("MatMul", q, g.node("Transpose", List.of(k), Attr.ints("perm", 0, 1, 3, 2))), scale), am);
            String p = g.node("Softmax", List.of(s), Attr.i("axis", -1));
            String c = g.node("Reshape", g.node("Transpose", List.of(g.node("MatMul", p, v)),
                    Attr.ints("perm", 0, 2, 1, 3)), back);
            x = layerNorm(g, g.node("Add", dense(g, c, l, "attention/output/dense"), x),
                    cfg.layer(l, "attention/output/LayerNorm/"), eps);
            String u = dense(g, x, l, "intermediate/dense");
            String inner = g.node("Mul", k0, g.node("Add", u, g.node("Mul", k1, g.node("Pow", u, three))));
            String gelu = g.node("Mul", g.node("Mul", half, u), g.node("Add", one, g.node("Tanh", inner)));
            x = layerNorm(g, g.node("Add", dense(g, gelu, l, "output/dense"), x), cfg.layer(l, "output/LayerNorm/"),
                    eps);
            if (next < outs.length && outs[next] == l) {
                String name = "layer_" + l;
                g.nodes.add(NodeProto.newBuilder().setOpType("Identity").addInput(x).addOutput(name).build());
                outputs.add(name);
                next++;
            }
        }
        GraphProto.Builder gb = GraphProto.newBuilder().setName("bert_encoder")
                .addInput(valueInfo(ids, TensorProto.DataType.INT64, false))
                .addInput(valueInfo(mask, TensorProto.DataType.INT64, false))
                .addAllNode(g.nodes).addAllInitializer(g.inits);
        for (String o : outputs) {
            gb.addOutput(valueInfo(o, TensorProto.DataType.FLOAT, true));
        }
        return gb.build();
    }

    private ValueInfoProto valueInfo(String name, TensorProto.DataType type, boolean hidden) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("B"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("L"));
        if (hidden) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(cfg.hidden()));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }

    private String layerNorm(Graph g, String x, String prefix, String eps) throws IOException {
        String m = g.node("ReduceMean", List.of(x), Attr.ints("axes", -1));
        String d = g.node("Sub", x, m);
        String v = g.node("ReduceMean", List.of(g.node("Mul", d, d)), Attr.ints("axes", -1));
        String n = g.node("Div", d, g.node("Sqrt", g.node("Add", v, eps)));
        return g.node("Add", g.node("Mul", n, g.weight(prefix + "gamma", prefix + "gamma")),
                g.weight(prefix + "beta", prefix + "beta"));
    }

    private String split(Graph g, String x, String heads) {
        return g.node("Transpose", List.of(g.node("Reshape", x, heads)), Attr.ints("perm", 0, 2, 1, 3));
    }

    /** x · kernel + bias of layer {@code l}'s dense layer {@code name}. */
    private String dense(Graph g, String x, int l, String name) throws IOException {
        String kernel = cfg.layer(l, name + "/kernel");
        String bias = g.weight(cfg.layer(l, name + "/bias"), cfg.layer(l, name + "/bias"));
        long[] shape = bundle.shape(kernel);
        if (!g.precision.quantised()) {
            return g.node("Add", g.node("MatMul", x, g.weight(kernel, kernel)), bias);
        }
        float[] w = bundle.floats(kernel);
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[] sc = new float[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                sc[j] = Math.max(sc[j], Math.abs(w[i * cols + j]));
            }
        }
        for (int j = 0; j < cols; j++) {
            sc[j] = sc[j] > 0 ? sc[j] / 127f : 1f;
        }
        // q = round(w / scale) in [-127, 127]; INT8 stores the uint8 q + 128 with zero point 128, INT8_S8 the int8 q
        // with zero point 0: the same values, different ONNX Runtime kernels (see Precision)
        boolean signed = g.precision == Precision.INT8_S8;
        int zp = signed ? 0 : ZERO_POINT;
        TensorProto.DataType type = signed ? TensorProto.DataType.INT8 : TensorProto.DataType.UINT8;
        byte[] wq = new byte[w.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double r = Math.rint(w[i * cols + j] / sc[j]);
                wq[i * cols + j] = (byte) (Math.max(-127, Math.min(127, r)) + zp);
            }
        }
        byte[] zero = new byte[cols];
        java.util.Arrays.fill(zero, (byte) zp);
        String kq = g.external(kernel + "/kq", wq, type, rows, cols);
        String ks = g.external(kernel + "/ks", sc, cols);
        String kz = g.external(kernel + "/kz", zero, type, cols);
        String out = "DQMM_" + (++g.count);
        g.nodes.add(NodeProto.newBuilder().setOpType("DynamicQuantizeMatMul").setDomain("com.microsoft")
                .addInput(x).addInput(kq).addInput(ks).addInput(kz).addInput(bias).addOutput(out).build());
        return out;
    }

    /** A node attribute. */
    private record Attr(AttributeProto proto) {
        static Attr i(String name, long v) {
            return new Attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
                    .setI(v).build());
        }

        static Attr ints(String name, long... v) {
            AttributeProto.Builder b = AttributeProto.newBuilder().setName(name)
                    .setType(AttributeProto.AttributeType.INTS);
            for (long x : v) {
                b.addInts(x);
            }
            return new Attr(b.build());
        }
    }

    /** The graph under construction: nodes, initializers, and the external-data file they point into. */
    private final class Graph {
        final List<NodeProto> nodes = new ArrayList<>();
        final List<TensorProto> inits = new ArrayList<>();
        final FileChannel data;
        final String location;
        final Precision precision;
        int count;

        Graph(FileChannel data, String location, Precision precision) {
            this.data = data;
            this.location = location;
            this.precision = precision;
        }

        String node(String op, String... inputs) {
            return node(op, List.of(inputs));
        }

        String node(String op, List<String> inputs, Attr... attrs) {
            String out = op + "_" + (++count);
            NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).addAllInput(inputs).addOutput(out);
            for (Attr a : attrs) {
                b.addAttribute(a.proto);
            }
            nodes.add(b.build());
            return out;
        }

        String gather(String table, String indices) {
            return node("Gather", List.of(table, indices), Attr.i("axis", 0));
        }

        /** An initializer named {@code name} holding bundle tensor {@code tensor}, as external data. */
        String weight(String name, String tensor) throws IOException {
            return external(name, bundle.floats(tensor), bundle.shape(tensor));
        }

        String scalar(String name, float v) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v);
            inits.add(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
                    .setRawData(ByteString.copyFrom(b.array())).build());
            return name;
        }

        String longs(String name, long... v) {
            ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long x : v) {
                b.putLong(x);
            }
            inits.add(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
                    .addDims(v.length).setRawData(ByteString.copyFrom(b.array())).build());
            return name;
        }

        String external(String name, float[] v, long... dims) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            return external(name, b, TensorProto.DataType.FLOAT, dims);
        }

        String external(String name, byte[] v, TensorProto.DataType type, long... dims) throws IOException {
            return external(name, ByteBuffer.wrap(v), type, dims);
        }

        private String external(String name, ByteBuffer bytes, TensorProto.DataType type, long... dims)
                throws IOException {
            long offset = (data.position() + ALIGN - 1) / ALIGN * ALIGN;
            long length = bytes.remaining();
            data.position(offset);
            while (bytes.hasRemaining()) {
                data.write(bytes);
            }
            TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                    .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", location))
                    .addExternalData(entry("offset", Long.toString(offset)))
                    .addExternalData(entry("length", Long.toString(length)));
            for (long d : dims) {
                t.addDims(d);
            }
            inits.add(t.build());
            return name;
        }

        private StringStringEntryProto entry(String k, String v) {
            return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
        }
    }
}
