package org.remcg.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RemNoiseTest {
    /** Ten block means of three features with unit variance per block mean, and a Hessian with H_kk = 4. */
    private static double[] blocks() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] b = new double[30];
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextGaussian();
        }
        return b;
    }

    private static final double[] H = {4, 1, -2, 1, 4, 0.5, -2, 0.5, 4};
    private static final double[] PRIOR = {3, -1, 0.5, -1, 5, 2, 0.5, 2, 6};

    /**
     * The sampled Hessian is shrunk by w = q / (1 + q), q = coefficients x (var of the mean / H_kk, the median):
     * towards its own diagonal without a prior, towards the prior, every entry, with one.
     */
    @Test
    void theShrinkageTargetIsThePriorWhereOneIsGiven() {
        IterativeRem.Options o = IterativeRem.Options.defaults(1.0);
        int[] slots = {0, 1, 2};
        RemNoise.NoiseModel plain = new RemNoise(o).noiseModel(blocks(), H, slots, 3);
        RemNoise.NoiseModel towards = new RemNoise(o).withPrior(PRIOR).noiseModel(blocks(), H, slots, 3);
        double[] r = new double[3];
        for (int k = 0; k < 3; k++) {
            r[k] = plain.coefficients()[k] / H[k * 3 + k];
        }
        java.util.Arrays.sort(r);
        double q = 3 * r[1];
        double w = q / (1 + q);
        assertEquals(r[1], plain.relative(), 1e-15);
        for (int i = 0; i < 9; i++) {
            boolean diagonal = i % 4 == 0;
            assertEquals(diagonal ? H[i] : (1 - w) * H[i], plain.hessian()[i], 1e-12, "diagonal shrinkage, entry " + i);
            assertEquals((1 - w) * H[i] + w * PRIOR[i], towards.hessian()[i], 1e-12, "towards the prior, entry " + i);
        }
        assertArrayEquals(plain.coefficients(), towards.coefficients(), "the gradient's noise does not depend on the prior");
    }

    /** A prior over all parameters enters the free ones as the features do: tied parameters add, fixed ones drop out. */
    @Test
    void aPriorOverAllParametersIsSummedIntoTheFreeOnes() {
        // parameters 0 and 2 tied to slot 0, parameter 1 fixed, parameter 3 free in slot 1
        int[] slots = {0, -1, 0, 1};
        double[] full = new double[16];
        for (int i = 0; i < 16; i++) {
            full[i] = i + 1;
        }
        double[] free = IterativeRem.freeMatrix(full, slots, 2);
        // slot 0 = parameters {0, 2}: rows 0 and 2, columns 0 and 2
        assertArrayEquals(new double[] {1 + 3 + 9 + 11, 4 + 12, 13 + 15, 16}, free, 0);
    }
}
