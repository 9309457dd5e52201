package org.remcg.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.remcg.observe.FeatureBlocks;

/** The loop's convergence criteria as objects: what each one tests, and a loop given its own criterion. */
class ConvergenceCriterionTest {

    @Test
    void eachCriterionTestsItsOwnStatistic() {
        // two groups of three; group 1 has one parameter of unknown noise
        double[] z2 = {0.5, 1.0, 1.5, 0.2, Double.NaN, 0.4};
        int[] group = {0, 0, 0, 1, 1, 1};
        ConvergenceCriterion.GradientNoise n = new ConvergenceCriterion.GradientNoise(z2, group, 2);
        assertEquals(5, n.used());
        assertEquals(3.6 / 5, n.mean(), 1e-15);
        assertEquals(1.0, n.groupMean(0), 1e-15);
        assertEquals(2, n.groupCount(1));
        assertTrue(new ConvergenceCriterion.Gradient(Double.NaN).holds(n));
        assertFalse(new ConvergenceCriterion.Gradient(0.7).holds(n), "mean 0.72 is not below 0.7");
        assertTrue(new ConvergenceCriterion.Distribution().holds(n));
        assertTrue(new ConvergenceCriterion.Coefficient().holds(n));
        // one group far off while the overall mean stays moderate: only the distribution criterion sees it
        double[] off = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 5.0, 5.0};
        int[] g2 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
        ConvergenceCriterion.GradientNoise n2 = new ConvergenceCriterion.GradientNoise(off, g2, 2);
        assertTrue(new ConvergenceCriterion.Gradient(Double.NaN).holds(n2), "mean " + n2.mean());
        assertFalse(new ConvergenceCriterion.Distribution().holds(n2));
        // one coefficient at 5 sigma among 30 quiet ones: only the coefficient criterion sees it
        double[] spike = new double[31];
        java.util.Arrays.fill(spike, 0.5);
        spike[7] = 25;
        ConvergenceCriterion.GradientNoise n3 = new ConvergenceCriterion.GradientNoise(spike, new int[31], 1);
        assertTrue(new ConvergenceCriterion.Gradient(Double.NaN).holds(n3), "mean " + n3.mean());
        assertTrue(new ConvergenceCriterion.Distribution().holds(n3));
        assertFalse(new ConvergenceCriterion.Coefficient().holds(n3));
    }

    @Test
    void coefficientBoundIsTheBonferroniNormalQuantile() {
        // two-sided normal quantiles at 1 % / m (erfc(z / sqrt 2) = 0.01 / m): 3.5879 for 30, 4.0980 for 240 coefficients
        assertEquals(3.5879, ConvergenceCriterion.Coefficient.maxZ(30), 2e-4);
        assertEquals(4.0980, ConvergenceCriterion.Coefficient.maxZ(240), 2e-4);
        assertEquals(1 + 3 * Math.sqrt(0.2), ConvergenceCriterion.Distribution.threshold(10), 1e-15);
    }

    @Test
    void aLoopStopsWhenItsOwnCriteriaHold() {
        FeatureBlocks data = IterativeRemTest.target(11, 20_000);
        IterativeRem.Options o = IterativeRem.Options.defaults(1.0).withMaxSimulations(25);
        // a criterion that always holds: converged at the first (full-length) simulation
        IterativeRem.State s = new IterativeRem(o, List.of(noise -> true)).run(data.mean(), IterativeRemTest.squares(data.standardErrors()),
                new double[IterativeRemTest.MODEL.size()], null, null, Regularizer.none(), IterativeRemTest.exactSampler(4000, 5), null, null);
        assertSame(IterativeRem.Stop.CONVERGED, s.stop());
        assertEquals(1, s.simulations());
        // one that never holds: the budget runs out
        IterativeRem.State t = new IterativeRem(o.withMaxSimulations(3), List.of(noise -> false)).run(data.mean(),
                IterativeRemTest.squares(data.standardErrors()), new double[IterativeRemTest.MODEL.size()], null, null, Regularizer.none(),
                IterativeRemTest.exactSampler(4000, 5), null, null);
        assertSame(IterativeRem.Stop.MAX_SIMULATIONS, t.stop());
        assertEquals(3, t.simulations());
    }
}
