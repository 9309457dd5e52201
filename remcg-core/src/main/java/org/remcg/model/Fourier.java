package org.remcg.model;

/**
 * Fourier features on a period [lower, lower + P): cos(k w (x - lower)) and, unless cosine-only,
 * sin(k w (x - lower)) for k = 1..K with w = 2 pi / P. The constant is left out (it is absorbed by
 * the normalization). Features are ordered cos1, sin1, cos2, sin2, ... (or cos1..cosK).
 *
 * <p>Values for all orders come from one sine and one cosine by the angle-addition recurrence.
 */
public final class Fourier implements Basis1D {
    private final int order;
    private final boolean cosineOnly;
    private final double lo;
    private final double period;
    private final double omega;

    public Fourier(int order, boolean cosineOnly, double lower, double upper) {
        if (order < 1) {
            throw new IllegalArgumentException("Fourier order must be at least 1, got " + order);
        }
        Basis1D.checkInterval("Fourier period", lower, upper);
        this.order = order;
        this.cosineOnly = cosineOnly;
        this.lo = lower;
        this.period = upper - lower;
        this.omega = 2 * Math.PI / period;
    }

    public int order() { return order; }
    public boolean cosineOnly() { return cosineOnly; }

    @Override public int size() { return cosineOnly ? order : 2 * order; }
    @Override public int window() { return size(); }
    @Override public double lower() { return lo; }
    @Override public double upper() { return lo + period; }
    @Override public boolean periodic() { return true; }
    @Override public boolean spansConstant() { return false; }
    @Override public double[] breakpoints() { return new double[0]; }

    @Override
    public String spec() {
        return (cosineOnly ? "cosine:" : "fourier:") + order;
    }

    @Override
    public String featureName(int i) {
        if (cosineOnly) {
            return "cos" + (i + 1);
        }
        return ((i & 1) == 0 ? "cos" : "sin") + (i / 2 + 1);
    }

    @Override
    public int evaluate(double x, double[] val, double[] d1, double[] d2) {
        double a = omega * (x - lo);
        double c1 = Math.cos(a);
        double s1 = Math.sin(a);
        double c = c1;
        double s = s1;
        for (int k = 1; k <= order; k++) {
            double kw = k * omega;
            if (cosineOnly) {
                val[k - 1] = c;
                if (d1 != null) d1[k - 1] = -kw * s;
                if (d2 != null) d2[k - 1] = -kw * kw * c;
            } else {
                int j = 2 * (k - 1);
                val[j] = c;
                val[j + 1] = s;
                if (d1 != null) { d1[j] = -kw * s; d1[j + 1] = kw * c; }
                if (d2 != null) { d2[j] = -kw * kw * c; d2[j + 1] = -kw * kw * s; }
            }
            double cn = c * c1 - s * s1;
            s = s * c1 + c * s1;
            c = cn;
        }
        return 0;
    }
}
