package org.remcg.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A fitted CG model on its domain: free diffusion (zero drift, Sigma = 1) in [0, 1] must stay inside the interval
 * (reflection) and fill it uniformly. With D = 1/2 the relaxation time is about L^2 / (pi^2 D) = 0.2, so 2000 time
 * units hold some 5000 independent samples: the mean 1/2 has a standard error near 0.004 and the variance 1/12 one
 * near 0.001; the bounds below are about 5 of those.
 */
class CgDynamicsTest {

    @Test
    void freeDiffusionReflectsAndFillsItsIntervalUniformly() {
        DriftBasis basis = DriftBasis.parse("bspline:8:0,1", 1, null);
        double[] ones = new double[basis.size()];
        Arrays.fill(ones, 1);   // B-splines on the range sum to one: Sigma = 1 everywhere
        CgDynamics model = new CgDynamics(new BasisField(basis, 1, new double[basis.size()], null), new BasisField(basis, 1, ones, null),
                new double[] {1e-3});
        Trajectory t = model.simulate(new double[] {0.5}, 1e-3, 200_001, 10, 7);
        double[] y = t.positions();
        double mean = 0;
        for (double v : y) {
            assertTrue(v >= 0 && v <= 1, "left the interval: " + v);
            mean += v;
        }
        mean /= y.length;
        double var = 0;
        for (double v : y) {
            var += (v - mean) * (v - mean);
        }
        var /= y.length;
        assertEquals(0.5, mean, 0.02);
        assertEquals(1.0 / 12, var, 0.005);
        // a periodic axis wraps instead: a walk with Sigma at its floor of 1 on fourier:2 over [0, 2 pi) travels some 14 rad
        // in 100 time units, around the circle, and never leaves [0, 2 pi)
        DriftBasis periodic = DriftBasis.parse("fourier:2", 1, new double[][] {{0, 2 * Math.PI}, {Double.NaN, Double.NaN}});
        CgDynamics ring = new CgDynamics(new BasisField(periodic, 1, new double[periodic.size()], null),
                new BasisField(periodic, 1, new double[periodic.size()], null), new double[] {1});
        assertTrue(periodic.features().axis(0).periodic());
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : ring.simulate(new double[] {1}, 1e-2, 10_001, 1, 3).positions()) {
            assertTrue(v >= 0 && v < 2 * Math.PI, "not wrapped: " + v);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertTrue(lo < 0.5 && hi > 2 * Math.PI - 0.5, "did not go around: " + lo + " .. " + hi);
    }
}
