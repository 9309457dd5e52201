package org.remcg.model;

/**
 * A potential of one variable (a distance in nm, or an angle in radians): energy in kJ/mol and
 * its first and second derivatives. Implementations are cheap to evaluate and thread-safe for
 * reading; a basis-expanded potential ({@link SplinePotential}) changes only when its force field
 * sets new parameters.
 */
public interface Potential {

    /** U(x) in kJ/mol. */
    double energy(double x);

    /** dU/dx. */
    double derivative(double x);

    /** d2U/dx2; by default a central difference of {@link #derivative}. */
    default double secondDerivative(double x) {
        double h = 1e-6 * Math.max(1e-3, Math.abs(x));
        return (derivative(x + h) - derivative(x - h)) / (2 * h);
    }

    /**
     * Smallest x at which the potential is evaluated by its own formula; below it the engine (and
     * {@link #energy}) use the steep repulsive continuation of {@link Wall}. Analytic forms return
     * 0 (they need no continuation).
     */
    default double lowerBound() {
        return 0;
    }

    /** Largest x at which the potential is defined (+infinity for analytic forms). */
    default double upperBound() {
        return Double.POSITIVE_INFINITY;
    }

    /**
     * dU/dtheta at x, theta being the parameters the force field fits for this potential (its slice of
     * {@link ForceField#parameters()}): writes the derivatives with respect to the at most {@link #parameterWindow()}
     * consecutive parameters that can be non-zero at x into {@code out} and returns the index of the first of them, or
     * -1 when none is. Fixed potentials have no parameters (-1). For a basis expansion these are the basis functions at
     * x inside the basis range; outside it (the {@link Wall} continuation) the features are taken as zero.
     */
    default int parameterGradient(double x, double[] out) {
        return -1;
    }

    /** Largest number of parameters {@link #parameterGradient} writes at one x (0 for a fixed potential). */
    default int parameterWindow() {
        return 0;
    }

    /** Short description for messages and model files, e.g. {@code lj(epsilon=1, sigma=0.3)}. */
    String describe();
}
