package org.remcg.numeric;

import java.util.List;

/**
 * The mean of independent values and its standard error, sqrt(sum (x - mean)^2 / (n - 1) / n)
 * (NaN for fewer than two values; both NaN for none). {@link #standardErrors} does the same per
 * bin over blocks of a measurement.
 */
public record SampleMean(double mean, double standardError, int count) {

    public static SampleMean of(double[] v) {
        int n = v.length;
        if (n == 0) {
            return new SampleMean(Double.NaN, Double.NaN, 0);
        }
        double m = 0;
        for (double x : v) {
            m += x;
        }
        m /= n;
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return new SampleMean(m, n > 1 ? Math.sqrt(s / (n - 1) / n) : Double.NaN, n);
    }

    /**
     * Per index k, the standard error of the mean of {@code values.get(b)[k]} over b, as
     * {@link #of} computes it (e.g. each bin of a distribution measured on independent blocks of
     * frames, the blocks weighted equally). The arrays have one length; NaN everywhere for fewer
     * than two arrays, an empty array for none.
     */
    public static double[] standardErrors(List<double[]> values) {
        int n = values.size();
        double[] se = new double[n == 0 ? 0 : values.get(0).length];
        double[] column = new double[n];
        for (int k = 0; k < se.length; k++) {
            for (int b = 0; b < n; b++) {
                column[b] = values.get(b)[k];
            }
            se[k] = of(column).standardError();
        }
        return se;
    }
}
