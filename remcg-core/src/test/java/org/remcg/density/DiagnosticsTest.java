package org.remcg.density;

import org.junit.jupiter.api.Test;
import org.remcg.model.Bases;
import org.remcg.model.Features;
import org.remcg.optimize.NewtonOptimizer;
import org.remcg.optimize.Regularizer;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiagnosticsTest {
    static final Domain CIRCLE = Domain.circle();

    /**
     * Target F = k1 cos x + eps cos 2x, model cosine:1 fitted by REM to the exact target averages.
     * Returns {predicted bias, exact bias} of g = cos 2x.
     */
    static double[] bias(double eps) {
        double k1 = -1.5;
        Features f = Features.of(Bases.parse("cosine:1", 0, 2 * Math.PI));
        ExpFamilyDensity model = new ExpFamilyDensity(CIRCLE, f);
        double[] target = Quadrature.expectations(CIRCLE, (x, y) -> k1 * Math.cos(x) + eps * Math.cos(2 * x), 1.0, (x, y) -> Math.cos(x));
        DensityFit.Result r = DensityFit.fit(model, target, 1000, Regularizer.none(), new NewtonOptimizer());
        double t = r.theta()[0];
        double predicted = DensityDiagnostics.predictedBias(CIRCLE,
                (x, y) -> k1 * Math.cos(x) + eps * Math.cos(2 * x), (x, y) -> t * Math.cos(x), (x, y) -> Math.cos(2 * x), 1.0);
        double eModel = Quadrature.expectations(CIRCLE, (x, y) -> t * Math.cos(x), 1.0, (x, y) -> Math.cos(2 * x))[0];
        double eRef = Quadrature.expectations(CIRCLE, (x, y) -> k1 * Math.cos(x) + eps * Math.cos(2 * x), 1.0, (x, y) -> Math.cos(2 * x))[0];
        return new double[] {predicted, eModel - eRef};
    }

    @Test
    void observableBiasMatchesExactDifferenceToFirstOrder() {
        double[] small = bias(0.05);
        double[] smaller = bias(0.025);
        // the estimate is first order in the mismatch: its relative error is O(eps)
        double rel1 = Math.abs(small[0] - small[1]) / Math.abs(small[1]);
        double rel2 = Math.abs(smaller[0] - smaller[1]) / Math.abs(smaller[1]);
        assertTrue(Math.abs(small[1]) > 1e-3, "the mismatch must produce a visible bias: " + small[1]);
        assertTrue(rel1 < 0.1, "relative error " + rel1 + " (predicted " + small[0] + ", exact " + small[1] + ")");
        assertEquals(2, rel1 / rel2, 0.3, "error must halve with the mismatch: " + rel1 + " vs " + rel2);
        // the sample version agrees with the quadrature version within sampling error
        double k1 = -1.5;
        double eps = 0.05;
        ExpFamilyDensity ref = new ExpFamilyDensity(CIRCLE, Features.of(Bases.parse("cosine:2", 0, 2 * Math.PI)));
        double[] xs = new double[40_000];
        new ExactSampler(ref, new double[] {k1, eps}).sample(new SplittableRandom(5), xs.length, xs, null);
        Features f = Features.of(Bases.parse("cosine:1", 0, 2 * Math.PI));
        double[] target = Quadrature.expectations(CIRCLE, (x, y) -> k1 * Math.cos(x) + eps * Math.cos(2 * x), 1.0, (x, y) -> Math.cos(x));
        double t = DensityFit.fit(new ExpFamilyDensity(CIRCLE, f), target, 1000, Regularizer.none(), new NewtonOptimizer()).theta()[0];
        double[] g = new double[xs.length];
        double[] du = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            g[i] = Math.cos(2 * xs[i]);
            du[i] = t * Math.cos(xs[i]) - k1 * Math.cos(xs[i]) - eps * Math.cos(2 * xs[i]);
        }
        // standard error of a covariance of bounded quantities: sd(g) sd(du) / sqrt(n) ~ 0.7 * 0.05 / 200
        assertEquals(small[0], DensityDiagnostics.predictedBias(g, du, 1.0), 4 * 0.7 * 0.06 / Math.sqrt(xs.length));
    }

    @Test
    void heldOutKlAgainstExactValue() {
        double kappa = 2;
        ExpFamilyDensity vm = new ExpFamilyDensity(CIRCLE, Features.of(Bases.parse("cosine:1", 0, 2 * Math.PI)));
        int n = 20_000;
        double[] xs = new double[n];
        new ExactSampler(vm, new double[] {-kappa}).sample(new SplittableRandom(9), n, xs, null);
        // model: von Mises with a wrong concentration; exact D_KL(p_2 || p_1) = (2 - 1) I1(2)/I0(2) - ln I0(2) + ln I0(1)
        double[] wrong = {-1.0};
        double logZ = vm.moments(wrong, false).logZ();
        DensityDiagnostics.KlEstimate est = DensityDiagnostics.heldOutKl(vm, wrong, logZ, xs, null);
        double exact = (kappa - 1) * QuadratureTest.besselI(1, kappa) / QuadratureTest.besselI(0, kappa)
                - Math.log(QuadratureTest.besselI(0, kappa)) + Math.log(QuadratureTest.besselI(0, 1));
        // the k-NN entropy adds an error of about the cross-entropy's own (not in standardError):
        // combined sd ~ sqrt(2) SE, allow 4 of those
        assertEquals(exact, est.kl(), 4 * Math.sqrt(2) * est.standardError(), "estimated " + est.kl() + " +- " + est.standardError());
        assertTrue(exact > 10 * est.standardError(), "the test must resolve a non-zero KL");
        // the true model scores a KL of zero within error
        DensityDiagnostics.KlEstimate self = DensityDiagnostics.heldOutKl(vm, new double[] {-kappa}, vm.moments(new double[] {-kappa}, false).logZ(), xs, null);
        assertEquals(0, self.kl(), 4 * Math.sqrt(2) * self.standardError());
    }

    @Test
    void dataWhereTheModelHasNoMassIsAnError() {
        ExpFamilyDensity m = new ExpFamilyDensity(Domain.interval(0, 1), Features.of(Bases.parse("legendre:2", 0, 1)));
        DensityDiagnostics.SupportException e = assertThrows(DensityDiagnostics.SupportException.class,
                () -> DensityDiagnostics.heldOutKl(m, new double[] {0, 1}, 0, new double[] {0.2, 0.5, 1.5, 0.3, 0.1, 0.9}, null));
        assertTrue(e.getMessage().contains("infinite") && e.getMessage().contains("1.5"), e.getMessage());
    }
}
