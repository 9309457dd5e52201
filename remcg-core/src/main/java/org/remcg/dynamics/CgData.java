package org.remcg.dynamics;

/**
 * A trajectory mapped to an m-dimensional CG variable (m = 1 or 2), on flat arrays: times t[n],
 * CG values y[n*m], the exact CG drift A[n*m] (null when the fine drift is unknown) and the
 * per-frame noise covariance Sigma[n*m*m] = grad xi sigma sigma^T grad xi^T (null when sigma is
 * unknown). Periodic components are given by {@link #periods()} (0 = not periodic).
 */
public record CgData(int m, double[] t, double[] y, double[] drift, double[] sigma, double[] periods, String[] names) {

    public int frames() {
        return t.length;
    }

    /**
     * Maps a trajectory: y = xi(x) and, where known, A(x) = grad xi . a + 1/2 (sigma sigma^T) : Hess xi
     * and Sigma(x).
     *
     * @param diffusion fine noise (null when unknown: then neither Sigma nor A can be formed)
     * @throws IllegalArgumentException when a map needs more coordinates than the trajectory has, or its
     *                                  gradient is singular or non-finite at some frame
     */
    public static CgData map(Trajectory traj, CgMap[] maps, Diffusion diffusion) {
        int m = maps.length;
        if (m < 1 || m > 2) {
            throw new IllegalArgumentException("a CG variable has 1 or 2 components, got " + m);
        }
        int d = traj.dimension();
        for (CgMap map : maps) {
            if (map.requiredDimension() > d) {
                throw new IllegalArgumentException("map '" + map.spec() + "' needs " + map.requiredDimension()
                        + " coordinates, the trajectory has " + d);
            }
        }
        int n = traj.frames();
        double[] xs = traj.positions();
        double[] as = traj.drifts();
        boolean withSigma = diffusion != null;
        boolean withDrift = withSigma && as != null;
        double[] y = new double[n * m];
        double[] aOut = withDrift ? new double[n * m] : null;
        double[] sOut = withSigma ? new double[n * m * m] : null;
        double[] x = new double[d];
        double[] g = new double[m * d];
        double[] h = new double[d * d];
        double[] sig = new double[d * d];
        double[] dd = new double[d * d];
        boolean constant = withSigma && diffusion.constant();
        if (constant) {
            diffusion.tensor(x, d, sig, dd);
        }
        for (int i = 0; i < n; i++) {
            System.arraycopy(xs, i * d, x, 0, d);
            if (withSigma && !constant) {
                diffusion.tensor(x, d, sig, dd);
            }
            for (int c = 0; c < m; c++) {
                CgMap map = maps[c];
                y[i * m + c] = map.value(x);
                if (!withSigma) {
                    continue;
                }
                map.gradient(x, h); // h used as scratch of length >= d
                double gn = 0;
                for (int k = 0; k < d; k++) {
                    g[c * d + k] = h[k];
                    gn += h[k] * h[k];
                }
                if (!Double.isFinite(gn) || gn == 0) {
                    throw new IllegalArgumentException("frame " + i + ": the gradient of map '" + map.spec()
                            + "' is singular at x = " + java.util.Arrays.toString(x));
                }
                if (withDrift) {
                    map.hessian(x, h);
                    double v = 0;
                    for (int k = 0; k < d; k++) {
                        v += g[c * d + k] * as[i * d + k];
                    }
                    double ito = 0;
                    for (int k = 0; k < d * d; k++) {
                        ito += dd[k] * h[k];
                    }
                    v += 0.5 * ito;
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException("frame " + i + ": the CG drift of map '" + map.spec() + "' is not finite");
                    }
                    aOut[i * m + c] = v;
                }
            }
            if (withSigma) {
                for (int p = 0; p < m; p++) {
                    for (int q = 0; q < m; q++) {
                        double s = 0;
                        for (int k = 0; k < d; k++) {
                            double gk = g[p * d + k];
                            if (gk == 0) {
                                continue;
                            }
                            for (int l = 0; l < d; l++) {
                                s += gk * dd[k * d + l] * g[q * d + l];
                            }
                        }
                        sOut[(i * m + p) * m + q] = s;
                    }
                }
                double s00 = sOut[i * m * m];
                boolean singular = !(s00 > 0);
                if (m == 2) {
                    double s11 = sOut[i * 4 + 3];
                    double s01 = sOut[i * 4 + 1];
                    singular |= !(s00 * s11 - s01 * s01 > 1e-12 * s00 * s11);
                }
                if (singular) {
                    throw new IllegalArgumentException("frame " + i + ": the CG noise covariance is singular (zero diffusion along the map, "
                            + "or two maps with parallel gradients)");
                }
            }
        }
        double[] periods = new double[m];
        String[] names = new String[m];
        for (int c = 0; c < m; c++) {
            periods[c] = maps[c].period();
            names[c] = maps[c].spec();
        }
        return new CgData(m, traj.times(), y, aOut, sOut, periods, names);
    }

    /**
     * Default basis ranges of the two axes (NaN for an absent second one): the map's natural range (an angle) or the
     * data range widened by 1 % on each side.
     */
    public double[][] basisRanges(CgMap[] maps) {
        double[][] r = new double[2][];
        for (int c = 0; c < 2; c++) {
            if (c >= m) {
                r[c] = new double[] {Double.NaN, Double.NaN};
                continue;
            }
            double[] nat = maps[c].naturalRange();
            if (nat != null) {
                r[c] = nat;
            } else {
                double[] lim = range(c);
                double w = lim[1] - lim[0];
                r[c] = new double[] {lim[0] - 0.01 * w, lim[1] + 0.01 * w};
            }
        }
        return r;
    }

    /** Smallest and largest value of component c; an {@link IllegalArgumentException} when it is constant. */
    public double[] range(int c) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = c; i < y.length; i += m) {
            lo = Math.min(lo, y[i]);
            hi = Math.max(hi, y[i]);
        }
        if (!(hi > lo)) {
            throw new IllegalArgumentException("the CG variable is constant on the data (" + lo + ")");
        }
        return new double[] {lo, hi};
    }

    /** The 0.1 % and 99.9 % quantiles of component c (where drift profiles are reported). */
    public double[] quantileRange(int c) {
        int n = y.length / m;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = y[i * m + c];
        }
        java.util.Arrays.sort(v);
        double lo = v[(int) Math.floor(0.001 * (n - 1))];
        double hi = v[(int) Math.ceil(0.999 * (n - 1))];
        if (!(hi > lo)) {
            throw new IllegalArgumentException("the CG variable is constant on the data (" + lo + ")");
        }
        return new double[] {lo, hi};
    }

    /** Component c of every frame (a copy). */
    public double[] component(int c) {
        double[] o = new double[y.length / m];
        for (int i = 0; i < o.length; i++) {
            o[i] = y[i * m + c];
        }
        return o;
    }
}
