package org.remcg.density;

import org.remcg.model.Features;
import org.remcg.model.Legendre;
import org.remcg.numeric.QuadraticForm;
import org.remcg.optimize.InadmissibleModelException;
import org.remcg.optimize.LinearRemObjective;
import org.remcg.optimize.Moments;
import org.remcg.optimize.NewtonOptimizer;
import org.remcg.optimize.Regularizer;
import org.remcg.optimize.TiedObjective;

/**
 * Relative-entropy (maximum-likelihood) fit of an exponential-family density to data summarized
 * by its feature averages. The start is theta = 0 (the uniform density) on bounded domains; on an
 * unbounded interval, where theta = 0 cannot be normalized, it is the Gaussian with the data's
 * mean and variance written in Legendre coefficients.
 */
public final class DensityFit {

    /**
     * A fitted density.
     *
     * @param theta            parameters, p ~ exp(-theta . phi)
     * @param logZ             ln Z at theta
     * @param modelMean        &lt;phi&gt; under the model
     * @param trainLogLikelihood mean log-likelihood of the training data (without penalty)
     * @param covariance       asymptotic covariance of theta for N independent samples, m x m
     *                         row-major: H^+ Cov(phi) H^+ / N with H = Cov(phi) + the penalty's
     *                         Hessian (without penalty, the inverse Fisher information Cov(phi)^+ / N)
     * @param tie              for each feature the feature it follows (itself when the data inform
     *                         it; see {@link #ties})
     * @param optimization     the optimizer's record
     */
    public record Result(ExpFamilyDensity model, double[] theta, double logZ, double[] modelMean,
                         double trainLogLikelihood, double[] covariance, int[] tie, NewtonOptimizer.Result optimization) {

        /**
         * True when other features are tied to feature i. The fit then matches the summed
         * moment of the group, not each member's.
         */
        public boolean hasTiedFollowers(int i) {
            for (int j = 0; j < tie.length; j++) {
                if (j != i && tie[j] == i) {
                    return true;
                }
            }
            return false;
        }

        /** Number of features without (enough) data, tied to a neighbour. */
        public int frozen() {
            int k = 0;
            for (int i = 0; i < tie.length; i++) {
                if (tie[i] != i) {
                    k++;
                }
            }
            return k;
        }

        /** Asymptotic standard errors of theta (square roots of the covariance diagonal). */
        public double[] standardErrors() {
            int m = theta.length;
            double[] se = new double[m];
            for (int i = 0; i < m; i++) {
                se[i] = Math.sqrt(Math.max(0, covariance[i * m + i]));
            }
            return se;
        }

        /**
         * Standard error of ln p(x, y) from the parameter uncertainty: d ln p / d theta =
         * -(phi(x) - &lt;phi&gt;), so Var = (phi - &lt;phi&gt;)^T C (phi - &lt;phi&gt;). Unlike single
         * coefficients it does not depend on the gauge of bases containing the constant.
         */
        public double logDensityStandardError(double x, double y) {
            int m = theta.length;
            double[] d = new double[m];
            double[] all = new double[m];
            int[] idx = new int[model.features().maxNonZero()];
            double[] val = new double[model.features().maxNonZero()];
            int n = model.features().evaluate(model.domain().wrap(x), y, idx, val);
            for (int k = 0; k < n; k++) {
                all[idx[k]] = val[k];
            }
            for (int i = 0; i < m; i++) {
                d[i] = all[i] - modelMean[i];
            }
            return Math.sqrt(Math.max(0, QuadraticForm.of(covariance, d)));
        }
    }

    private DensityFit() {
    }

    /**
     * Fits the density.
     *
     * @param target mean feature vector of the data
     * @param n      number of data points (for the standard errors)
     * @throws InadmissibleModelException when no normalizable model can be started or the fit does not converge
     */
    public static Result fit(ExpFamilyDensity model, double[] target, long n, Regularizer reg, NewtonOptimizer optimizer) {
        LinearRemObjective obj = new LinearRemObjective(1.0, target, model, reg);
        double[] start = start(model, target, n);
        int[] tie = ties(model, target, n);
        double[] offset = new double[tie.length];
        int[] freeIndex = new int[tie.length];
        for (int i = 0, k = 0; i < tie.length; i++) {
            if (tie[i] == i) {
                freeIndex[i] = k++;
            }
        }
        for (int i = 0; i < tie.length; i++) {
            if (tie[i] != i) {
                offset[i] = Math.max(0, start[i] - start[tie[i]]);
            }
        }
        int[] slot = new int[tie.length];
        for (int i = 0; i < tie.length; i++) {
            slot[i] = freeIndex[tie[i]];
        }
        TiedObjective sub = new TiedObjective(obj, slot, offset);
        NewtonOptimizer.Result r = optimizer.minimize(sub, sub.restrict(start));
        if (!r.converged()) {
            throw new InadmissibleModelException("the fit did not converge (" + r.stop() + " after " + r.iterations()
                    + " iterations, gradient norm " + r.gradientNorm() + "); the data averages may lie on the edge of what the basis can"
                    + " represent (e.g. data piled at one point or at a domain end): add --ridge or --roughness, or use fewer features");
        }
        double[] theta = gauge(model, sub.embed(r.theta()));
        Moments mo = model.moments(theta, true);
        double ll = -mo.logZ();
        for (int i = 0; i < target.length; i++) {
            ll -= theta[i] * target[i];
        }
        return new Result(model, theta, mo.logZ(), mo.mean(), ll, covariance(mo.cov(), reg, target.length, n),
                tie, r);
    }

    /**
     * Fixes the free additive constant of features whose span holds the constant (B-splines
     * covering the domain: their coefficients sum to the potential's constant part): shifts
     * theta so that the minimum of U over a fine grid of the domain is zero. Other features have
     * no such freedom and are returned unchanged.
     */
    static double[] gauge(ExpFamilyDensity model, double[] theta) {
        Features f = model.features();
        Domain d = model.domain();
        if (!f.spansConstant() || !d.bounded()) {
            return theta;
        }
        for (int a = 0; a < f.dimension(); a++) {
            double lo = a == 0 ? d.xmin() : d.ymin();
            double hi = a == 0 ? d.xmax() : d.ymax();
            if (f.axis(a).lower() > lo || f.axis(a).upper() < hi) {
                return theta;   // the basis does not cover the domain: the constant is not a gauge
            }
        }
        int grid = f.dimension() == 1 ? 4000 : 300;
        double umin = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= grid; i++) {
            double x = d.xmin() + (d.xmax() - d.xmin()) * i / grid;
            if (f.dimension() == 1) {
                umin = Math.min(umin, model.potential(theta, x, 0));
            } else {
                for (int j = 0; j <= grid; j++) {
                    umin = Math.min(umin, model.potential(theta, x, d.ymin() + (d.ymax() - d.ymin()) * j / grid));
                }
            }
        }
        double[] out = theta.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] -= umin;
        }
        return out;
    }

    /**
     * Soft count below which a local feature is considered uninformed: sum over samples of the
     * feature's value. A B-spline peaks at 2/3, so this is about three samples in its core; with
     * fewer the coefficient's maximum-likelihood value is huge or infinite and meaningless.
     */
    static final double MIN_SOFT_COUNT = 2.0;

    /**
     * For each feature, the feature it follows: itself when the data inform it, otherwise the
     * nearest informed feature (in knot-index distance, per axis on a rectangle). A local,
     * non-negative feature (B-spline) whose support holds (almost) no data has a
     * maximum-likelihood coefficient that is infinite or ill-determined; instead it is tied to its
     * nearest informed neighbour, raised by the difference of their Boltzmann-inversion starts
     * (the half-sample density floor), so the potential rises smoothly but finitely where there
     * are no data. Global features are always free.
     */
    static int[] ties(ExpFamilyDensity model, double[] target, long n) {
        int m = target.length;
        int[] tie = new int[m];
        Features f = model.features();
        boolean local = f.spansConstant();
        boolean any = false;
        for (int i = 0; i < m; i++) {
            boolean informed = !local || target[i] * n >= MIN_SOFT_COUNT;
            tie[i] = informed ? i : -1;
            any |= informed;
        }
        if (!any) {
            throw new InadmissibleModelException("no feature has data in its support (at least " + MIN_SOFT_COUNT
                    + " samples' worth is needed): use fewer features");
        }
        int ny = f.dimension() == 2 ? f.axis(1).size() : 1;
        int[] fixed = tie.clone();
        for (int i = 0; i < m; i++) {
            if (fixed[i] >= 0) {
                continue;
            }
            int best = -1;
            long bestD = Long.MAX_VALUE;
            for (int j = 0; j < m; j++) {
                if (fixed[j] < 0) {
                    continue;
                }
                long dx = i / ny - j / ny;
                long dy = i % ny - j % ny;
                long d2 = dx * dx + dy * dy;
                if (d2 < bestD) {
                    bestD = d2;
                    best = j;
                }
            }
            tie[i] = best;
        }
        return tie;
    }

    /**
     * Starting parameters. Local non-negative features that sum to one (B-splines) start from a
     * Boltzmann inversion of the data averages: the density near feature i is estimated as
     * &lt;phi_i&gt;_data / integral(phi_i), floored at half a sample, and theta_i = -ln of it.
     * Global features start from theta = 0 (the uniform density) on bounded domains; on an
     * unbounded interval, where theta = 0 cannot be normalized, from the Gaussian with the data's
     * mean and variance written in Legendre coefficients.
     */
    public static double[] start(ExpFamilyDensity model, double[] target, long n) {
        int m = target.length;
        double[] theta = new double[m];
        if (model.domain().bounded() && model.features().spansConstant()) {
            // at theta = 0 the model is uniform: <phi_i> * volume = integral of phi_i over the domain
            double[] uniformMean = model.moments(theta, false).mean();
            double volume = model.domain().volume();
            for (int i = 0; i < m; i++) {
                double integral = uniformMean[i] * volume;
                double p = Math.max(target[i], 0.5 / n) / integral;
                theta[i] = integral > 0 ? -Math.log(p) : 0;
            }
            return theta;
        }
        if (model.domain().bounded()) {
            return theta;
        }
        Features f = model.features();
        boolean bothInfinite = !Double.isFinite(model.domain().xmin()) && !Double.isFinite(model.domain().xmax());
        if (f.axis(0) instanceof Legendre && m == 1 && !bothInfinite) {
            // half-line with a linear potential: the exponential density with the data's mean
            double half = 0.5 * (f.axis(0).upper() - f.axis(0).lower());
            double mid = 0.5 * (f.axis(0).upper() + f.axis(0).lower());
            double end = Double.isFinite(model.domain().xmin()) ? model.domain().xmin() : model.domain().xmax();
            double gap = mid + half * target[0] - end;
            if (gap == 0) {
                throw new InadmissibleModelException("the data have no spread: a maximum-likelihood density does not exist");
            }
            theta[0] = half / gap;
            return theta;
        }
        if (!(f.axis(0) instanceof Legendre) || m < 2 || (bothInfinite && m % 2 != 0)) {
            throw new NotNormalizableException("exp(-U) cannot be normalized on an unbounded domain with " + f.axis(0).spec()
                    + ": it needs legendre:K (K >= 2 and even on the whole line)");
        }
        double mu = target[0];                        // <P1> = <s>
        double s2 = (2 * target[1] + 1) / 3;          // <s^2> from <P2> = (3 <s^2> - 1) / 2
        double var = s2 - mu * mu;
        if (!(var > 0)) {
            throw new InadmissibleModelException("the data have no spread: a maximum-likelihood density does not exist");
        }
        theta[0] = -mu / var;
        theta[1] = 1 / (3 * var);
        return theta;
    }

    /** H^+ Cov H^+ / N with H = Cov + penalty Hessian (pseudo-inverse for the gauge direction). */
    static double[] covariance(double[] cov, Regularizer reg, int m, long n) {
        org.ejml.data.DMatrixRMaj c = new org.ejml.data.DMatrixRMaj(m, m, true, cov);
        double[] hRaw = cov.clone();
        reg.addHessian(hRaw, m);
        org.ejml.data.DMatrixRMaj h = new org.ejml.data.DMatrixRMaj(m, m, true, hRaw);
        org.ejml.data.DMatrixRMaj inv = new org.ejml.data.DMatrixRMaj(m, m);
        org.ejml.dense.row.CommonOps_DDRM.pinv(h, inv);
        org.ejml.data.DMatrixRMaj tmp = new org.ejml.data.DMatrixRMaj(m, m);
        org.ejml.data.DMatrixRMaj out = new org.ejml.data.DMatrixRMaj(m, m);
        org.ejml.dense.row.CommonOps_DDRM.mult(inv, c, tmp);
        org.ejml.dense.row.CommonOps_DDRM.mult(tmp, inv, out);
        org.ejml.dense.row.CommonOps_DDRM.scale(1.0 / n, out);
        return out.getData();
    }
}
