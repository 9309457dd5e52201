package org.remcg.optimize;

/**
 * Relative entropy of a linear model U = theta . phi against target feature averages:
 * S(theta) = beta theta . &lt;phi&gt;_target + ln Z(theta) + P(theta) (up to a theta-independent constant),
 * gradient beta (&lt;phi&gt;_target - &lt;phi&gt;_theta) + grad P and Hessian beta^2 Cov_theta(phi) + Hess P.
 *
 * <p>For a density (beta = 1) S is the mean negative log-likelihood of the data, i.e.
 * D_KL(data || model) plus the data's entropy. The model averages come from a
 * {@link ModelEnsemble}: quadrature for exact low-dimensional models, reweighted samples for
 * molecular ones.
 */
public final class LinearRemObjective implements Objective {
    private final double beta;
    private final double[] target;
    private final ModelEnsemble ensemble;
    private final Regularizer regularizer;

    public LinearRemObjective(double beta, double[] targetMean, ModelEnsemble ensemble, Regularizer regularizer) {
        if (targetMean.length != ensemble.size()) {
            throw new IllegalArgumentException("target has " + targetMean.length + " features, model " + ensemble.size());
        }
        this.beta = beta;
        this.target = targetMean.clone();
        this.ensemble = ensemble;
        this.regularizer = regularizer == null ? Regularizer.none() : regularizer;
    }

    @Override
    public int dimension() {
        return target.length;
    }

    public Regularizer regularizer() {
        return regularizer;
    }

    public ModelEnsemble ensemble() {
        return ensemble;
    }

    @Override
    public Evaluation evaluate(double[] theta) {
        Moments mo;
        try {
            mo = ensemble.moments(theta, true);
        } catch (InadmissibleModelException e) {
            return Evaluation.inadmissible(e.getMessage());
        }
        int n = target.length;
        double value = mo.logZ() + regularizer.value(theta);
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            value += beta * theta[i] * target[i];
            g[i] = beta * (target[i] - mo.mean()[i]);
        }
        regularizer.addGradient(theta, g);
        double[] h = mo.cov().clone();
        double b2 = beta * beta;
        for (int i = 0; i < h.length; i++) {
            h[i] *= b2;
        }
        regularizer.addHessian(h, n);
        return new Evaluation(value, g, h, null);
    }
}
