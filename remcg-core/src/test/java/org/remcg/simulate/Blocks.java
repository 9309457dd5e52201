package org.remcg.simulate;

/** Block averages of a time series: mean and standard error from the scatter of block means. */
final class Blocks {
    private Blocks() {
    }

    static double mean(double[] s, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) {
            m += s[i];
        }
        return m / (to - from);
    }

    /** {mean, standard error} of s[from..to) from `blocks` contiguous blocks. */
    static double[] meanAndError(double[] s, int from, int to, int blocks) {
        int len = (to - from) / blocks;
        double[] bm = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            bm[b] = mean(s, from + b * len, from + (b + 1) * len);
        }
        double m = mean(bm, 0, blocks);
        double v = 0;
        for (double x : bm) {
            v += (x - m) * (x - m);
        }
        v /= blocks - 1;
        return new double[] {m, Math.sqrt(v / blocks)};
    }

    /** Ratio of block means num/den with its standard error from the scatter of per-block ratios (jackknife-free estimate). */
    static double[] ratio(double[] num, double[] den, int from, int to, int blocks) {
        int len = (to - from) / blocks;
        double[] r = new double[blocks];
        double sn = 0;
        double sd = 0;
        for (int b = 0; b < blocks; b++) {
            double nn = mean(num, from + b * len, from + (b + 1) * len);
            double dd = mean(den, from + b * len, from + (b + 1) * len);
            r[b] = nn / dd;
            sn += nn;
            sd += dd;
        }
        double m = mean(r, 0, blocks);
        double v = 0;
        for (double x : r) {
            v += (x - m) * (x - m);
        }
        v /= blocks - 1;
        return new double[] {sn / sd, Math.sqrt(v / blocks)};
    }

    /** Least-squares slope of y against x. */
    static double slope(double[] x, double[] y) {
        int n = x.length;
        double mx = mean(x, 0, n);
        double my = mean(y, 0, n);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }
}
