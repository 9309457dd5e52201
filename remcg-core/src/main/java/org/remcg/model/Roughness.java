package org.remcg.model;

/**
 * Quadratic roughness penalties theta^T R theta on the coefficients of a linear potential.
 *
 * <ul>
 *   <li>Cubic B-splines: squared second differences of neighbouring coefficients,
 *       sum_i (theta_{i-1} - 2 theta_i + theta_{i+1})^2 (a P-spline penalty: with uniform knots
 *       it is the squared curvature of U sampled at the knots, in units of the knot spacing).</li>
 *   <li>Fourier and Legendre: the mean squared second derivative of U over the basis range, in
 *       the basis' natural length unit (radians of the period for Fourier, so cos k and sin k get
 *       k^4 / 2; the scaled variable s in [-1, 1] for Legendre).</li>
 * </ul>
 * On a rectangle the penalty of each axis is applied to every coefficient slice along that axis
 * and the two are added. Constants carry no roughness.
 */
public final class Roughness {
    private Roughness() {
    }

    /** The m x m matrix R, row-major. */
    public static double[] matrix(Features features) {
        int m = features.size();
        double[] r = new double[m * m];
        if (features.dimension() == 1) {
            double[] a = axisMatrix(features.axis(0), false);
            System.arraycopy(a, 0, r, 0, a.length);
            return r;
        }
        TensorFeatures t = (TensorFeatures) features;
        int nx = t.factors(0);
        int ny = t.factors(1);
        double[] rx = axisMatrix(t.axis(0), t.augmented(0));
        double[] ry = axisMatrix(t.axis(1), t.augmented(1));
        for (int fy = 0; fy < ny; fy++) {
            for (int i = 0; i < nx; i++) {
                for (int j = 0; j < nx; j++) {
                    add(r, m, t.featureIndex(i, fy), t.featureIndex(j, fy), rx[i * nx + j]);
                }
            }
        }
        for (int fx = 0; fx < nx; fx++) {
            for (int i = 0; i < ny; i++) {
                for (int j = 0; j < ny; j++) {
                    add(r, m, t.featureIndex(fx, i), t.featureIndex(fx, j), ry[i * ny + j]);
                }
            }
        }
        return r;
    }

    /** The size x size matrix R of one 1-D basis, row-major. */
    public static double[] matrix(Basis1D basis) {
        return axisMatrix(basis, false);
    }

    private static void add(double[] r, int m, int a, int b, double v) {
        if (a >= 0 && b >= 0 && v != 0) {
            r[a * m + b] += v;
        }
    }

    /** Roughness matrix over the factors of one axis (leading zero row/column for an augmented constant). */
    static double[] axisMatrix(Basis1D basis, boolean augmented) {
        int k = basis.size();
        int off = augmented ? 1 : 0;
        int n = k + off;
        double[] r = new double[n * n];
        if (basis instanceof CubicBSpline) {
            for (int i = 1; i + 1 < k; i++) {
                int[] c = {i - 1, i, i + 1};
                double[] w = {1, -2, 1};
                for (int p = 0; p < 3; p++) {
                    for (int q = 0; q < 3; q++) {
                        r[(c[p] + off) * n + c[q] + off] += w[p] * w[q];
                    }
                }
            }
            return r;
        }
        double length = basis.upper() - basis.lower();
        double unit = basis instanceof Fourier ? length / (2 * Math.PI) : length / 2;
        double u4 = unit * unit * unit * unit;
        // Gauss-Legendre on the basis range: exact for the polynomial products of Legendre
        // features, and for the trigonometric products of order <= K at the number of panels used.
        org.remcg.numeric.GaussLegendre gl = org.remcg.numeric.GaussLegendre.standard();
        int panels = Math.max(4, k);
        double[] val = new double[basis.window()];
        double[] d2 = new double[basis.window()];
        double h = length / panels;
        for (int p = 0; p < panels; p++) {
            double mid = basis.lower() + (p + 0.5) * h;
            for (int g = 0; g < gl.points(); g++) {
                double x = mid + 0.5 * h * gl.node(g);
                double w = 0.5 * h * gl.weight(g) / length * u4;
                int o = basis.evaluate(x, val, null, d2);
                for (int i = 0; i < basis.window(); i++) {
                    for (int j = 0; j < basis.window(); j++) {
                        r[(o + i + off) * n + o + j + off] += w * d2[i] * d2[j];
                    }
                }
            }
        }
        return r;
    }
}
