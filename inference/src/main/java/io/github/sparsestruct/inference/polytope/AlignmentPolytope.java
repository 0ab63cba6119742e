package io.github.sparsestruct.inference.polytope;

import io.github.sparsestruct.inference.dp.DtwOmega;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;
import java.util.ArrayList;
import java.util.List;

/**
 * Monotone alignments between sequences of lengths NA and NB: paths of cells from (0, 0) to (NA−1, NB−1) with
 * steps (1, 0), (0, 1), (1, 1), optionally inside a Sakoe-Chiba band; the oracle is hard DTW.
 *
 * <p>Layout. Unary part u: NA×NB, {@code u[i*NB + j]} = 1 when the path visits cell (i, j). No additional part.
 * Scores are in max form (a score is a negated cost; −∞ forbids a cell). A structure's {@code code} holds the
 * path's cells i·NB + j in order. Not thread-safe.
 */
public final class AlignmentPolytope implements StructuredPolytope {
    private final int na;
    private final int nb;
    private final int band;
    private final DtwOmega dtw = new DtwOmega(SmoothedMax.hard());
    private final List<int[]> path = new ArrayList<>();
    private double[] costs;

    /** Alignments of {@code na} ≥ 1 by {@code nb} ≥ 1 positions, no band. */
    public AlignmentPolytope(int na, int nb) {
        this(na, nb, -1);
    }

    /** Alignments restricted to a Sakoe-Chiba band (see {@link DtwOmega}; negative: no band). */
    public AlignmentPolytope(int na, int nb, int band) {
        if (na < 1 || nb < 1) {
            throw new IllegalArgumentException("an alignment needs NA >= 1 and NB >= 1, got " + na + "x" + nb);
        }
        this.na = na;
        this.nb = nb;
        this.band = band;
        this.costs = new double[na * nb];
    }

    @Override
    public int unaryDim() {
        return na * nb;
    }

    @Override
    public int extraDim() {
        return 0;
    }

    /** Paths differ in length: one path's cells can strictly contain another's. */
    @Override
    public boolean constantSize() {
        return false;
    }

    /** A least-cost path for costs (lower is better; +∞ forbids a cell) as cells i·NB + j, or null if none. */
    public int[] bestPath(double[] cost) {
        double v = dtw.decode(cost, na, nb, band, path);
        if (v == Double.POSITIVE_INFINITY) {
            return null;
        }
        int[] cells = new int[path.size()];
        for (int k = 0; k < cells.length; k++) {
            cells[k] = path.get(k)[0] * nb + path.get(k)[1];
        }
        return cells;
    }

    /** The structure of a path given as cells i·NB + j in order (not checked to be monotone). */
    public Structure structure(int[] cells) {
        return new Structure(cells.clone(), cells.clone(), new int[0]);
    }

    @Override
    public Structure argmax(double[] etaU, double[] etaV) {
        for (int i = 0; i < costs.length; i++) {
            costs[i] = -etaU[i];
        }
        int[] cells = bestPath(costs);
        return cells == null ? null : structure(cells);
    }
}
