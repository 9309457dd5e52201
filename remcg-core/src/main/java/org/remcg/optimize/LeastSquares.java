package org.remcg.optimize;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Penalized linear least squares from accumulated normal equations. With G = sum of X^T X and
 * h = sum of X^T y over n data rows, the coefficients minimize
 * |y - X c|^2 / n + ridge |c|^2 + roughness c^T R c, i.e. solve (G/n + ridge I + roughness R) c = h/n
 * by Cholesky. A nearly singular system (a direction without data, collinear features) gets an
 * automatic ridge of {@link #CONDITION_FLOOR} times its largest eigenvalue ({@link #autoRidge}).
 * Shared by the drift estimator and force matching; all matrices are dense row-major arrays.
 */
public final class LeastSquares {

    /** Relative eigenvalue floor below which the automatic ridge is added. */
    public static final double CONDITION_FLOOR = 1e-10;

    private LeastSquares() {
    }

    /** M = G/n + ridge I + rough R (R may be null when rough is 0). */
    public static DMatrixRMaj system(double[] g, long n, int p, double ridge, double rough, double[] r) {
        DMatrixRMaj m = new DMatrixRMaj(p, p);
        double[] d = m.data;
        for (int i = 0; i < p * p; i++) {
            d[i] = g[i] / n + (rough == 0 ? 0 : rough * r[i]);
        }
        for (int i = 0; i < p; i++) {
            d[i * p + i] += ridge;
        }
        return m;
    }

    /** Automatic ridge for M: 0 when its smallest eigenvalue is above CONDITION_FLOOR times the largest. */
    public static double autoRidge(DMatrixRMaj m) {
        int p = m.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(p, false, true);
        if (!eig.decompose(m.copy())) {
            throw new IllegalStateException("eigen-decomposition of the normal equations failed");
        }
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < p; i++) {
            double v = eig.getEigenvalue(i).getReal();
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        if (!(max > 0) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("the least-squares system is zero or not finite: no usable data for this basis");
        }
        return min < CONDITION_FLOOR * max ? CONDITION_FLOOR * max : 0;
    }

    /** Solves (M + extraRidge I) c = rhs / n by Cholesky; errors when the solution is not finite. */
    public static double[] solve(DMatrixRMaj m, double[] rhs, long n, double extraRidge) {
        int p = m.numRows;
        DMatrixRMaj a = m.copy();
        for (int i = 0; i < p; i++) {
            a.data[i * p + i] += extraRidge;
        }
        LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(p);
        if (!chol.setA(a)) {
            throw new IllegalArgumentException("the least-squares system is not positive definite even with the automatic ridge");
        }
        DMatrixRMaj b = new DMatrixRMaj(p, 1);
        for (int i = 0; i < p; i++) {
            b.data[i] = rhs[i] / n;
        }
        DMatrixRMaj x = new DMatrixRMaj(p, 1);
        chol.solve(b, x);
        for (double v : x.data) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the least-squares solution is not finite (ill-conditioned system)");
            }
        }
        return x.data.clone();
    }

    /** Residual sum of squares of coefficients c from the sums: c^T G c - 2 c^T h + q (q = sum y^2). */
    public static double residual(double[] g, double[] h, double q, double[] c) {
        int p = c.length;
        double quad = 0;
        for (int i = 0; i < p; i++) {
            double ci = c[i];
            if (ci == 0) {
                continue;
            }
            double row = 0;
            for (int j = 0; j < p; j++) {
                row += g[i * p + j] * c[j];
            }
            quad += ci * row;
        }
        double lin = 0;
        for (int i = 0; i < p; i++) {
            lin += c[i] * h[i];
        }
        return quad - 2 * lin + q;
    }
}
