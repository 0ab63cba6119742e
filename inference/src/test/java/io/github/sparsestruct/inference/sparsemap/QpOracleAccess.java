package io.github.sparsestruct.inference.sparsemap;

import java.util.List;

/** Public access to the package-private {@link QpOracle} for tests in other packages. */
public final class QpOracleAccess {
    private QpOracleAccess() {
    }

    /** See {@link QpOracle#solveU}. */
    public static double[] solveU(List<Structure> vertices, int du, double[] etaU, double[] etaV, double gamma) {
        return QpOracle.solveU(vertices, du, etaU, etaV, gamma == 0 ? 1 : gamma);
    }

    /** See {@link QpOracle#sparsemax}. */
    public static double[] sparsemax(double[] x) {
        return QpOracle.sparsemax(x);
    }
}
