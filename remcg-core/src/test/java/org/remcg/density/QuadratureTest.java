package org.remcg.density;

import org.junit.jupiter.api.Test;
import org.remcg.model.Bases;
import org.remcg.model.Features;
import org.remcg.optimize.Moments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The normalization and moments of exact models against closed forms, to the promised 1e-10 relative. */
class QuadratureTest {

    /** Modified Bessel function I_n(k) by its power series (independent of the code under test). */
    static double besselI(int n, double k) {
        double term = Math.pow(k / 2, n);
        for (int j = 1; j <= n; j++) {
            term /= j;
        }
        double s = 0;
        for (int j = 0; j < 400; j++) {
            if (j > 0) {
                term *= (k / 2) * (k / 2) / ((double) j * (j + n));
            }
            s += term;
            if (term < 1e-18 * s) {
                break;
            }
        }
        return s;
    }

    static void assertRel(double expected, double actual, double rel, String what) {
        assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected), what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void vonMisesMomentsIncludingSharpPeaks() {
        ExpFamilyDensity m = new ExpFamilyDensity(Domain.circle(), Features.of(Bases.parse("fourier:2", 0, 2 * Math.PI)));
        for (double kappa : new double[] {0.1, 1, 5, 30, 200}) {
            // p ~ exp(kappa cos x): theta_cos1 = -kappa
            Moments mo = m.moments(new double[] {-kappa, 0, 0, 0}, true);
            double i0 = besselI(0, kappa);
            assertRel(Math.log(2 * Math.PI * i0), mo.logZ(), 1e-10, "ln Z at kappa " + kappa);
            double c1 = besselI(1, kappa) / i0;
            double c2 = besselI(2, kappa) / i0;
            assertRel(c1, mo.mean()[0], 1e-10, "<cos x>");
            assertRel(c2, mo.mean()[2], 1e-10, "<cos 2x>");
            assertEquals(0, mo.mean()[1], 1e-13, "<sin x>");
            // Var(cos x) = (1 + <cos 2x>)/2 - <cos x>^2 ; Cov(cos x, cos 2x) = (<cos x> + <cos 3x>)/2 - <cos x><cos 2x>
            double varCos = (1 + c2) / 2 - c1 * c1;
            double c3 = besselI(3, kappa) / i0;
            assertRel(varCos, mo.cov(0, 0), 1e-9, "Var(cos x) at kappa " + kappa);
            assertRel((c1 + c3) / 2 - c1 * c2, mo.cov(0, 2), 1e-9, "Cov(cos x, cos 2x) at kappa " + kappa);
            assertEquals(mo.cov(0, 2), mo.cov(2, 0), 0);
        }
    }

    @Test
    void gaussianOnTheWholeLine() {
        // legendre:2 on scale [-1, 1]: U = t1 s + t2 (3 s^2 - 1)/2, a Gaussian for t2 > 0
        Domain line = Domain.parse("interval:-inf,inf");
        ExpFamilyDensity m = new ExpFamilyDensity(line, Features.of(Bases.parse("legendre:2:-1,1", -1, 1)));
        double t1 = 0.7;
        double t2 = 0.05;   // wide: variance 1/(3 t2) = 6.7, far beyond the scaling interval
        double a = 1.5 * t2;
        Moments mo = m.moments(new double[] {t1, t2}, true);
        double logZ = t2 / 2 + 0.5 * Math.log(Math.PI / a) + t1 * t1 / (4 * a);
        assertRel(logZ, mo.logZ(), 1e-10, "ln Z");
        double mean = -t1 / (2 * a);
        double var = 1 / (2 * a);
        assertRel(mean, mo.mean()[0], 1e-10, "<s>");
        assertRel(var, mo.cov(0, 0), 1e-10, "Var(s)");
        // <P2> = (3 <s^2> - 1)/2
        assertRel((3 * (var + mean * mean) - 1) / 2, mo.mean()[1], 1e-10, "<P2>");
    }

    @Test
    void halfLineExponential() {
        // U = lambda x on [0, inf) with legendre:1 scaled on [0, 2]: s = x - 1, U = t s
        Domain half = Domain.parse("interval:0,inf");
        ExpFamilyDensity m = new ExpFamilyDensity(half, Features.of(Bases.parse("legendre:1:0,2", 0, 2)));
        double t = 3.0;
        Moments mo = m.moments(new double[] {t}, true);
        // Z = int_0^inf exp(-t (x - 1)) dx = e^t / t ; <s> = 1/t - 1 ; Var = 1/t^2
        assertRel(t - Math.log(t), mo.logZ(), 1e-10, "ln Z");
        assertRel(1 / t - 1, mo.mean()[0], 1e-10, "<s>");
        assertRel(1 / (t * t), mo.cov(0, 0), 1e-10, "Var");
    }

    @Test
    void rectangleMatchesProductOfMarginalsAndBruteForce() {
        Domain box = Domain.box(0, 1, -1, 2);
        Features f = DensityModels.features(box, "legendre:2");
        ExpFamilyDensity m = new ExpFamilyDensity(box, f);
        assertEquals(8, f.size());
        double[] theta = new double[f.size()];
        // marginal terms only: the density factorizes
        for (int i = 0; i < f.size(); i++) {
            if (!f.name(i).contains("*")) {
                theta[i] = 0.8 + 0.3 * i;
            }
        }
        Moments mo = m.moments(theta, true);
        Features fx = Features.of(Bases.parse("legendre:2", 0, 1));
        Features fy = Features.of(Bases.parse("legendre:2", -1, 2));
        double[] tx = new double[2];
        double[] ty = new double[2];
        for (int i = 0; i < f.size(); i++) {
            String n = f.name(i);
            if (n.endsWith("(x)")) {
                tx[Integer.parseInt(n.substring(1, 2)) - 1] = theta[i];
            } else if (!n.contains("*")) {
                ty[Integer.parseInt(n.substring(1, 2)) - 1] = theta[i];
            }
        }
        double lx = new ExpFamilyDensity(Domain.interval(0, 1), fx).moments(tx, false).logZ();
        double ly = new ExpFamilyDensity(Domain.interval(-1, 2), fy).moments(ty, false).logZ();
        assertRel(lx + ly, mo.logZ(), 1e-10, "ln Z of a separable density");
        // with a coupling term, against the independent brute-force integrator
        theta[f.size() - 1] = 1.3;
        Moments coupled = m.moments(theta, false);
        double[] e = Quadrature.expectations(box, (x, y) -> m.potential(theta, x, y), 1.0, (x, y) -> Math.exp(-m.potential(theta, x, y)) * 0 + 1);
        assertEquals(1, e[0], 1e-14);
        int last = f.size() - 1;
        double[] mean = Quadrature.expectations(box, (x, y) -> m.potential(theta, x, y), 1.0, (x, y) -> {
            int[] idx = new int[f.maxNonZero()];
            double[] val = new double[f.maxNonZero()];
            int n = f.evaluate(x, y, idx, val);
            for (int k = 0; k < n; k++) {
                if (idx[k] == last) {
                    return val[k];
                }
            }
            return 0;
        });
        assertRel(mean[0], coupled.mean()[last], 1e-10, "<P2(x) P2(y)> with coupling");
    }

    @Test
    void modelsThatCannotBeNormalizedAreClearErrors() {
        Domain line = Domain.parse("interval:-inf,inf");
        NotNormalizableException e1 = assertThrows(NotNormalizableException.class,
                () -> new ExpFamilyDensity(line, Features.of(Bases.parse("bspline:8:-1,1", -1, 1))));
        assertTrue(e1.getMessage().contains("cannot be normalized"), e1.getMessage());
        ExpFamilyDensity m = new ExpFamilyDensity(line, Features.of(Bases.parse("legendre:3:-1,1", -1, 1)));
        NotNormalizableException e2 = assertThrows(NotNormalizableException.class, () -> m.moments(new double[] {0, 1, 0.5}, false));
        assertTrue(e2.getMessage().contains("unbounded below"), e2.getMessage());
        assertThrows(NotNormalizableException.class, () -> m.moments(new double[] {0, -1, 0}, false));
        assertThrows(NotNormalizableException.class, () -> m.moments(new double[] {0, 0, 0}, false));
        ExpFamilyDensity c = new ExpFamilyDensity(Domain.circle(), Features.of(Bases.parse("cosine:1", 0, 2 * Math.PI)));
        assertThrows(NotNormalizableException.class, () -> c.moments(new double[] {Double.NaN}, false));
        // a bounded domain with a huge but finite potential is still fine (no overflow to NaN)
        double k = 5000;
        Moments big = c.moments(new double[] {-k}, false);
        // ln(2 pi I0(k)) from the large-k expansion I0(k) ~ e^k / sqrt(2 pi k) (1 + 1/(8k) + 9/(128 k^2))
        double expected = k + Math.log(2 * Math.PI) - 0.5 * Math.log(2 * Math.PI * k) + Math.log(1 + 1 / (8 * k) + 9 / (128 * k * k));
        assertRel(expected, big.logZ(), 1e-12, "ln Z at kappa 5000");
    }

    @Test
    void fitsOnUnboundedDomainsRecoverTheMaximumLikelihoodEstimate() {
        // whole line, legendre:2 = Gaussian family: the MLE is the sample mean and (biased) variance
        double[] xs = {-1.2, 0.3, 0.8, 2.5, 1.1, -0.4, 0.9};
        double mean = 0;
        for (double x : xs) {
            mean += x / xs.length;
        }
        double var = 0;
        for (double x : xs) {
            var += (x - mean) * (x - mean) / xs.length;
        }
        ExpFamilyDensity g = new ExpFamilyDensity(Domain.parse("interval:-inf,inf"), Features.of(Bases.parse("legendre:2:-1,1", -1, 1)));
        double[] target = {mean, 0};
        for (double x : xs) {
            target[1] += (1.5 * x * x - 0.5) / xs.length;
        }
        DensityFit.Result r = DensityFit.fit(g, target, xs.length, org.remcg.optimize.Regularizer.none(), new org.remcg.optimize.NewtonOptimizer());
        Moments mo = g.moments(r.theta(), true);
        assertRel(mean, mo.mean()[0], 1e-10, "model mean");
        assertRel(var, mo.cov(0, 0), 1e-9, "model variance");
        assertTrue(r.optimization().iterations() <= 6, "iterations " + r.optimization().iterations());
        // half line, legendre:1 = exponential family: the MLE rate is 1 / mean
        ExpFamilyDensity e = new ExpFamilyDensity(Domain.parse("interval:0,inf"), Features.of(Bases.parse("legendre:1:0,2", 0, 2)));
        double meanX = 0.37;
        DensityFit.Result re = DensityFit.fit(e, new double[] {meanX - 1}, 10, org.remcg.optimize.Regularizer.none(), new org.remcg.optimize.NewtonOptimizer());
        assertRel(1 / meanX, re.theta()[0], 1e-10, "exponential rate");
        NotNormalizableException odd = assertThrows(NotNormalizableException.class, () -> DensityFit.fit(
                new ExpFamilyDensity(Domain.parse("interval:-inf,inf"), Features.of(Bases.parse("legendre:3:-1,1", -1, 1))),
                new double[] {0.1, 0.2, 0.0}, 10, org.remcg.optimize.Regularizer.none(), new org.remcg.optimize.NewtonOptimizer()));
        assertTrue(odd.getMessage().contains("even"), odd.getMessage());
    }
}
