package org.remcg.density;

import org.remcg.model.Features;
import org.remcg.model.Legendre;
import org.remcg.optimize.InadmissibleModelException;
import org.remcg.optimize.LinearRemObjective;
import org.remcg.optimize.Moments;
import org.remcg.optimize.NewtonOptimizer;
import org.remcg.optimize.Regularizer;

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
     * @param standardErrors   asymptotic standard errors of theta for independent samples: sqrt(diag(Cov^+)/N)
     * @param optimization     the optimizer's record
     */
    public record Result(ExpFamilyDensity model, double[] theta, double logZ, double[] modelMean,
                         double trainLogLikelihood, double[] standardErrors, NewtonOptimizer.Result optimization) {
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
        double[] start = start(model, target);
        NewtonOptimizer.Result r = optimizer.minimize(obj, start);
        if (!r.converged()) {
            throw new InadmissibleModelException("the fit did not converge (" + r.stop() + " after " + r.iterations()
                    + " iterations, gradient norm " + r.gradientNorm() + "); the data averages may lie on the edge of what the basis can"
                    + " represent (e.g. data piled at one point or at a domain end): add --ridge or --roughness, or use fewer features");
        }
        Moments mo = model.moments(r.theta(), true);
        double ll = -mo.logZ();
        for (int i = 0; i < target.length; i++) {
            ll -= r.theta()[i] * target[i];
        }
        return new Result(model, r.theta(), mo.logZ(), mo.mean(), ll, standardErrors(mo.cov(), target.length, n), r);
    }

    /** theta = 0, or on an unbounded interval the Gaussian matching the data's first two moments. */
    public static double[] start(ExpFamilyDensity model, double[] target) {
        int m = target.length;
        double[] theta = new double[m];
        if (model.domain().bounded()) {
            return theta;
        }
        Features f = model.features();
        if (!(f.axis(0) instanceof Legendre) || m < 2) {
            throw new NotNormalizableException("an unbounded domain needs legendre:K with K >= 2 (even), got " + f.axis(0).spec());
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

    /** sqrt of the diagonal of the pseudo-inverse of the feature covariance, divided by N. */
    static double[] standardErrors(double[] cov, int m, long n) {
        org.ejml.data.DMatrixRMaj c = new org.ejml.data.DMatrixRMaj(m, m, true, cov);
        org.ejml.data.DMatrixRMaj inv = new org.ejml.data.DMatrixRMaj(m, m);
        org.ejml.dense.row.CommonOps_DDRM.pinv(c, inv);
        double[] se = new double[m];
        for (int i = 0; i < m; i++) {
            se[i] = Math.sqrt(Math.max(0, inv.get(i, i)) / n);
        }
        return se;
    }
}
