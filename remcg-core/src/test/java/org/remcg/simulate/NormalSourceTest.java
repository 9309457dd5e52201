package org.remcg.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The ziggurat normal generator against the exact normal distribution; thresholds are 4 standard errors. */
class NormalSourceTest {

    /** Standard normal CDF (erfc from a rational approximation with relative error below 1.2e-7). */
    static double cdf(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
    }

    @Test
    void stripConstantsAreConsistent() {
        // the recursion for the strip edges must close: the top strip has the same area as every other
        // (R and V are given to 13 digits; the recursion closes to about 1e-9 relative)
        assertEquals(NormalSource.V, NormalSource.topStripArea(), 1e-8 * NormalSource.V);
    }

    @Test
    void momentsTailAndHistogramMatchTheNormalDistribution() {
        int n = 4_000_000;
        NormalSource g = new NormalSource(12345);
        int bins = 64;
        double lo = -4;
        double w = 8.0 / bins;
        long[] count = new long[bins + 2];
        double s1 = 0;
        double s2 = 0;
        double s4 = 0;
        long tail = 0;
        for (int k = 0; k < n; k++) {
            double x = g.next();
            s1 += x;
            s2 += x * x;
            s4 += x * x * x * x;
            if (Math.abs(x) > NormalSource.R) {
                tail++;
            }
            int b = x < lo ? 0 : x >= -lo ? bins + 1 : 1 + (int) ((x - lo) / w);
            count[Math.min(b, bins + 1)]++;
        }
        double mean = s1 / n;
        double var = s2 / n - mean * mean;
        double kurt = s4 / n / (var * var);
        assertEquals(0, mean, 4 / Math.sqrt(n), "mean");
        assertEquals(1, var, 4 * Math.sqrt(2.0 / n), "variance");
        // the standard error of the sample kurtosis of normal data is sqrt(24 / n)
        assertEquals(3, kurt, 4 * Math.sqrt(24.0 / n), "kurtosis");
        // the tail beyond R comes from the separate tail sampler
        double pTail = 2 * cdf(-NormalSource.R);
        assertEquals(pTail * n, tail, 4 * Math.sqrt(pTail * n), "draws beyond R");
        double chi2 = 0;
        for (int b = 0; b < bins + 2; b++) {
            double a = b == 0 ? Double.NEGATIVE_INFINITY : lo + (b - 1) * w;
            double e = b == bins + 1 ? Double.POSITIVE_INFINITY : lo + b * w;
            double expect = n * ((e == Double.POSITIVE_INFINITY ? 1 : cdf(e)) - (a == Double.NEGATIVE_INFINITY ? 0 : cdf(a)));
            chi2 += (count[b] - expect) * (count[b] - expect) / expect;
        }
        int dof = bins + 1;
        assertTrue(chi2 < dof + 4 * Math.sqrt(2.0 * dof), "chi^2 = " + chi2 + " for " + dof + " degrees of freedom");
    }

    @Test
    void sameSeedSameStream() {
        NormalSource a = new NormalSource(7);
        NormalSource b = new NormalSource(7);
        NormalSource c = new NormalSource(8);
        boolean differs = false;
        for (int k = 0; k < 1000; k++) {
            double x = a.next();
            assertEquals(Double.doubleToRawLongBits(x), Double.doubleToRawLongBits(b.next()));
            differs |= x != c.next();
        }
        assertTrue(differs);
    }

    @Test
    void fillGivesTheDeviatesOfNext() {
        // 200 000 deviates: about 1 % take the rare path (wedge or tail), which hands the state back and forth
        NormalSource a = new NormalSource(99);
        NormalSource b = new NormalSource(99);
        double[] out = new double[200_010];
        b.fill(out, 5, 100_000);
        b.fill(out, 100_005, 100_000);
        int rare = 0;
        for (int k = 0; k < 200_000; k++) {
            double x = a.next();
            assertEquals(Double.doubleToRawLongBits(x), Double.doubleToRawLongBits(out[5 + k]), "deviate " + k);
            rare += Math.abs(x) > NormalSource.R ? 1 : 0;
        }
        assertEquals(0.0, out[4]);
        assertEquals(0.0, out[200_005]);
        assertTrue(rare > 0, "no deviate from the tail: the rare path was not exercised");
        // and the streams go on together
        assertEquals(Double.doubleToRawLongBits(a.next()), Double.doubleToRawLongBits(b.next()));
    }
}
