package org.remcg.observe;

import java.util.Arrays;

/**
 * Kozachenko-Leonenko k-nearest-neighbour estimate of the differential entropy of samples in
 * one or two dimensions (optionally on a circle of circumference 2 pi):
 * H = psi(n) - psi(k) + ln c_d + (d / n) sum_i ln eps_i, with eps_i the distance from sample i
 * to its k-th nearest neighbour and c_d the volume of the unit ball (2 in 1-D, pi in 2-D). The
 * estimator is consistent; its bias at finite n is small for smooth densities but grows near
 * hard walls where the density jumps.
 */
public final class EntropyEstimator {
    private EntropyEstimator() {
    }

    /** Entropy of 1-D samples; periodic = true treats them as angles on [0, 2 pi). */
    public static double oneDimensional(double[] xs, int k, boolean periodic) {
        int n = xs.length;
        checkK(n, k);
        double[] s = xs.clone();
        Arrays.sort(s);
        double period = 2 * Math.PI;
        double sumLog = 0;
        for (int i = 0; i < n; i++) {
            // merge the left and right neighbour sequences until k are taken
            int l = i - 1;
            int r = i + 1;
            double eps = 0;
            for (int taken = 0; taken < k; taken++) {
                double dl = leftDistance(s, i, l, periodic, period);
                double dr = rightDistance(s, i, r, periodic, period);
                if (dl <= dr) {
                    eps = dl;
                    l--;
                } else {
                    eps = dr;
                    r++;
                }
            }
            sumLog += Math.log(Math.max(eps, Double.MIN_NORMAL));
        }
        return digamma(n) - digamma(k) + Math.log(2) + sumLog / n;
    }

    private static double leftDistance(double[] s, int i, int l, boolean periodic, double period) {
        int n = s.length;
        if (l >= 0) {
            return s[i] - s[l];
        }
        if (!periodic || l + n <= i) {
            return Double.POSITIVE_INFINITY;
        }
        return s[i] - (s[l + n] - period);
    }

    private static double rightDistance(double[] s, int i, int r, boolean periodic, double period) {
        int n = s.length;
        if (r < n) {
            return s[r] - s[i];
        }
        if (!periodic || r - n >= i) {
            return Double.POSITIVE_INFINITY;
        }
        return s[r - n] + period - s[i];
    }

    /** Entropy of 2-D samples (Euclidean distances). */
    public static double twoDimensional(double[] xs, double[] ys, int k) {
        int n = xs.length;
        checkK(n, k);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(xs[a], xs[b]));
        double[] sx = new double[n];
        double[] sy = new double[n];
        for (int i = 0; i < n; i++) {
            sx[i] = xs[order[i]];
            sy[i] = ys[order[i]];
        }
        double[] best = new double[k];
        double sumLog = 0;
        for (int i = 0; i < n; i++) {
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            for (int dir = -1; dir <= 1; dir += 2) {
                for (int j = i + dir; j >= 0 && j < n; j += dir) {
                    double dx = sx[j] - sx[i];
                    if (dx * dx >= best[k - 1]) {
                        break;
                    }
                    double dy = sy[j] - sy[i];
                    double d2 = dx * dx + dy * dy;
                    if (d2 < best[k - 1]) {
                        int p = k - 1;
                        while (p > 0 && best[p - 1] > d2) {
                            best[p] = best[p - 1];
                            p--;
                        }
                        best[p] = d2;
                    }
                }
            }
            sumLog += 0.5 * Math.log(Math.max(best[k - 1], Double.MIN_NORMAL));
        }
        return digamma(n) - digamma(k) + Math.log(Math.PI) + 2 * sumLog / n;
    }

    private static void checkK(int n, int k) {
        if (k < 1 || n <= k) {
            throw new IllegalArgumentException("need more than k = " + k + " samples for a nearest-neighbour entropy, got " + n);
        }
    }

    /** Digamma function for x &gt;= 1 (recurrence up to 6, then the asymptotic series). */
    public static double digamma(double x) {
        double r = 0;
        while (x < 6) {
            r -= 1 / x;
            x += 1;
        }
        double f = 1 / (x * x);
        return r + Math.log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
    }
}
