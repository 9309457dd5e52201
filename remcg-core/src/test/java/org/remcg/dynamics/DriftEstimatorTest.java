package org.remcg.dynamics;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriftEstimatorTest {

    static DriftBasis basis(String spec) {
        return DriftBasis.parse(spec, 1, new double[][] {{-3, 3}});
    }

    /**
     * Double well (ratio 4), exact CG drift: the fitted b agrees with b*(y) = E[A | y] by quadrature
     * within 4 jackknife standard errors (plus 1e-3 for the spline approximation) wherever the data
     * are dense, and b* itself equals the PMF-gradient drift -F'(y) (quadrature, central differences).
     */
    @Test
    void exactDriftFitMatchesQuadrature() {
        SdeSystem s = ModelSystems.doubleWell(4);
        Trajectory tr = SdeIntegrator.run(s, SdeIntegrator.Scheme.WEAK2, null, 1e-3, 2_000_000, 10, 21, true);
        CgData data = CgData.map(tr, CgMap.parseAll("x1"), s.diffusion());
        DriftEstimator.Result r = DriftEstimator.fitExact(data, basis("bspline:24:-2.5,2.5"), DriftEstimator.Options.defaults());
        double[] b = new double[1];
        double[] e = new double[1];
        double maxZ = 0;
        for (double y = -1.5; y <= 1.5; y += 0.05) {
            r.drift().evaluate(y, 0, b, e);
            double exact = ModelSystems.doubleWellOptimalDrift(y);
            double h = 1e-4;
            double pmfDrift = -(ModelSystems.doubleWellPmf(y + h) - ModelSystems.doubleWellPmf(y - h)) / (2 * h);
            assertEquals(exact, pmfDrift, 1e-6, "b* = -F' at y = " + y);
            assertTrue(e[0] > 0 && e[0] < 0.3, "error bar " + e[0]);
            assertEquals(exact, b[0], 4 * e[0] + 1e-3, "y = " + y);
            maxZ = Math.max(maxZ, Math.abs(b[0] - exact) / e[0]);
        }
        // Sigma = 2 D1 = 2 for the map x1
        assertEquals(2.0, r.meanSigma()[0], 1e-9);
        assertEquals(2.0, r.diffusion().value(0.3, 0), 1e-6);
        assertTrue(maxZ > 0.05, "error bars implausibly large: max z = " + maxZ);
        // the PMF-gradient drift -D1 F' from positions alone (score matching) agrees as well
        BasisField pmf = DriftAnalysis.pmfGradientDrift(data, basis("bspline:24:-2.5,2.5"), 1.0, 0, 0, 32);
        for (double y = -1.5; y <= 1.5; y += 0.1) {
            pmf.evaluate(y, 0, b, e);
            assertEquals(ModelSystems.doubleWellOptimalDrift(y), b[0], 4 * e[0] + 1e-3, "PMF drift at y = " + y);
        }
    }

    /** Exact OU discretization Y' = e^{-k h} Y + noise at spacing h = 0.1, 10^6 frames. */
    static CgData exactOu(double k, double dcoef, double h, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double f = Math.exp(-k * h);
        double sd = Math.sqrt(dcoef / k * (1 - f * f));
        double[] t = new double[n];
        double[] y = new double[n];
        y[0] = rng.nextGaussian() * Math.sqrt(dcoef / k);
        for (int i = 1; i < n; i++) {
            t[i] = i * h;
            y[i] = f * y[i - 1] + sd * rng.nextGaussian();
        }
        return new CgData(1, t, y, null, null, new double[] {0}, new String[] {"x1"});
    }

    /**
     * Increments of an OU process (k = 1, D = 1, spacing h = 0.1): the raw fit estimates
     * E[dY | y] / h = (e^{-k h} - 1) / h * y (slope -0.9516, 5 % biased), Richardson between lags 1
     * and 2 gives 2 r(h) - r(2h) = -0.9969; the quadratic variation gives
     * ((e^{-kh} - 1)^2 D/k + D/k (1 - e^{-2kh})) / h. Each within 4 of its standard errors.
     */
    @Test
    void incrementsBiasAndRichardson() {
        double k = 1;
        double dcoef = 1;
        double h = 0.1;
        CgData data = exactOu(k, dcoef, h, 1_000_000, 7);
        DriftBasis b = basis("legendre:1:-6,6");
        DriftEstimator.Options o = DriftEstimator.Options.defaults();
        DriftEstimator.Result raw = DriftEstimator.fitIncrements(data, b, h, 1, false, o);
        DriftEstimator.Result rich = DriftEstimator.fitIncrements(data, b, h, 1, true, o);
        double r1 = (Math.exp(-k * h) - 1) / h;
        double r2 = (Math.exp(-2 * k * h) - 1) / (2 * h);
        // legendre:1 on [-6, 6]: b = c0 P1(y / 6) + c1 => slope = c0 / 6
        double slopeRaw = raw.drift().coefficients()[0] / 6;
        double seRaw = Math.sqrt(raw.drift().covariance()[0]) / 6;
        double slopeRich = rich.drift().coefficients()[0] / 6;
        double seRich = Math.sqrt(rich.drift().covariance()[0]) / 6;
        assertTrue(seRaw < 0.01, "se " + seRaw);
        assertEquals(r1, slopeRaw, 4 * seRaw);
        assertEquals(2 * r1 - r2, slopeRich, 4 * seRich);
        assertTrue(Math.abs(slopeRaw + k) > 6 * seRaw, "the raw bias must be visible");
        double qv = ((Math.exp(-k * h) - 1) * (Math.exp(-k * h) - 1) * dcoef / k + dcoef / k * (1 - Math.exp(-2 * k * h))) / h;
        // relative standard error of a mean of 10^6 squared Gaussian increments: sqrt(2 / 10^6)
        assertEquals(qv, raw.meanSigma()[0], 4 * Math.sqrt(2e-6) * qv);
    }

    /** Blocks are accumulated in parallel but summed in order: the fit is bit-identical for 1 and 2 threads. */
    @Test
    void fitDoesNotDependOnThreadCount() {
        CgData data = exactOu(1, 1, 0.1, 200_000, 5);
        DriftBasis b = basis("bspline:20:-6,6");
        DriftEstimator.Options one = new DriftEstimator.Options(0, 1e-3, 16, 4, null, new double[] {0, 1e-3}, 1);
        DriftEstimator.Options two = new DriftEstimator.Options(0, 1e-3, 16, 4, null, new double[] {0, 1e-3}, 2);
        DriftEstimator.Result r1 = DriftEstimator.fitIncrements(data, b, 0.1, 1, true, one);
        DriftEstimator.Result r2 = DriftEstimator.fitIncrements(data, b, 0.1, 1, true, two);
        org.junit.jupiter.api.Assertions.assertArrayEquals(r1.drift().coefficients(), r2.drift().coefficients());
        org.junit.jupiter.api.Assertions.assertArrayEquals(r1.drift().covariance(), r2.drift().covariance());
    }

    @Test
    void basisRangeMissingTheDataIsAnError() {
        CgData data = exactOu(1, 1, 0.1, 10_000, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DriftEstimator.fitIncrements(data, basis("bspline:10:-1,1"), 0.1, 1, false, DriftEstimator.Options.defaults()));
        assertTrue(e.getMessage().contains("outside the basis range"), e.getMessage());
    }

    /** B-splines far beyond the data have no data: the automatic ridge is reported and b stays finite. */
    @Test
    void emptyBasisFunctionsGetAStatedRidge() {
        CgData data = exactOu(1, 1, 0.1, 100_000, 4);
        DriftEstimator.Result r = DriftEstimator.fitIncrements(data, basis("bspline:40:-30,30"), 0.1, 1, false, DriftEstimator.Options.defaults());
        assertTrue(r.autoRidge() > 0);
        for (double c : r.drift().coefficients()) {
            assertTrue(Double.isFinite(c));
        }
    }

    /**
     * Blocked cross-validation on a noisy, small data set with a large basis prefers a roughness
     * penalty: its held-out loss is below that of the unpenalized fit.
     */
    @Test
    void crossValidationPrefersSmoothingForNoisyData() {
        CgData data = exactOu(1, 1, 0.1, 20_000, 9);
        DriftEstimator.Options o = DriftEstimator.Options.defaults().withCv(5, new double[] {0}, new double[] {0, 1e-3, 1e-2, 1e-1, 1});
        DriftEstimator.Result r = DriftEstimator.fitIncrements(data, basis("bspline:40:-5,5"), 0.1, 1, false, o);
        assertEquals(5, r.cv().size());
        assertTrue(r.roughness() > 0, "chosen roughness " + r.roughness());
        double none = r.cv().get(0).meanLoss();
        double best = r.cv().stream().mapToDouble(DriftEstimator.CvScore::meanLoss).min().orElseThrow();
        assertTrue(best < none);
    }
}
