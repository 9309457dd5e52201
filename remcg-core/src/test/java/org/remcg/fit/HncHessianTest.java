package org.remcg.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.remcg.model.CubicBSpline;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;

class HncHessianTest {
    private static final double KT = 2.494;

    /** g(r) = exp(-u / kT) of a Lennard-Jones pair times (1 + a damped oscillation of amplitude amp), on 0.002 nm bins to rmax. */
    static TargetDistribution g(double sigma, double eps, double amp, double rmax) {
        int n = (int) Math.round(rmax / 0.002);
        double[] edges = new double[n + 1];
        double[] v = new double[n];
        for (int i = 0; i <= n; i++) {
            edges[i] = i * 0.002;
        }
        for (int i = 0; i < n; i++) {
            double r = (i + 0.5) * 0.002;
            double s6 = Math.pow(sigma / r, 6);
            double u = 4 * eps * (s6 * s6 - s6);
            v[i] = Math.exp(-Math.min(u / KT, 700)) * (1 + amp * Math.exp(-(r - sigma) / 0.3) * Math.sin(2 * Math.PI * (r - sigma) / sigma));
            v[i] = Math.max(0, v[i]);
        }
        return TargetDistribution.histogram(edges, v, TargetDistribution.Weight.SHELL);
    }

    static CgTopology beads(int a, int b) {
        CgTopology.Builder t = new CgTopology.Builder();
        for (int i = 0; i < a + b; i++) {
            t.molecule().particle(i < a ? "A" : "B", i < a ? "A" : "B", 1.0);
        }
        return t.build();
    }

    static FitTerm pair(String a, String b, double cutoff, int knots, TargetDistribution g) {
        return new FitTerm(InteractionKind.PAIR, List.of(a, b), cutoff, new CubicBSpline(knots, 0, cutoff), g);
    }

    /**
     * In a dilute gas the response of g to the potential is only the direct one, dg = -g du / kT, so the Hessian
     * is P / kT^2 times the integral of B_k B_l g 4 pi r^2 dr: the normalization (pairs per volume, shell, beta)
     * checked against an independent quadrature.
     */
    @Test
    void aDiluteGasRespondsOnlyDirectly() {
        TargetDistribution g = g(0.3, 1.0, 0, 1.0);
        FitTerm t = pair("A", "A", 0.9, 20, g);
        CgTopology top = beads(100, 0);
        double volume = 1e7;
        double[] h = HncHessian.of(List.of(t), List.of(g), top, volume, KT);
        assertNotNull(h);
        double perVolume = 100 * 99 / 2.0 / volume;
        int m = 20;
        double[] expect = new double[m * m];
        double[] val = new double[4];
        int steps = 90_000;
        double dr = 0.9 / steps;
        for (int s = 0; s < steps; s++) {
            double r = (s + 0.5) * dr;
            int first = t.basis().evaluate(r, val, null, null);
            double w = perVolume * g.at(r) * 4 * Math.PI * r * r * dr / (KT * KT);
            for (int a = 0; a < 4; a++) {
                for (int b = 0; b < 4; b++) {
                    int k = first + a;
                    int l = first + b;
                    if (k >= 0 && k < m && l >= 0 && l < m) {
                        expect[k * m + l] += w * val[a] * val[b];
                    }
                }
            }
        }
        double max = 0;
        for (double e : expect) {
            max = Math.max(max, Math.abs(e));
        }
        for (int i = 0; i < m * m; i++) {
            // the response is summed at the midpoints of a 0.004 nm grid against an (almost) exact integral: for
            // cubic B-splines on 0.053 nm knots the midpoint rule errs by about (0.004 / 0.053)^2 / 24 = 2.4e-4 of an
            // entry; 1e-3 of the largest entry allows four times that
            assertEquals(expect[i], h[i], 1e-3 * max, "entry " + i / m + "," + i % m);
        }
    }

    /**
     * In a dense binary mixture the Ornstein-Zernike part couples the three pairs; with pair weights proportional
     * to rho_a rho_b the map dh -> dc is self-adjoint, so the computed response is symmetric but for the features'
     * exact pair counts (N_a (N_a - 1) / 2, not N_a^2 / 2), a 1/N effect: ten times the beads at the same density
     * must leave a tenth of the asymmetry (an error in the unlike pair's two orderings or in a weight would not
     * shrink). These made-up distributions are no fluid's, and HNC gives them a few negative eigenvalues, which
     * the Hessian drops: what is returned is positive semi-definite and keeps every populated direction.
     */
    @Test
    void aDenseMixtureGivesASymmetricPositiveResponse() {
        List<TargetDistribution> gs = List.of(g(0.30, 1.2, 0.4, 1.2), g(0.36, 1.5, 0.5, 1.2), g(0.33, 1.0, 0.3, 1.2));
        List<FitTerm> terms = List.of(pair("A", "A", 1.0, 30, gs.get(0)), pair("B", "B", 1.1, 34, gs.get(1)), pair("A", "B", 1.05, 32, gs.get(2)));
        int m = 96;
        double[] asym = new double[2];
        double[] cross = new double[2];
        for (int scale = 0; scale < 2; scale++) {
            int f = scale == 0 ? 1 : 10;
            double[] raw = HncHessian.response(terms, gs, beads(600 * f, 200 * f), f * 800 / 25.0, KT);
            assertNotNull(raw);
            double max = 0;
            for (double v : raw) {
                max = Math.max(max, Math.abs(v));
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    asym[scale] = Math.max(asym[scale], Math.abs(raw[i * m + j] - raw[j * m + i]) / max);
                    if (i < 30 && j >= 64) {
                        cross[scale] = Math.max(cross[scale], Math.abs(raw[i * m + j]) / max);
                    }
                }
            }
        }
        assertTrue(asym[0] < 2.0 / 200, "asymmetry " + asym[0] + " of the largest entry with 200 B beads");
        assertEquals(0.1, asym[1] / asym[0], 0.02, "asymmetry " + asym[1] + " with ten times the beads, against " + asym[0]);
        assertTrue(cross[0] > 1e-3, "the A-A and A-B blocks are coupled: " + cross[0] + " of the largest entry");
        double[] h = HncHessian.of(terms, gs, beads(600, 200), 800 / 25.0, KT);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, false, true);
        assertTrue(eig.decompose(new DMatrixRMaj(m, m, true, h)));
        double lowest = Double.POSITIVE_INFINITY;
        double highest = 0;
        int populated = 0;
        for (int k = 0; k < m; k++) {
            double w = eig.getEigenvalue(k).getReal();
            lowest = Math.min(lowest, w);
            highest = Math.max(highest, w);
        }
        for (int k = 0; k < m; k++) {
            populated += eig.getEigenvalue(k).getReal() > 1e-9 * highest ? 1 : 0;
        }
        assertTrue(lowest > -1e-9 * highest, "eigenvalues from " + lowest + " to " + highest);
        // the coefficients inside the cores (g = 0) carry no response; all others do
        assertTrue(populated >= 60, populated + " positive eigenvalues");
    }

    @Test
    void onlyForSingleBeadMoleculesWithEveryPairFitted() {
        TargetDistribution g = g(0.3, 1.0, 0, 1.0);
        CgTopology top = beads(50, 50);
        assertNull(HncHessian.of(List.of(pair("A", "A", 0.9, 20, g)), List.of(g), top, 1000, KT), "the A-B and B-B pairs are not fitted");
    }
}
