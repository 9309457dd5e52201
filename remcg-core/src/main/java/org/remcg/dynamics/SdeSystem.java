package org.remcg.dynamics;

/**
 * A fine-grained stochastic process dX = a(X) dt + sigma(X) dW in {@code dimension} dimensions:
 * its drift, its noise, and a starting point. Built-in systems come from {@link ModelSystems};
 * users supply their own {@link Drift} and {@link Diffusion} as code.
 */
public record SdeSystem(String name, int dimension, Drift drift, Diffusion diffusion, double[] start) {
    public SdeSystem {
        if (dimension < 1) {
            throw new IllegalArgumentException("SDE dimension must be >= 1, got " + dimension);
        }
        if (start == null || start.length != dimension) {
            throw new IllegalArgumentException("start point must have " + dimension + " coordinates");
        }
        start = start.clone();
    }

    /** sigma sigma^T at x into out (d x d), using scratch of length d*d. */
    public void diffusionTensor(double[] x, double[] scratch, double[] out) {
        int d = dimension;
        diffusion.sigma(x, scratch);
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
}
