package org.remcg.optimize;

/**
 * Model averages at parameters theta estimated from frames sampled at theta0 by importance
 * reweighting: for U = theta . phi the weight of frame t is
 * w_t = exp(-beta (theta - theta0) . phi_t), normalized over the frames, and
 * ln Z(theta) - ln Z(theta0) = ln mean_t w_t. Computed with a log-sum-exp shift, so large
 * parameter changes underflow gracefully instead of producing NaN.
 *
 * <p>The estimate is only trusted while the effective sample size ESS = (sum w)^2 / sum w^2
 * stays above {@code essMin} times the number of frames; beyond that {@link #moments} throws
 * {@link InadmissibleModelException}, which the Newton line search treats as "step back". The
 * reweighted Newton iterations therefore stay in the region the samples describe: a trust
 * region measured in effective samples rather than in parameter distance.
 */
public final class ReweightedEnsemble implements ModelEnsemble {
    private final Samples samples;
    private final double beta;
    private final double essMin;
    private final double[] theta0;
    private final double[] logw;
    private double lastEss = Double.NaN;

    /**
     * @param essMin smallest accepted ESS as a fraction of the frames (0 accepts everything)
     */
    public ReweightedEnsemble(Samples samples, double beta, double essMin) {
        if (!(beta > 0) || !(essMin >= 0 && essMin < 1)) {
            throw new IllegalArgumentException("need beta > 0 and 0 <= essMin < 1, got " + beta + ", " + essMin);
        }
        this.samples = samples;
        this.beta = beta;
        this.essMin = essMin;
        this.theta0 = samples.theta();
        this.logw = new double[samples.frames()];
    }

    @Override
    public int size() {
        return samples.features();
    }

    public Samples samples() {
        return samples;
    }

    /** ESS fraction (ESS / frames) at theta, without the floor check. */
    public double essFraction(double[] theta) {
        double[] w = normalizedWeights(theta, new double[1]);
        double s2 = 0;
        for (double x : w) {
            s2 += x * x;
        }
        return 1.0 / (s2 * w.length);
    }

    /** ESS fraction of the last {@link #moments} call. */
    public double lastEssFraction() {
        return lastEss;
    }

    /**
     * Normalized weights (sum 1) of the frames at theta; logMeanW[0] receives ln mean_t w_t
     * (the change of ln Z from theta0 to theta).
     */
    public double[] normalizedWeights(double[] theta, double[] logMeanW) {
        int n = samples.frames();
        int m = samples.features();
        double[] phi = samples.phi();
        double[] d = new double[m];
        for (int k = 0; k < m; k++) {
            d[k] = -beta * (theta[k] - theta0[k]);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < n; t++) {
            double s = 0;
            int base = t * m;
            for (int k = 0; k < m; k++) {
                s += d[k] * phi[base + k];
            }
            logw[t] = s;
            max = Math.max(max, s);
        }
        if (!Double.isFinite(max)) {
            throw new InadmissibleModelException("reweighting failed: non-finite log weight at theta");
        }
        double sum = 0;
        double[] w = new double[n];
        for (int t = 0; t < n; t++) {
            w[t] = Math.exp(logw[t] - max);
            sum += w[t];
        }
        for (int t = 0; t < n; t++) {
            w[t] /= sum;
        }
        logMeanW[0] = max + Math.log(sum / n);
        return w;
    }

    @Override
    public Moments moments(double[] theta, boolean withCov) {
        int n = samples.frames();
        int m = samples.features();
        double[] phi = samples.phi();
        double[] lz = new double[1];
        double[] w = normalizedWeights(theta, lz);
        double s2 = 0;
        for (double x : w) {
            s2 += x * x;
        }
        lastEss = 1.0 / (s2 * n);
        if (lastEss < essMin) {
            throw new InadmissibleModelException(String.format(java.util.Locale.ROOT,
                    "effective sample size %.3f of the frames is below the floor %.3f", lastEss, essMin));
        }
        double[] mean = new double[m];
        for (int t = 0; t < n; t++) {
            int base = t * m;
            double wt = w[t];
            for (int k = 0; k < m; k++) {
                mean[k] += wt * phi[base + k];
            }
        }
        double[] cov = null;
        if (withCov) {
            cov = new double[m * m];
            double[] c = new double[m];
            for (int t = 0; t < n; t++) {
                int base = t * m;
                double wt = w[t];
                if (wt == 0) {
                    continue;
                }
                for (int k = 0; k < m; k++) {
                    c[k] = phi[base + k] - mean[k];
                }
                for (int i = 0; i < m; i++) {
                    double ci = wt * c[i];
                    if (ci == 0) {
                        continue;
                    }
                    int row = i * m;
                    for (int j = i; j < m; j++) {
                        cov[row + j] += ci * c[j];
                    }
                }
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < i; j++) {
                    cov[i * m + j] = cov[j * m + i];
                }
            }
        }
        // ln Z(theta) = ln Z(theta0) + ln <w>; the ensemble's reference ln Z(theta0) is taken as 0
        return new Moments(lz[0], mean, cov, n);
    }
}
