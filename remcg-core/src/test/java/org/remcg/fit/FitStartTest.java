package org.remcg.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.io.DataFormatException;
import org.remcg.model.CubicBSpline;
import org.remcg.units.Units;

class FitStartTest {
    static final double KT = Units.KB * 300;

    /** A soft LJ-like pair potential in kJ/mol (sigma 0.3 nm, epsilon 1 kJ/mol), zero beyond 0.9 nm. */
    static double u(double r) {
        double s6 = Math.pow(0.3 / r, 6);
        return 4 * 1.0 * (s6 * s6 - s6);
    }

    static TargetDistribution dilute() {
        int n = 451;
        double[] r = new double[n];
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = 0.001 + 0.002 * i;
            g[i] = Math.exp(-u(r[i]) / KT);
        }
        return new TargetDistribution(r, g);
    }

    @Test
    void boltzmannInversionOfADiluteGasRecoversThePotentialAndBuildsTheWalls() {
        CubicBSpline basis = new CubicBSpline(40, 0.0, 0.9);
        BoltzmannInversion.Start s = BoltzmannInversion.invert(basis, dilute(), KT, BoltzmannInversion.Jacobian.NONE, true, 1e-3, 3 * KT);
        double[] val = new double[4];
        // where g > 0.2 the dilute-gas inversion is exact; the residual is the cubic spline's
        // approximation error of the steep LJ wall at h = 0.024 nm (h^4 U''''/384 ~ 0.02 kT at
        // 0.28 nm) plus the cut-off mismatch (U(0.9 nm) = -0.0055 kJ/mol is forced to 0)
        double worst = 0;
        for (double r = 0.27; r < 0.88; r += 0.001) {
            if (Math.exp(-u(r) / KT) > 0.2) {
                worst = Math.max(worst, Math.abs(u(r) - basis.combine(s.theta(), r, val)));
            }
        }
        System.out.printf("Boltzmann inversion, 40 knots: largest error where g > 0.2: %.4f kT%n", worst / KT);
        assertTrue(worst < 0.05 * KT, "largest error " + worst / KT + " kT");
        // the potential ends at exactly zero at the cutoff, and the last three coefficients are fixed
        assertEquals(0.0, basis.combine(s.theta(), 0.9, val), 0.0);
        for (int k = 37; k < 40; k++) {
            assertEquals(-1, s.tie()[k]);
        }
        // below the data the wall rises monotonically by at least 3 kT per knot
        assertTrue(s.firstInformed() > 0);
        for (int k = s.firstInformed() - 1; k >= 0; k--) {
            assertEquals(0, s.tie()[k]);
            assertTrue(s.theta()[k] - s.theta()[k + 1] >= 3 * KT - 1e-9, "wall at " + k);
        }
    }

    /**
     * Bins wider than the knot spacing (100 B-splines from 0.2 to 0.9 nm, 0.0072 nm apart, on 0.01 nm bins) and a
     * potential that does not vanish at the cutoff (a -0.15 kT tail, as an HNC inversion's truncated c(r) gives): with
     * one data point per bin the least squares met the pinned zero at the cutoff with a 2.4 kT spike 0.02 nm before
     * it. Fitted on sub-bins of the reconstruction the potential follows the source to the last knot intervals.
     */
    @Test
    void binsWiderThanTheKnotsDoNotLeaveTheFitToItsSmoothing() {
        CubicBSpline basis = new CubicBSpline(100, 0.2, 0.9);
        int n = 120;
        double[] e = new double[n + 1];
        double[] g = new double[n];
        for (int i = 0; i <= n; i++) {
            e[i] = 0.01 * i;
        }
        java.util.function.DoubleUnaryOperator us = r -> r < 0.24 ? 30 * KT : -0.15 * KT + 0.5 * KT * Math.exp(-(r - 0.3) / 0.05);
        for (int i = 0; i < n; i++) {
            double r = 0.005 + 0.01 * i;
            g[i] = r < 0.24 ? 0 : Math.exp(-us.applyAsDouble(r) / KT);
        }
        TargetDistribution target = TargetDistribution.histogram(e, g, TargetDistribution.Weight.SHELL);
        BoltzmannInversion.Start s = BoltzmannInversion.invert(basis, target, KT, BoltzmannInversion.Jacobian.NONE, true, 1e-3, 3 * KT);
        double[] val = new double[4];
        double worst = 0;
        double at = 0;
        for (double r = 0.3; r < 0.86; r += 0.001) {
            double d = Math.abs(basis.combine(s.theta(), r, val) - us.applyAsDouble(r));
            if (d > worst) {
                worst = d;
                at = r;
            }
        }
        System.out.printf("Boltzmann inversion, 100 knots on 0.01 nm bins: largest error 0.30-0.86 nm %.4f kT at %.3f nm%n", worst / KT, at);
        assertTrue(worst < 0.1 * KT, "largest error " + worst / KT + " kT at " + at);
    }

    /**
     * Bonded terms: the inversion divides out the Jacobian (r^2 for bonds, sin for angles) and so
     * recovers a harmonic potential from its exact distribution; the additive constant, a null
     * direction of the fit, is fixed by exactly one coefficient, at the distribution's peak.
     */
    @Test
    void bondedInversionDividesTheJacobianAndFixesTheConstant() {
        double[] val = new double[4];
        // bond: U = k/2 (r - 0.3)^2, p(r) ~ r^2 exp(-U/kT); angle: U = k/2 (t - 2)^2, p ~ sin t exp(-U/kT)
        Object[][] cases = {
            {new CubicBSpline(16, 0.2, 0.4), BoltzmannInversion.Jacobian.R2, 5000.0, 0.3},
            {new CubicBSpline(20, 0.0, Math.PI), BoltzmannInversion.Jacobian.SINE, 30.0, 2.0}};
        for (Object[] c : cases) {
            CubicBSpline basis = (CubicBSpline) c[0];
            BoltzmannInversion.Jacobian jac = (BoltzmannInversion.Jacobian) c[1];
            double k = (Double) c[2];
            double x0 = (Double) c[3];
            int n = 1001;
            double[] x = new double[n];
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = basis.lower() + (basis.upper() - basis.lower()) * i / (n - 1);
                double j = jac == BoltzmannInversion.Jacobian.R2 ? x[i] * x[i] : Math.sin(x[i]);
                p[i] = j * Math.exp(-0.5 * k * (x[i] - x0) * (x[i] - x0) / KT);
            }
            BoltzmannInversion.Start s = BoltzmannInversion.invert(basis, new TargetDistribution(x, p), KT, jac, false, 1e-3, 3 * KT);
            // shape: U(x) - U(x0) is the harmonic within 0.01 kT where p > 0.2 of its peak
            double u0 = basis.combine(s.theta(), x0, val);
            double pmax = 0;
            for (double v : p) {
                pmax = Math.max(pmax, v);
            }
            for (int i = 0; i < n; i++) {
                if (p[i] > 0.2 * pmax) {
                    double want = 0.5 * k * (x[i] - x0) * (x[i] - x0);
                    assertEquals(want, basis.combine(s.theta(), x[i], val) - u0, 0.01 * KT, jac + " at " + x[i]);
                }
            }
            // gauge: exactly one coefficient with the data is fixed, it holds its inverted value, and it sits at the peak
            int fixed = -1;
            for (int q = s.firstInformed(); q <= s.lastInformed(); q++) {
                if (s.tie()[q] < 0) {
                    assertEquals(-1, fixed, jac + ": more than one fixed coefficient");
                    fixed = q;
                }
            }
            assertTrue(fixed >= 0, jac + ": no coefficient fixes the constant");
            assertEquals(s.theta()[fixed], s.offset()[fixed], 0.0);
            // B_k peaks at lower + (k - 1) h; the distribution's peak is within a few hundredths of x0 here
            double centre = basis.lower() + (fixed - 1) * basis.knotSpacing();
            assertTrue(Math.abs(centre - x0) <= 1.5 * basis.knotSpacing(), jac + ": fixed function centred at " + centre);
            int slots = 0;
            for (int q = 0; q < basis.size(); q++) {
                slots = Math.max(slots, s.tie()[q] + 1);
            }
            assertEquals(s.free(), slots, "free parameters numbered 0..free-1");
            assertEquals(s.lastInformed() - s.firstInformed(), s.free(), "informed functions minus the fixed one");
        }
    }

    @Test
    void featureAveragesFromDistributions() {
        CubicBSpline basis = new CubicBSpline(20, 0.0, 1.0);
        // g = 1: the features sum to one on [0, rc], so their averages sum to the ideal pair count within rc
        TargetDistribution flat = TargetDistribution.histogram(new double[] {0, 0.5, 1.0}, new double[] {1, 1}, TargetDistribution.Weight.SHELL);
        double[] phi = DistributionTargets.pair(basis, flat, 1.0, 10.0);
        double sum = 0;
        for (double p : phi) {
            sum += p;
        }
        assertEquals(10.0 * 4.0 / 3.0 * Math.PI, sum, 1e-9);
        // a Gaussian bond distribution against exact samples: averages agree within 4 standard errors
        int n = 401;
        double[] x = new double[n];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 0.2 + 0.2 * i / (n - 1);
            p[i] = Math.exp(-0.5 * Math.pow((x[i] - 0.3) / 0.015, 2));
        }
        double[] bond = DistributionTargets.bonded(new CubicBSpline(12, 0.2, 0.4), new TargetDistribution(x, p), 3);
        SplittableRandom rng = new SplittableRandom(4);
        CubicBSpline b = new CubicBSpline(12, 0.2, 0.4);
        int samples = 200_000;
        double[] mean = new double[12];
        double[] sq = new double[12];
        double[] v = new double[12];
        for (int s = 0; s < samples; s++) {
            b.values(0.3 + 0.015 * rng.nextGaussian(), v);
            for (int k = 0; k < 12; k++) {
                mean[k] += 3 * v[k] / samples;
                sq[k] += 9 * v[k] * v[k] / samples;
            }
        }
        for (int k = 0; k < 12; k++) {
            double se = Math.sqrt(Math.max(0, sq[k] - mean[k] * mean[k]) / samples);
            assertEquals(mean[k], bond[k], 4 * se + 1e-4 * Math.abs(mean[k]) + 1e-8, "feature " + k);
        }
    }

    @Test
    void targetFilesReadXvgAndRejectBadRows(@TempDir Path dir) throws Exception {
        Path ok = dir.resolve("rdf.xvg");
        Files.writeString(ok, "# gmx rdf\n@ title \"x\"\n@TYPE xy\n0.0 0.0 9\n0.1, 0.5\n\n0.2 1.0\n");
        TargetDistribution d = TargetDistribution.read(ok);
        assertEquals(3, d.x().length);
        assertEquals(0.15, d.edges()[2], 1e-12);     // bins centred on x
        assertEquals(0.0, d.at(0.26), 0.0);          // outside the last bin
        assertEquals(1.5 * 0.1, d.cumulative(0.25), 1e-12);
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "r,g\n0.0 1\n0.1 x\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> TargetDistribution.read(bad));
        assertTrue(e.getMessage().contains("bad.txt:3"), e.getMessage());
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "# nothing\n");
        assertTrue(assertThrows(DataFormatException.class, () -> TargetDistribution.read(empty)).getMessage().contains("no data rows"));
        Path back = dir.resolve("back.txt");
        Files.writeString(back, "0.1 1\n0.05 1\n");
        assertTrue(assertThrows(DataFormatException.class, () -> TargetDistribution.read(back)).getMessage().contains("back.txt:2"));
    }

}
