package org.remcg.dynamics;

/**
 * The drift a(x) of an Ito SDE dX = a(X) dt + sigma(X) dW in d dimensions, supplied as code.
 * Implementations must not allocate per call and must be safe to call from several threads
 * (keep scratch in locals or per-thread objects).
 */
@FunctionalInterface
public interface Drift {
    /** Writes a(x) into {@code out} (length d); {@code x} must not be modified. */
    void evaluate(double[] x, double[] out);
}
