package org.remcg.model;

/**
 * Cubic B-splines on uniform knots over [lower, upper].
 *
 * <p>With m functions there are m - 3 knot intervals of width h = (upper - lower) / (m - 3); the
 * knot sequence is extended by three knots on each side, so every point of [lower, upper] sees
 * exactly four non-zero functions and they sum to one there. Outside [lower, upper] every
 * function is taken as zero (the basis is truncated, not extrapolated). Evaluation costs O(1).
 */
public final class CubicBSpline implements Basis1D {
    private static final double SIXTH = 1.0 / 6.0;
    private final int m;
    private final double lo;
    private final double hi;
    private final double h;
    private final double invH;

    public CubicBSpline(int m, double lower, double upper) {
        if (m < 4) {
            throw new IllegalArgumentException("a cubic B-spline basis needs at least 4 functions, got " + m);
        }
        Basis1D.checkInterval("B-spline range", lower, upper);
        this.m = m;
        this.lo = lower;
        this.hi = upper;
        this.h = (upper - lower) / (m - 3);
        this.invH = 1.0 / h;
    }

    /** Left end of function k's support [lower + (k - 3) h, lower + (k + 1) h], clipped to the basis range. */
    public double supportLower(int k) {
        return Math.max(lo, lo + (k - 3) * h);
    }

    /** Right end of function k's support, clipped to the basis range. */
    public double supportUpper(int k) {
        return Math.min(hi, lo + (k + 1) * h);
    }

    /** Width of one knot interval. */
    public double knotSpacing() {
        return h;
    }

    @Override public int size() { return m; }
    @Override public int window() { return 4; }
    @Override public String featureName(int i) { return String.format("B%02d", i); }
    @Override public String spec() { return "bspline:" + m + ":" + lo + "," + hi; }
    @Override public double lower() { return lo; }
    @Override public double upper() { return hi; }
    @Override public boolean periodic() { return false; }
    @Override public boolean spansConstant() { return true; }

    @Override
    public double[] breakpoints() {
        double[] b = new double[m - 4];
        for (int i = 0; i < b.length; i++) {
            b[i] = lo + (i + 1) * h;
        }
        return b;
    }

    @Override
    public int evaluate(double x, double[] val, double[] d1, double[] d2) {
        if (!(x >= lo && x <= hi)) {
            val[0] = val[1] = val[2] = val[3] = 0;
            if (d1 != null) { d1[0] = d1[1] = d1[2] = d1[3] = 0; }
            if (d2 != null) { d2[0] = d2[1] = d2[2] = d2[3] = 0; }
            return x < lo ? 0 : m - 4;
        }
        double t = (x - lo) * invH;
        int i = (int) t;
        if (i > m - 4) {
            i = m - 4;
        }
        double u = t - i;
        if (u > 1.0) {
            u = 1.0; // x <= upper, but (x - lo) * invH can round above m - 3: keep (1 - u)^3 from going negative
        }
        double v = 1.0 - u;
        double u2 = u * u;
        double u3 = u2 * u;
        val[0] = v * v * v * SIXTH;
        val[1] = (3 * u3 - 6 * u2 + 4) * SIXTH;
        val[2] = (-3 * u3 + 3 * u2 + 3 * u + 1) * SIXTH;
        val[3] = u3 * SIXTH;
        if (d1 != null) {
            d1[0] = -0.5 * v * v * invH;
            d1[1] = (1.5 * u2 - 2 * u) * invH;
            d1[2] = (-1.5 * u2 + u + 0.5) * invH;
            d1[3] = 0.5 * u2 * invH;
        }
        if (d2 != null) {
            double s = invH * invH;
            d2[0] = v * s;
            d2[1] = (3 * u - 2) * s;
            d2[2] = (-3 * u + 1) * s;
            d2[3] = u * s;
        }
        return i;
    }
}
