package org.remcg.optimize;

import java.util.Arrays;

/**
 * The noise side of {@link IterativeRem}: what the block means of a simulation's frames say about the
 * sampled gradient's variance (the noise model the step is filtered and shrunk with), and the gradient
 * standardized by its variance that the convergence criteria read.
 */
final class RemNoise {
    private final IterativeRem.Options options;
    /** What the sampled Hessian is shrunk towards (free x free), or null for its own diagonal. */
    private final double[] prior;

    RemNoise(IterativeRem.Options options) {
        this(options, null);
    }

    RemNoise(IterativeRem.Options options, double[] prior) {
        this.options = options;
        this.prior = prior;
    }

    /** The same options with a prior Hessian over the free coefficients to shrink towards (null: the diagonal). */
    RemNoise withPrior(double[] freePrior) {
        return new RemNoise(options, freePrior);
    }

    static double effectiveFrames(NoiseModel nm) {
        return nm.relative() > 0 ? 1 / nm.relative() : 0;
    }

    /**
     * What the accepted point's frames say about their own noise.
     *
     * @param relative     the sampled gradient's covariance over the Hessian, a scalar: beta^2 var(mean of phi_k) / H_kk
     *                     for each free coefficient (variance of the mean from the block means, H_kk = beta^2 var(phi_k)
     *                     per frame), i.e. the frames' statistical inefficiency over their number, 1 / (effective
     *                     frames); the median over the coefficients
     * @param coefficients beta^2 var(mean of the free feature k) from the block means: the gradient's own variance per
     *                     coefficient, which does not depend on how well the Hessian is estimated
     * @param hessian      the shrunk Hessian (1 - w) H + w P, w = q / (1 + q), q = free coefficients x relative
     *                     (the coefficients per effective frame), P the prior (the HNC linear response where given)
     *                     or diag(H); used for the step and its prediction
     */
    record NoiseModel(double relative, double[] coefficients, double[] hessian) {
    }

    /**
     * The noise model of the accepted point (frames' block means {@code blockMeans}, Hessian h). A covariance
     * estimated from fewer effective frames than coefficients is rank-deficient in effect: its small eigenvalues
     * come out far too small (Marchenko-Pastur), and a Newton step divides by them. Shrinking with the weight above
     * keeps those directions from running off; with many frames per coefficient it is a small correction (SPC/E
     * example: under 0.2). The diagonal as the target keeps the step safe but loses the collective directions that
     * the off-diagonal covariances carry; a noise-free prior that has them (the HNC response) keeps both.
     */
    NoiseModel noiseModel(double[] blockMeans, double[] h, int[] slots, int free) {
        return noiseModel(blockMeans, h, slots, free, 0);
    }

    /** The same with a Hessian pooled from {@code frames} effective frames (0: the block means' own count). */
    NoiseModel noiseModel(double[] blockMeans, double[] h, int[] slots, int free, double frames) {
        double[] coef = new double[free];
        if (blockMeans == null || !options.filterNoise()) {
            return new NoiseModel(0, coef, h);
        }
        int m = slots.length;
        int b = blockMeans.length / m;
        if (b < 2) {
            return new NoiseModel(0, coef, h);
        }
        double[] sum = new double[free];
        double[] sq = new double[free];
        for (int j = 0; j < b; j++) {
            double[] row = new double[free];
            for (int i = 0; i < m; i++) {
                if (slots[i] >= 0) {
                    row[slots[i]] += blockMeans[j * m + i];
                }
            }
            for (int k = 0; k < free; k++) {
                sum[k] += row[k];
                sq[k] += row[k] * row[k];
            }
        }
        double b2 = options.beta() * options.beta();
        double[] r = new double[free];
        int n = 0;
        for (int k = 0; k < free; k++) {
            double var = Math.max(0, sq[k] - sum[k] * sum[k] / b) / (b - 1) / b;
            coef[k] = b2 * var;
            double hk = h[k * free + k];
            if (hk > 0 && var > 0) {
                r[n++] = b2 * var / hk;
            }
        }
        if (n == 0) {
            return new NoiseModel(0, coef, h);
        }
        Arrays.sort(r, 0, n);
        double rel = n % 2 == 1 ? r[n / 2] : 0.5 * (r[n / 2 - 1] + r[n / 2]);
        double q = frames > 0 ? free / frames : free * rel;
        double delta = q / (1 + q);
        double[] hs = h.clone();
        for (int i = 0; i < free; i++) {
            for (int j = 0; j < free; j++) {
                int ij = i * free + j;
                if (prior != null) {
                    hs[ij] = (1 - delta) * h[ij] + delta * prior[ij];
                } else if (i != j) {
                    hs[ij] *= 1 - delta;
                }
            }
        }
        return new NoiseModel(rel, coef, hs);
    }

    /** Mean of g_k^2 / (model noise + target noise of coefficient k) with the given noise model's variances. */
    static double fixedMetric(double[] g, NoiseModel noise, double[] targetNoise) {
        double s = 0;
        int n = 0;
        for (int k = 0; k < g.length; k++) {
            double v = noise.coefficients()[k] + (targetNoise != null ? targetNoise[k] : 0);
            if (v > 0) {
                s += g[k] * g[k] / v;
                n++;
            }
        }
        return n == 0 ? 0 : s / n;
    }

    /** beta^2 times the target means' variances summed into the free coefficients (ties add), or null without them. */
    double[] freeTargetNoise(double[] targetVar, int[] slots, int free) {
        if (targetVar == null) {
            return null;
        }
        double[] v = new double[free];
        double b2 = options.beta() * options.beta();
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] >= 0) {
                v[slots[i]] += b2 * targetVar[i];
            }
        }
        return v;
    }

    /**
     * g_k^2 / var(g_k) for each free parameter (NaN where the variance is zero or unknown), where
     * var(g) is propagated through the ties from the per-feature variances.
     */
    double[] standardizedSquares(double[] g, Samples samples, double[] targetVar, int[] slots, int free) {
        double b2 = options.beta() * options.beta();
        double[] vm = samples.varianceOfMean(options.blocks());
        double[] var = new double[free];
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] < 0) {
                continue;
            }
            double v = vm[i] + (targetVar != null ? targetVar[i] : 0);
            var[slots[i]] += b2 * v;   // ties sum the gradient components; variances add (correlations ignored)
        }
        double[] z2 = new double[free];
        for (int k = 0; k < free; k++) {
            z2[k] = var[k] > 0 && Double.isFinite(var[k]) ? g[k] * g[k] / var[k] : Double.NaN;
        }
        return z2;
    }

    /** Mean g^2/var(g) over the free parameters with a known, non-zero variance (the gradient criterion's statistic). */
    double noiseRatio(double[] g, Samples samples, double[] targetVar, int[] slots, int free) {
        return mean(standardizedSquares(g, samples, targetVar, slots, free), null, 0);
    }

    static double mean(double[] z2, int[] slotGroup, int q) {
        double s = 0;
        int used = 0;
        for (int k = 0; k < z2.length; k++) {
            if (!Double.isNaN(z2[k]) && (slotGroup == null || slotGroup[k] == q)) {
                s += z2[k];
                used++;
            }
        }
        return used == 0 ? 0 : s / used;
    }

    static int[] slotGroups(int[] slots, int[] groups, int free) {
        int[] sg = new int[free];
        Arrays.fill(sg, -1);
        for (int i = slots.length - 1; i >= 0; i--) {
            if (slots[i] >= 0) {
                sg[slots[i]] = groups[i];
            }
        }
        return sg;
    }

    static double[] perGroup(double[] z2, int[] slots, int[] groups) {
        int n = 0;
        for (int gq : groups) {
            n = Math.max(n, gq + 1);
        }
        int[] sg = slotGroups(slots, groups, z2.length);
        double[] out = new double[n];
        for (int q = 0; q < n; q++) {
            out[q] = mean(z2, sg, q);
        }
        return out;
    }

    /** Per group, the full index of the coefficient with the largest z^2 (first parameter of its free slot) and sqrt of that z^2. */
    static void worstPerGroup(double[] z2, int[] slots, int[] groups, int[] worst, double[] worstZ) {
        Arrays.fill(worst, -1);
        Arrays.fill(worstZ, Double.NaN);
        boolean[] seen = new boolean[z2.length];
        for (int i = 0; i < slots.length; i++) {
            int k = slots[i];
            if (k < 0 || seen[k] || Double.isNaN(z2[k])) {
                continue;
            }
            seen[k] = true;
            int q = groups[i];
            if (worst[q] < 0 || z2[k] > worstZ[q] * worstZ[q]) {
                worst[q] = i;
                worstZ[q] = Math.sqrt(z2[k]);
            }
        }
    }
}
