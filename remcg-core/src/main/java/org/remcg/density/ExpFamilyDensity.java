package org.remcg.density;

import org.remcg.model.Basis1D;
import org.remcg.model.Features;
import org.remcg.model.Legendre;
import org.remcg.numeric.GaussLegendre;
import org.remcg.optimize.ModelEnsemble;
import org.remcg.optimize.Moments;

import java.util.Arrays;

/**
 * An exponential-family density p(x) = exp(-theta . phi(x)) / Z(theta) on a 1-D interval, the
 * circle or a rectangle, normalized exactly by quadrature.
 *
 * <p><b>Quadrature rule.</b> The integration range is cut into panels whose ends include the
 * domain ends and every point where a feature loses smoothness (spline knots, the ends of a
 * basis range inside the domain), so each panel carries an analytic integrand. Each panel gets a
 * 20-point Gauss-Legendre rule; a rectangle uses the tensor product. <b>Error control:</b> the
 * panels are halved (both axes at once in 2-D) until two successive levels agree: |d ln Z|,
 * max_i |d &lt;phi_i&gt;| / (1 + max|&lt;phi&gt;|) and max_ij |d Cov_ij| / max_i Cov_ii all below
 * {@link #TOLERANCE}. Since the rule's error falls like h^40, the finer level's error is far
 * below the difference that stopped the refinement. If the levels do not agree by
 * {@link #maxLevel()} halvings the model is reported as not normalizable to the required
 * accuracy rather than returning a doubtful number.
 *
 * <p><b>Unbounded intervals</b> need a potential that grows without bound: only Legendre
 * (polynomial) features qualify, and only when the highest non-zero coefficient makes U rise
 * towards each infinite end. The integral is then truncated where U exceeds its minimum by 750
 * (beyond every stationary point of U, located by the Cauchy bound on the roots of U'), which
 * leaves out less than e^-750 of the mass.
 */
public final class ExpFamilyDensity implements ModelEnsemble {
    /** Agreement required between successive quadrature levels. */
    public static final double TOLERANCE = 1e-12;
    /** Excess of U over its minimum beyond which an unbounded domain is truncated. */
    static final double TAIL_CUT = 750;
    private static final int MIN_PANELS_1D = 16;
    private static final int MIN_PANELS_2D = 8;

    private final Domain domain;
    private final Features features;
    private final GaussLegendre rule = GaussLegendre.standard();
    private volatile int levelHint;

    public ExpFamilyDensity(Domain domain, Features features) {
        if (domain.dimension() != features.dimension()) {
            throw new IllegalArgumentException("domain " + domain.spec() + " is " + domain.dimension()
                    + "-D but the features are " + features.dimension() + "-D");
        }
        if (!domain.bounded() && !(features.axis(0) instanceof Legendre)) {
            throw new NotNormalizableException("on the unbounded domain " + domain.spec() + " exp(-U) cannot be normalized with basis "
                    + features.axis(0).spec() + ": the potential must grow without bound (use legendre:K:A,B with even K)");
        }
        this.domain = domain;
        this.features = features;
    }

    public Domain domain() {
        return domain;
    }

    public Features features() {
        return features;
    }

    @Override
    public int size() {
        return features.size();
    }

    int maxLevel() {
        return domain.dimension() == 1 ? 14 : 7;
    }

    /** U(x, y) = theta . phi(x, y). */
    public double potential(double[] theta, double x, double y) {
        int[] idx = new int[features.maxNonZero()];
        double[] val = new double[features.maxNonZero()];
        return features.potential(theta, domain.wrap(x), y, idx, val);
    }

    /** ln p(x, y) given ln Z; minus infinity outside the domain (where the model has no support). */
    public double logDensity(double[] theta, double logZ, double x, double y) {
        if (!domain.contains(x, y)) {
            return Double.NEGATIVE_INFINITY;
        }
        return -potential(theta, x, y) - logZ;
    }

    /**
     * ln Z, &lt;phi&gt; and (optionally) Cov(phi) at theta, to {@link #TOLERANCE}.
     *
     * @throws NotNormalizableException when exp(-U) has no finite integral or the quadrature cannot resolve it
     */
    @Override
    public Moments moments(double[] theta, boolean withCov) {
        checkTheta(theta);
        double[][] ranges = ranges(theta);
        int start = Math.max(0, levelHint - 1);
        Moments prev = integrate(theta, ranges, start, withCov);
        for (int level = start + 1; level <= maxLevel(); level++) {
            Moments next = integrate(theta, ranges, level, withCov);
            if (agree(prev, next)) {
                levelHint = level - 1;
                return next;
            }
            prev = next;
        }
        throw new NotNormalizableException("quadrature of exp(-U) did not converge after " + maxLevel()
                + " panel halvings: the model is too sharply peaked or too large (max |theta| = "
                + maxAbs(theta) + ")");
    }

    private void checkTheta(double[] theta) {
        if (theta.length != features.size()) {
            throw new IllegalArgumentException("expected " + features.size() + " parameters, got " + theta.length);
        }
        for (double t : theta) {
            if (!Double.isFinite(t)) {
                throw new NotNormalizableException("parameters are not finite: exp(-U) cannot be normalized");
            }
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    private static boolean agree(Moments a, Moments b) {
        if (!(Math.abs(a.logZ() - b.logZ()) <= TOLERANCE)) {
            return false;
        }
        double scale = 1;
        for (double v : b.mean()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < a.mean().length; i++) {
            if (!(Math.abs(a.mean()[i] - b.mean()[i]) <= TOLERANCE * scale)) {
                return false;
            }
        }
        if (a.cov() != null) {
            int m = a.mean().length;
            double diag = 0;
            for (int i = 0; i < m; i++) {
                diag = Math.max(diag, b.cov()[i * m + i]);
            }
            double tol = TOLERANCE * Math.max(diag, Double.MIN_NORMAL);
            for (int i = 0; i < a.cov().length; i++) {
                if (!(Math.abs(a.cov()[i] - b.cov()[i]) <= tol)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Panel ends per axis (sorted, covering the integration range). */
    double[][] ranges(double[] theta) {
        if (domain.dimension() == 1) {
            double lo = domain.xmin();
            double hi = domain.xmax();
            if (!domain.bounded()) {
                double[] cut = truncation(theta);
                lo = cut[0];
                hi = cut[1];
            }
            return new double[][] {breaks(features.axis(0), lo, hi)};
        }
        return new double[][] {breaks(features.axis(0), domain.xmin(), domain.xmax()),
                               breaks(features.axis(1), domain.ymin(), domain.ymax())};
    }

    private static double[] breaks(Basis1D basis, double lo, double hi) {
        double[] inner = basis.breakpoints();
        double[] all = new double[inner.length + 4];
        int n = 0;
        all[n++] = lo;
        all[n++] = hi;
        if (!basis.periodic()) {
            all[n++] = basis.lower();
            all[n++] = basis.upper();
        }
        for (double b : inner) {
            all[n++] = b;
        }
        double[] sorted = Arrays.stream(all, 0, n).filter(v -> v >= lo && v <= hi).sorted().distinct().toArray();
        // drop slivers produced by rounding (a knot equal to an end up to a few ulps)
        double tiny = 1e-12 * (hi - lo);
        double[] out = new double[sorted.length];
        int k = 0;
        for (double v : sorted) {
            if (k == 0 || v - out[k - 1] > tiny) {
                out[k++] = v;
            } else if (v == hi) {
                out[k - 1] = hi;
            }
        }
        return Arrays.copyOf(out, k);
    }

    /** Nodes and weights along one axis at a refinement level. */
    double[][] axisRule(double[] breaks, int level, int minPanels) {
        int base = breaks.length - 1;
        int split = 1;
        while (base * split < minPanels) {
            split *= 2;
        }
        split <<= level;
        int q = rule.points();
        int n = base * split * q;
        double[] x = new double[n];
        double[] w = new double[n];
        int k = 0;
        for (int p = 0; p < base; p++) {
            double a = breaks[p];
            double h = (breaks[p + 1] - a) / split;
            for (int s = 0; s < split; s++) {
                double lo = a + s * h;
                double half = 0.5 * h;
                double mid = lo + half;
                for (int i = 0; i < q; i++) {
                    x[k] = mid + half * rule.node(i);
                    w[k] = half * rule.weight(i);
                    k++;
                }
            }
        }
        return new double[][] {x, w};
    }

    private Moments integrate(double[] theta, double[][] ranges, int level, boolean withCov) {
        boolean twoD = domain.dimension() == 2;
        int minPanels = twoD ? MIN_PANELS_2D : MIN_PANELS_1D;
        double[][] rx = axisRule(ranges[0], level, minPanels);
        double[][] ry = twoD ? axisRule(ranges[1], level, minPanels) : new double[][] {{0}, {1}};
        int nx = rx[0].length;
        int ny = ry[0].length;
        int m = features.size();
        int nz = features.maxNonZero();
        int[] idx = new int[nz];
        double[] val = new double[nz];
        double[] u = new double[nx * ny];
        double umin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                double v = features.potential(theta, rx[0][i], ry[0][j], idx, val);
                u[i * ny + j] = v;
                umin = Math.min(umin, v);
            }
        }
        if (!Double.isFinite(umin)) {
            throw new NotNormalizableException("the potential is not finite on the domain");
        }
        double z = 0;
        double[] mean = new double[m];
        double[] raw = withCov ? new double[m * m] : null;
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                double e = rx[1][i] * ry[1][j] * Math.exp(umin - u[i * ny + j]);
                if (e == 0) {
                    continue;
                }
                z += e;
                int n = features.evaluate(rx[0][i], ry[0][j], idx, val);
                for (int a = 0; a < n; a++) {
                    double ea = e * val[a];
                    mean[idx[a]] += ea;
                    if (raw != null) {
                        int row = idx[a] * m;
                        for (int b = 0; b < n; b++) {
                            raw[row + idx[b]] += ea * val[b];
                        }
                    }
                }
            }
        }
        if (!(z > 0) || !Double.isFinite(z)) {
            throw new NotNormalizableException("exp(-U) integrates to " + z + " on " + domain.spec());
        }
        double inv = 1 / z;
        for (int a = 0; a < m; a++) {
            mean[a] *= inv;
        }
        if (raw != null) {
            for (int a = 0; a < m; a++) {
                for (int b = a; b < m; b++) {
                    // the two triangles were summed in different orders: average them, exactly symmetric
                    double v = 0.5 * (raw[a * m + b] + raw[b * m + a]) * inv - mean[a] * mean[b];
                    raw[a * m + b] = v;
                    raw[b * m + a] = v;
                }
            }
        }
        return new Moments(Math.log(z) - umin, mean, raw, (long) nx * ny);
    }

    /**
     * Finite integration range for an unbounded interval with Legendre features. Throws when U
     * does not rise towards an infinite end.
     */
    double[] truncation(double[] theta) {
        Legendre leg = (Legendre) features.axis(0);
        int top = -1;
        for (int i = theta.length - 1; i >= 0; i--) {
            if (theta[i] != 0) {
                top = i;
                break;
            }
        }
        boolean lowerInf = domain.xmin() == Double.NEGATIVE_INFINITY;
        boolean upperInf = domain.xmax() == Double.POSITIVE_INFINITY;
        int degree = top + 1;
        if (top < 0) {
            throw new NotNormalizableException("U = 0 on the unbounded domain " + domain.spec() + ": exp(-U) cannot be normalized");
        }
        double lead = theta[top];
        boolean risesUp = lead > 0;
        boolean risesDown = (degree % 2 == 0) ? lead > 0 : lead < 0;
        if ((upperInf && !risesUp) || (lowerInf && !risesDown)) {
            throw new NotNormalizableException("U is unbounded below on " + domain.spec() + " (leading Legendre term P" + degree
                    + " has coefficient " + lead + "): exp(-U) cannot be normalized");
        }
        // monomial coefficients in s of U(s) = sum theta_k P_k(s)
        double[] c = legendreToMonomial(theta, degree);
        // Cauchy bound on the roots of U'(s)
        double dLead = degree * c[degree];
        double bound = 1;
        for (int k = 1; k < degree; k++) {
            bound = Math.max(bound, 1 + Math.abs(k * c[k] / dLead));
        }
        double mid = 0.5 * (leg.lower() + leg.upper());
        double half = 0.5 * (leg.upper() - leg.lower());
        // minimum of U over the region holding all stationary points (a grid value bounds it from above)
        double umin = Double.POSITIVE_INFINITY;
        int grid = 4000;
        for (int i = 0; i <= grid; i++) {
            double s = -bound + 2 * bound * i / grid;
            double x = mid + half * s;
            if (x < domain.xmin() || x > domain.xmax()) {
                continue;
            }
            umin = Math.min(umin, horner(c, s));
        }
        for (double endX : new double[] {domain.xmin(), domain.xmax()}) {
            if (Double.isFinite(endX)) {
                umin = Math.min(umin, horner(c, (endX - mid) / half));
            }
        }
        double lo = domain.xmin();
        double hi = domain.xmax();
        if (upperInf) {
            hi = mid + half * outward(c, bound, umin, +1);
        }
        if (lowerInf) {
            lo = mid + half * outward(c, bound, umin, -1);
        }
        return new double[] {lo, hi};
    }

    private static double outward(double[] c, double bound, double umin, int dir) {
        double s = bound;
        for (int it = 0; it < 200; it++) {
            if (horner(c, dir * s) - umin > TAIL_CUT) {
                return dir * s;
            }
            s *= 1.5;
        }
        throw new NotNormalizableException("could not find where exp(-U) becomes negligible on the unbounded domain");
    }

    private static double horner(double[] c, double s) {
        double v = 0;
        for (int k = c.length - 1; k >= 0; k--) {
            v = v * s + c[k];
        }
        return v;
    }

    /** Coefficients c_0..c_n of sum_{k=1..n} theta_{k-1} P_k(s) in powers of s. */
    static double[] legendreToMonomial(double[] theta, int degree) {
        double[] out = new double[degree + 1];
        double[] pPrev = new double[degree + 2];
        double[] p = new double[degree + 2];
        pPrev[0] = 1;   // P_0
        p[1] = 1;       // P_1
        for (int n = 1; n <= degree; n++) {
            double t = theta[n - 1];
            for (int k = 0; k <= n; k++) {
                out[k] += t * p[k];
            }
            double[] next = new double[degree + 2];
            for (int k = 0; k <= n + 1 && k < next.length; k++) {
                double v = -n * pPrev[k];
                if (k >= 1) {
                    v += (2 * n + 1) * p[k - 1];
                }
                next[k] = v / (n + 1);
            }
            pPrev = p;
            p = next;
        }
        return out;
    }
}
