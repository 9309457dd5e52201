package org.remcg.optimize;

import org.remcg.numeric.QuadraticForm;

/**
 * Quadratic penalty added to the relative entropy:
 * P(theta) = ridge / 2 * |theta|^2 + roughness / 2 * theta^T R theta.
 * Its strengths are in the units of the objective (nats per sample for densities), so the
 * useful values shrink as the data grow; cross-validation picks them.
 */
public final class Regularizer {
    private static final Regularizer NONE = new Regularizer(0, 0, null);
    private final double ridge;
    private final double roughness;
    private final double[] r;

    /**
     * @param ridge     strength of the ridge term (&gt;= 0)
     * @param roughness strength of the roughness term (&gt;= 0)
     * @param matrix    R, n x n row-major (may be null when roughness is 0)
     */
    public Regularizer(double ridge, double roughness, double[] matrix) {
        if (!(ridge >= 0) || !(roughness >= 0) || !Double.isFinite(ridge) || !Double.isFinite(roughness)) {
            throw new IllegalArgumentException("penalty strengths must be finite and non-negative, got ridge " + ridge + ", roughness " + roughness);
        }
        if (roughness > 0 && matrix == null) {
            throw new IllegalArgumentException("a roughness penalty needs its matrix");
        }
        this.ridge = ridge;
        this.roughness = roughness;
        this.r = roughness > 0 ? matrix : null;
    }

    public static Regularizer none() {
        return NONE;
    }

    public double ridge() {
        return ridge;
    }

    public double roughness() {
        return roughness;
    }

    public boolean active() {
        return ridge > 0 || roughness > 0;
    }

    public double value(double[] theta) {
        double v = 0;
        if (ridge > 0) {
            for (double t : theta) {
                v += t * t;
            }
            v *= 0.5 * ridge;
        }
        if (r != null) {
            v += 0.5 * roughness * QuadraticForm.of(r, theta);
        }
        return v;
    }

    /** g += grad P(theta). */
    public void addGradient(double[] theta, double[] g) {
        int n = theta.length;
        for (int i = 0; i < n; i++) {
            double v = ridge * theta[i];
            if (r != null) {
                double row = 0;
                for (int j = 0; j < n; j++) {
                    row += r[i * n + j] * theta[j];
                }
                v += roughness * row;
            }
            g[i] += v;
        }
    }

    /** H += Hess P (n x n row-major). */
    public void addHessian(double[] h, int n) {
        for (int i = 0; i < n; i++) {
            h[i * n + i] += ridge;
        }
        if (r != null) {
            for (int i = 0; i < n * n; i++) {
                h[i] += roughness * r[i];
            }
        }
    }

    @Override
    public String toString() {
        return "ridge=" + ridge + ", roughness=" + roughness;
    }
}
