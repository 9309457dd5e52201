package org.remcg.dynamics;

/**
 * A fitted CG model dY = b(Y) dt + Sigma(Y)^(1/2) dW in one or two dimensions, as {@link DriftEstimator} gives it:
 * the drift b and the noise tensor Sigma as {@link BasisField}s on the same basis. It lives on its basis' domain:
 * a periodic axis wraps, a bounded one reflects at its ends. Sigma^(1/2) is the Cholesky factor of Sigma with each
 * diagonal entry held at least at a floor (a fitted Sigma can dip to zero or below where data are sparse), by default
 * 5 % of the mean of that diagonal entry over the data. Simulated by {@link SdeIntegrator} (Euler-Maruyama, the
 * scheme for state-dependent noise).
 *
 * @param drift the drift field b (outputs: the dimension m)
 * @param sigma the noise field: S11 in 1-D; S11, S12, S22 in 2-D
 * @param floor the smallest value of each diagonal entry of Sigma used (length m)
 */
public record CgDynamics(BasisField drift, BasisField sigma, double[] floor) {

    public CgDynamics {
        int m = drift.outputs();
        if (m < 1 || m > 2 || sigma.outputs() != (m == 1 ? 1 : 3) || floor.length != m) {
            throw new IllegalArgumentException("a CG model needs a 1-D or 2-D drift, Sigma with 1 or 3 components and one floor per dimension");
        }
        floor = floor.clone();
    }

    /** The model with the default floor: 5 % of the mean diagonal of Sigma over (up to 10 000 of) the n data points y (n x m). */
    public static CgDynamics withDataFloor(BasisField drift, BasisField sigma, double[] y) {
        int m = drift.outputs();
        int n = y.length / m;
        double[] floor = new double[m];
        int[] idx = new int[sigma.basis().maxNonZero()];
        double[] val = new double[sigma.basis().maxNonZero()];
        double[] sv = new double[sigma.outputs()];
        int cnt = 0;
        for (int i = 0; i < n; i += Math.max(1, n / 10000)) {
            sigma.evaluate(y[i * m], m == 2 ? y[i * m + 1] : 0, sv, null, idx, val);
            floor[0] += sv[0];
            if (m == 2) {
                floor[1] += sv[2];
            }
            cnt++;
        }
        for (int c = 0; c < m; c++) {
            floor[c] *= 0.05 / cnt;
        }
        return new CgDynamics(drift, sigma, floor);
    }

    /** The dimension m. */
    public int dimension() {
        return drift.outputs();
    }

    /**
     * The model as an SDE starting at {@code start}. Its drift and noise keep evaluation scratch per thread, so one
     * system may run on several threads.
     */
    public SdeSystem system(double[] start) {
        int m = dimension();
        int nz = drift.basis().maxNonZero();
        ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(() -> new Scratch(new int[nz], new double[nz], new double[sigma.outputs()]));
        Drift b = (x, out) -> {
            Scratch s = scratch.get();
            drift.evaluate(x[0], m == 2 ? x[1] : 0, out, null, s.idx, s.val);
        };
        Diffusion root = Diffusion.of((x, out) -> {
            Scratch s = scratch.get();
            sigma.evaluate(x[0], m == 2 ? x[1] : 0, s.sv, null, s.idx, s.val);
            double l11 = Math.sqrt(Math.max(s.sv[0], floor[0]));
            out[0] = l11;
            if (m == 2) {
                double l21 = s.sv[1] / l11;
                out[1] = 0;
                out[2] = l21;
                out[3] = Math.sqrt(Math.max(s.sv[2] - l21 * l21, floor[1]));
            }
        });
        double[] lo = new double[m];
        double[] hi = new double[m];
        boolean[] periodic = new boolean[m];
        for (int c = 0; c < m; c++) {
            lo[c] = drift.basis().features().axis(c).lower();
            hi[c] = drift.basis().features().axis(c).upper();
            periodic[c] = drift.basis().features().axis(c).periodic();
        }
        SdeSystem.Boundary domain = x -> {
            for (int c = 0; c < m; c++) {
                double p = hi[c] - lo[c];
                if (periodic[c]) {
                    x[c] = x[c] - p * Math.floor((x[c] - lo[c]) / p);
                } else if (x[c] < lo[c]) {
                    x[c] = 2 * lo[c] - x[c];
                } else if (x[c] > hi[c]) {
                    x[c] = 2 * hi[c] - x[c];
                }
            }
        };
        return new SdeSystem("CG model", m, b, root, start, domain);
    }

    /** A trajectory of {@code frames} frames {@code stride} steps of dt apart, from {@code start}, with the seed's noise. */
    public Trajectory simulate(double[] start, double dt, int frames, int stride, long seed) {
        return SdeIntegrator.run(system(start), SdeIntegrator.Scheme.EULER_MARUYAMA, start, dt, (long) (frames - 1) * stride, stride, seed, false);
    }

    private record Scratch(int[] idx, double[] val, double[] sv) {
    }
}
