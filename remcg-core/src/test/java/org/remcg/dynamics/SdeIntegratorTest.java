package org.remcg.dynamics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SdeIntegratorTest {

    /** Ornstein-Uhlenbeck dX = -k X dt + sqrt(2 D) dW, integrated with step h: k, D and h. */
    private static final double OU_K = 2;
    private static final double OU_D = 0.5;
    private static final double OU_H = 0.1;

    /**
     * The stationary variance of the Ornstein-Uhlenbeck process above under each scheme, in closed form.
     * Euler-Maruyama: D / (k (1 - k h / 2)); weak2: 2 D h (1 - k h/2)^2 / (1 - (1 - k h + (k h)^2/2)^2).
     */
    private static double ouVariance(SdeIntegrator.Scheme s) {
        double k = OU_K;
        double h = OU_H;
        if (s == SdeIntegrator.Scheme.EULER_MARUYAMA) {
            return OU_D / (k * (1 - k * h / 2));
        }
        double g = 1 - k * h + k * k * h * h / 2;
        return 2 * OU_D * h * (1 - k * h / 2) * (1 - k * h / 2) / (1 - g * g);
    }

    /**
     * At k h = 0.2 the variance of each scheme matches its own formula (Euler-Maruyama 11 % too large,
     * weak2 1.1 % too small). The estimates over 2 x 10^6 steps have a standard error of about 0.7 %
     * (block averages), so the two are told apart and each matches its own formula within 4 standard errors.
     */
    @ParameterizedTest
    @EnumSource(SdeIntegrator.Scheme.class)
    void ouStationaryVarianceMatchesSchemeFormula(SdeIntegrator.Scheme s) {
        SdeSystem ou = new SdeSystem("ou", 1, (x, a) -> a[0] = -OU_K * x[0], Diffusion.isotropic(1, OU_D), new double[] {0});
        Trajectory[] tr = SdeIntegrator.ensemble(ou, s, null, OU_H, 1_000_000, 1, new long[] {11, 12}, false, 2);
        TimeSeries.Estimate est = blockMeanSquare(tr);
        assertEquals(ouVariance(s), est.mean(), 4 * est.standardError(), s + ": " + est);
    }

    /** The formulas differ by far more than the estimates' errors: Euler-Maruyama's is 11 % above the exact D / k. */
    @Test
    void ouSchemeFormulasAreToldApart() {
        assertEquals(0.1, ouVariance(SdeIntegrator.Scheme.EULER_MARUYAMA) / (OU_D / OU_K) - 1, 0.012);
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        SdeSystem s = ModelSystems.doubleWell(4);
        long[] seeds = SdeIntegrator.seeds(5, 3);
        Trajectory[] one = SdeIntegrator.ensemble(s, SdeIntegrator.Scheme.WEAK2, null, 1e-3, 2000, 10, seeds, true, 1);
        Trajectory[] two = SdeIntegrator.ensemble(s, SdeIntegrator.Scheme.WEAK2, null, 1e-3, 2000, 10, seeds, true, 2);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(one[i].positions(), two[i].positions());
            assertArrayEquals(one[i].drifts(), two[i].drifts());
        }
    }

    @Test
    void badStepAndSchemeAreErrors() {
        SdeSystem s = ModelSystems.doubleWell(1);
        assertThrows(IllegalArgumentException.class, () -> SdeIntegrator.run(s, SdeIntegrator.Scheme.EULER_MARUYAMA, null, 0, 10, 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> SdeIntegrator.run(s, SdeIntegrator.Scheme.EULER_MARUYAMA, null, -1e-3, 10, 1, 1, false));
        SdeSystem sd = new SdeSystem("sd", 1, (x, a) -> a[0] = -x[0], Diffusion.of((x, o) -> o[0] = 1 + 0.1 * x[0] * x[0]), new double[] {0});
        assertThrows(IllegalArgumentException.class, () -> SdeIntegrator.run(sd, SdeIntegrator.Scheme.WEAK2, null, 1e-3, 10, 1, 1, false));
    }

    /**
     * State-dependent noise with Euler-Maruyama: dX = (-D V' + D') dt + sqrt(2 D(X)) dW with
     * D = 1 + x^2 / 2 and V = x^2 / 2 has stationary density exp(-V): <x^2> = 1. With h = 1e-3 the
     * O(h) bias is far below the ~1 % statistical error of 40 blocks.
     */
    @Test
    void stateDependentDiffusionKeepsBoltzmannDensity() {
        Drift drift = (x, a) -> a[0] = -(1 + 0.5 * x[0] * x[0]) * x[0] + x[0];
        Diffusion diff = Diffusion.of((x, o) -> o[0] = Math.sqrt(2 * (1 + 0.5 * x[0] * x[0])));
        SdeSystem s = new SdeSystem("sd", 1, drift, diff, new double[] {0});
        Trajectory[] tr = SdeIntegrator.ensemble(s, SdeIntegrator.Scheme.EULER_MARUYAMA, null, 1e-3, 2_000_000, 10, new long[] {3, 4}, false, 2);
        TimeSeries.Estimate e = blockMeanSquare(tr);
        assertEquals(1.0, e.mean(), 4 * e.standardError() + 0.003, e.toString());
    }

    /** <x^2> of 1-D trajectories with its error from 20 equal blocks of each trajectory (the block means taken as independent). */
    private static TimeSeries.Estimate blockMeanSquare(Trajectory[] tr) {
        double[] m = new double[20 * tr.length];
        for (int r = 0; r < tr.length; r++) {
            double[] x = tr[r].positions();
            int per = x.length / 20;
            for (int b = 0; b < 20; b++) {
                double s2 = 0;
                for (int i = b * per; i < (b + 1) * per; i++) {
                    s2 += x[i] * x[i];
                }
                m[r * 20 + b] = s2 / per;
            }
        }
        return TimeSeries.meanOf(m);
    }
}
