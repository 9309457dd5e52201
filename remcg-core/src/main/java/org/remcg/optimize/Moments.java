package org.remcg.optimize;

/**
 * Averages of the features under a model p(x) = exp(-U(x)) / Z.
 *
 * @param logZ  ln Z (for exact models the true log normalization; for sampled ones relative to the sampling reference)
 * @param mean  &lt;phi_i&gt;
 * @param cov   Cov(phi_i, phi_j) row-major m x m, or null when not requested
 * @param points number of quadrature nodes (or samples) behind the numbers
 */
public record Moments(double logZ, double[] mean, double[] cov, long points) {

    public int size() {
        return mean.length;
    }

    public double cov(int i, int j) {
        return cov[i * mean.length + j];
    }
}
