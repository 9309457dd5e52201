package org.remcg.density;

import org.junit.jupiter.api.Test;
import org.remcg.model.Bases;
import org.remcg.model.Features;
import org.remcg.observe.FeatureBlocks;
import org.remcg.optimize.NewtonOptimizer;
import org.remcg.optimize.Regularizer;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worked examples of the theory text, run on the exact (quadrature) REM core. */
class SeedExamplesTest {

    /** I1(k)/I0(k) by their power series (independent of the code under test). */
    static double besselRatio(double k) {
        double i0 = 0;
        double i1 = 0;
        double term0 = 1;              // (k/2)^{2j} / (j!)^2
        for (int j = 0; j < 200; j++) {
            if (j > 0) {
                term0 *= (k / 2) * (k / 2) / ((double) j * j);
            }
            i0 += term0;
            i1 += term0 * (k / 2) / (j + 1);
        }
        return i1 / i0;
    }

    static double logI0(double k) {
        double s = 0;
        double t = 1;
        for (int j = 0; j < 200; j++) {
            if (j > 0) {
                t *= (k / 2) * (k / 2) / ((double) j * j);
            }
            s += t;
        }
        return Math.log(s);
    }

    static DensityFit.Result fit(Domain d, String basis, double[] xs) {
        Features f = Features.of(Bases.parse(basis, d.xmin(), d.xmax()));
        ExpFamilyDensity model = new ExpFamilyDensity(d, f);
        FeatureBlocks blocks = new FeatureBlocks(f.size());
        int[] idx = new int[f.maxNonZero()];
        double[] val = new double[f.maxNonZero()];
        for (double x : xs) {
            int n = f.evaluate(d.wrap(x), 0, idx, val);
            blocks.add(n, idx, val);
        }
        return DensityFit.fit(model, blocks.mean(), blocks.count(), Regularizer.none(), new NewtonOptimizer());
    }

    @Test
    void overfittingFourAngles() {
        double a = 0.5 * Math.acos(0.25);
        double[] angles = {a, Math.PI - a, Math.PI + a, -a};
        // the data: mean cos = 0, mean cos 2x = 1/4
        double c1 = 0;
        double c2 = 0;
        for (double x : angles) {
            c1 += Math.cos(x) / 4;
            c2 += Math.cos(2 * x) / 4;
        }
        assertEquals(0, c1, 1e-15);
        assertEquals(0.25, c2, 1e-15);

        DensityFit.Result one = fit(Domain.circle(), "cosine:1", angles);
        DensityFit.Result two = fit(Domain.circle(), "cosine:2", angles);
        assertEquals(0, one.theta()[0], 1e-12, "cosine:1 parameter");
        assertTrue(one.optimization().gradientNorm() < 1e-10);
        assertTrue(two.optimization().gradientNorm() < 1e-10);
        assertTrue(two.optimization().iterations() <= 8, "Newton iterations: " + two.optimization().iterations());

        double k1 = two.theta()[0];
        double k2 = two.theta()[1];
        assertEquals(0, k1, 1e-12);
        // p ~ exp(-k2 cos 2x): <cos 2x> = -I1(k2)/I0(k2) must equal the data's 1/4
        assertTrue(k2 < 0, "cos 2x coefficient " + k2);
        assertEquals(0.25, besselRatio(-k2), 1e-12, "Bessel-ratio stationarity");

        // training likelihood: richer model is higher
        assertTrue(two.trainLogLikelihood() > one.trainLogLikelihood());
        assertEquals(-Math.log(2 * Math.PI), one.trainLogLikelihood(), 1e-12);
        // exact KL from the true uniform density: ln Z(theta) - ln 2 pi (E_uniform[cos k x] = 0)
        double klOne = one.logZ() - Math.log(2 * Math.PI);
        double klTwo = two.logZ() - Math.log(2 * Math.PI);
        assertEquals(0, klOne, 1e-12);
        assertEquals(logI0(-k2), klTwo, 1e-11);
        assertTrue(klTwo > 1e-3, "KL of the overfitted model " + klTwo);
    }

    @Test
    void vonMisesRecoveredWithinStandardError() {
        double kappa = 2.0;
        double mu = 1.0;
        // exact samples from the true model through the library's sampler
        Domain d = Domain.circle();
        Features f = Features.of(Bases.parse("fourier:1", d.xmin(), d.xmax()));
        ExpFamilyDensity truth = new ExpFamilyDensity(d, f);
        double[] thetaTrue = {-kappa * Math.cos(mu), -kappa * Math.sin(mu)};
        ExactSampler sampler = new ExactSampler(truth, thetaTrue);
        int n = 10_000;
        double[] xs = new double[n];
        sampler.sample(new SplittableRandom(42), n, xs, null);
        DensityFit.Result r = fit(d, "fourier:1", xs);
        for (int i = 0; i < 2; i++) {
            double z = (r.theta()[i] - thetaTrue[i]) / r.standardErrors()[i];
            assertTrue(Math.abs(z) < 3, "parameter " + i + ": " + r.theta()[i] + " vs " + thetaTrue[i] + " (z = " + z + ")");
        }
        assertEquals(Math.log(2 * Math.PI) + logI0(kappa), truth.moments(thetaTrue, false).logZ(), 1e-12);
    }

    @Test
    void predictedUncertaintyOfTheDensityMatchesReplicaScatter() {
        // 40 independent data sets of 2000 von Mises samples; the scatter of the fitted ln p at a
        // few points across replicas must match the asymptotic standard error. The sample sd of 40
        // replicas has a relative error of 1/sqrt(2 * 39) ~ 11 %: allow 35 %.
        Domain d = Domain.circle();
        Features f = Features.of(Bases.parse("fourier:2", d.xmin(), d.xmax()));
        ExpFamilyDensity truth = new ExpFamilyDensity(d, f);
        double[] thetaTrue = {-1.5, 0.4, 0.3, 0};
        ExactSampler sampler = new ExactSampler(truth, thetaTrue);
        SplittableRandom rng = new SplittableRandom(2024);
        double[] points = {0.3, 2.0, 4.0};
        int reps = 40;
        double[][] lnp = new double[points.length][reps];
        double[] predicted = new double[points.length];
        double[] xs = new double[2000];
        for (int r = 0; r < reps; r++) {
            sampler.sample(rng, xs.length, xs, null);
            DensityFit.Result fit = fit(d, "fourier:2", xs);
            for (int p = 0; p < points.length; p++) {
                lnp[p][r] = truth.logDensity(fit.theta(), fit.logZ(), points[p], 0);
                if (r == 0) {
                    predicted[p] = fit.logDensityStandardError(points[p], 0);
                }
            }
        }
        for (int p = 0; p < points.length; p++) {
            double mean = 0;
            for (double v : lnp[p]) {
                mean += v / reps;
            }
            double var = 0;
            for (double v : lnp[p]) {
                var += (v - mean) * (v - mean) / (reps - 1);
            }
            double sd = Math.sqrt(var);
            assertEquals(predicted[p], sd, 0.35 * predicted[p], "ln p at " + points[p] + ": predicted " + predicted[p] + ", replicas " + sd);
        }
    }
}
