package org.remcg.optimize;


import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Damped Newton minimization with a backtracking line search.
 *
 * <p>Each iteration solves H d = -g through the eigen-decomposition of the symmetric Hessian.
 * Eigenvalues are floored at {@code nullTolerance * lambda_max}; a direction below the floor on
 * which the gradient is also negligible (the gauge direction of a basis containing the
 * constant) is left out, which keeps the minimum-norm solution. Negative eigenvalues (possible
 * for non-linear models) are replaced by their magnitude, so the step is always a descent
 * direction. The full step is tried first and
 * halved until the objective decreases (Armijo condition), which also steps back from points
 * where the model is inadmissible. When the full step is accepted but the slope along it is
 * still more than half the initial slope (the quadratic model was too timid, typical far from
 * the optimum of an exponential family) the step is doubled while the objective keeps falling.
 * Stops when |g| &lt; gradientTolerance.
 */
public final class NewtonOptimizer {

    /** Why the optimizer stopped. */
    public enum Stop { GRADIENT, STALLED, MAX_ITERATIONS }

    /**
     * @param maxExpansion largest multiple of the Newton step tried when the full step still
     *                     leaves a steep downhill slope (1 disables the extension)
     */
    public record Options(int maxIterations, double gradientTolerance, double nullTolerance, int maxHalvings, double maxExpansion) {
        public static Options defaults() {
            return new Options(100, 1e-10, 1e-12, 60, 64);
        }

        public Options withGradientTolerance(double tol) {
            return new Options(maxIterations, tol, nullTolerance, maxHalvings, maxExpansion);
        }

        public Options withMaxIterations(int n) {
            return new Options(n, gradientTolerance, nullTolerance, maxHalvings, maxExpansion);
        }
    }

    /** One accepted iteration. */
    public record Iteration(int index, double value, double gradientNorm, double stepNorm, double stepFraction) {
    }

    public record Result(double[] theta, double value, double[] gradient, double[] hessian, int iterations,
                         Stop stop, List<Iteration> history) {
        public double gradientNorm() {
            double s = 0;
            for (double g : gradient) {
                s += g * g;
            }
            return Math.sqrt(s);
        }

        public boolean converged() {
            return stop == Stop.GRADIENT;
        }
    }

    private final Options options;

    public NewtonOptimizer(Options options) {
        this.options = options;
    }

    public NewtonOptimizer() {
        this(Options.defaults());
    }

    /**
     * Minimizes f from theta0.
     *
     * @throws InadmissibleModelException when f is inadmissible at theta0
     */
    public Result minimize(Objective f, double[] theta0) {
        int n = f.dimension();
        double[] theta = theta0.clone();
        Objective.Evaluation ev = f.evaluate(theta);
        if (!ev.admissible()) {
            throw new InadmissibleModelException("the starting point is not admissible: " + ev.problem());
        }
        List<Iteration> history = new ArrayList<>();
        history.add(new Iteration(0, ev.value(), ev.gradientNorm(), 0, 0));
        int it = 0;
        Stop stop = Stop.MAX_ITERATIONS;
        while (true) {
            if (ev.gradientNorm() < options.gradientTolerance()) {
                stop = Stop.GRADIENT;
                break;
            }
            if (it >= options.maxIterations()) {
                break;
            }
            double[] d = newtonDirection(ev.gradient(), ev.hessian(), n);
            double slope = dot(d, ev.gradient());
            double t = 1;
            Objective.Evaluation next = null;
            double[] trial = new double[n];
            for (int h = 0; h <= options.maxHalvings(); h++) {
                for (int i = 0; i < n; i++) {
                    trial[i] = theta[i] + t * d[i];
                }
                Objective.Evaluation e = f.evaluate(trial);
                if (e.admissible() && e.value() <= ev.value() + 1e-4 * t * slope) {
                    next = e;
                    break;
                }
                // near the optimum rounding hides the decrease; accept a smaller gradient instead
                if (e.admissible() && e.value() <= ev.value() + 1e-12 * Math.abs(ev.value())
                        && e.gradientNorm() < ev.gradientNorm()) {
                    next = e;
                    break;
                }
                t *= 0.5;
            }
            if (next == null) {
                stop = Stop.STALLED;
                break;
            }
            // far from the optimum the quadratic model often underestimates the step (the full
            // step is accepted and the slope along d is still steep): extend it while that lasts
            while (t >= 1 && t < options.maxExpansion() && dot(d, next.gradient()) < 0.5 * slope) {
                double[] further = new double[n];
                for (int i = 0; i < n; i++) {
                    further[i] = theta[i] + 2 * t * d[i];
                }
                Objective.Evaluation e = f.evaluate(further);
                if (!e.admissible() || e.value() > next.value()) {
                    break;
                }
                t *= 2;
                trial = further;
                next = e;
            }
            it++;
            theta = trial;
            ev = next;
            history.add(new Iteration(it, ev.value(), ev.gradientNorm(), t * Math.sqrt(dot(d, d)), t));
        }
        return new Result(theta, ev.value(), ev.gradient(), ev.hessian(), it, stop, history);
    }

    /** d = -H^+ g with the eigenvalue treatment described in the class comment. */
    double[] newtonDirection(double[] g, double[] hessian, int n) {
        EigenDecomposition_F64<DMatrixRMaj> eig = eigen(hessian, n);
        double lmax = 0;
        for (int k = 0; k < n; k++) {
            lmax = Math.max(lmax, Math.abs(eig.getEigenvalue(k).getReal()));
        }
        double[] d = new double[n];
        if (lmax == 0) {
            for (int i = 0; i < n; i++) {
                d[i] = -g[i];
            }
            return d;
        }
        double floor = options.nullTolerance() * lmax;
        for (int k = 0; k < n; k++) {
            double lambda = Math.abs(eig.getEigenvalue(k).getReal());
            DMatrixRMaj v = eig.getEigenVector(k);
            double c = 0;
            for (int i = 0; i < n; i++) {
                c += v.get(i) * g[i];
            }
            if (lambda <= floor && Math.abs(c) < 1e-3 * options.gradientTolerance()) {
                continue;   // a null direction the gradient does not see: a gauge, leave it alone
            }
            c /= Math.max(lambda, floor);
            for (int i = 0; i < n; i++) {
                d[i] -= c * v.get(i);
            }
        }
        return d;
    }

    /**
     * The Levenberg-Marquardt step d = -(H + mu I)^-1 g with the smallest mu &gt;= 0 for which no
     * component of d exceeds {@code maxComponent} in magnitude and d.H.d is at most
     * {@code maxQuadratic} (mu = 0: the Newton step of {@link #newtonDirection}). Damping shrinks
     * the poorly determined (small-eigenvalue) directions first and leaves the well-determined
     * ones nearly at their Newton values, unlike a uniform scaling of the whole step. d.H.d is
     * taken with the eigenvalue treatment of the Newton step (floored magnitudes). mu[0]
     * receives mu.
     */
    double[] dampedDirection(double[] g, double[] hessian, int n, double maxComponent, double maxQuadratic, double[] mu) {
        return dampedDirection(g, hessian, n, maxComponent, maxQuadratic, mu, 0, null, null, null);
    }

    /**
     * A coefficient whose own |g_i| / sd(g_i) is beyond the coefficient criterion's bound
     * ({@link ConvergenceCriterion.Coefficient#maxZ}) is a local misfit (typically the onset of a
     * g(r), next to the repulsive wall) that the eigenbasis filter spreads over many directions,
     * each of them at or below its noise, and so drops nearly whole: the loop then stepped past it
     * for a dozen simulations (z 4.2-4.8 against a bound of 4.1, every step measuring 2-11 times the
     * decrease it predicted) and the fit could not converge. Such coefficients keep at least their
     * own Wiener estimate g_i (1 - var_i / g_i^2) in the filtered gradient (c rewritten in place),
     * once the gradient as a whole is within its noise (the gradient criterion holds).
     */
    private static void keepLocalMisfits(double[] g, double[] c, double[][] v, int n, double[] coefficientNoise, double[] targetNoise) {
        double[] var = new double[n];
        double[] z2 = new double[n];
        for (int i = 0; i < n; i++) {
            var[i] = coefficientNoise[i] + (targetNoise != null ? targetNoise[i] : 0);
            z2[i] = var[i] > 0 ? g[i] * g[i] / var[i] : Double.NaN;
        }
        // only where the gradient criterion holds: far from convergence the filter keeps such coefficients anyway, and
        // adding them back into every eigen-direction, the poorly determined ones too, made the early steps worse (rho
        // 0.5-0.7 against 0.8-0.9 on the mixture)
        int[] ungrouped = new int[n];
        Arrays.fill(ungrouped, -1);
        if (!new ConvergenceCriterion.Gradient(Double.NaN).holds(new ConvergenceCriterion.GradientNoise(z2, ungrouped, 0))) {
            return;
        }
        double zmax = ConvergenceCriterion.Coefficient.maxZ(n);
        double[] gf = new double[n];
        combine(c, v, n, gf);
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            double g2 = g[i] * g[i];
            if (var[i] > 0 && g2 > zmax * zmax * var[i]) {
                double own = g[i] * (1 - var[i] / g2);
                if (Math.abs(own) > Math.abs(gf[i]) || own * gf[i] < 0) {
                    gf[i] = own;
                    changed = true;
                }
            }
        }
        if (changed) {
            for (int k = 0; k < n; k++) {
                double ck = 0;
                for (int i = 0; i < n; i++) {
                    ck += v[k][i] * gf[i];
                }
                c[k] = ck;
            }
        }
    }

    /** out = sum_k c_k v_k: eigen-components back to coefficients. */
    private static void combine(double[] c, double[][] v, int n, double[] out) {
        Arrays.fill(out, 0);
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                out[i] += c[k] * v[k][i];
            }
        }
    }

    /**
     * {@link #dampedDirection(double[], double[], int, double, double, double[])} on a gradient
     * measured with noise: with per-coefficient noise given, in coordinates scaled to unit noise per
     * coefficient ({@link #noiseScale}; the damped step itself in the original ones), otherwise as
     * they are. In the Hessian's eigenbasis each component c_k of the gradient is
     * scaled by max(0, 1 - sigma_k^2 / c_k^2), sigma_k^2 = lambda_k * relNoise + sum_i v_ki^2
     * targetNoise_i its noise variance (a sampled gradient's covariance is the Hessian times the
     * frames' statistical inefficiency over their number, relNoise, or, where larger, the
     * gradient's per-coefficient variances projected on v_k, which do not trust the eigenvalue;
     * plus the target's own variance, diagonal). A component at or below its noise is dropped, one well above it is kept
     * nearly whole: the step does not chase noise, and the quadratic model does not promise the
     * decrease -c_k^2 / (2 lambda_k) that a noise component would seem to offer. A single coefficient beyond
     * the coefficient criterion's bound keeps at least its own estimate ({@link #keepLocalMisfits}).
     *
     * @param filtered if not null, receives the filtered gradient (for the step's predicted change)
     */
    double[] dampedDirection(double[] g, double[] hessian, int n, double maxComponent, double maxQuadratic, double[] mu, double relNoise,
            double[] coefficientNoise, double[] targetNoise, double[] filtered) {
        if (coefficientNoise == null && targetNoise == null) {
            return filteredDirection(g, hessian, n, maxComponent, maxQuadratic, mu, relNoise, null, null, filtered);
        }
        // the filter in units of each coefficient's noise: there the noise is the same in every coefficient, and an
        // eigen-direction of the scaled Hessian does not mix a quiet coefficient's misfit with its noisy neighbours'
        // noise. The step itself is damped in the original coordinates, where the damping holds back the poorly
        // determined coefficients (scaled, a quiet coefficient's bound damped every other one as well)
        double[] w = noiseScale(coefficientNoise, targetNoise, n);
        double[] gs = new double[n];
        double[] hs = new double[n * n];
        double[] cs = coefficientNoise == null ? null : new double[n];
        double[] ts = targetNoise == null ? null : new double[n];
        for (int i = 0; i < n; i++) {
            gs[i] = g[i] * w[i];
            if (cs != null) {
                cs[i] = coefficientNoise[i] * w[i] * w[i];
            }
            if (ts != null) {
                ts[i] = targetNoise[i] * w[i] * w[i];
            }
            for (int j = 0; j < n; j++) {
                hs[i * n + j] = hessian[i * n + j] * w[i] * w[j];
            }
        }
        double[] gf = new double[n];
        filteredDirection(gs, hs, n, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, new double[1], relNoise, cs, ts, gf);
        for (int i = 0; i < n; i++) {
            gf[i] /= w[i];
        }
        if (filtered != null) {
            System.arraycopy(gf, 0, filtered, 0, n);
        }
        return filteredDirection(gf, hessian, n, maxComponent, maxQuadratic, mu, 0, null, null, null);
    }

    /**
     * The scale w_i = 1 / sd(g_i) (var(g_i) = coefficientNoise_i + targetNoise_i) of coordinates y_i = x_i / w_i, in
     * which the gradient g_i w_i has unit noise variance in every coefficient. Coefficients without a noise estimate
     * get the median scale of the others.
     */
    private static double[] noiseScale(double[] coefficientNoise, double[] targetNoise, int n) {
        double[] sd = new double[n];
        double[] known = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            double v = (coefficientNoise != null ? coefficientNoise[i] : 0) + (targetNoise != null ? targetNoise[i] : 0);
            sd[i] = v > 0 && Double.isFinite(v) ? 1 / Math.sqrt(v) : Double.NaN;
            if (!Double.isNaN(sd[i])) {
                known[m++] = sd[i];
            }
        }
        Arrays.sort(known, 0, m);
        double median = m == 0 ? 1 : known[m / 2];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(sd[i])) {
                sd[i] = median;
            }
        }
        return sd;
    }

    /** The filtered, damped step of {@link #dampedDirection} in the given coordinates. */
    private double[] filteredDirection(double[] g, double[] hessian, int n, double maxComponent, double maxQuadratic, double[] mu,
            double relNoise, double[] coefficientNoise, double[] targetNoise, double[] filtered) {
        EigenDecomposition_F64<DMatrixRMaj> eig = eigen(hessian, n);
        double lmax = 0;
        for (int k = 0; k < n; k++) {
            lmax = Math.max(lmax, Math.abs(eig.getEigenvalue(k).getReal()));
        }
        double floor = Math.max(options.nullTolerance() * lmax, Double.MIN_NORMAL);
        double[] lam = new double[n];
        double[] c = new double[n];
        double[][] v = new double[n][n];
        boolean[] skip = new boolean[n];
        for (int k = 0; k < n; k++) {
            lam[k] = Math.max(Math.abs(eig.getEigenvalue(k).getReal()), floor);
            DMatrixRMaj vk = eig.getEigenVector(k);
            for (int i = 0; i < n; i++) {
                v[k][i] = vk.get(i);
                c[k] += vk.get(i) * g[i];
            }
            skip[k] = Math.abs(eig.getEigenvalue(k).getReal()) <= floor && Math.abs(c[k]) < 1e-3 * options.gradientTolerance();
            if (relNoise > 0 || coefficientNoise != null || targetNoise != null) {
                // the sampled part: lambda r where the Hessian is well estimated; the per-coefficient variances
                // (independent of the Hessian) where its eigenvalue came out too small
                double var = Math.max(0, eig.getEigenvalue(k).getReal()) * relNoise;
                if (coefficientNoise != null) {
                    double diag = 0;
                    for (int i = 0; i < n; i++) {
                        diag += v[k][i] * v[k][i] * coefficientNoise[i];
                    }
                    var = Math.max(var, diag);
                }
                if (targetNoise != null) {
                    for (int i = 0; i < n; i++) {
                        var += v[k][i] * v[k][i] * targetNoise[i];
                    }
                }
                double c2 = c[k] * c[k];
                c[k] *= c2 > 0 ? Math.max(0, 1 - var / c2) : 0;
            }
        }
        if (coefficientNoise != null) {
            keepLocalMisfits(g, c, v, n, coefficientNoise, targetNoise);
        }
        if (filtered != null) {
            combine(c, v, n, filtered);
        }
        double[] d = new double[n];
        // does the step at damping m satisfy both bounds? (fills d)
        java.util.function.DoublePredicate fits = m -> {
            java.util.Arrays.fill(d, 0);
            double q = 0;
            for (int k = 0; k < n; k++) {
                if (skip[k]) {
                    continue;
                }
                double f = c[k] / (lam[k] + m);
                q += lam[k] * f * f;
                for (int i = 0; i < n; i++) {
                    d[i] -= f * v[k][i];
                }
            }
            double w = 0;
            for (double x : d) {
                w = Math.max(w, Math.abs(x));
            }
            return w <= maxComponent && q <= maxQuadratic;
        };
        mu[0] = 0;
        if (fits.test(0)) {
            return d.clone();
        }
        double gnorm = Math.sqrt(dot(c, c));
        double lo = 0;
        double hi = Math.max(gnorm / maxComponent, floor);
        while (!fits.test(hi)) {
            hi *= 2;
        }
        double loPos = Math.max(hi * 1e-12, floor);
        for (int it = 0; it < 100; it++) {
            double mid = lo == 0 ? Math.sqrt(loPos * hi) : Math.sqrt(lo * hi);
            if (!fits.test(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
            if (lo > 0 && hi / lo < 1 + 1e-6) {
                break;
            }
        }
        mu[0] = hi;
        fits.test(hi);
        return d.clone();
    }

    /** Eigen-decomposition of the symmetrized Hessian (n x n, row-major). */
    private static EigenDecomposition_F64<DMatrixRMaj> eigen(double[] hessian, int n) {
        DMatrixRMaj h = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h.set(i, j, 0.5 * (hessian[i * n + j] + hessian[j * n + i]));
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(h)) {
            throw new IllegalStateException("eigen-decomposition of the Hessian failed");
        }
        return eig;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
