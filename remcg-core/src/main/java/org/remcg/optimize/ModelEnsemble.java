package org.remcg.optimize;

/**
 * Source of model averages for a linear potential U = theta . phi: ln Z, &lt;phi&gt;_theta and
 * Cov_theta(phi). Exact low-dimensional models integrate by quadrature; molecular models will
 * reweight stored samples of a simulation. ln Z only has to be consistent within one ensemble
 * (a constant offset cancels in every use).
 */
public interface ModelEnsemble {

    /** Number of features. */
    int size();

    /**
     * Model averages at theta.
     *
     * @throws InadmissibleModelException when the model cannot be evaluated at theta
     */
    Moments moments(double[] theta, boolean withCov);
}
