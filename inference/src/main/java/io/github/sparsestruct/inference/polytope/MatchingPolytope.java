package io.github.sparsestruct.inference.polytope;

import io.github.sparsestruct.inference.map.LinearAssignment;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;

/**
 * One-to-one matchings of min(m, k) pairs between m rows and k columns, with the linear-assignment oracle.
 *
 * <p>Layout. Unary part u: m×k, {@code u[r*k + c]} = 1 when row r is matched to column c. No additional part. A
 * structure's {@code code} holds, for each row, its column or −1. Not thread-safe.
 */
public final class MatchingPolytope implements StructuredPolytope {
    private final int rows;
    private final int cols;
    private final int[] rowToCol;
    /** Own solver: successive oracle calls warm-start from the previous column duals. */
    private final LinearAssignment assignment = new LinearAssignment();

    /** Matchings between {@code rows} ≥ 1 and {@code cols} ≥ 1 items. */
    public MatchingPolytope(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("a matching needs m >= 1 rows and k >= 1 columns, got " + rows + "x"
                    + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.rowToCol = new int[rows];
    }

    /** Number of rows m. */
    public int rows() {
        return rows;
    }

    /** Number of columns k. */
    public int cols() {
        return cols;
    }

    @Override
    public int unaryDim() {
        return rows * cols;
    }

    @Override
    public int extraDim() {
        return 0;
    }

    /** The structure of a matching given by each row's column (−1: unmatched). */
    public Structure structure(int[] colOfRow) {
        if (colOfRow.length != rows) {
            throw new IllegalArgumentException("expected " + rows + " entries, got " + colOfRow.length);
        }
        int n = 0;
        for (int c : colOfRow) {
            if (c >= 0) {
                n++;
            }
        }
        int[] u = new int[n];
        int i = 0;
        for (int r = 0; r < rows; r++) {
            int c = colOfRow[r];
            if (c >= cols) {
                throw new IllegalArgumentException("column " + c + " of row " + r + " is outside 0.." + (cols - 1));
            }
            if (c >= 0) {
                u[i++] = r * cols + c;
            }
        }
        return new Structure(colOfRow.clone(), u, new int[0]);
    }

    @Override
    public Structure argmax(double[] etaU, double[] etaV) {
        double best = assignment.maximize(rows, cols, etaU, rowToCol, true);
        if (best == Double.NEGATIVE_INFINITY) {
            return null;
        }
        return structure(rowToCol);
    }
}
