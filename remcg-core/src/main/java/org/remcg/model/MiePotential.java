package org.remcg.model;

/**
 * The Mie potential U(r) = C epsilon [(sigma/r)^n - (sigma/r)^m] with C = n/(n-m) (n/m)^(m/(n-m)),
 * so the well depth is epsilon; n = 12, m = 6 is Lennard-Jones (C = 4). epsilon in kJ/mol, sigma
 * in nm.
 */
public final class MiePotential implements Potential {
    private final double epsilon;
    private final double sigma;
    private final double n;
    private final double m;
    private final double c;
    private final boolean lj;

    public MiePotential(double epsilon, double sigma, double n, double m) {
        if (!(sigma > 0) || !Double.isFinite(epsilon) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("Mie potential needs finite epsilon and sigma > 0, got epsilon=" + epsilon + " sigma=" + sigma);
        }
        if (!(n > m) || !(m > 0)) {
            throw new IllegalArgumentException("Mie exponents need n > m > 0, got n=" + n + " m=" + m);
        }
        this.epsilon = epsilon;
        this.sigma = sigma;
        this.n = n;
        this.m = m;
        this.c = n / (n - m) * Math.pow(n / m, m / (n - m));
        this.lj = n == 12 && m == 6;
    }

    /** Lennard-Jones 12-6. */
    public static MiePotential lennardJones(double epsilon, double sigma) {
        return new MiePotential(epsilon, sigma, 12, 6);
    }

    public double epsilon() { return epsilon; }
    public double sigma() { return sigma; }
    public double repulsiveExponent() { return n; }
    public double attractiveExponent() { return m; }
    public boolean isLennardJones() { return lj; }

    @Override
    public double energy(double r) {
        if (lj) {
            double s2 = sigma * sigma / (r * r);
            double s6 = s2 * s2 * s2;
            return 4 * epsilon * (s6 * s6 - s6);
        }
        double s = sigma / r;
        return c * epsilon * (Math.pow(s, n) - Math.pow(s, m));
    }

    @Override
    public double derivative(double r) {
        if (lj) {
            double s2 = sigma * sigma / (r * r);
            double s6 = s2 * s2 * s2;
            return -24 * epsilon * (2 * s6 * s6 - s6) / r;
        }
        double s = sigma / r;
        return -c * epsilon * (n * Math.pow(s, n) - m * Math.pow(s, m)) / r;
    }

    @Override
    public double secondDerivative(double r) {
        double s = sigma / r;
        return c * epsilon * (n * (n + 1) * Math.pow(s, n) - m * (m + 1) * Math.pow(s, m)) / (r * r);
    }

    @Override
    public String describe() {
        return lj ? "lj(epsilon=" + epsilon + ", sigma=" + sigma + ")" : "mie(epsilon=" + epsilon + ", sigma=" + sigma + ", n=" + n + ", m=" + m + ")";
    }
}
