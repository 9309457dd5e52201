package org.remcg.model;

/** U(x) = k/2 (x - x0)^2 (the GROMACS convention: k in kJ/mol/nm^2 for bonds, kJ/mol/rad^2 for angles). */
public record HarmonicPotential(double k, double x0) implements Potential {
    public HarmonicPotential {
        if (!Double.isFinite(k) || !Double.isFinite(x0)) {
            throw new IllegalArgumentException("harmonic potential needs finite k and x0, got k=" + k + " x0=" + x0);
        }
    }

    @Override public double energy(double x) { double d = x - x0; return 0.5 * k * d * d; }
    @Override public double derivative(double x) { return k * (x - x0); }
    @Override public double secondDerivative(double x) { return k; }
    @Override public String describe() { return "harmonic(k=" + k + ", x0=" + x0 + ")"; }
}
