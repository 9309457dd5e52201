package org.remcg.fit;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.remcg.system.CgTopology;

/**
 * The relative entropy's Hessian over pair-potential coefficients, beta^2 Cov(phi), from the
 * linear response of the hypernetted-chain (HNC) theory instead of from sampled fluctuations.
 *
 * <p>For pair features phi_k = sum over pairs of B_k(r), the Hessian equals -kT^-1 times the
 * derivative of the feature averages by the coefficients: d&lt;phi_k&gt;/d theta_l = P_q integral
 * B_k(r) dg_q(r)/d theta_l 4 pi r^2 dr (P_q the term's pairs per volume). The response dg/du
 * follows from the HNC closure g = exp(-beta u + h - c) linearized, dh = g (-beta du + dh - dc),
 * and the multicomponent Ornstein-Zernike relation differentiated at every wave number,
 * dC(k) = A dH(k) A^T with A = (I + H(k) rho)^-1 (rho the diagonal matrix of partial densities):
 * one linear system over the grid values of all terms' dh, solved once for every coefficient's
 * basis function as du. The result is noise-free and carries what few sampled frames cannot: the
 * collective (compressibility-like) directions in which the pair counts of a dense liquid hardly
 * fluctuate, and the coupling of the unlike and like pairs. It is approximate (no bridge function,
 * the thermodynamic limit rather than the finite box), symmetric up to the 1/N difference between the
 * features' pair counts and rho_a rho_b V (symmetrized), and positive semi-definite after negative
 * eigenvalues, if any, are dropped.
 *
 * <p>Only for single-bead molecules with every pair of bead types fitted (as {@link HncStart});
 * otherwise null.
 */
public final class HncHessian {
    private HncHessian() {
    }

    /** Grid step of the response (nm). */
    static final double DR = 0.004;

    /**
     * @param distributions per term the pair distribution g(r) the response is taken at
     * @return beta^2 Cov(phi) (m x m row-major, m all the terms' coefficients in term order), or null
     */
    public static double[] of(List<FitTerm> terms, List<TargetDistribution> distributions, CgTopology top, double volume, double kT) {
        double[] hess = response(terms, distributions, top, volume, kT);
        if (hess == null) {
            return null;
        }
        int m = (int) Math.round(Math.sqrt(hess.length));
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double s = 0.5 * (hess[i * m + j] + hess[j * m + i]);
                hess[i * m + j] = s;
                hess[j * m + i] = s;
            }
        }
        return positivePart(hess, m);
    }

    /**
     * The matrix with its negative eigenvalues set to zero where any is more than rounding (1e-9 of the largest). A
     * covariance has none; HNC at distributions that no fluid of pair potentials has (or at a state it cannot
     * describe) can give some, which a Hessian must not carry.
     */
    static double[] positivePart(double[] h, int m) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
        if (!eig.decompose(new DMatrixRMaj(m, m, true, h))) {
            return h;
        }
        double lowest = 0;
        double highest = 0;
        for (int k = 0; k < m; k++) {
            lowest = Math.min(lowest, eig.getEigenvalue(k).getReal());
            highest = Math.max(highest, eig.getEigenvalue(k).getReal());
        }
        if (lowest >= -1e-9 * highest) {
            return h;   // at most rounding below zero (the null directions of coefficients in the cores, where g = 0)
        }
        double[] out = new double[m * m];
        for (int k = 0; k < m; k++) {
            double w = eig.getEigenvalue(k).getReal();
            if (w <= 0) {
                continue;
            }
            double[] v = eig.getEigenVector(k).getData();
            for (int i = 0; i < m; i++) {
                double wi = w * v[i];
                for (int j = 0; j < m; j++) {
                    out[i * m + j] += wi * v[j];
                }
            }
        }
        return out;
    }

    /**
     * -kT^-1 d&lt;phi_k&gt;/d theta_l as computed, before symmetrizing: symmetric up to rounding, because with the
     * pair weights P_q the Ornstein-Zernike map dh -&gt; dc is self-adjoint (a check of the algebra).
     */
    static double[] response(List<FitTerm> terms, List<TargetDistribution> distributions, CgTopology top, double volume, double kT) {
        int[][] termOf = HncStart.termMatrix(terms, top);
        if (termOf == null) {
            return null;
        }
        int types = top.types();
        int nq = terms.size();
        double[] rho = HncStart.partialDensities(top, volume);
        double rmax = 0;
        for (FitTerm t : terms) {
            rmax = Math.max(rmax, t.cutoff());
        }
        RadialGrid grid = RadialGrid.of((int) Math.ceil(rmax / DR), DR);
        int n = grid.size();
        double[] r = grid.r();
        double[] k = grid.k();
        // the transforms as matrices: forward F[j][i] (h -> H(k)) and inverse B[i][j] (C(k) -> c)
        double[][] fwd = new double[n][n];
        double[][] inv = new double[n][n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double s = grid.sin()[j][i];
                fwd[j][i] = 4 * Math.PI * DR * r[i] * s / k[j];
                inv[i][j] = (Math.PI / grid.length()) * k[j] * s / (2 * Math.PI * Math.PI * r[i]);
            }
        }
        double[][] g = new double[nq][n];
        double[][] hk = new double[nq][n];
        for (int q = 0; q < nq; q++) {
            TargetDistribution d = distributions.get(q);
            double[] h = new double[n];
            for (int i = 0; i < n; i++) {
                g[q][i] = r[i] <= d.upper() && r[i] >= d.lower() ? Math.max(0, d.at(r[i])) : 1;
                h[i] = g[q][i] - 1;
            }
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += fwd[j][i] * h[i];
                }
                hk[q][j] = s;
            }
        }
        // mixing coefficients: dC_q'(k) = sum_q mix[q'][q][k] dH_q(k)
        double[][][] mix = new double[nq][nq][n];
        DMatrixRMaj a = new DMatrixRMaj(types, types);
        DMatrixRMaj ainv = new DMatrixRMaj(types, types);
        for (int j = 0; j < n; j++) {
            for (int x = 0; x < types; x++) {
                for (int y = 0; y < types; y++) {
                    a.set(x, y, (x == y ? 1 : 0) + hk[termOf[x][y]][j] * rho[y]);
                }
            }
            if (!CommonOps_DDRM.invert(a, ainv)) {
                return null;
            }
            for (int x = 0; x < types; x++) {
                for (int y = x; y < types; y++) {
                    int qo = termOf[x][y];
                    for (int c = 0; c < types; c++) {
                        for (int d = c; d < types; d++) {
                            int qi = termOf[c][d];
                            double v = c == d ? ainv.get(x, c) * ainv.get(y, c) : ainv.get(x, c) * ainv.get(y, d) + ainv.get(x, d) * ainv.get(y, c);
                            mix[qo][qi][j] = v;
                        }
                    }
                }
            }
        }
        // L = I - G + G M, M the map dh -> dc
        int dim = nq * n;
        DMatrixRMaj lhs = new DMatrixRMaj(dim, dim);
        double[] tmp = new double[n];
        for (int qo = 0; qo < nq; qo++) {
            for (int qi = 0; qi < nq; qi++) {
                for (int c = 0; c < n; c++) {
                    // column c of inv * diag(mix) * fwd
                    for (int j = 0; j < n; j++) {
                        tmp[j] = mix[qo][qi][j] * fwd[j][c];
                    }
                    for (int i = 0; i < n; i++) {
                        double s = 0;
                        for (int j = 0; j < n; j++) {
                            s += inv[i][j] * tmp[j];
                        }
                        lhs.set(qo * n + i, qi * n + c, g[qo][i] * s + (qo == qi && i == c ? 1 - g[qo][i] : 0));
                    }
                }
            }
        }
        int m = 0;
        int[] offset = new int[nq];
        for (int q = 0; q < nq; q++) {
            offset[q] = m;
            m += terms.get(q).basis().size();
        }
        // right-hand sides: -beta G B_l on its term's block
        double beta = 1 / kT;
        DMatrixRMaj rhs = new DMatrixRMaj(dim, m);
        double[] val = new double[4];
        double[][] shell = new double[nq][];
        for (int q = 0; q < nq; q++) {
            FitTerm t = terms.get(q);
            for (int i = 0; i < n; i++) {
                if (r[i] > t.cutoff()) {
                    continue;
                }
                int first = t.basis().evaluate(r[i], val, null, null);
                for (int w = 0; w < val.length; w++) {
                    int l = first + w;
                    if (l >= 0 && l < t.basis().size()) {
                        rhs.set(q * n + i, offset[q] + l, -beta * g[q][i] * val[w]);
                    }
                }
            }
            shell[q] = new double[n];
            double perVolume = HncStart.pairsPerVolume(top, t, volume);
            for (int i = 0; i < n; i++) {
                shell[q][i] = r[i] <= t.cutoff() ? perVolume * 4 * Math.PI * r[i] * r[i] * DR : 0;
            }
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.lu(dim);
        if (!solver.setA(lhs)) {
            return null;
        }
        DMatrixRMaj dg = new DMatrixRMaj(dim, m);
        solver.solve(rhs, dg);
        // J_kl = P_q sum_i B_k(r_i) dg_q(r_i)/dtheta_l 4 pi r_i^2 dr; H = -J / kT
        double[] hess = new double[m * m];
        for (int q = 0; q < nq; q++) {
            FitTerm t = terms.get(q);
            for (int i = 0; i < n; i++) {
                if (shell[q][i] == 0) {
                    continue;
                }
                int first = t.basis().evaluate(r[i], val, null, null);
                for (int w = 0; w < val.length; w++) {
                    int kk = first + w;
                    if (kk < 0 || kk >= t.basis().size()) {
                        continue;
                    }
                    int row = offset[q] + kk;
                    double f = val[w] * shell[q][i];
                    for (int l = 0; l < m; l++) {
                        hess[row * m + l] -= beta * f * dg.get(q * n + i, l);
                    }
                }
            }
        }
        return hess;
    }
}
