package org.remcg.optimize;

import java.util.List;

/**
 * One convergence test of {@link IterativeRem}, judged on the sampled gradient in units of its own noise. The loop
 * stops as converged when every criterion it was given holds on a full-length simulation; by default those are
 * {@link #defaults the gradient, distribution and coefficient criteria}. Criteria are objects so that a fit can
 * state, and a reader can see, what "converged" means for it.
 */
@FunctionalInterface
public interface ConvergenceCriterion {

    /** Whether the criterion holds for the gradient noise of one simulation. */
    boolean holds(GradientNoise noise);

    /**
     * The gradient of one simulation against its noise: z2[k] = g_k^2 / var(g_k) for each free parameter (NaN where
     * the variance is zero or unknown) and the interaction (group) of each free parameter.
     *
     * @param z2     standardized squares per free parameter
     * @param group  group of each free parameter (-1 for none)
     * @param groups number of groups
     */
    record GradientNoise(double[] z2, int[] group, int groups) {

        /** Free parameters with a known noise. */
        public int used() {
            int used = 0;
            for (double z : z2) {
                used += Double.isNaN(z) ? 0 : 1;
            }
            return used;
        }

        /** Mean z2 over the parameters with a known noise (0 when there is none): the gradient criterion's statistic. */
        public double mean() {
            return mean(-1);
        }

        /** The same mean over group q's parameters: the distribution criterion's statistic. */
        public double groupMean(int q) {
            return mean(q);
        }

        /** Parameters of group q with a known noise. */
        public int groupCount(int q) {
            int c = 0;
            for (int k = 0; k < z2.length; k++) {
                c += !Double.isNaN(z2[k]) && group[k] == q ? 1 : 0;
            }
            return c;
        }

        private double mean(int q) {
            double s = 0;
            int used = 0;
            for (int k = 0; k < z2.length; k++) {
                if (!Double.isNaN(z2[k]) && (q < 0 || group[k] == q)) {
                    s += z2[k];
                    used++;
                }
            }
            return used == 0 ? 0 : s / used;
        }
    }

    /**
     * The gradient criterion: the mean of g_k^2 / var(g_k) over all free parameters below a threshold, by default
     * 1 + 3 sqrt(2 / m) (the upper 3-sigma edge of what pure noise gives for m independent features).
     *
     * @param threshold the bound, or NaN for the default of the number of parameters with a known noise
     */
    record Gradient(double threshold) implements ConvergenceCriterion {
        @Override
        public boolean holds(GradientNoise noise) {
            double t = Double.isNaN(threshold) ? Distribution.threshold(noise.used()) : threshold;
            return noise.mean() < t;
        }
    }

    /**
     * The distribution criterion: the same mean over each interaction's own parameters (its B-spline-binned
     * distribution against the target, in units of their statistical error) below 1 + 3 sqrt(2 / m_q), so that no
     * interaction hides behind the others.
     */
    record Distribution() implements ConvergenceCriterion {
        /** The bound for an interaction with {@code used} informative parameters. */
        public static double threshold(int used) {
            return 1 + 3 * Math.sqrt(2.0 / Math.max(1, used));
        }

        @Override
        public boolean holds(GradientNoise noise) {
            for (int q = 0; q < noise.groups(); q++) {
                int count = noise.groupCount(q);
                if (count > 0 && !(noise.groupMean(q) < threshold(count))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The coefficient criterion: every single |g_k| / sd(g_k) below the two-sided normal quantile that pure noise
     * exceeds in one of the m coefficients with probability 1 % ({@link #maxZ}), so that a local misfit (the onset of
     * a g(r)) does not hide in a mean over dozens of coefficients either.
     */
    record Coefficient() implements ConvergenceCriterion {
        /**
         * The bound on |g_k| / sd(g_k): the two-sided normal quantile that pure noise exceeds in any of m coefficients
         * with probability 1 % (Bonferroni), e.g. 3.59 for m = 30, 4.10 for 240.
         */
        public static double maxZ(int m) {
            double p = 0.01 / Math.max(1, m);
            double lo = 0;
            double hi = 40;
            for (int it = 0; it < 200; it++) {
                double mid = 0.5 * (lo + hi);
                if (erfc(mid / Math.sqrt(2)) > p) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return 0.5 * (lo + hi);
        }

        /** Complementary error function, relative error below 1.2e-7 (Chebyshev fit, Numerical Recipes' erfcc). */
        static double erfc(double x) {
            double z = Math.abs(x);
            double t = 1 / (1 + 0.5 * z);
            double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628288
                    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
            return x >= 0 ? r : 2 - r;
        }

        @Override
        public boolean holds(GradientNoise noise) {
            double zmax = maxZ(noise.used());
            for (double z : noise.z2()) {
                if (!Double.isNaN(z) && !(z < zmax * zmax)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The loop's default: the gradient criterion (with {@code gradientThreshold}, NaN for its default), the distribution
     * criterion and the coefficient criterion.
     */
    static List<ConvergenceCriterion> defaults(double gradientThreshold) {
        return List.of(new Gradient(gradientThreshold), new Distribution(), new Coefficient());
    }
}
