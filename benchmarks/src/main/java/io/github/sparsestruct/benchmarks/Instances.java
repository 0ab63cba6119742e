package io.github.sparsestruct.benchmarks;

import java.util.Random;

/** The benchmark instances of issue 2 (same as the reference C++ and PyTorch measurements): i.i.d. N(0,1) scores. */
final class Instances {
    private Instances() {
    }

    static double[] gaussian(Random rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextGaussian();
        }
        return x;
    }

    /** Squared-Euclidean cost matrix between two N(0,1) series of the given lengths and dimension. */
    static double[] sqEuclideanCosts(Random rnd, int na, int nb, int dim) {
        double[][] a = new double[na][];
        double[][] b = new double[nb][];
        for (int i = 0; i < na; i++) {
            a[i] = gaussian(rnd, dim);
        }
        for (int j = 0; j < nb; j++) {
            b[j] = gaussian(rnd, dim);
        }
        double[] c = new double[na * nb];
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                double s = 0;
                for (int d = 0; d < dim; d++) {
                    double e = a[i][d] - b[j][d];
                    s += e * e;
                }
                c[i * nb + j] = s;
            }
        }
        return c;
    }
}
