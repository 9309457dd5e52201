package org.remcg.density;

import org.junit.jupiter.api.Test;
import org.remcg.model.Bases;
import org.remcg.model.Features;
import org.remcg.model.Roughness;
import org.remcg.observe.FeatureBlocks;
import org.remcg.optimize.CrossValidation;
import org.remcg.optimize.NewtonOptimizer;
import org.remcg.optimize.Regularizer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed example (c): a 1-D double well recovered with B-splines, basis size chosen by cross-validation. */
class DoubleWellTest {
    static final Domain DOMAIN = Domain.interval(-2, 2);
    static final double H = 3.0;          // barrier height in kT
    static final int N = 10_000;
    static final int[] SIZES = {5, 6, 8, 10, 14, 20, 28, 40};

    static double trueU(double x) {
        double s = x * x - 1;
        return H * s * s;
    }

    /** Exact samples of exp(-U_true): U_true is itself a quartic, i.e. legendre:4 on [-2, 2]. */
    static double[] samples(long seed) {
        ExpFamilyDensity truth = new ExpFamilyDensity(DOMAIN, Features.of(Bases.parse("legendre:4", -2, 2)));
        // U = 3 (x^2-1)^2 with x = 2 s: 48 s^4 - 24 s^2 + 3; s^4 = (8 P4 + 20 P2 + 7)/35, s^2 = (2 P2 + 1)/3
        double[] theta = {0, 48 * 20.0 / 35 - 24 * 2.0 / 3, 0, 48 * 8.0 / 35};
        double[] xs = new double[N];
        new ExactSampler(truth, theta).sample(new SplittableRandom(seed), N, xs, null);
        for (double x : new double[] {-1.5, 0.3, 1.7}) {
            assertEquals(trueU(x) - trueU(0), truth.potential(theta, x, 0) - truth.potential(theta, 0, 0), 1e-12);
        }
        return xs;
    }

    static FeatureBlocks blocks(Features f, double[] xs) {
        FeatureBlocks b = new FeatureBlocks(f.size());
        int[] idx = new int[f.maxNonZero()];
        double[] val = new double[f.maxNonZero()];
        for (double x : xs) {
            b.add(f.evaluate(x, 0, idx, val), idx, val);
        }
        return b;
    }

    /** Exact D_KL(truth || model) by quadrature. */
    static double exactKl(ExpFamilyDensity model, double[] theta, double logZ) {
        double[] e = Quadrature.expectations(DOMAIN, (x, y) -> trueU(x), 1.0, (x, y) -> model.potential(theta, x, 0) - trueU(x));
        double logZTrue = Math.log(integrateTrue());
        return e[0] + logZ - logZTrue;
    }

    static double integrateTrue() {
        double[] one = Quadrature.expectations(DOMAIN, (x, y) -> 0.0, 1.0, (x, y) -> Math.exp(-trueU(x)));
        return one[0] * 4.0;
    }

    @Test
    void recoveredAndSizeChosenByCrossValidation() {
        double[] xs = samples(7);
        NewtonOptimizer opt = new NewtonOptimizer();
        List<CrossValidation.Candidate> cands = new ArrayList<>();
        double[] kl = new double[SIZES.length];
        for (int c = 0; c < SIZES.length; c++) {
            Features f = Features.of(Bases.parse("bspline:" + SIZES[c], -2, 2));
            ExpFamilyDensity model = new ExpFamilyDensity(DOMAIN, f);
            FeatureBlocks b = blocks(f, xs);
            cands.add(new CrossValidation.Candidate("bspline:" + SIZES[c], f.size(), 0, b, model,
                    (mean, count) -> DensityFit.fit(model, mean, count, Regularizer.none(), opt).theta()));
            DensityFit.Result r = DensityFit.fit(model, b.mean(), b.count(), Regularizer.none(), opt);
            assertTrue(r.optimization().gradientNorm() < 1e-10);
            // splines at the domain ends with (almost) no data are tied to their neighbours, so
            // Newton from the Boltzmann-inversion start needs only a handful of steps
            int maxIt = 8;
            // a tie group matches its summed moment; untied features match their own
            double[] data = b.mean();
            for (int i = 0; i < f.size(); i++) {
                if (r.tie()[i] != i) {
                    continue;
                }
                double sd = 0;
                double sm = 0;
                for (int j = 0; j < f.size(); j++) {
                    if (r.tie()[j] == i) {
                        sd += data[j];
                        sm += r.modelMean()[j];
                    }
                }
                assertEquals(sd, sm, 1e-10, "moment of group " + i + " at K=" + SIZES[c]);
            }
            assertTrue(r.optimization().iterations() <= maxIt, "K=" + SIZES[c] + " iterations " + r.optimization().iterations());
            System.out.println("K=" + SIZES[c] + " iterations " + r.optimization().iterations() + " frozen " + r.frozen());
            kl[c] = exactKl(model, r.theta(), r.logZ());
        }
        CrossValidation.Outcome out = CrossValidation.run(cands, 5, 1.0);
        int chosen = out.chosen();
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < SIZES.length; c++) {
            sb.append(String.format("%n  K=%d  cv=%.5f +- %.5f  KL=%.2e", SIZES[c], out.scores().get(c).mean(), out.scores().get(c).standardError(), kl[c]));
        }
        String table = sb.toString();
        assertTrue(chosen < SIZES.length - 1, "CV chose the largest basis:" + table);
        // The MLE's KL from the truth is ~ chi^2_m / (2N) when the basis can represent the well:
        // mean m/(2N), sd sqrt(2m)/(2N). The chosen size must be within 4 sd of that (no large bias).
        int m = SIZES[chosen];
        double bound = (m + 4 * Math.sqrt(2.0 * m)) / (2.0 * N);
        assertTrue(kl[chosen] < bound, "chosen K=" + m + " KL " + kl[chosen] + " > " + bound + table);
        // The smallest basis cannot represent the well: cross-validation must reject it
        assertTrue(out.scores().get(0).mean() < out.best().mean(), table);
        System.out.println("double-well CV:" + table + "\n chosen " + SIZES[chosen]);
    }

    @Test
    void roughnessPenaltyShrinksCurvature() {
        double[] xs = samples(11);
        Features f = Features.of(Bases.parse("bspline:40", -2, 2));
        ExpFamilyDensity model = new ExpFamilyDensity(DOMAIN, f);
        FeatureBlocks b = blocks(f, xs);
        double[] r = Roughness.matrix(f);
        NewtonOptimizer opt = new NewtonOptimizer();
        DensityFit.Result free = DensityFit.fit(model, b.mean(), b.count(), Regularizer.none(), opt);
        DensityFit.Result smooth = DensityFit.fit(model, b.mean(), b.count(), new Regularizer(0, 1e-3, r), opt);
        assertTrue(smooth.optimization().gradientNorm() < 1e-10);
        double rf = new Regularizer(0, 1, r).value(free.theta());
        double rs = new Regularizer(0, 1, r).value(smooth.theta());
        assertTrue(rs < 0.5 * rf, "roughness " + rs + " vs " + rf);
        // the smoothed fit is closer to the smooth truth than the unpenalized 40-knot fit
        assertTrue(exactKl(model, smooth.theta(), smooth.logZ()) < exactKl(model, free.theta(), free.logZ()));
    }

    @Test
    void startingFromZeroReachesTheSameOptimum() {
        // on [-1.6, 1.6] every spline has plenty of data, so no feature is tied and the
        // Boltzmann-inversion start must lead to the plain maximum-likelihood optimum
        Domain inner = Domain.interval(-1.6, 1.6);
        double[] xs = java.util.Arrays.stream(samples(7)).filter(x -> Math.abs(x) <= 1.6).toArray();
        Features f = Features.of(Bases.parse("bspline:8", -1.6, 1.6));
        ExpFamilyDensity model = new ExpFamilyDensity(inner, f);
        FeatureBlocks b = blocks(f, xs);
        DensityFit.Result bi = DensityFit.fit(model, b.mean(), b.count(), Regularizer.none(), new NewtonOptimizer());
        assertEquals(0, bi.frozen());
        NewtonOptimizer.Result zero = new NewtonOptimizer().minimize(
                new org.remcg.optimize.LinearRemObjective(1.0, b.mean(), model, Regularizer.none()), new double[f.size()]);
        assertTrue(zero.converged() && zero.gradientNorm() < 1e-10);
        assertTrue(zero.iterations() <= 12, "from zero: " + zero.iterations());
        assertTrue(bi.optimization().iterations() <= zero.iterations(), bi.optimization().iterations() + " vs " + zero.iterations());
        double logZ0 = model.moments(zero.theta(), false).logZ();
        for (double x = -1.6; x <= 1.6; x += 0.01) {
            double a = model.logDensity(zero.theta(), logZ0, x, 0);
            double c = model.logDensity(bi.theta(), bi.logZ(), x, 0);
            assertEquals(a, c, 1e-8, "ln p at " + x);
        }
        System.out.println("iterations from zero " + zero.iterations() + ", from Boltzmann inversion " + bi.optimization().iterations());
    }
}
