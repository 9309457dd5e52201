package org.remcg.numeric;

/**
 * The mean of independent values and its standard error, sqrt(sum (x - mean)^2 / (n - 1) / n)
 * (NaN for fewer than two values; both NaN for none).
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
}
