package io.github.sparsestruct.models.nn;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Single-precision matrix products on direct float buffers with OpenBLAS (JavaCPP's binding, no copies), for the
 * prediction paths ({@link EncoderInference} and the models' heads). Row-major throughout.
 */
public final class Blas {
    private Blas() {
    }

    /**
     * C = alpha · op(A) · op(B) + beta · C, where op(A) is [m, k] and op(B) is [k, n]; each matrix starts at its
     * offset in its buffer and has the given leading dimension.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatBuffer a, int aOff,
                            int lda, FloatBuffer b, int bOff, int ldb, float beta, FloatBuffer c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
                alpha, at(a, aOff), lda, at(b, bOff), ldb, beta, at(c, cOff), ldc);
    }

    /** C[m, n] = A[m, k] · B[k, n] + beta · C, dense (leading dimensions k, n, n). */
    public static void gemm(int m, int n, int k, FloatBuffer a, int aOff, FloatBuffer b, float beta, FloatBuffer c,
                            int cOff) {
        gemm(false, false, m, n, k, 1f, a, aOff, k, b, 0, n, beta, c, cOff, n);
    }

    /** A view of the buffer starting at an offset (for the native call). */
    public static FloatBuffer at(FloatBuffer buf, int offset) {
        return offset == 0 ? buf : buf.duplicate().position(offset);
    }

    /** A zeroed direct buffer of n floats in native byte order. */
    public static FloatBuffer allocate(int n) {
        return ByteBuffer.allocateDirect(Math.max(1, n) * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** The buffer if it holds at least n floats, else a new one of at least n (doubling). */
    public static FloatBuffer grow(FloatBuffer b, int n) {
        return b.capacity() >= n ? b : allocate(Math.max(n, 2 * b.capacity()));
    }

    /** The array if it holds at least n floats, else a new one of at least n (doubling; contents not kept). */
    public static float[] grow(float[] a, int n) {
        return a.length >= n ? a : new float[Math.max(n, 2 * a.length)];
    }

    /** A direct buffer holding these values. */
    public static FloatBuffer direct(float[] values) {
        FloatBuffer b = allocate(values.length);
        b.put(0, values);
        return b;
    }

    /** The values of an array as floats, row-major. */
    public static float[] floats(INDArray a) {
        if (a == null) {
            throw new IllegalArgumentException("parameter missing");
        }
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }
}
