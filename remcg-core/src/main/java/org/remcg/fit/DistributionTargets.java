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
 * Integrals use Simpson's rule on a grid 16 times finer than the distribution's, with linear
 * interpolation of the distribution (the same interpolation used everywhere else for target
 * files).
 */
public final class DistributionTargets {
    private DistributionTargets() {
    }

    /** Pair feature averages from g(r). */
    public static double[] pair(Basis1D basis, TargetDistribution g, double cutoff, double pairsPerVolume) {
        return integrate(basis, g, Math.max(0, g.lower()), Math.min(cutoff, g.upper()), pairsPerVolume, true);
    }

    /** Bonded feature averages from a raw distribution (normalized here). */
    public static double[] bonded(Basis1D basis, TargetDistribution p, int terms) {
        TargetDistribution n = p.normalized();
        return integrate(basis, n, n.lower(), n.upper(), terms, false);
    }

    private static double[] integrate(Basis1D basis, TargetDistribution d, double a, double b, double factor, boolean shell) {
        int m = basis.size();
        double[] out = new double[m];
        if (!(b > a)) {
            return out;
        }
        int intervals = 16 * d.x().length;
        if (intervals % 2 == 1) {
            intervals++;
        }
        double h = (b - a) / intervals;
        double[] val = new double[basis.window()];
        for (int s = 0; s <= intervals; s++) {
            double q = a + s * h;
            double w = (s == 0 || s == intervals) ? 1 : (s % 2 == 1 ? 4 : 2);
            double f = d.at(q) * (shell ? 4 * Math.PI * q * q : 1) * w * h / 3 * factor;
            if (f == 0) {
                continue;
            }
            int first = basis.evaluate(q, val, null, null);
            for (int j = 0; j < val.length; j++) {
                int k = first + j;
                if (k >= 0 && k < m) {
                    out[k] += f * val[j];
                }
            }
        }
        return out;
    }
}
