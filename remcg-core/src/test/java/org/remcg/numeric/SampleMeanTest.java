package org.remcg.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SampleMeanTest {

    @Test
    void standardErrorOfKnownValues() {
        // mean 2, squared deviations 1 + 0 + 1 + 4 + 4 = 10 over 5 values: sqrt(10 / 4 / 5) = sqrt(0.5)
        SampleMean m = SampleMean.of(new double[] {1, 2, 3, 0, 4});
        assertEquals(2.0, m.mean(), 0.0);
        assertEquals(Math.sqrt(0.5), m.standardError(), 1e-15);
        assertTrue(Double.isNaN(SampleMean.of(new double[] {3}).standardError()));
    }

    /** Per bin, bit for bit the loop fit.BlockedMeasurement ran before it called this helper. */
    @Test
    void standardErrorsPerBinAreTheBlockFormulaBitForBit() {
        SplittableRandom rnd = new SplittableRandom(3);
        List<double[]> blocks = new ArrayList<>();
        for (int b = 0; b < 7; b++) {
            double[] v = new double[50];
            for (int k = 0; k < v.length; k++) {
                v[k] = Math.exp(3 * rnd.nextDouble()) * (1 + k);
            }
            blocks.add(v);
        }
        double[] se = SampleMean.standardErrors(blocks);
        int nb = blocks.size();
        for (int k = 0; k < 50; k++) {
            double mean = 0;
            for (double[] v : blocks) {
                mean += v[k];
            }
            mean /= nb;
            double ss = 0;
            for (double[] v : blocks) {
                double d = v[k] - mean;
                ss += d * d;
            }
            assertEquals(Double.doubleToRawLongBits(Math.sqrt(ss / (nb - 1) / nb)), Double.doubleToRawLongBits(se[k]), "bin " + k);
        }
        assertEquals(0, SampleMean.standardErrors(List.of()).length);
        double[] one = SampleMean.standardErrors(List.of(new double[] {1, 2}));
        assertTrue(Double.isNaN(one[0]) && Double.isNaN(one[1]));
        assertArrayEquals(new double[] {1, 0}, SampleMean.standardErrors(List.of(new double[] {1, 5}, new double[] {3, 5})), 1e-15);
    }
}
