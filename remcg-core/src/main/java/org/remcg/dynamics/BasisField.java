package org.remcg.dynamics;

/**
 * A vector field f(y) = (sum_k c[j*K + k] psi_k(y))_j with {@code outputs} components on a
 * {@link DriftBasis}, with the covariance of its coefficients (null when not estimated), so that
 * every evaluation can carry a pointwise standard error sqrt(psi^T Cov_jj psi).
 */
public final class BasisField {
    private final DriftBasis basis;
    private final int outputs;
    private final double[] coef;
    private final double[] cov;

    public BasisField(DriftBasis basis, int outputs, double[] coef, double[] cov) {
        int p = outputs * basis.size();
        if (coef.length != p || (cov != null && cov.length != p * p)) {
            throw new IllegalArgumentException("coefficient arrays do not match " + outputs + " x " + basis.size());
        }
        this.basis = basis;
        this.outputs = outputs;
        this.coef = coef;
        this.cov = cov;
    }

    public DriftBasis basis() { return basis; }
    public int outputs() { return outputs; }
    /** Coefficients c[j*K + k] (shared, do not modify). */
    public double[] coefficients() { return coef; }
    /** Coefficient covariance (P x P, row-major), or null. */
    public double[] covariance() { return cov; }

    /** f(y) into out (length outputs). */
    public void evaluate(double y1, double y2, double[] out) {
        evaluate(y1, y2, out, null);
    }

    /** f(y) into out and, when err is non-null and the covariance is known, its standard errors into err. */
    public void evaluate(double y1, double y2, double[] out, double[] err) {
        evaluate(y1, y2, out, err, new int[basis.maxNonZero()], new double[basis.maxNonZero()]);
    }

    /** As {@link #evaluate(double, double, double[], double[])} with caller scratch of length basis().maxNonZero(). */
    public void evaluate(double y1, double y2, double[] out, double[] err, int[] idx, double[] val) {
        int k = basis.size();
        int n = basis.evaluate(y1, y2, idx, val);
        int p = outputs * k;
        for (int j = 0; j < outputs; j++) {
            double s = 0;
            for (int a = 0; a < n; a++) {
                s += coef[j * k + idx[a]] * val[a];
            }
            out[j] = s;
            if (err != null) {
                if (cov == null) {
                    err[j] = Double.NaN;
                    continue;
                }
                double v = 0;
                for (int a = 0; a < n; a++) {
                    int ia = j * k + idx[a];
                    for (int b = 0; b < n; b++) {
                        v += val[a] * val[b] * cov[ia * p + j * k + idx[b]];
                    }
                }
                err[j] = Math.sqrt(Math.max(0, v));
            }
        }
    }

    /** Component j at a 1-D point (convenience). */
    public double value(double y, int j) {
        double[] out = new double[outputs];
        evaluate(y, 0, out);
        return out[j];
    }

    /** The coefficients as one row per output component (a copy). */
    public double[][] coefficientsByOutput() {
        return byOutput(coef);
    }

    /** The coefficients' standard errors (square roots of the covariance's diagonal), one row per output component. */
    public double[][] standardErrorsByOutput() {
        double[] e = new double[coef.length];
        for (int i = 0; i < coef.length; i++) {
            e[i] = Math.sqrt(Math.max(0, cov[i * coef.length + i]));
        }
        return byOutput(e);
    }

    private double[][] byOutput(double[] c) {
        int k = c.length / outputs;
        double[][] s = new double[outputs][k];
        for (int j = 0; j < outputs; j++) {
            System.arraycopy(c, j * k, s[j], 0, k);
        }
        return s;
    }
}
