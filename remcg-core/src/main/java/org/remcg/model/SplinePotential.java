package org.remcg.model;

/**
 * A basis-expanded potential U(x) = sum_k theta_k B_k(x) on a cubic B-spline basis: the family
 * the relative-entropy fit adjusts. The coefficients are owned by the {@link ForceField} that holds
 * this potential and change when it sets a new parameter vector. Inside [min, max] evaluation uses
 * the four non-zero basis functions; outside it the {@link Wall} continuation applies (the features
 * are zero there).
 */
public final class SplinePotential implements Potential {
    private final CubicBSpline basis;
    final double[] coef;

    public SplinePotential(CubicBSpline basis, double[] coefficients) {
        if (coefficients.length != basis.size()) {
            throw new IllegalArgumentException("bspline with " + basis.size() + " functions needs " + basis.size() + " coefficients, got "
                    + coefficients.length);
        }
        for (int i = 0; i < coefficients.length; i++) {
            if (!Double.isFinite(coefficients[i])) {
                throw new IllegalArgumentException("bspline coefficient " + (i + 1) + " is not finite: " + coefficients[i]);
            }
        }
        this.basis = basis;
        this.coef = coefficients.clone();
    }

    public CubicBSpline basis() { return basis; }

    /** The current coefficients (a copy). */
    public double[] coefficients() { return coef.clone(); }

    @Override public double lowerBound() { return basis.lower(); }
    @Override public double upperBound() { return basis.upper(); }

    /** Value (which = 0), first or second derivative of the spline at x in [min, max], without allocation. */
    private double inside(double x, int which) {
        int m = coef.length;
        double lo = basis.lower();
        double invH = 1.0 / basis.knotSpacing();
        double t = (x - lo) * invH;
        int i = (int) t;
        if (i > m - 4) {
            i = m - 4;
        }
        if (i < 0) {
            i = 0;
        }
        double u = Math.min(1.0, Math.max(0.0, t - i));
        double v = 1.0 - u;
        double a0 = coef[i];
        double a1 = coef[i + 1];
        double a2 = coef[i + 2];
        double a3 = coef[i + 3];
        if (which == 0) {
            double u2 = u * u;
            double u3 = u2 * u;
            return (a0 * v * v * v + a1 * (3 * u3 - 6 * u2 + 4) + a2 * (-3 * u3 + 3 * u2 + 3 * u + 1) + a3 * u3) / 6.0;
        }
        if (which == 1) {
            double u2 = u * u;
            return (-0.5 * v * v * a0 + (1.5 * u2 - 2 * u) * a1 + (-1.5 * u2 + u + 0.5) * a2 + 0.5 * u2 * a3) * invH;
        }
        return (v * a0 + (3 * u - 2) * a1 + (-3 * u + 1) * a2 + u * a3) * invH * invH;
    }

    @Override
    public double energy(double x) {
        double lo = basis.lower();
        double hi = basis.upper();
        if (x < lo) {
            return Wall.belowEnergy(inside(lo, 0), inside(lo, 1), lo, x);
        }
        if (x > hi) {
            return Wall.aboveEnergy(inside(hi, 0), inside(hi, 1), hi, x);
        }
        return inside(x, 0);
    }

    @Override
    public double derivative(double x) {
        double lo = basis.lower();
        double hi = basis.upper();
        if (x < lo) {
            return Wall.belowDerivative(inside(lo, 1), lo, x);
        }
        if (x > hi) {
            return Wall.aboveDerivative(inside(hi, 1), hi, x);
        }
        return inside(x, 1);
    }

    @Override
    public double secondDerivative(double x) {
        if (x < basis.lower() || x > basis.upper()) {
            return 2 * Wall.STIFFNESS;
        }
        return inside(x, 2);
    }

    /** The basis functions at x in [min, max] (U is linear in the coefficients); -1 outside. */
    @Override
    public int parameterGradient(double x, double[] out) {
        if (x >= basis.lower() && x <= basis.upper()) {
            return basis.evaluate(x, out, null, null);
        }
        return -1;
    }

    @Override
    public int parameterWindow() {
        return basis.window();
    }

    @Override
    public String describe() {
        return "bspline(" + basis.size() + " on [" + basis.lower() + ", " + basis.upper() + "])";
    }
}
