package org.remcg.fit;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;

/**
 * A better start for dense liquids and mixtures than Boltzmann inversion of g(r): the hypernetted-
 * chain (HNC) inversion U_ab = -kT [ln g_ab - h_ab + c_ab], with h = g - 1 and the direct
 * correlation functions c from the multicomponent Ornstein-Zernike relation
 * H(k) = C(k) + C(k) rho H(k) (rho the diagonal matrix of partial number densities), so
 * C(k) = H(k) (I + rho H(k))^-1 at every k. -kT ln g is the potential of mean force: in a liquid it
 * carries the neighbours' averaged pull, so it is too deep and, in a mixture, mixes the three pairs'
 * effects; h - c removes the indirect part to the HNC level (exact up to the bridge function).
 *
 * <p>Returned as pseudo-distributions g exp(c - h) for {@link BoltzmannInversion}, which then
 * projects the HNC potential on each basis with its usual walls and ties. Only for systems of
 * single-bead molecules with every pair of bead types fitted (Ornstein-Zernike needs all partial
 * h_ab and no intramolecular correlations); otherwise null and the fit starts from Boltzmann
 * inversion. Radial Fourier transforms are direct sums on a uniform grid (h is taken as 0 beyond
 * the shortest target, its tail cut off smoothly over the last 0.1 nm).
 */
public final class HncStart {
    private HncStart() {
    }

    /** Grid step of the transforms (nm). */
    static final double DR = 0.002;

    /**
     * The pair term of every pair of bead types (symmetric), or null when Ornstein-Zernike does not apply: a
     * bonded term, a molecule of several beads, or a pair of bead types without a term.
     */
    static int[][] termMatrix(List<FitTerm> terms, CgTopology top) {
        int types = top.types();
        if (top.bondCount() + top.angleCount() + top.dihedralCount() > 0) {
            return null;
        }
        for (int i = 0; i < top.size(); i++) {
            if (i > 0 && top.molecule()[i] == top.molecule()[i - 1]) {
                return null;   // a molecule with several beads: intramolecular correlations, not plain OZ
            }
        }
        int[][] termOf = new int[types][types];
        for (int[] row : termOf) {
            java.util.Arrays.fill(row, -1);
        }
        for (int q = 0; q < terms.size(); q++) {
            FitTerm t = terms.get(q);
            if (t.kind() != InteractionKind.PAIR) {
                return null;
            }
            int a = top.typeIndex(t.beads().get(0));
            int b = top.typeIndex(t.beads().get(1));
            termOf[a][b] = q;
            termOf[b][a] = q;
        }
        for (int a = 0; a < types; a++) {
            for (int b = 0; b < types; b++) {
                if (termOf[a][b] < 0) {
                    return null;
                }
            }
        }
        return termOf;
    }

    /** Number density of every bead type (nm^-3). */
    static double[] partialDensities(CgTopology top, double volume) {
        double[] rho = new double[top.types()];
        for (int ty : top.type()) {
            rho[ty] += 1 / volume;
        }
        return rho;
    }

    /** Distinct pairs of the term's bead types per volume (nm^-3). */
    public static double pairsPerVolume(CgTopology top, FitTerm t, double volume) {
        long na = 0;
        long nb = 0;
        int a = top.typeIndex(t.beads().get(0));
        int b = top.typeIndex(t.beads().get(1));
        for (int ty : top.type()) {
            na += ty == a ? 1 : 0;
            nb += ty == b ? 1 : 0;
        }
        double pairs = a == b ? na * (na - 1) / 2.0 : (double) na * nb;
        return pairs / volume;
    }

    /**
     * @param distributions per term: g(r) for pair terms (any other kind makes the start inapplicable)
     * @param volume        box volume (nm^3)
     * @return per term the pseudo-distribution to invert, or null when HNC does not apply
     */
    public static List<TargetDistribution> pseudoDistributions(List<FitTerm> terms, List<TargetDistribution> distributions, CgTopology top,
            double volume) {
        int types = top.types();
        int[][] termOf = termMatrix(terms, top);
        if (termOf == null) {
            return null;
        }
        double rmax = Double.POSITIVE_INFINITY;
        for (int q = 0; q < terms.size(); q++) {
            rmax = Math.min(rmax, distributions.get(q).upper());
        }
        double[] rho = partialDensities(top, volume);
        int n = (int) Math.floor(rmax / DR);
        if (n < 50) {
            return null;
        }
        RadialGrid grid = RadialGrid.of(n, DR);
        double[] r = grid.r();
        double taperStart = r[n - 1] - 0.1;
        // h_ab(r) on the grid, tapered to zero over the last 0.1 nm
        double[][] h = new double[terms.size()][n];
        for (int q = 0; q < terms.size(); q++) {
            TargetDistribution g = distributions.get(q);
            for (int i = 0; i < n; i++) {
                double taper = r[i] < taperStart ? 1 : 0.5 * (1 + Math.cos(Math.PI * (r[i] - taperStart) / (r[n - 1] - taperStart)));
                h[q][i] = (g.at(r[i]) - 1) * taper;
            }
        }
        double[][] hk = new double[terms.size()][];
        for (int q = 0; q < terms.size(); q++) {
            hk[q] = grid.forward(h[q]);
        }
        // C(k) = H (I + rho H)^-1 per k
        double[][] ck = new double[terms.size()][n];
        DMatrixRMaj hm = new DMatrixRMaj(types, types);
        DMatrixRMaj a = new DMatrixRMaj(types, types);
        DMatrixRMaj inv = new DMatrixRMaj(types, types);
        DMatrixRMaj cm = new DMatrixRMaj(types, types);
        for (int j = 0; j < n; j++) {
            for (int x = 0; x < types; x++) {
                for (int y = 0; y < types; y++) {
                    hm.set(x, y, hk[termOf[x][y]][j]);
                }
            }
            for (int x = 0; x < types; x++) {
                for (int y = 0; y < types; y++) {
                    a.set(x, y, (x == y ? 1 : 0) + rho[x] * hm.get(x, y));
                }
            }
            if (!CommonOps_DDRM.invert(a, inv)) {
                return null;
            }
            CommonOps_DDRM.mult(hm, inv, cm);
            for (int x = 0; x < types; x++) {
                for (int y = x; y < types; y++) {
                    ck[termOf[x][y]][j] = 0.5 * (cm.get(x, y) + cm.get(y, x));
                }
            }
        }
        // c(r) from C(k); pseudo-g = g exp(c - h)
        List<TargetDistribution> out = new ArrayList<>();
        for (int q = 0; q < terms.size(); q++) {
            TargetDistribution g = distributions.get(q);
            double[] c = grid.inverse(ck[q]);
            double[] v = new double[n];
            double[] e = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                e[i] = i * DR;
            }
            for (int i = 0; i < n; i++) {
                double gi = g.at(r[i]);
                double corr = c[i] - h[q][i];
                v[i] = gi > 0 ? gi * Math.exp(Math.max(-20, Math.min(20, corr))) : 0;
            }
            out.add(TargetDistribution.histogram(e, v, TargetDistribution.Weight.SHELL));
        }
        return out;
    }
}
