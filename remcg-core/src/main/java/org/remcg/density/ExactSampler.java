package org.remcg.density;

import org.remcg.numeric.GaussLegendre;
import org.remcg.optimize.Moments;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Draws independent samples from an exponential-family density by inversion.
 *
 * <p>The integration range is cut into the quadrature panels (cells in 2-D) of
 * {@link ExpFamilyDensity}; each cell's mass is integrated with Gauss-Legendre. A sample picks a
 * cell with probability proportional to its mass, then solves F(x) = u inside the cell by
 * safeguarded Newton iteration on the cumulative integral (computed with Gauss-Legendre on
 * [cell start, x]). In 2-D the x-marginal inside the cell is inverted first, then y given x.
 * The samples are exact up to the quadrature and root-finding tolerance (~1e-12 relative in
 * the cumulative probability). Deterministic for a given seed.
 */
public final class ExactSampler {
    private static final int MIN_CELLS_1D = 512;
    private static final int MIN_CELLS_2D = 96;
    private final ExpFamilyDensity model;
    private final double[] theta;
    private final double umin;
    private final double[] xb;
    private final double[] yb;
    private final double[] cumulative;
    private final GaussLegendre gl = GaussLegendre.standard();
    private final int[] idx;
    private final double[] val;

    public ExactSampler(ExpFamilyDensity model, double[] theta) {
        this.model = model;
        this.theta = theta.clone();
        Moments mo = model.moments(theta, false);
        double[][] ranges = model.ranges(theta);
        boolean twoD = model.domain().dimension() == 2;
        this.xb = refine(ranges[0], twoD ? MIN_CELLS_2D : MIN_CELLS_1D);
        this.yb = twoD ? refine(ranges[1], MIN_CELLS_2D) : null;
        this.idx = new int[model.features().maxNonZero()];
        this.val = new double[model.features().maxNonZero()];
        // work relative to ln Z so the integrand is the density itself (order one where it matters)
        this.umin = -mo.logZ();
        int nx = xb.length - 1;
        int ny = twoD ? yb.length - 1 : 1;
        cumulative = new double[nx * ny + 1];
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                double mass;
                if (twoD) {
                    final double y0 = yb[j];
                    final double y1 = yb[j + 1];
                    mass = gl.integrate(x -> gl.integrate(y -> density(x, y), y0, y1), xb[i], xb[i + 1]);
                } else {
                    mass = gl.integrate(x -> density(x, 0), xb[i], xb[i + 1]);
                }
                cumulative[i * ny + j + 1] = cumulative[i * ny + j] + mass;
            }
        }
    }

    private static double[] refine(double[] breaks, int minCells) {
        int split = 1;
        while ((breaks.length - 1) * split < minCells) {
            split *= 2;
        }
        double[] out = new double[(breaks.length - 1) * split + 1];
        int k = 0;
        for (int p = 0; p + 1 < breaks.length; p++) {
            double h = (breaks[p + 1] - breaks[p]) / split;
            for (int s = 0; s < split; s++) {
                out[k++] = breaks[p] + s * h;
            }
        }
        out[k] = breaks[breaks.length - 1];
        return out;
    }

    private double density(double x, double y) {
        return Math.exp(-(model.features().potential(theta, x, y, idx, val) - umin));
    }

    /** Total mass found by the cell quadrature (1 up to quadrature error; a check of the normalization). */
    public double totalMass() {
        return cumulative[cumulative.length - 1];
    }

    /** Fills xs (and ys in 2-D) with n samples. */
    public void sample(SplittableRandom rng, int n, double[] xs, double[] ys) {
        boolean twoD = yb != null;
        int ny = twoD ? yb.length - 1 : 1;
        double total = totalMass();
        for (int s = 0; s < n; s++) {
            double u = rng.nextDouble() * total;
            int c = cell(u);
            double rest = u - cumulative[c];
            double cellMass = cumulative[c + 1] - cumulative[c];
            int i = c / ny;
            if (!twoD) {
                xs[s] = invert(x -> density(x, 0), xb[i], xb[i + 1], rest, cellMass);
            } else {
                int j = c % ny;
                double y0 = yb[j];
                double y1 = yb[j + 1];
                double x = invert(t -> gl.integrate(y -> density(t, y), y0, y1), xb[i], xb[i + 1], rest, cellMass);
                double condMass = gl.integrate(y -> density(x, y), y0, y1);
                xs[s] = x;
                ys[s] = invert(y -> density(x, y), y0, y1, rng.nextDouble() * condMass, condMass);
            }
        }
    }

    private int cell(double u) {
        int lo = 0;
        int hi = cumulative.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (cumulative[mid] <= u) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Solves integral_a^x f = target on [a, b] (f &gt; 0, total mass on [a, b] = mass). */
    private double invert(DoubleUnaryOperator f, double a, double b, double target, double mass) {
        double lo = a;
        double hi = b;
        double x = a + (b - a) * Math.min(1, Math.max(0, target / mass));
        double tol = 1e-13 * mass;
        for (int it = 0; it < 100; it++) {
            double fx = gl.integrate(f, a, x) - target;
            if (Math.abs(fx) <= tol) {
                return x;
            }
            if (fx > 0) {
                hi = x;
            } else {
                lo = x;
            }
            double d = f.applyAsDouble(x);
            double nx = d > 0 ? x - fx / d : Double.NaN;
            if (!(nx > lo && nx < hi)) {
                nx = 0.5 * (lo + hi);
            }
            if (hi - lo <= 1e-15 * Math.max(1, Math.abs(x))) {
                return nx;
            }
            x = nx;
        }
        return x;
    }
}
