package org.remcg.dynamics;

/**
 * A stochastic process dX = a(X) dt + sigma(X) dW in {@code dimension} dimensions: its drift, its
 * noise, a starting point and, for a process confined to a domain, what happens at its boundary.
 * Built-in systems come from {@link ModelSystems}; users supply their own {@link Drift} and
 * {@link Diffusion} as code.
 *
 * @param boundary applied to the state after every step (reflection, periodic wrapping), or null on R^d
 */
public record SdeSystem(String name, int dimension, Drift drift, Diffusion diffusion, double[] start, Boundary boundary) {

    /** What happens to a state that leaves the domain: {@link #apply} moves it back in place, allocating nothing. */
    @FunctionalInterface
    public interface Boundary {
        void apply(double[] x);
    }

    /** A process on all of R^d. */
    public SdeSystem(String name, int dimension, Drift drift, Diffusion diffusion, double[] start) {
        this(name, dimension, drift, diffusion, start, null);
    }

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
        diffusion.tensor(x, dimension, scratch, out);
    }
}
