package org.remcg.dynamics;

/**
 * The noise matrix sigma(x) (d x d, row-major) of an Ito SDE dX = a(X) dt + sigma(X) dW, so that
 * the diffusion tensor is sigma sigma^T. {@link #isotropic} gives sigma sigma^T = 2 D I.
 */
public interface Diffusion {

    /** Writes sigma(x) (d x d, row-major) into {@code out}. */
    void sigma(double[] x, double[] out);

    /** True when sigma does not depend on x (enables the weak second-order scheme). */
    boolean constant();

    /** The diffusion tensor sigma sigma^T at x (d x d, row-major) into out, with sigma(x) left in scratch (length d*d). */
    default void tensor(double[] x, int d, double[] scratch, double[] out) {
        sigma(x, scratch);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += scratch[i * d + k] * scratch[j * d + k];
                }
                out[i * d + j] = s;
            }
        }
    }

    /** sigma = sqrt(2 D) I in d dimensions. */
    static Diffusion isotropic(int d, double diffusionCoefficient) {
        double[] diag = new double[d];
        java.util.Arrays.fill(diag, diffusionCoefficient);
        return diagonal(diag);
    }

    /** sigma = diag(sqrt(2 D_i)): a constant diagonal diffusion tensor 2 diag(D_i). */
    static Diffusion diagonal(double... diffusionCoefficients) {
        int d = diffusionCoefficients.length;
        double[] s = new double[d * d];
        for (int i = 0; i < d; i++) {
            if (!(diffusionCoefficients[i] >= 0) || !Double.isFinite(diffusionCoefficients[i])) {
                throw new IllegalArgumentException("diffusion coefficient " + (i + 1) + " must be finite and >= 0, got " + diffusionCoefficients[i]);
            }
            s[i * d + i] = Math.sqrt(2 * diffusionCoefficients[i]);
        }
        return constantMatrix(s);
    }

    /** A constant sigma matrix (d x d, row-major; copied). */
    static Diffusion constantMatrix(double[] sigma) {
        double[] s = sigma.clone();
        return new Diffusion() {
            @Override
            public void sigma(double[] x, double[] out) {
                System.arraycopy(s, 0, out, 0, s.length);
            }

            @Override
            public boolean constant() {
                return true;
            }
        };
    }

    /** A state-dependent sigma given as code. */
    static Diffusion of(java.util.function.BiConsumer<double[], double[]> sigma) {
        return new Diffusion() {
            @Override
            public void sigma(double[] x, double[] out) {
                sigma.accept(x, out);
            }

            @Override
            public boolean constant() {
                return false;
            }
        };
    }
}
