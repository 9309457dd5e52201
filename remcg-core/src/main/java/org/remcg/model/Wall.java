package org.remcg.model;

/**
 * The steep repulsive continuation used outside the range where a spline or table is defined.
 *
 * <p>Below the lower bound a of a potential with value U(a) and slope U'(a), with d = a - x &gt; 0:
 * U(x) = U(a) - U'(a) d + K d^2 with K = {@value #STIFFNESS} kJ/mol/nm^2 (or per rad^2). Value and
 * slope are continuous at a; the quadratic makes the force push x back towards the range within a
 * distance |U'(a)| / 2K when U'(a) &gt; 0. Above the upper bound b of a bonded potential the mirror
 * image is used: with d = x - b, U(x) = U(b) + U'(b) d + K d^2.
 */
public final class Wall {
    /** Curvature of the continuation, kJ/mol per unit^2. */
    public static final double STIFFNESS = 1.0e5;

    private Wall() {
    }

    /** Energy below the lower bound a (x &lt; a). */
    public static double belowEnergy(double ua, double da, double a, double x) {
        double d = a - x;
        return ua - da * d + STIFFNESS * d * d;
    }

    /** dU/dx below the lower bound a. */
    public static double belowDerivative(double da, double a, double x) {
        return da - 2 * STIFFNESS * (a - x);
    }

    /** Energy above the upper bound b (x &gt; b). */
    public static double aboveEnergy(double ub, double db, double b, double x) {
        double d = x - b;
        return ub + db * d + STIFFNESS * d * d;
    }

    /** dU/dx above the upper bound b. */
    public static double aboveDerivative(double db, double b, double x) {
        return db + 2 * STIFFNESS * (x - b);
    }
}
