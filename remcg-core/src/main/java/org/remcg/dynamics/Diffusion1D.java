package org.remcg.dynamics;

import java.util.function.DoubleUnaryOperator;

/**
 * Exact statistics of a one-dimensional reversible diffusion dY = b(Y) dt + sqrt(2 D(Y)) dW on an
 * interval with reflecting ends, by quadrature on a uniform grid (composite trapezoid on 20001
 * points unless told otherwise: relative errors of order 1e-7 for smooth, well-resolved inputs).
 * The stationary density is p ~ exp(-F) with F = -int b/D + ln D; given F and D directly, the drift
 * is b = -D F' + D'. Provides the stationary density, mean first-passage times and integrated
 * autocorrelation times, the reference values of the dynamics examples.
 */
public final class Diffusion1D {
    private final double lo;
    private final double h;
    private final double[] y;
    private final double[] p;   // normalized density
    private final double[] d;   // diffusion coefficient D (Sigma / 2)

    private Diffusion1D(double lo, double hi, double[] f, double[] d) {
        int n = f.length;
        this.lo = lo;
        this.h = (hi - lo) / (n - 1);
        this.y = new double[n];
        this.d = d;
        double fmin = Double.POSITIVE_INFINITY;
        for (double v : f) {
            fmin = Math.min(fmin, v);
        }
        p = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = lo + i * h;
            p[i] = Math.exp(fmin - f[i]);
            if (!(d[i] > 0)) {
                throw new IllegalArgumentException("diffusion must be positive, got " + d[i] + " at y = " + y[i]);
            }
        }
        double z = trapz(p);
        for (int i = 0; i < n; i++) {
            p[i] /= z;
        }
    }

    /** From a potential F (p ~ exp(-F)) and a diffusion coefficient D on [lo, hi]. */
    public static Diffusion1D fromPotential(double lo, double hi, int points, DoubleUnaryOperator f, DoubleUnaryOperator dcoef) {
        double[] fv = new double[points];
        double[] dv = new double[points];
        double h = (hi - lo) / (points - 1);
        for (int i = 0; i < points; i++) {
            double yy = lo + i * h;
            fv[i] = f.applyAsDouble(yy);
            dv[i] = dcoef.applyAsDouble(yy);
        }
        return new Diffusion1D(lo, hi, fv, dv);
    }

    /** From a drift b and a diffusion coefficient D on [lo, hi] (F = -int b / D + ln D). */
    public static Diffusion1D fromDrift(double lo, double hi, int points, DoubleUnaryOperator b, DoubleUnaryOperator dcoef) {
        double[] fv = new double[points];
        double[] dv = new double[points];
        double h = (hi - lo) / (points - 1);
        double prev = 0;
        double acc = 0;
        for (int i = 0; i < points; i++) {
            double yy = lo + i * h;
            dv[i] = dcoef.applyAsDouble(yy);
            double g = b.applyAsDouble(yy) / dv[i];
            if (i > 0) {
                acc += 0.5 * h * (g + prev);
            }
            prev = g;
            fv[i] = -acc + Math.log(dv[i]);
        }
        return new Diffusion1D(lo, hi, fv, dv);
    }

    private double trapz(double[] v) {
        double s = 0.5 * (v[0] + v[v.length - 1]);
        for (int i = 1; i < v.length - 1; i++) {
            s += v[i];
        }
        return s * h;
    }

    public int points() { return y.length; }
    public double grid(int i) { return y[i]; }
    /** Normalized stationary density at grid point i. */
    public double density(int i) { return p[i]; }

    /** Stationary density at y (linear interpolation). */
    public double density(double yy) {
        double u = (yy - lo) / h;
        int i = (int) Math.floor(u);
        if (i < 0 || i >= y.length - 1) {
            return i == y.length - 1 ? p[i] : 0;
        }
        double f = u - i;
        return (1 - f) * p[i] + f * p[i + 1];
    }

    /** Stationary mean of f. */
    public double mean(DoubleUnaryOperator f) {
        double[] v = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            v[i] = f.applyAsDouble(y[i]) * p[i];
        }
        return trapz(v);
    }

    /** Probability mass of [a, b] (from the cumulative trapezoid sums, linearly interpolated). */
    public double mass(double a, double b) {
        return cdf(b) - cdf(a);
    }

    /** Cumulative distribution at y. */
    public double cdf(double yy) {
        if (cum == null) {
            double[] c = new double[y.length];
            for (int i = 1; i < y.length; i++) {
                c[i] = c[i - 1] + 0.5 * h * (p[i] + p[i - 1]);
            }
            cum = c;
        }
        double u = (yy - lo) / h;
        if (u <= 0) {
            return 0;
        }
        if (u >= y.length - 1) {
            return cum[y.length - 1];
        }
        int i = (int) Math.floor(u);
        double f = u - i;
        return (1 - f) * cum[i] + f * cum[i + 1];
    }

    private volatile double[] cum;

    /**
     * Mean first-passage time from a to the level b (reflecting at the far end):
     * for a &lt; b, int_a^b dy / (D p) int_lo^y p; for a &gt; b, int_b^a dy / (D p) int_y^hi p.
     */
    public double mfpt(double a, double b) {
        int n = y.length;
        double[] cum = new double[n];
        for (int i = 1; i < n; i++) {
            cum[i] = cum[i - 1] + 0.5 * h * (p[i] + p[i - 1]);
        }
        double total = cum[n - 1];
        double s = 0;
        double prev = Double.NaN;
        double from = Math.min(a, b);
        double to = Math.max(a, b);
        for (int i = 0; i < n; i++) {
            if (y[i] < from - 1e-12 || y[i] > to + 1e-12) {
                prev = Double.NaN;
                continue;
            }
            double inner = a < b ? cum[i] : total - cum[i];
            double g = inner / (d[i] * p[i]);
            if (!Double.isNaN(prev)) {
                s += 0.5 * h * (g + prev);
            }
            prev = g;
        }
        return s;
    }

    /**
     * Integrated autocorrelation time of f(Y): int_0^inf C(t) dt / C(0) = int Phi^2 / (D p) dy / Var f,
     * with Phi(y) = int_lo^y (f - mean) p.
     */
    public double integratedTime(DoubleUnaryOperator f) {
        int n = y.length;
        double mu = mean(f);
        double var = mean(v -> (f.applyAsDouble(v) - mu) * (f.applyAsDouble(v) - mu));
        // Phi from the left end where the mass to the left is below one half, from the right end
        // beyond: both vanish at their end, and this keeps rounding out of the far tails.
        double[] left = new double[n];
        double[] right = new double[n];
        double[] cum = new double[n];
        for (int i = 1; i < n; i++) {
            double c0 = (f.applyAsDouble(y[i - 1]) - mu) * p[i - 1];
            double c1 = (f.applyAsDouble(y[i]) - mu) * p[i];
            left[i] = left[i - 1] + 0.5 * h * (c0 + c1);
            cum[i] = cum[i - 1] + 0.5 * h * (p[i - 1] + p[i]);
        }
        for (int i = n - 2; i >= 0; i--) {
            double c0 = (f.applyAsDouble(y[i]) - mu) * p[i];
            double c1 = (f.applyAsDouble(y[i + 1]) - mu) * p[i + 1];
            right[i] = right[i + 1] - 0.5 * h * (c0 + c1);
        }
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double phi = cum[i] < 0.5 * cum[n - 1] ? left[i] : right[i];
            g[i] = p[i] > 0 ? phi * phi / (d[i] * p[i]) : 0;
        }
        return trapz(g) / var;
    }

    /** Kullback-Leibler divergence D(this || other) of the stationary densities (same grid assumed). */
    public double klTo(Diffusion1D other) {
        double[] v = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double q = other.density(y[i]);
            v[i] = p[i] > 0 ? p[i] * Math.log(p[i] / Math.max(q, 1e-300)) : 0;
        }
        return trapz(v);
    }
}
