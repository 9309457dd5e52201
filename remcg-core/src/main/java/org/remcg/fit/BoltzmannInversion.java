package org.remcg.fit;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.remcg.model.CubicBSpline;

/**
 * The starting potential of a fit and the split of its B-spline coefficients into fitted and
 * tied ones.
 *
 * <p>Boltzmann inversion: U(x) = -kT ln(p(x) / J(x)) where p is the target distribution and J
 * the Jacobian of the coordinate (1 for pair g(r), which is already divided by the shell
 * volume, r^2 for bond lengths, sin x for angles, 1 for dihedrals), projected on the basis by least squares over the grid points where
 * p exceeds {@code minValue} (relative to its maximum), with a light second-difference penalty.
 *
 * <p>Coefficient rule. Function k is <em>informed</em> when the distribution, averaged over the
 * function's support with the function as weight, exceeds {@code minValue} times its maximum.
 * Uninformed functions below the informed range are tied to the first informed coefficient with
 * a fixed offset that grows by {@code max(wallStep, slope)} per knot, where slope is the rise of
 * the inverted potential over one knot interval at the edge of the data: a repulsive wall that
 * moves with the fitted part and is never fitted itself. Uninformed functions above the range
 * are tied the same way to the last informed one (bonded potentials rise on both sides). For
 * pair potentials the last three coefficients are instead fixed at zero, so the potential and
 * its first two derivatives vanish at the cutoff (for uniform cubic B-splines only the last
 * three functions are non-zero there). Bonded potentials have no such anchor, and their additive
 * constant is invisible to every distribution; the coefficient of the function where the
 * distribution peaks is therefore fixed at its inverted value (with any wall tied to it), which
 * removes that null direction from the fit.
 */
public final class BoltzmannInversion {

    /** How the coordinate's Jacobian enters the inversion. */
    public enum Jacobian { NONE, SINE, R2 }

    /**
     * The start: full coefficient vector, tie slot per coefficient (-1 = fixed at its offset,
     * otherwise the index of the free parameter it follows) and offsets; {@code free} parameters;
     * the first and last informed functions.
     */
    public record Start(double[] theta, int[] tie, double[] offset, int free, int firstInformed, int lastInformed) {
    }

    private BoltzmannInversion() {
    }

    /**
     * @param basis    B-spline basis of the interaction
     * @param target   target distribution (g(r) for pairs)
     * @param kT       thermal energy (kJ/mol)
     * @param jacobian Jacobian to divide out before inverting
     * @param pair     true for a pair potential (ends at zero at the cutoff = basis upper bound)
     * @param minValue informed threshold relative to the distribution's maximum (e.g. 1e-3)
     * @param wallStep smallest rise of the wall per knot interval (kJ/mol), e.g. 3 kT
     */
    public static Start invert(CubicBSpline basis, TargetDistribution target, double kT, Jacobian jacobian, boolean pair, double minValue,
            double wallStep) {
        return invert(basis, target, null, kT, jacobian, pair, minValue, wallStep);
    }

    /**
     * As {@link #invert(CubicBSpline, TargetDistribution, double, Jacobian, boolean, double, double)}, with the
     * potential inverted from {@code source} (e.g. the HNC pseudo-distribution of {@link HncStart}) while the
     * target decides which functions are informed and which points carry data; null: the target itself.
     */
    public static Start invert(CubicBSpline basis, TargetDistribution target, TargetDistribution source, double kT, Jacobian jacobian, boolean pair,
            double minValue, double wallStep) {
        int m = basis.size();
        double max = 0;
        for (double v : target.value()) {
            max = Math.max(max, v);
        }
        double threshold = minValue * max;
        // informed functions: B_k-weighted average of p over the support
        double[] num = new double[m];
        double[] den = new double[m];
        double[] val = new double[4];
        int samples = 64 * (m - 3);
        for (int s = 0; s <= samples; s++) {
            double q = basis.lower() + (basis.upper() - basis.lower()) * s / samples;
            int first = basis.evaluate(q, val, null, null);
            double p = target.at(q);
            for (int j = 0; j < 4; j++) {
                int k = first + j;
                if (k >= 0 && k < m) {
                    num[k] += val[j] * p;
                    den[k] += val[j];
                }
            }
        }
        int lo = -1;
        int hi = -1;
        for (int k = 0; k < m; k++) {
            if (den[k] > 0 && num[k] / den[k] > threshold) {
                if (lo < 0) {
                    lo = k;
                }
                hi = k;
            }
        }
        int lastFree = pair ? Math.min(hi, m - 4) : hi;
        if (lo < 0 || lastFree - lo < 1) {
            throw new IllegalArgumentException("the target distribution covers too little of the basis range [" + basis.lower() + ", "
                    + basis.upper() + "] to fit it (informed functions " + lo + ".." + hi + " of " + m + ")");
        }
        int[] tie = new int[m];
        double[] offset = new double[m];
        int free = lastFree - lo + 1;
        for (int k = 0; k < m; k++) {
            tie[k] = k < lo ? 0 : k > lastFree ? free - 1 : k - lo;
        }
        if (pair) {
            for (int k = m - 3; k < m; k++) {
                tie[k] = -1;
                offset[k] = 0;
            }
            for (int k = lastFree + 1; k < m - 3; k++) {
                tie[k] = free - 1;   // informed range ends before the tail: follow the last free one flat
            }
        }
        // least squares on the grid points with data, in the free parameters
        double[][] points = fitPoints(basis, target);
        double[] xs = points[0];
        double[] ps = points[1];
        int rows = 0;
        for (int i = 0; i < xs.length; i++) {
            if (ps[i] > threshold && xs[i] >= basis.lower() && xs[i] <= basis.upper() && jac(jacobian, xs[i]) > 0) {
                rows++;
            }
        }
        if (rows < 2) {
            throw new IllegalArgumentException("too few target points inside the basis range to invert");
        }
        // first pass without walls (offsets 0) to get the edge slopes, second with the walls
        double[] theta = null;
        for (int pass = 0; pass < 2; pass++) {
            DMatrixRMaj a = new DMatrixRMaj(rows + free, free);
            DMatrixRMaj b = new DMatrixRMaj(rows + free, 1);
            int r = 0;
            for (int i = 0; i < xs.length; i++) {
                double q = xs[i];
                if (!(ps[i] > threshold && q >= basis.lower() && q <= basis.upper() && jac(jacobian, q) > 0)) {
                    continue;
                }
                double p = source == null ? ps[i] : source.at(q);
                if (!(p > 0)) {
                    continue;
                }
                double u = -kT * Math.log(p / jac(jacobian, q));
                int first = basis.evaluate(q, val, null, null);
                double rhs = u;
                for (int j = 0; j < 4; j++) {
                    int k = first + j;
                    if (k < 0 || k >= m) {
                        continue;
                    }
                    if (tie[k] >= 0) {
                        a.add(r, tie[k], val[j]);
                    }
                    rhs -= val[j] * offset[k];
                }
                b.set(r, 0, rhs);
                r++;
            }
            // light roughness: 1e-3 of the data rows' weight on second differences of the free parameters
            double lambda = 1e-3 * Math.sqrt((double) rows / Math.max(1, free));
            for (int f = 1; f + 1 < free; f++) {
                a.set(rows + f, f - 1, lambda);
                a.set(rows + f, f, -2 * lambda);
                a.set(rows + f, f + 1, lambda);
            }
            LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.leastSquares(a.numRows, a.numCols);
            if (!solver.setA(a)) {
                throw new IllegalArgumentException("Boltzmann inversion: the least-squares problem is singular");
            }
            DMatrixRMaj x = new DMatrixRMaj(free, 1);
            solver.solve(b, x);
            theta = new double[m];
            for (int k = 0; k < m; k++) {
                theta[k] = tie[k] < 0 ? offset[k] : x.get(tie[k]) + offset[k];
            }
            if (pass == 0) {
                double slopeLo = Math.max(wallStep, free > 1 ? theta[lo] - theta[lo + 1] : wallStep);
                for (int k = lo - 1; k >= 0; k--) {
                    offset[k] = offset[k + 1] + Math.max(wallStep, slopeLo);
                }
                if (!pair) {
                    double slopeHi = Math.max(wallStep, free > 1 ? theta[lastFree] - theta[lastFree - 1] : wallStep);
                    for (int k = lastFree + 1; k < m; k++) {
                        offset[k] = offset[k - 1] + Math.max(wallStep, slopeHi);
                    }
                }
            }
        }
        if (!pair) {
            // A constant added to a bonded potential changes no distribution: with every bond (angle,
            // dihedral) inside the basis range the features of a term sum to a constant, so the REM
            // Hessian is singular along "all coefficients + c" and a sampled Newton step can run off
            // along it. Fix the gauge: the coefficient where the distribution peaks keeps its inverted value.
            int peak = lo;
            for (int k = lo; k <= lastFree; k++) {
                if (num[k] / den[k] > num[peak] / den[peak]) {
                    peak = k;
                }
            }
            int slot = tie[peak];
            for (int k = 0; k < m; k++) {
                if (tie[k] == slot) {
                    tie[k] = -1;
                    offset[k] = theta[k];
                } else if (tie[k] > slot) {
                    tie[k]--;
                }
            }
            free--;
        }
        return new Start(theta, tie, offset, free, lo, lastFree);
    }

    /**
     * Where the inversion is fitted: the target's bin labels and values when its bins are no wider than the basis'
     * knot spacing, otherwise points at the centres of equal sub-bins no wider than half a knot spacing, with the
     * values of the target's area-preserving reconstruction. With fewer data points than knot intervals the
     * least-squares fit is decided by its light smoothing alone, and where it must meet the pinned zero at a pair's
     * cutoff it oscillates (a 2.4 kT spike 0.02 nm before the cutoff with 100 B-splines on 0.01 nm bins).
     */
    static double[][] fitPoints(CubicBSpline basis, TargetDistribution target) {
        double[] e = target.edges();
        double h = basis.knotSpacing();
        double widest = 0;
        for (int i = 0; i + 1 < e.length; i++) {
            widest = Math.max(widest, e[i + 1] - e[i]);
        }
        if (widest <= h * (1 + 1e-9)) {
            return new double[][] {target.x(), target.value()};
        }
        int[] sub = new int[e.length - 1];
        int count = 0;
        for (int i = 0; i < sub.length; i++) {
            sub[i] = (int) Math.ceil((e[i + 1] - e[i]) / (0.5 * h) - 1e-9);
            count += sub[i];
        }
        double[][] pts = new double[2][count];
        int at = 0;
        for (int i = 0; i < sub.length; i++) {
            for (int j = 0; j < sub[i]; j++, at++) {
                pts[0][at] = e[i] + (e[i + 1] - e[i]) * (j + 0.5) / sub[i];
                pts[1][at] = target.at(pts[0][at]);
            }
        }
        return pts;
    }

    private static double jac(Jacobian j, double q) {
        return switch (j) {
            case SINE -> Math.sin(q);
            case R2 -> q * q;
            case NONE -> 1.0;
        };
    }
}
