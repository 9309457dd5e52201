package org.remcg.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.remcg.numeric.GaussLegendre;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks of the 1-D bases (cubic B-splines, Fourier, Legendre), their parser, the tensor-product
 * features and the roughness matrices against independent references written here.
 *
 * <p>Finite differences are taken with a step s that is a power of two and at points x snapped
 * to multiples of s, so that x - s, x and x + s are exact doubles and the only errors are the
 * truncation of the difference formula and the rounding of the function values themselves.
 */
class BasisTest {

    private static final int[] SPLINE_SIZES = {4, 5, 12, 50};
    private static final double[][] SPLINE_RANGES = {{0, 1}, {-2, 3.5}};

    /** Every size of SPLINE_SIZES on every range of SPLINE_RANGES: m, lower, upper. */
    private static Stream<Arguments> splineCases() {
        return Arrays.stream(SPLINE_SIZES).boxed()
                .flatMap(m -> Arrays.stream(SPLINE_RANGES).map(r -> Arguments.of(m, r[0], r[1])));
    }

    // ------------------------------------------------------------------ helpers

    /** Largest power of two not above target. */
    private static double pow2Step(double target) {
        return Math.scalb(1.0, Math.getExponent(target));
    }

    /** x moved to the nearest multiple of s (s a power of two): then x +- s are exact. */
    private static double snap(double x, double s) {
        return Math.rint(x / s) * s;
    }

    /** All m values, first and second derivatives at x, scattered from the evaluation window. */
    private static double[][] dense(Basis1D b, double x) {
        int w = b.window();
        double[] v = new double[w];
        double[] d1 = new double[w];
        double[] d2 = new double[w];
        int off = b.evaluate(x, v, d1, d2);
        double[][] out = new double[3][b.size()];
        for (int k = 0; k < w && off + k < b.size(); k++) {
            out[0][off + k] = v[k];
            out[1][off + k] = d1[k];
            out[2][off + k] = d2[k];
        }
        return out;
    }

    /**
     * At x0 snapped to multiples of s1, the central difference of every feature's value with step s1
     * is its first derivative within tol1; at x0 snapped to multiples of s2, the second difference
     * with step s2 is its second derivative within tol2. Failures name the feature, the point and where.
     */
    private static void assertDerivativesMatchDifferences(Basis1D b, double x0, double s1, double tol1, double s2, double tol2,
                                                          String where) {
        double x = snap(x0, s1);
        double[][] c = dense(b, x);
        double[][] p = dense(b, x + s1);
        double[][] q = dense(b, x - s1);
        for (int i = 0; i < b.size(); i++) {
            double fd = (p[0][i] - q[0][i]) / (2 * s1);
            assertEquals(fd, c[1][i], tol1, b.featureName(i) + "'(" + x + "), " + where);
        }
        x = snap(x0, s2);
        c = dense(b, x);
        p = dense(b, x + s2);
        q = dense(b, x - s2);
        for (int i = 0; i < b.size(); i++) {
            double fd = (p[0][i] - 2 * c[0][i] + q[0][i]) / (s2 * s2);
            assertEquals(fd, c[2][i], tol2, b.featureName(i) + "''(" + x + "), " + where);
        }
    }

    /**
     * Reference cubic B-splines by the Cox-de Boor recursion on the extended uniform knots
     * t_j = lower + (j - 3) h, j = 0..m+3, with half-open degree-0 indicators [t_j, t_{j+1}).
     * Returns B_0..B_{m-1} at x (meant for x in [lower, upper]).
     */
    private static double[] coxDeBoor(int m, double lower, double upper, double x) {
        double h = (upper - lower) / (m - 3);
        double[] t = new double[m + 4];
        for (int j = 0; j < t.length; j++) {
            t[j] = lower + (j - 3) * h;
        }
        double[] n = new double[m + 3];
        for (int j = 0; j < m + 3; j++) {
            n[j] = (t[j] <= x && x < t[j + 1]) ? 1.0 : 0.0;
        }
        for (int p = 1; p <= 3; p++) {
            double[] next = new double[m + 3 - p];
            for (int j = 0; j < next.length; j++) {
                double left = (x - t[j]) / (t[j + p] - t[j]) * n[j];
                double right = (t[j + p + 1] - x) / (t[j + p + 1] - t[j + 1]) * n[j + 1];
                next[j] = left + right;
            }
            n = next;
        }
        double[] out = new double[m];
        System.arraycopy(n, 0, out, 0, m);
        return out;
    }

    /** Many points of [lower, upper]: both ends, every knot (and its neighbouring doubles), a grid and random points. */
    private static double[] splinePoints(int m, double lower, double upper, long seed) {
        double h = (upper - lower) / (m - 3);
        List<Double> pts = new ArrayList<>();
        pts.add(lower);
        pts.add(upper);
        pts.add(Math.nextUp(lower));
        pts.add(Math.nextDown(upper));
        for (int k = 0; k <= m - 3; k++) {
            double xk = lower + k * h;
            if (xk >= lower && xk <= upper) {
                pts.add(xk);
            }
            if (Math.nextUp(xk) <= upper) {
                pts.add(Math.nextUp(xk));
            }
            if (Math.nextDown(xk) >= lower) {
                pts.add(Math.nextDown(xk));
            }
        }
        for (int i = 0; i <= 1000; i++) {
            pts.add(lower + (upper - lower) * i / 1000.0);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 1000; i++) {
            pts.add(lower + (upper - lower) * rnd.nextDouble());
        }
        double[] out = new double[pts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(upper, Math.max(lower, pts.get(i)));
        }
        return out;
    }

    // ------------------------------------------------------------------ 1. cubic B-splines

    @ParameterizedTest(name = "m={0} on [{1}, {2}]")
    @MethodSource("splineCases")
    void splinePartitionOfUnityAndNonNegativity(int m, double lower, double upper) {
        CubicBSpline b = new CubicBSpline(m, lower, upper);
        double[] v = new double[4];
        for (double x : splinePoints(m, lower, upper, 11L * m)) {
            int off = b.evaluate(x, v, null, null);
            assertTrue(off >= 0 && off <= m - 4, "offset " + off + " at x=" + x);
            double sum = 0;
            for (int k = 0; k < 4; k++) {
                assertTrue(v[k] >= 0, "B" + (off + k) + "(" + x + ") = " + v[k] + " < 0, m=" + m);
                sum += v[k];
            }
            // four terms of size <= 2/3, each correct to a few ulps: the sum is within ~1e-15 of 1
            assertEquals(1.0, sum, 1e-14, "partition of unity at x=" + x + ", m=" + m);
        }
    }

    /**
     * Found while writing these tests: at (or just below) the upper end the scaled coordinate t can round
     * to slightly more than m - 3, so u = t - i exceeds 1 and B_{m-4} = (1-u)^3/6 comes out as a tiny
     * negative number instead of 0. CubicBSpline now clamps u to 1; this guards the fix.
     */
    @Test
    void splineNonNegativeAtUpperEndForAllSizes() {
        double[][] ranges = {{0, 1}, {-2, 3.5}};
        double[] v = new double[4];
        for (double[] r : ranges) {
            for (int m = 4; m <= 200; m++) {
                CubicBSpline b = new CubicBSpline(m, r[0], r[1]);
                for (double x : new double[] {r[1], Math.nextDown(r[1])}) {
                    int off = b.evaluate(x, v, null, null);
                    for (int k = 0; k < 4; k++) {
                        assertTrue(v[k] >= 0, "m=" + m + " range " + r[0] + "," + r[1] + ": B" + (off + k) + "(" + x + ") = " + v[k]);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "m={0} on [{1}, {2}]")
    @MethodSource("splineCases")
    void splineWindowMatchesCoxDeBoor(int m, double lower, double upper) {
        CubicBSpline b = new CubicBSpline(m, lower, upper);
        double[] v = new double[4];
        for (double x : splinePoints(m, lower, upper, 7L * m + 1)) {
            int off = b.evaluate(x, v, null, null);
            double[] ref = coxDeBoor(m, lower, upper, x);
            // Both sides are O(1) sums of a few products of O(1) terms; they differ only by how x
            // is rounded into the local coordinate (a few ulps of t ~ 50), i.e. ~1e-14.
            for (int j = 0; j < m; j++) {
                double got = (j >= off && j < off + 4) ? v[j - off] : 0.0;
                assertEquals(ref[j], got, 1e-13, "B" + j + "(" + x + "), m=" + m + ", range " + lower + "," + upper);
            }
        }
    }

    @ParameterizedTest(name = "m={0} on [{1}, {2}]")
    @MethodSource("splineCases")
    void splineDerivativesMatchFiniteDifferences(int m, double lower, double upper) {
        // Work in the local unit u = (x - lower) / h. Values are O(1) and carry a rounding error of about
        // 1e-14 (the local coordinate t ~ 50 is known to a few ulps), |d^3B/du^3| <= 3 and d^4B/du^4 = 0.
        // First derivative, central difference with du = 2^-16 (s = du*h rounded down to a power of two,
        // so du lies in (2^-17, 2^-16]): truncation du^2 * 3 / 6 < 2e-10, rounding 1e-14 / du < 2e-9.
        //   -> tolerance 1e-8 (in u units, i.e. 1e-8 / h in x units).
        // Second derivative, du = 2^-7, points at least 0.1 h from any knot so the stencil stays in one
        // cubic piece: truncation 0 (the fourth derivative vanishes), rounding 4e-14 / du^2 < 1e-8.
        //   -> tolerance 5e-8 (in u units, i.e. 5e-8 / h^2 in x units).
        SplittableRandom rnd = new SplittableRandom(42);
        CubicBSpline b = new CubicBSpline(m, lower, upper);
        double h = b.knotSpacing();
        double s1 = pow2Step(Math.scalb(h, -16));
        double s2 = pow2Step(Math.scalb(h, -7));
        for (int rep = 0; rep < 400; rep++) {
            int piece = rnd.nextInt(m - 3);
            double u = 0.1 + 0.8 * rnd.nextDouble();
            double x0 = lower + (piece + u) * h;
            assertDerivativesMatchDifferences(b, x0, s1, 1e-8 / h, s2, 5e-8 / (h * h), "m=" + m);
        }
    }

    @ParameterizedTest(name = "m={0} on [{1}, {2}]")
    @MethodSource("splineCases")
    void splineDerivativeSumsVanishInside(int m, double lower, double upper) {
        CubicBSpline b = new CubicBSpline(m, lower, upper);
        double h = b.knotSpacing();
        double[] v = new double[4];
        double[] d1 = new double[4];
        double[] d2 = new double[4];
        for (double x : splinePoints(m, lower, upper, 3L * m)) {
            b.evaluate(x, v, d1, d2);
            // The sums are identically zero as polynomials in u; what is left is the rounding of four
            // terms of size <= 1/h (resp. 2/h^2): a few 1e-16 relative to that scale.
            assertEquals(0.0, d1[0] + d1[1] + d1[2] + d1[3], 1e-14 / h, "sum B' at " + x);
            assertEquals(0.0, d2[0] + d2[1] + d2[2] + d2[3], 1e-14 / (h * h), "sum B'' at " + x);
        }
    }

    @ParameterizedTest(name = "m={0} on [{1}, {2}]")
    @MethodSource("splineCases")
    void splineIsZeroOutsideRange(int m, double lower, double upper) {
        CubicBSpline b = new CubicBSpline(m, lower, upper);
        double span = upper - lower;
        double[] outside = {
            Math.nextDown(lower), lower - 1e-9, lower - 0.5 * span, lower - 1e6, Double.NEGATIVE_INFINITY,
            Math.nextUp(upper), upper + 1e-9, upper + 0.5 * span, upper + 1e6, Double.POSITIVE_INFINITY,
        };
        for (double x : outside) {
            double[] v = {9, 9, 9, 9};
            double[] d1 = {9, 9, 9, 9};
            double[] d2 = {9, 9, 9, 9};
            int off = b.evaluate(x, v, d1, d2);
            assertTrue(off >= 0 && off <= m - 4, "offset " + off + " at x=" + x);
            assertArrayEquals(new double[4], v, "values at " + x);
            assertArrayEquals(new double[4], d1, "d1 at " + x);
            assertArrayEquals(new double[4], d2, "d2 at " + x);
            double[] all = new double[m];
            b.values(x, all);
            assertArrayEquals(new double[m], all, "dense values at " + x);
        }
    }

    @ParameterizedTest(name = "m={0} on [{1}, {2}]")
    @MethodSource("splineCases")
    void splineBreakpointsAreInteriorKnots(int m, double lower, double upper) {
        CubicBSpline b = new CubicBSpline(m, lower, upper);
        double[] bp = b.breakpoints();
        assertEquals(m - 4, bp.length, "m=" + m);
        double h = (upper - lower) / (m - 3);
        assertEquals(h, b.knotSpacing(), 1e-15 * h);
        for (int i = 0; i < bp.length; i++) {
            // knot i+1 of the m-3 intervals; a couple of roundings of quantities <= 3.5
            assertEquals(lower + (i + 1) * (upper - lower) / (m - 3), bp[i], 1e-14, "knot " + (i + 1));
            assertTrue(bp[i] > lower && bp[i] < upper);
            if (i > 0) {
                assertTrue(bp[i] > bp[i - 1]);
            }
        }
    }

    @ParameterizedTest(name = "m={0} on [{1}, {2}]")
    @MethodSource("splineCases")
    void splineIsC2AcrossInteriorKnots(int m, double lower, double upper) {
        // Left and right limits approximated at knot -+ delta with delta = 1e-11 h. In u units the
        // differences are bounded by 2 * 1e-11 * max|derivative of the next order| (<= 3), i.e. < 1e-10,
        // plus rounding of ~1e-14: anything beyond 1e-9 would be a genuine jump.
        CubicBSpline b = new CubicBSpline(m, lower, upper);
        double h = b.knotSpacing();
        double delta = 1e-11 * h;
        double[] v = new double[4];
        for (int k = 1; k <= m - 4; k++) {
            double xk = lower + k * h;
            assertEquals(k - 1, b.evaluate(xk - delta, v, null, null), "left window at knot " + k);
            assertEquals(k, b.evaluate(xk + delta, v, null, null), "right window at knot " + k);
            double[][] left = dense(b, xk - delta);
            double[][] right = dense(b, xk + delta);
            for (int j = 0; j < m; j++) {
                assertEquals(left[0][j], right[0][j], 1e-9, "value jump of B" + j + " at knot " + k);
                assertEquals(left[1][j] * h, right[1][j] * h, 1e-9, "d1 jump of B" + j + " at knot " + k);
                assertEquals(left[2][j] * h * h, right[2][j] * h * h, 1e-9, "d2 jump of B" + j + " at knot " + k);
            }
        }
    }

    // ------------------------------------------------------------------ 2. Fourier

    private static final double[][] PERIODS = {{0, 2 * Math.PI}, {-1, 3}};
    private static final int[] ORDERS = {1, 3, 7, 20};

    /** A Fourier basis of the tests with the period range and order it was made with. */
    private record FourierCase(Fourier basis, double[] range, double period, int order, boolean cosineOnly) {
        /** The highest angular frequency K w = 2 pi K / period. */
        double maxFrequency() {
            return order * 2 * Math.PI / period;
        }

        /** n points lower + period (from + width u), u uniform in [0, 1) from a generator seeded with seed. */
        double[] points(long seed, int n, double from, double width) {
            SplittableRandom rnd = new SplittableRandom(seed);
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = range[0] + period * (from + width * rnd.nextDouble());
            }
            return x;
        }

        @Override
        public String toString() {
            return (cosineOnly ? "cosine-only" : "sine-cosine") + " order " + order + " on [" + range[0] + ", " + range[1] + "]";
        }
    }

    /** fourierCases(ORDERS), the cases of the parameterized Fourier tests. */
    private static List<FourierCase> fourierBases() {
        return fourierCases(ORDERS);
    }

    /** The bases of every period range in PERIODS with every given order, sine-cosine then cosine-only, in that nesting. */
    private static List<FourierCase> fourierCases(int... orders) {
        List<FourierCase> cases = new ArrayList<>();
        for (double[] p : PERIODS) {
            for (int order : orders) {
                for (boolean cos : new boolean[] {false, true}) {
                    cases.add(new FourierCase(new Fourier(order, cos, p[0], p[1]), p, p[1] - p[0], order, cos));
                }
            }
        }
        return cases;
    }

    /** Reference value (deriv = 0, 1, 2) of feature i computed directly from cos / sin. */
    private static double fourierRef(boolean cosineOnly, int i, double omega, double lower, double x, int deriv) {
        int k = cosineOnly ? i + 1 : i / 2 + 1;
        boolean sine = !cosineOnly && (i & 1) == 1;
        double kw = k * omega;
        double a = kw * (x - lower);
        double c = Math.cos(a);
        double s = Math.sin(a);
        switch (deriv) {
            case 0: return sine ? s : c;
            case 1: return sine ? kw * c : -kw * s;
            default: return sine ? -kw * kw * s : -kw * kw * c;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fourierBases")
    void fourierValuesAndNames(FourierCase fc) {
        Fourier f = fc.basis();
        double[] p = fc.range();
        double period = fc.period();
        double omega = 2 * Math.PI / period;
        int order = fc.order();
        boolean cos = fc.cosineOnly();
        assertEquals(cos ? order : 2 * order, f.size());
        assertEquals(f.size(), f.window());
        assertTrue(f.periodic());
        assertFalse(f.spansConstant());
        assertEquals(0, f.breakpoints().length);
        assertEquals(p[0], f.lower());
        assertEquals(p[1], f.upper(), 1e-15);
        for (int i = 0; i < f.size(); i++) {
            String expected = cos ? "cos" + (i + 1) : ((i % 2 == 0) ? "cos" : "sin") + (i / 2 + 1);
            assertEquals(expected, f.featureName(i));
        }
        double[] v = new double[f.window()];
        double[] d1 = new double[f.window()];
        double[] d2 = new double[f.window()];
        for (double x : fc.points(5, 500, -2, 5)) {
            assertEquals(0, f.evaluate(x, v, d1, d2));
            for (int i = 0; i < f.size(); i++) {
                // angle-addition recurrence: error grows ~ k eps; the reference argument
                // k*w*(x-lower) (<= ~400) is itself rounded at ~1e-14 -> 1e-12 is safe
                double kw = (cos ? i + 1 : i / 2 + 1) * omega;
                assertEquals(fourierRef(cos, i, omega, p[0], x, 0), v[i], 1e-12, f.featureName(i) + "(" + x + ")");
                assertEquals(fourierRef(cos, i, omega, p[0], x, 1), d1[i], 1e-12 * kw, f.featureName(i) + "'(" + x + ")");
                assertEquals(fourierRef(cos, i, omega, p[0], x, 2), d2[i], 1e-12 * kw * kw, f.featureName(i) + "''(" + x + ")");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fourierBases")
    void fourierIsPeriodic(FourierCase fc) {
        Fourier f = fc.basis();
        double period = fc.period();
        double kw = fc.maxFrequency();
        for (double x : fc.points(6, 200, 0, 1)) {
            double[][] base = dense(f, x);
            for (int shift : new int[] {-2, -1, 1, 2}) {
                double[][] moved = dense(f, x + shift * period);
                // x + shift*P is rounded (|x| < 12, so by < 1e-15), then multiplied by k w <= 32:
                // a phase error < 1e-13 on top of the ~1e-14 recurrence error.
                for (int i = 0; i < f.size(); i++) {
                    assertEquals(base[0][i], moved[0][i], 1e-12, "value " + f.featureName(i));
                    assertEquals(base[1][i], moved[1][i], 1e-12 * kw, "d1 " + f.featureName(i));
                    assertEquals(base[2][i], moved[2][i], 1e-12 * kw * kw, "d2 " + f.featureName(i));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fourierBases")
    void fourierDerivativesMatchFiniteDifferences(FourierCase fc) {
        // Let W = K w (highest angular frequency) and measure steps as phase: dp = W s. Values carry an
        // error of ~1e-13 (recurrence plus the phase error of a ~ 20 rad argument).
        // d1: dp in (2^-15, 2^-14]: truncation dp^2/6 * W < 1e-9 W, rounding 1e-13/dp * W < 4e-9 W -> tol 3e-8 W.
        // d2: dp in (2^-10, 2^-9]: truncation dp^2/12 * W^2 < 4e-7 W^2, rounding 4e-13/dp^2 * W^2 < 5e-7 W^2
        //     -> tol 5e-6 W^2.
        Fourier f = fc.basis();
        double bigW = fc.maxFrequency();
        double s1 = pow2Step(Math.scalb(1.0, -14) / bigW);
        double s2 = pow2Step(Math.scalb(1.0, -9) / bigW);
        for (double x0 : fc.points(7, 200, -1, 3)) {
            assertDerivativesMatchDifferences(f, x0, s1, 3e-8 * bigW, s2, 5e-6 * bigW * bigW, fc.toString());
        }
    }

    @Test
    void fourierDiscreteOrthogonality() {
        // N = 128 > 2K: the trapezoid rule over one period is exact for every product (frequencies <= 40),
        // so only rounding of a 129-term sum of O(P/N) terms remains (~1e-14).
        int n = 128;
        for (FourierCase fc : fourierCases(3, 20)) {
            Fourier f = fc.basis();
            double[] p = fc.range();
            double period = fc.period();
            int m = f.size();
            double[] gram = new double[m * m];
            double[] v = new double[m];
            double h = period / n;
            for (int j = 0; j <= n; j++) {
                double w = (j == 0 || j == n) ? 0.5 * h : h;
                f.evaluate(p[0] + j * h, v, null, null);
                for (int a = 0; a < m; a++) {
                    for (int b = 0; b < m; b++) {
                        gram[a * m + b] += w * v[a] * v[b];
                    }
                }
            }
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    double expected = a == b ? period / 2 : 0.0;
                    assertEquals(expected, gram[a * m + b], 1e-12, f.featureName(a) + " . " + f.featureName(b));
                }
            }
        }
    }

    // ------------------------------------------------------------------ 3. Legendre

    private static final double[][] LEGENDRE_RANGES = {{-1, 1}, {-2, 5}, {0.25, 1.5}};

    @Test
    void legendreClosedForms() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (double[] r : LEGENDRE_RANGES) {
            Legendre leg = new Legendre(4, r[0], r[1]);
            assertEquals(4, leg.size());
            assertFalse(leg.periodic());
            assertFalse(leg.spansConstant());
            assertEquals("P3", leg.featureName(2));
            double[] v = new double[4];
            for (int rep = 0; rep < 1000; rep++) {
                double s0 = -3 + 6 * rnd.nextDouble();           // includes points outside [a, b]
                double x = r[0] + (s0 + 1) * (r[1] - r[0]) / 2;
                double s = (2 * x - r[0] - r[1]) / (r[1] - r[0]);
                leg.evaluate(x, v, null, null);
                double s2 = s * s;
                double[] ref = {
                    s,
                    (3 * s2 - 1) / 2,
                    (5 * s2 - 3) * s / 2,
                    (35 * s2 * s2 - 30 * s2 + 3) / 8,
                };
                for (int n = 0; n < 4; n++) {
                    // terms up to 35 s^4 / 8 ~ 350 for |s| <= 3, each rounded: a few 1e-14 absolute
                    double tol = 1e-14 * (1 + 35 * s2 * s2);
                    assertEquals(ref[n], v[n], tol, "P" + (n + 1) + "(s=" + s + ")");
                }
            }
        }
    }

    @Test
    void legendreOrthogonality() {
        // 20-point Gauss-Legendre integrates polynomials of degree <= 39 exactly; products here have
        // degree <= 20, so only rounding (~1e-15 relative) remains.
        GaussLegendre gl = GaussLegendre.standard();
        assertEquals(20, gl.points());
        int degree = 10;
        for (double[] r : LEGENDRE_RANGES) {
            Legendre leg = new Legendre(degree, r[0], r[1]);
            double[] v = new double[degree];
            for (int i = 0; i < degree; i++) {
                for (int j = 0; j < degree; j++) {
                    final int fi = i;
                    final int fj = j;
                    double integral = gl.integrate(x -> {
                        leg.evaluate(x, v, null, null);
                        return v[fi] * v[fj];
                    }, r[0], r[1]);
                    double expected = i == j ? (r[1] - r[0]) / (2 * (i + 1) + 1) : 0.0;
                    assertEquals(expected, integral, 1e-13 * (r[1] - r[0]), "<P" + (i + 1) + ", P" + (j + 1) + ">");
                }
            }
        }
    }

    @Test
    void legendreDerivativesMatchFiniteDifferences() {
        // Degree 6, points with |s| <= 2.5 (outside [a, b] too). In s units, with B = (1 + |s|)^6 (<= 1840):
        // values are known to ~1e-15 B, |P'''| <= 15 B, |P''''| <= 20 B.
        // d1: ds in (2^-18, 2^-17]: truncation ds^2 * 15 B / 6 < 2e-10 B, rounding 1e-15 B / ds < 3e-10 B
        //     -> tol 1e-8 B.
        // d2: ds in (2^-13, 2^-12]: truncation ds^2 * 20 B / 12 < 1e-7 B, rounding 4e-15 B / ds^2 < 3e-7 B
        //     -> tol 1e-5 B.
        // Converted to x units with the factors scale = 2/(b-a) and scale^2.
        int degree = 6;
        SplittableRandom rnd = new SplittableRandom(10);
        for (double[] r : LEGENDRE_RANGES) {
            Legendre leg = new Legendre(degree, r[0], r[1]);
            double scale = 2 / (r[1] - r[0]);
            double s1 = pow2Step(Math.scalb(1.0, -17) / scale);
            double s2 = pow2Step(Math.scalb(1.0, -12) / scale);
            for (int rep = 0; rep < 500; rep++) {
                double sPoint = -2.5 + 5 * rnd.nextDouble();
                double x0 = r[0] + (sPoint + 1) / scale;
                double big = Math.pow(1 + Math.abs(sPoint) + 0.01, degree);
                assertDerivativesMatchDifferences(leg, x0, s1, 1e-8 * big * scale, s2, 1e-5 * big * scale * scale, "s=" + sPoint);
            }
        }
    }

    // ------------------------------------------------------------------ 4. Bases

    @Test
    void parseBuildsTheRightBases() {
        Basis1D f = Bases.parse("fourier:3", 0, 2 * Math.PI);
        assertInstanceOf(Fourier.class, f);
        assertEquals(6, f.size());
        Basis1D c = Bases.parse("cosine:3", 0, 2 * Math.PI);
        assertInstanceOf(Fourier.class, c);
        assertEquals(3, c.size());
        assertTrue(((Fourier) c).cosineOnly());
        Basis1D b = Bases.parse("bspline:10", -1, 2);
        assertInstanceOf(CubicBSpline.class, b);
        assertEquals(10, b.size());
        assertEquals(-1, b.lower());
        assertEquals(2, b.upper());
        Basis1D l = Bases.parse("legendre:5", -1, 2);
        assertInstanceOf(Legendre.class, l);
        assertEquals(5, l.size());

        Basis1D r = Bases.parse("bspline:10:0.2,0.9", 0, 1);
        assertEquals(10, r.size());
        assertEquals(0.2, r.lower());
        assertEquals(0.9, r.upper());
        Basis1D lr = Bases.parse(" Legendre:4:-3, 3 ", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        assertEquals(4, lr.size());
        assertEquals(-3, lr.lower());
        assertEquals(3, lr.upper());

        // the spec of a parsed basis parses back to the same basis
        for (Basis1D basis : new Basis1D[] {b, l, r, lr}) {
            Basis1D again = Bases.parse(basis.spec(), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
            assertEquals(basis.spec(), again.spec());
        }
        assertEquals("fourier:3", f.spec());
        assertEquals("cosine:3", c.spec());
        assertEquals(3, Bases.sizeParameter(f));
        assertEquals(10, Bases.sizeParameter(b));
    }

    @Test
    void parseRejectsBadSpecsNamingThem() {
        String[] bad = {
            "gauss:3", "wavelet:10:0,1", "bspline", "bspline:ten", "fourier:2.5", "bspline:",
            "bspline:3", "fourier:0", "cosine:-1", "legendre:99", "legendre:0", "bspline:2001",
            "bspline:10:1,0", "bspline:10:0,0", "bspline:10:0", "bspline:10:a,b", "bspline:10:0,inf",
            "fourier:3:0,1", "bspline:10:0,1:2",
        };
        for (String spec : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bases.parse(spec, 0, 1), spec);
            assertTrue(e.getMessage().contains(spec), "message of '" + spec + "' does not name it: " + e.getMessage());
        }
        for (String spec : new String[] {"bspline:10", "legendre:3", "fourier:2"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Bases.parse(spec, Double.NEGATIVE_INFINITY, 1), spec);
            assertTrue(e.getMessage().contains(spec), e.getMessage());
        }
    }

    @Test
    void withSizeKeepsKindAndRange() {
        Basis1D b = Bases.withSize(new CubicBSpline(10, 0.2, 0.9), 17);
        assertInstanceOf(CubicBSpline.class, b);
        assertEquals(17, b.size());
        assertEquals(0.2, b.lower());
        assertEquals(0.9, b.upper());

        Basis1D f = Bases.withSize(new Fourier(3, false, -1, 3), 5);
        assertInstanceOf(Fourier.class, f);
        assertEquals(10, f.size());
        assertFalse(((Fourier) f).cosineOnly());
        assertEquals(-1, f.lower());
        assertEquals(3, f.upper());

        Basis1D c = Bases.withSize(new Fourier(3, true, -1, 3), 4);
        assertEquals(4, c.size());
        assertTrue(((Fourier) c).cosineOnly());
        assertEquals(-1, c.lower());
        assertEquals(3, c.upper());

        Basis1D l = Bases.withSize(new Legendre(3, -2, 5), 7);
        assertInstanceOf(Legendre.class, l);
        assertEquals(7, l.size());
        assertEquals(-2, l.lower());
        assertEquals(5, l.upper());
    }

    @Test
    void valuesAndCombineAgreeWithEvaluate() {
        Basis1D[] bases = {
            new CubicBSpline(4, 0, 1), new CubicBSpline(12, -2, 3.5), new Fourier(4, false, -1, 3),
            new Fourier(4, true, 0, 2 * Math.PI), new Legendre(6, -2, 5),
        };
        SplittableRandom rnd = new SplittableRandom(12);
        for (Basis1D b : bases) {
            int m = b.size();
            double[] theta = new double[m];
            for (int i = 0; i < m; i++) {
                theta[i] = rnd.nextDouble() * 4 - 2;
            }
            double[] all = new double[m + 3];
            double[] w = new double[b.window()];
            double[] scratch = new double[b.window()];
            for (int rep = 0; rep < 300; rep++) {
                double x = b.lower() + (b.upper() - b.lower()) * (-0.2 + 1.4 * rnd.nextDouble());
                java.util.Arrays.fill(all, 7.0);
                b.values(x, all);
                int off = b.evaluate(x, w, null, null);
                double u = 0;
                double mag = 0;
                for (int j = 0; j < m; j++) {
                    double expect = (j >= off && j < off + w.length) ? w[j - off] : 0.0;
                    assertEquals(expect, all[j], 0.0, b.spec() + " feature " + j + " at " + x);
                    u += theta[j] * all[j];
                    mag += Math.abs(theta[j] * all[j]);
                }
                for (int j = m; j < all.length; j++) {
                    assertEquals(7.0, all[j], 0.0, "values() wrote past size()");
                }
                // same products summed in the same or a different order: a few ulps of the magnitude
                assertEquals(u, b.combine(theta, x, scratch), 1e-14 * (1 + mag), b.spec() + " combine at " + x);
            }
        }
    }

    // ------------------------------------------------------------------ 5. Features

    @Test
    void tensorSplinesArePartitionOfUnity() {
        Basis1D bx = new CubicBSpline(6, 0, 1);
        Basis1D by = new CubicBSpline(5, -2, 3.5);
        Features f = Features.of(bx, by);
        assertEquals(2, f.dimension());
        assertEquals(30, f.size());
        assertTrue(f.spansConstant());
        int[] idx = new int[f.maxNonZero()];
        double[] val = new double[f.maxNonZero()];
        SplittableRandom rnd = new SplittableRandom(13);
        for (int rep = 0; rep < 2000; rep++) {
            double x = rep == 0 ? 0 : rep == 1 ? 1 : rnd.nextDouble();
            double y = rep == 0 ? -2 : rep == 1 ? 3.5 : -2 + 5.5 * rnd.nextDouble();
            int n = f.evaluate(x, y, idx, val);
            assertTrue(n <= f.maxNonZero());
            double sum = 0;
            boolean[] seen = new boolean[f.size()];
            for (int k = 0; k < n; k++) {
                assertTrue(idx[k] >= 0 && idx[k] < f.size());
                assertFalse(seen[idx[k]], "index " + idx[k] + " listed twice");
                seen[idx[k]] = true;
                sum += val[k];
            }
            // 16 products of two partitions of unity: rounding of a few 1e-16
            assertEquals(1.0, sum, 1e-14, "sum at (" + x + ", " + y + ")");
        }
    }

    @Test
    void tensorLegendreFeaturesAreProductsOfFactors() {
        Legendre lx = new Legendre(2, -1, 2);
        Legendre ly = new Legendre(3, 0, 4);
        TensorFeatures f = (TensorFeatures) Features.of(lx, ly);
        assertEquals(11, f.size());
        assertFalse(f.spansConstant());
        assertTrue(f.augmented(0));
        assertTrue(f.augmented(1));
        assertEquals(3, f.factors(0));
        assertEquals(4, f.factors(1));
        assertEquals(-1, f.featureIndex(0, 0));

        // every (fx, fy) but (0, 0) maps to a distinct feature, with the matching name
        boolean[] hit = new boolean[f.size()];
        for (int fx = 0; fx < 3; fx++) {
            for (int fy = 0; fy < 4; fy++) {
                if (fx == 0 && fy == 0) {
                    continue;
                }
                int i = f.featureIndex(fx, fy);
                assertTrue(i >= 0 && i < f.size());
                assertFalse(hit[i]);
                hit[i] = true;
                String nx = fx == 0 ? null : "P" + fx + "(x)";
                String ny = fy == 0 ? null : "P" + fy + "(y)";
                String expected = nx == null ? ny : ny == null ? nx : nx + "*" + ny;
                assertEquals(expected, f.name(i));
            }
        }

        int[] idx = new int[f.maxNonZero()];
        double[] val = new double[f.maxNonZero()];
        double[] vx = new double[2];
        double[] vy = new double[3];
        SplittableRandom rnd = new SplittableRandom(14);
        for (int rep = 0; rep < 500; rep++) {
            double x = -2 + 5 * rnd.nextDouble();
            double y = -1 + 6 * rnd.nextDouble();
            int n = f.evaluate(x, y, idx, val);
            assertTrue(n <= f.maxNonZero(), "count " + n + " > maxNonZero " + f.maxNonZero());
            double[] denseVal = new double[f.size()];
            for (int k = 0; k < n; k++) {
                denseVal[idx[k]] += val[k];
            }
            lx.evaluate(x, vx, null, null);
            ly.evaluate(y, vy, null, null);
            for (int fx = 0; fx < 3; fx++) {
                for (int fy = 0; fy < 4; fy++) {
                    if (fx == 0 && fy == 0) {
                        continue;
                    }
                    double ax = fx == 0 ? 1.0 : vx[fx - 1];
                    double ay = fy == 0 ? 1.0 : vy[fy - 1];
                    // one product of the same two doubles: identical up to one rounding
                    assertEquals(ax * ay, denseVal[f.featureIndex(fx, fy)], 1e-15 * (1 + Math.abs(ax * ay)),
                            f.name(f.featureIndex(fx, fy)) + " at (" + x + ", " + y + ")");
                }
            }
        }
    }

    @Test
    void maxNonZeroBoundsEvaluateForMixedTensors() {
        Basis1D[][] pairs = {
            {new CubicBSpline(8, 0, 1), new Legendre(3, 0, 1)},
            {new Fourier(2, false, 0, 1), new CubicBSpline(5, 0, 1)},
            {new Fourier(3, true, 0, 1), new Legendre(2, 0, 1)},
        };
        SplittableRandom rnd = new SplittableRandom(15);
        for (Basis1D[] p : pairs) {
            Features f = Features.of(p[0], p[1]);
            int expectedSize = (p[0].size() + (p[0].spansConstant() ? 0 : 1)) * (p[1].size() + (p[1].spansConstant() ? 0 : 1))
                    - (!p[0].spansConstant() && !p[1].spansConstant() ? 1 : 0);
            assertEquals(expectedSize, f.size(), f.toString());
            int[] idx = new int[f.maxNonZero()];
            double[] val = new double[f.maxNonZero()];
            for (int rep = 0; rep < 300; rep++) {
                int n = f.evaluate(-0.1 + 1.2 * rnd.nextDouble(), -0.1 + 1.2 * rnd.nextDouble(), idx, val);
                assertTrue(n <= f.maxNonZero());
                for (int k = 0; k < n; k++) {
                    assertTrue(idx[k] >= 0 && idx[k] < f.size());
                }
            }
        }
        Features one = Features.of(new CubicBSpline(9, 0, 1));
        assertEquals(1, one.dimension());
        assertEquals(4, one.maxNonZero());
        int[] idx = new int[4];
        double[] val = new double[4];
        assertEquals(4, one.evaluate(0.37, 0, idx, val));
    }

    // ------------------------------------------------------------------ 6. Roughness

    @Test
    void splineRoughnessIsSecondDifferencePenalty() {
        for (int m : SPLINE_SIZES) {
            double[] r = Roughness.matrix(Features.of(new CubicBSpline(m, -2, 3.5)));
            assertEquals(m * m, r.length);
            double[] d = new double[(m - 2) * m];
            for (int i = 0; i < m - 2; i++) {
                d[i * m + i] = 1;
                d[i * m + i + 1] = -2;
                d[i * m + i + 2] = 1;
            }
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    double dtd = 0;
                    for (int i = 0; i < m - 2; i++) {
                        dtd += d[i * m + a] * d[i * m + b];
                    }
                    assertEquals(dtd, r[a * m + b], 0.0, "R[" + a + "][" + b + "], m=" + m);
                }
            }
            // annihilates constant and linear coefficient vectors (integer matrix, O(m) sized entries)
            for (double[] ab : new double[][] {{1, 0}, {0.7, 1.3}, {-3, 0.25}}) {
                double[] theta = new double[m];
                for (int i = 0; i < m; i++) {
                    theta[i] = ab[0] + ab[1] * i;
                }
                for (int a = 0; a < m; a++) {
                    double s = 0;
                    for (int b = 0; b < m; b++) {
                        s += r[a * m + b] * theta[b];
                    }
                    assertEquals(0.0, s, 1e-12 * (1 + Math.abs(ab[0]) + Math.abs(ab[1]) * m), "(R theta)[" + a + "]");
                }
            }
        }
    }

    @Test
    void fourierRoughnessIsDiagonalKToTheFourthOverTwo() {
        // Gauss-Legendre panels integrate these trigonometric products to ~1e-15 relative; entries up to 40.
        Object[][] cases = {
            {new Fourier(3, false, 0, 2 * Math.PI), false},
            {new Fourier(3, false, -1, 3), false},
            {new Fourier(3, true, 0, 2 * Math.PI), true},
        };
        for (Object[] cs : cases) {
            Fourier f = (Fourier) cs[0];
            boolean cos = (Boolean) cs[1];
            int m = f.size();
            double[] r = Roughness.matrix(Features.of(f));
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    int k = cos ? a + 1 : a / 2 + 1;
                    double expected = a == b ? Math.pow(k, 4) / 2 : 0.0;
                    assertEquals(expected, r[a * m + b], 1e-10, f.spec() + " on [" + f.lower() + "," + f.upper() + ") R[" + a + "][" + b + "]");
                }
            }
        }
    }

    @Test
    void legendreRoughnessIsHalfIntegralOfSquaredCurvature() {
        // Independent reference: U''(s) for U = sum theta_n P_n, n = 1..4, from the closed forms
        // P2'' = 3, P3'' = 15 s, P4'' = (105 s^2 - 15) / 2, squared as a polynomial and integrated
        // exactly over [-1, 1] (integral of s^j is 2/(j+1) for even j). The roughness is in s units, so
        // the scaling interval must not matter.
        SplittableRandom rnd = new SplittableRandom(16);
        for (double[] range : LEGENDRE_RANGES) {
            Legendre leg = new Legendre(4, range[0], range[1]);
            double[] r = Roughness.matrix(Features.of(leg));
            for (int rep = 0; rep < 20; rep++) {
                double[] theta = new double[4];
                for (int i = 0; i < 4; i++) {
                    theta[i] = rnd.nextDouble() * 2 - 1;
                }
                // U''(s) = c0 + c1 s + c2 s^2
                double c0 = 3 * theta[1] - 7.5 * theta[3];
                double c1 = 15 * theta[2];
                double c2 = 52.5 * theta[3];
                // (U'')^2 = c0^2 + 2 c0 c1 s + (c1^2 + 2 c0 c2) s^2 + 2 c1 c2 s^3 + c2^2 s^4
                double integral = 2 * c0 * c0 + (c1 * c1 + 2 * c0 * c2) * 2.0 / 3 + c2 * c2 * 2.0 / 5;
                double expected = 0.5 * integral;
                double quad = 0;
                for (int a = 0; a < 4; a++) {
                    for (int b = 0; b < 4; b++) {
                        quad += theta[a] * r[a * 4 + b] * theta[b];
                    }
                }
                // quadrature exact for these degree-4 products; rounding relative to entries of size ~1e3
                assertEquals(expected, quad, 1e-10 * (1 + Math.abs(expected)), "range " + range[0] + "," + range[1]);
            }
            // P1 is linear: its row and column vanish
            for (int j = 0; j < 4; j++) {
                assertEquals(0.0, r[j], 1e-12);
                assertEquals(0.0, r[j * 4], 1e-12);
            }
        }
    }
}
