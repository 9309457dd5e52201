package org.remcg.dynamics;

import org.remcg.numeric.SampleMean;

/**
 * Dynamical statistics of a sampled scalar time series y_0, y_1, ... with spacing dt: integrated
 * autocorrelation time (from the variance of block means or from the autocorrelation function),
 * the autocorrelation function itself, and mean first-passage times between two levels (from
 * successive passages). They are what the dynamics examples and {@code remcg dynamics compare}
 * compare between fine and CG trajectories.
 */
public final class TimeSeries {
    private TimeSeries() {
    }

    /** A mean with its standard error and the number of independent pieces it came from. */
    public record Estimate(double mean, double standardError, int count) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%.4g +- %.2g (n=%d)", mean, standardError, count);
        }
    }

    /**
     * Integrated autocorrelation time tau = int_0^inf C(t)/C(0) dt, estimated as
     * T_B Var(block means) / (2 Var(y)) with blocks of duration T_B = blockFrames * dt (biased low by
     * about tau / T_B: take blocks much longer than tau).
     */
    public static double integratedTime(double[] y, int offset, int stride, int n, double dt, int blockFrames) {
        int nb = n / blockFrames;
        if (nb < 4) {
            throw new IllegalArgumentException("need at least 4 blocks of " + blockFrames + " frames, have " + n + " frames");
        }
        int used = nb * blockFrames;
        double mean = 0;
        for (int i = 0; i < used; i++) {
            mean += y[offset + i * stride];
        }
        mean /= used;
        double var = 0;
        double bvar = 0;
        for (int b = 0; b < nb; b++) {
            double s = 0;
            for (int i = b * blockFrames; i < (b + 1) * blockFrames; i++) {
                double v = y[offset + i * stride] - mean;
                var += v * v;
                s += v;
            }
            s /= blockFrames;
            bvar += s * s;
        }
        var /= used;
        bvar /= nb - 1;
        return blockFrames * dt * bvar / (2 * var);
    }

    /**
     * Integrated autocorrelation time from the empirical autocorrelation function,
     * the trapezoid rule for int_0^{W dt} rho(t) dt, where the window W is the first lag with W dt &gt;= c * tau (Sokal's
     * self-consistent window, c = 6) or maxLag. Bias of order exp(-c) for an exponential tail.
     */
    public static double integratedTimeAcf(double[] y, int offset, int stride, int n, double dt, int maxLag) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += y[offset + i * stride];
        }
        mean /= n;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = y[offset + i * stride] - mean;
        }
        double c0 = 0;
        for (int i = 0; i < n; i++) {
            c0 += v[i] * v[i];
        }
        c0 /= n;
        double tau = 0.5 * dt;
        int lagMax = Math.min(maxLag, n / 4);
        for (int k = 1; k <= lagMax; k++) {
            double c = 0;
            for (int i = 0; i + k < n; i++) {
                c += v[i] * v[i + k];
            }
            c /= (n - k) * c0;
            tau += c * dt;
            if (k * dt >= 6 * tau) {
                return tau - 0.5 * c * dt;
            }
        }
        return tau;
    }

    /**
     * The normalized autocorrelation function C(t)/C(0) of a whole series at lags 0, s, 2s, ... up to
     * min(maxLag, n/4) frames, s chosen for at most about 200 points: {t, rho} with t in units of dt.
     */
    public static double[][] autocorrelation(double[] y, double dt, int maxLag) {
        int n = y.length;
        int lags = Math.max(1, Math.min(maxLag, n / 4));
        int step = Math.max(1, lags / 200);
        double[] ms = meanAndSquares(y);
        double mean = ms[0];
        double c0 = ms[1] / n;
        int np = lags / step + 1;
        double[] t = new double[np];
        double[] r = new double[np];
        for (int p = 0; p < np; p++) {
            int k = p * step;
            double c = 0;
            for (int i = 0; i + k < n; i++) {
                c += (y[i] - mean) * (y[i + k] - mean);
            }
            t[p] = k * dt;
            r[p] = c / (n - k) / c0;
        }
        return new double[][] {t, r};
    }

    /**
     * What a trajectory of one CG variable shows about its dynamics.
     *
     * @param mean     mean
     * @param variance variance (1/n)
     * @param tauInt   integrated autocorrelation time from frames about 0.05 time units apart (NaN with 100 or fewer such frames)
     * @param up       first-passage times from level a to level b
     * @param down     first-passage times from b to a
     */
    public record Summary(double mean, double variance, double tauInt, Estimate up, Estimate down) {
    }

    /** The {@link Summary} of a whole series with spacing dt, passages between levels a and b. */
    public static Summary summary(double[] y, double dt, double a, double b) {
        double[] ms = meanAndSquares(y);
        int sub = Math.max(1, (int) Math.round(0.05 / dt));
        int ns = y.length / sub;
        double tau = ns > 100 ? integratedTimeAcf(y, 0, sub, ns, sub * dt, 4000) : Double.NaN;
        Estimate up = meanOf(passageTimes(y, 0, 1, y.length, dt, a, b));
        Estimate down = meanOf(passageTimes(y, 0, 1, y.length, dt, b, a));
        return new Summary(ms[0], ms[1] / y.length, tau, up, down);
    }

    /** {mean, sum of squared deviations from it} of a whole series. */
    private static double[] meanAndSquares(double[] y) {
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        double ss = 0;
        for (double v : y) {
            ss += (v - mean) * (v - mean);
        }
        return new double[] {mean, ss};
    }

    /** Block estimate of the integrated time of a whole series (convenience). */
    public static double integratedTime(double[] y, double dt, int blockFrames) {
        return integratedTime(y, 0, 1, y.length, dt, blockFrames);
    }

    /**
     * Mean first-passage times from level {@code from} to level {@code to} (either order): each passage
     * starts when the series first reaches {@code from} after the last arrival at {@code to}, and ends at
     * the next arrival at {@code to}. Returns the passage times as an array.
     */
    public static double[] passageTimes(double[] y, int offset, int stride, int n, double dt, double from, double to) {
        boolean up = to > from;
        java.util.ArrayList<Double> times = new java.util.ArrayList<>();
        int start = -1;
        for (int i = 0; i < n; i++) {
            double v = y[offset + i * stride];
            boolean atFrom = up ? v <= from : v >= from;
            boolean atTo = up ? v >= to : v <= to;
            if (start < 0 && atFrom) {
                start = i;
            } else if (start >= 0 && atTo) {
                times.add((i - start) * dt);
                start = -1;
            }
        }
        double[] out = new double[times.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = times.get(i);
        }
        return out;
    }

    /** Mean and standard error of values (treated as independent). */
    public static Estimate meanOf(double[] v) {
        SampleMean m = SampleMean.of(v);
        return new Estimate(m.mean(), m.standardError(), m.count());
    }
}
