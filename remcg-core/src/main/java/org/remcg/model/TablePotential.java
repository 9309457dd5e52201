package org.remcg.model;

import java.util.Arrays;

/**
 * A tabulated potential: points x (strictly increasing), energies U and optionally forces
 * F = -dU/dx.
 *
 * <p>Cubic interpolation (default) is Hermite interpolation of U with slopes -F; when F is absent
 * the slopes are those of the natural cubic spline through U (so the derived force is continuous
 * and exactly -dU/dx of the interpolant). Linear interpolation interpolates U and F separately, as
 * GROMACS and LAMMPS {@code linear} tables do (then F is not exactly -dU/dx). Outside [x_0, x_last]
 * the {@link Wall} continuation applies.
 */
public final class TablePotential implements Potential {
    private final double[] x;
    private final double[] u;
    private final double[] slope;
    private final boolean linear;
    private final boolean forcesGiven;

    /**
     * @param f      forces -dU/dx at the points, or null to derive them
     * @param linear linear instead of cubic interpolation
     */
    public TablePotential(double[] x, double[] u, double[] f, boolean linear) {
        int n = x.length;
        if (n < 2 || u.length != n || (f != null && f.length != n)) {
            throw new IllegalArgumentException("a table needs at least 2 points and columns of equal length");
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(u[i]) || (f != null && !Double.isFinite(f[i]))) {
                throw new IllegalArgumentException("table row " + (i + 1) + " has a non-finite value");
            }
            if (i > 0 && !(x[i] > x[i - 1])) {
                throw new IllegalArgumentException("table x must increase strictly, but row " + (i + 1) + " has x=" + x[i] + " after " + x[i - 1]);
            }
        }
        this.x = x.clone();
        this.u = u.clone();
        this.linear = linear;
        this.forcesGiven = f != null;
        this.slope = new double[n];
        if (f != null) {
            for (int i = 0; i < n; i++) {
                slope[i] = -f[i];
            }
        } else if (linear || n == 2) {
            for (int i = 0; i < n; i++) {
                int a = Math.max(0, Math.min(i - 1, n - 2));
                int b = a + 1;
                if (n > 2 && i > 0 && i < n - 1) {
                    a = i - 1;
                    b = i + 1;
                }
                slope[i] = (u[b] - u[a]) / (x[b] - x[a]);
            }
        } else {
            naturalSplineSlopes(this.x, this.u, slope);
        }
    }

    /** Slopes of the natural cubic spline through (x, u): solve for the second derivatives, then differentiate. */
    static void naturalSplineSlopes(double[] x, double[] u, double[] slope) {
        int n = x.length;
        double[] m = new double[n]; // second derivatives
        double[] c = new double[n];
        double[] d = new double[n];
        // tridiagonal system for interior second derivatives (Thomas algorithm), m0 = m_{n-1} = 0
        for (int i = 1; i < n - 1; i++) {
            double h0 = x[i] - x[i - 1];
            double h1 = x[i + 1] - x[i];
            double diag = 2 * (h0 + h1);
            double rhs = 6 * ((u[i + 1] - u[i]) / h1 - (u[i] - u[i - 1]) / h0);
            if (i > 1) {
                diag -= h0 * c[i - 1];
                rhs -= h0 * d[i - 1];
            }
            c[i] = h1 / diag;
            d[i] = rhs / diag;
        }
        for (int i = n - 2; i >= 1; i--) {
            m[i] = d[i] - c[i] * m[i + 1];
        }
        for (int i = 0; i < n - 1; i++) {
            double h = x[i + 1] - x[i];
            slope[i] = (u[i + 1] - u[i]) / h - h * (2 * m[i] + m[i + 1]) / 6;
        }
        double h = x[n - 1] - x[n - 2];
        slope[n - 1] = (u[n - 1] - u[n - 2]) / h + h * (m[n - 2] + 2 * m[n - 1]) / 6;
    }

    public double[] x() { return x.clone(); }
    public double[] energies() { return u.clone(); }
    /** Forces -dU/dx at the points (given or derived). */
    public double[] forces() {
        double[] f = new double[slope.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = -slope[i];
        }
        return f;
    }
    public boolean linear() { return linear; }
    public boolean forcesGiven() { return forcesGiven; }

    @Override public double lowerBound() { return x[0]; }
    @Override public double upperBound() { return x[x.length - 1]; }

    private int interval(double v) {
        int k = Arrays.binarySearch(x, v);
        if (k < 0) {
            k = -k - 2;
        }
        return Math.max(0, Math.min(k, x.length - 2));
    }

    @Override
    public double energy(double v) {
        int n = x.length;
        if (v < x[0]) {
            return Wall.belowEnergy(u[0], slope[0], x[0], v);
        }
        if (v > x[n - 1]) {
            return Wall.aboveEnergy(u[n - 1], slope[n - 1], x[n - 1], v);
        }
        int k = interval(v);
        double h = x[k + 1] - x[k];
        double t = (v - x[k]) / h;
        if (linear) {
            return u[k] + t * (u[k + 1] - u[k]);
        }
        double t2 = t * t;
        double t3 = t2 * t;
        return (2 * t3 - 3 * t2 + 1) * u[k] + (t3 - 2 * t2 + t) * h * slope[k] + (-2 * t3 + 3 * t2) * u[k + 1] + (t3 - t2) * h * slope[k + 1];
    }

    @Override
    public double derivative(double v) {
        int n = x.length;
        if (v < x[0]) {
            return Wall.belowDerivative(slope[0], x[0], v);
        }
        if (v > x[n - 1]) {
            return Wall.aboveDerivative(slope[n - 1], x[n - 1], v);
        }
        // the interval lookup as in energy(); only the two lines share it, the interpolants differ
        int k = interval(v);
        double h = x[k + 1] - x[k];
        double t = (v - x[k]) / h;
        if (linear) {
            return slope[k] + t * (slope[k + 1] - slope[k]);
        }
        double t2 = t * t;
        return ((6 * t2 - 6 * t) * u[k] + (-6 * t2 + 6 * t) * u[k + 1]) / h + (3 * t2 - 4 * t + 1) * slope[k] + (3 * t2 - 2 * t) * slope[k + 1];
    }

    @Override
    public double secondDerivative(double v) {
        int n = x.length;
        if (v < x[0] || v > x[n - 1]) {
            return 2 * Wall.STIFFNESS;
        }
        int k = interval(v);
        double h = x[k + 1] - x[k];
        double t = (v - x[k]) / h;
        if (linear) {
            return (slope[k + 1] - slope[k]) / h;
        }
        return ((12 * t - 6) * u[k] + (-12 * t + 6) * u[k + 1]) / (h * h) + ((6 * t - 4) * slope[k] + (6 * t - 2) * slope[k + 1]) / h;
    }

    @Override
    public String describe() {
        return "table(" + x.length + " points, " + (linear ? "linear" : "cubic") + ")";
    }
}
