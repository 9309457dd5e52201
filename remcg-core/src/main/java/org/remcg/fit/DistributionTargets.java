package org.remcg.fit;

import org.remcg.model.Basis1D;

/**
 * Target feature averages of one interaction computed from a target distribution instead of a
 * trajectory. For a linear potential U = sum_k theta_k sum_terms B_k(q), the target average of
 * feature k is the expected number of terms times the average of B_k over the distribution:
 * <ul>
 *   <li>pairs: &lt;phi_k&gt; = (pairs / V) * integral_0^rc g(r) B_k(r) 4 pi r^2 dr, with pairs = N_A N_B for
 *       unlike types and N_A (N_A - 1) / 2 for like types, V the box volume;</li>
 *   <li>bonded terms: &lt;phi_k&gt; = n_terms * integral p(q) B_k(q) dq with p normalized to one.</li>
 * </ul>
 * The distribution is a histogram of bin averages; the integrals use its area-preserving
 * reconstruction ({@link TargetDistribution#integrate}), so the target averages agree with the
 * file's bins and not with a curve drawn through its points.
 */
public final class DistributionTargets {
    private DistributionTargets() {
    }

    /** Pair feature averages from g(r) (its bins read as shell-volume averages). */
    public static double[] pair(Basis1D basis, TargetDistribution g, double cutoff, double pairsPerVolume) {
        TargetDistribution s = shell(g);
        return s.integrate(basis, Math.max(0, s.lower()), cutoff, pairsPerVolume);
    }

    /** Variances of {@link #pair}'s averages from the bins' errors ({@link TargetDistribution#integrateVariance}), null without errors. */
    public static double[] pairVariance(Basis1D basis, TargetDistribution g, double cutoff, double pairsPerVolume) {
        TargetDistribution s = shell(g);
        return s.integrateVariance(basis, Math.max(0, s.lower()), cutoff, pairsPerVolume);
    }

    private static TargetDistribution shell(TargetDistribution g) {
        return g.weight() == TargetDistribution.Weight.SHELL ? g : g.withWeight(TargetDistribution.Weight.SHELL);
    }

    /** Bonded feature averages from a raw distribution (normalized here). */
    public static double[] bonded(Basis1D basis, TargetDistribution p, int terms) {
        TargetDistribution n = p.normalized();
        return n.integrate(basis, n.lower(), n.upper(), terms);
    }

    /** Variances of {@link #bonded}'s averages from the bins' errors, null without errors. */
    public static double[] bondedVariance(Basis1D basis, TargetDistribution p, int terms) {
        TargetDistribution n = p.normalized();
        return n.integrateVariance(basis, n.lower(), n.upper(), terms);
    }
}
