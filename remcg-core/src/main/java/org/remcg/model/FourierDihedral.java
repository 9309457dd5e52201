package org.remcg.model;

/**
 * A periodic dihedral potential U(phi) = sum_i k_i (1 + cos(n_i phi - delta_i)) (phi and delta in
 * radians, k in kJ/mol; the GROMACS proper dihedral type 9 and LAMMPS {@code charmm} form).
 */
public final class FourierDihedral implements Potential {
    private final double[] k;
    private final int[] n;
    private final double[] delta;

    public FourierDihedral(double[] k, int[] n, double[] delta) {
        if (k.length == 0 || k.length != n.length || k.length != delta.length) {
            throw new IllegalArgumentException("fourier dihedral needs k, n and delta lists of one equal, non-zero length");
        }
        for (int i = 0; i < k.length; i++) {
            if (!Double.isFinite(k[i]) || !Double.isFinite(delta[i]) || n[i] < 0) {
                throw new IllegalArgumentException("fourier dihedral term " + (i + 1) + " needs finite k, delta and n >= 0");
            }
        }
        this.k = k.clone();
        this.n = n.clone();
        this.delta = delta.clone();
    }

    public double[] k() { return k.clone(); }
    public int[] n() { return n.clone(); }
    public double[] delta() { return delta.clone(); }

    @Override
    public double energy(double phi) {
        double u = 0;
        for (int i = 0; i < k.length; i++) {
            u += k[i] * (1 + Math.cos(n[i] * phi - delta[i]));
        }
        return u;
    }

    @Override
    public double derivative(double phi) {
        double d = 0;
        for (int i = 0; i < k.length; i++) {
            d -= k[i] * n[i] * Math.sin(n[i] * phi - delta[i]);
        }
        return d;
    }

    @Override
    public double secondDerivative(double phi) {
        double d = 0;
        for (int i = 0; i < k.length; i++) {
            d -= k[i] * n[i] * n[i] * Math.cos(n[i] * phi - delta[i]);
        }
        return d;
    }

    @Override
    public double lowerBound() {
        return Double.NEGATIVE_INFINITY;
    }

    @Override
    public String describe() {
        return "fourier(" + k.length + " terms)";
    }
}
