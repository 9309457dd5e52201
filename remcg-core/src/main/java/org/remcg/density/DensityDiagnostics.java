package org.remcg.density;

import org.remcg.observe.EntropyEstimator;

import java.util.function.DoubleBinaryOperator;

/**
 * Checks of a fitted density against data: support, held-out relative entropy, and the
 * first-order bias of observables.
 */
public final class DensityDiagnostics {
    private DensityDiagnostics() {
    }

    /** A data point where the model has zero density: D_KL(data || model) is infinite. */
    public static final class SupportException extends RuntimeException {
        public SupportException(String message) {
            super(message);
        }
    }

    /** Throws {@link SupportException} when (x, y) lies where the model density is zero. */
    public static void checkSupport(ExpFamilyDensity model, double x, double y, String where) {
        if (!model.domain().contains(x, y)) {
            String point = model.domain().dimension() == 1 ? Double.toString(x) : "(" + x + ", " + y + ")";
            throw new SupportException(where + ": the model density is zero at " + point + " (outside "
                    + model.domain().spec() + "), so D_KL(data || model) is infinite");
        }
    }

    /**
     * Estimate of D_KL(data || model) on held-out data: -H_knn(data) - mean ln p_model(data).
     *
     * @param standardError the statistical error of the cross-entropy term (the entropy
     *                      estimator's own error is not included)
     */
    public record KlEstimate(double kl, double crossEntropy, double entropy, double standardError, int samples) {
    }

    public static KlEstimate heldOutKl(ExpFamilyDensity model, double[] theta, double logZ, double[] xs, double[] ys) {
        int n = xs.length;
        double sum = 0;
        double sum2 = 0;
        for (int i = 0; i < n; i++) {
            double x = model.domain().wrap(xs[i]);
            double y = ys == null ? 0 : ys[i];
            checkSupport(model, x, y, "held-out sample " + (i + 1));
            double lp = model.logDensity(theta, logZ, x, y);
            sum += lp;
            sum2 += lp * lp;
        }
        double mean = sum / n;
        double var = Math.max(0, sum2 / n - mean * mean);
        double h;
        int k = 4;
        if (model.domain().dimension() == 1) {
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = model.domain().wrap(xs[i]);
            }
            h = EntropyEstimator.oneDimensional(w, k, model.domain().kind() == Domain.Kind.CIRCLE);
        } else {
            h = EntropyEstimator.twoDimensional(xs, ys, k);
        }
        return new KlEstimate(-h - mean, -mean, h, Math.sqrt(var / n), n);
    }

    /**
     * First-order bias of an observable g for a model U that misses the reference potential F:
     * E_model[g] - E_ref[g] ~ -beta Cov_ref(g, U - F), the covariance taken under the reference
     * density exp(-beta F) / Z_F, here evaluated by quadrature on the model's domain.
     */
    public static double predictedBias(Domain domain, DoubleBinaryOperator referencePotential, DoubleBinaryOperator modelPotential,
                                       DoubleBinaryOperator g, double beta) {
        DoubleBinaryOperator diff = (x, y) -> modelPotential.applyAsDouble(x, y) - referencePotential.applyAsDouble(x, y);
        double[] e = Quadrature.expectations(domain, referencePotential, beta, g, diff,
                (x, y) -> g.applyAsDouble(x, y) * diff.applyAsDouble(x, y));
        return -beta * (e[2] - e[0] * e[1]);
    }

    /** The same estimate from samples of the reference distribution. */
    public static double predictedBias(double[] g, double[] deltaU, double beta) {
        int n = g.length;
        double mg = 0;
        double md = 0;
        for (int i = 0; i < n; i++) {
            mg += g[i];
            md += deltaU[i];
        }
        mg /= n;
        md /= n;
        double c = 0;
        for (int i = 0; i < n; i++) {
            c += (g[i] - mg) * (deltaU[i] - md);
        }
        return -beta * c / (n - 1);
    }
}
