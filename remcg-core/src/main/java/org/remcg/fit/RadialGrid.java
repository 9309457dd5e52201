package org.remcg.fit;

/**
 * The radial grid of the Ornstein-Zernike work in {@link HncStart} and {@link HncHessian}: n points
 * r_i = (i + 1/2) dr on [0, R], R = n dr, and wave numbers k_j = pi (j + 1/2) / R, on which the
 * three-dimensional Fourier transform of a radial function is a sine series,
 * H(k) = 4 pi / k integral r h(r) sin(kr) dr and h(r) = 1 / (2 pi^2 r) integral k H(k) sin(kr) dk
 * (dk = pi / R), both as direct sums over the table sin[j][i] = sin(k_j r_i).
 */
record RadialGrid(double dr, double[] r, double[] k, double[][] sin) {
    static RadialGrid of(int n, double dr) {
        double[] r = new double[n];
        double[] k = new double[n];
        double big = n * dr;
        for (int i = 0; i < n; i++) {
            r[i] = (i + 0.5) * dr;
            k[i] = Math.PI * (i + 0.5) / big;
        }
        double[][] sin = new double[n][n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                sin[j][i] = Math.sin(k[j] * r[i]);
            }
        }
        return new RadialGrid(dr, r, k, sin);
    }

    int size() {
        return r.length;
    }

    /** The grid's length R = n dr. */
    double length() {
        return r.length * dr;
    }

    /** H(k_j) = 4 pi / k_j sum_i r_i h_i sin(k_j r_i) dr. */
    double[] forward(double[] h) {
        double[] w = new double[r.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = r[i] * h[i];
        }
        double[] out = sineSums(w, true);
        for (int j = 0; j < out.length; j++) {
            out[j] = 4 * Math.PI / k[j] * out[j] * dr;
        }
        return out;
    }

    /** c(r_i) = 1 / (2 pi^2 r_i) sum_j k_j C_j sin(k_j r_i) dk (the forward transform's shape, its own weights and scale). */
    double[] inverse(double[] c) {
        double[] w = new double[k.length];
        for (int j = 0; j < w.length; j++) {
            w[j] = k[j] * c[j];
        }
        double[] out = sineSums(w, false);
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i] * (Math.PI / length()) / (2 * Math.PI * Math.PI * r[i]);
        }
        return out;
    }

    /** sum_i w_i sin(k_j r_i) for every j (overR), or sum_j w_j sin(k_j r_i) for every i. */
    private double[] sineSums(double[] w, boolean overR) {
        int n = r.length;
        double[] out = new double[n];
        for (int a = 0; a < n; a++) {
            double s = 0;
            for (int b = 0; b < n; b++) {
                s += w[b] * (overR ? sin[a][b] : sin[b][a]);
            }
            out[a] = s;
        }
        return out;
    }
}
