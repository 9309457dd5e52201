package org.remcg.io;

import java.util.function.DoubleUnaryOperator;

/** Analytic test potentials (GROMACS units) for the table tests, with exact derivatives and geometry helpers. */
final class TablePotentials {
    private TablePotentials() {
    }

    /** A smooth function with its derivative and fourth-derivative bound helpers. */
    record Fn(DoubleUnaryOperator uf, DoubleUnaryOperator duf) {
        double u(double x) {
            return uf.applyAsDouble(x);
        }

        double du(double x) {
            return duf.applyAsDouble(x);
        }
    }

    // Pair: LJ (eps 1.2 kJ/mol, sigma 0.45 nm) plus a Gaussian bump at 0.85 nm, sampled 0.36 .. 1.2 nm.
    static final double EPS = 1.2, SIG = 0.45, BUMP = 0.6, R1 = 0.85, W = 0.12;
    static final Fn PAIR = new Fn(r -> {
        double s6 = Math.pow(SIG / r, 6);
        double g = (r - R1) / W;
        return 4 * EPS * (s6 * s6 - s6) + BUMP * Math.exp(-g * g);
    }, r -> {
        double s6 = Math.pow(SIG / r, 6);
        double g = (r - R1) / W;
        return 4 * EPS * (-12 * s6 * s6 + 6 * s6) / r - 2 * g / W * BUMP * Math.exp(-g * g);
    });

    // Bond: anharmonic, kb = 1500 kJ/mol/nm^2, b0 = 0.38 nm, cubic -1500 kJ/mol/nm^3; sampled 0.2 .. 0.7 nm.
    static final double KB = 1500, B0 = 0.38, CB = -1500;
    static final Fn BOND = new Fn(r -> 0.5 * KB * (r - B0) * (r - B0) + CB * Math.pow(r - B0, 3),
            r -> KB * (r - B0) + 3 * CB * (r - B0) * (r - B0));

    // Angle: 0.5 ka (cos t - cos t0)^2 + 2 cos 3t, ka = 60 kJ/mol, t0 = 110 degrees.
    static final double KA = 60, COS0 = Math.cos(Math.toRadians(110));
    static final Fn ANGLE = new Fn(t -> 0.5 * KA * (Math.cos(t) - COS0) * (Math.cos(t) - COS0) + 2 * Math.cos(3 * t),
            t -> -KA * (Math.cos(t) - COS0) * Math.sin(t) - 6 * Math.sin(3 * t));

    // Dihedral: not even in phi, so a sign-convention error shows: 3 (1 + cos(phi - 0.4)) + 1.2 cos 2phi + 0.8 sin 3phi.
    static final Fn DIHEDRAL = new Fn(p -> 3 * (1 + Math.cos(p - 0.4)) + 1.2 * Math.cos(2 * p) + 0.8 * Math.sin(3 * p),
            p -> -3 * Math.sin(p - 0.4) - 2.4 * Math.sin(2 * p) + 2.4 * Math.cos(3 * p));

    static Table pairTable() {
        return Table.sampleOnGrid("CG_AA", PAIR.uf, PAIR.duf, 0.36, 1.2, 0.002);
    }

    static Table bondTable() {
        return Table.sampleOnGrid("BOND_1", BOND.uf, BOND.duf, 0.2, 0.7, 0.001);
    }

    static Table angleTable() {
        return Table.sample("ANGLE_1", ANGLE.uf, ANGLE.duf, 0, Math.PI, 181);
    }

    static Table dihedralTable() {
        return Table.sample("DIH_1", DIHEDRAL.uf, DIHEDRAL.duf, -Math.PI, Math.PI, 361);
    }

    static double dist(double[] p, int i, int j) {
        double dx = p[3 * j] - p[3 * i], dy = p[3 * j + 1] - p[3 * i + 1], dz = p[3 * j + 2] - p[3 * i + 2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /** The angle i-j-k in radians. */
    static double angle(double[] p, int i, int j, int k) {
        double[] a = sub(p, i, j);
        double[] b = sub(p, k, j);
        return Math.atan2(norm(cross(a, b)), dot(a, b));
    }

    /** The IUPAC dihedral i-j-k-l (trans = pi, sign from the right-hand rule along j->k), in (-pi, pi]. */
    static double dihedral(double[] p, int i, int j, int k, int l) {
        double[] b1 = sub(p, j, i);
        double[] b2 = sub(p, k, j);
        double[] b3 = sub(p, l, k);
        double[] n1 = cross(b1, b2);
        double[] n2 = cross(b2, b3);
        return Math.atan2(norm(b2) * dot(b1, n2), dot(n1, n2));
    }

    /** p[a] - p[b]. */
    static double[] sub(double[] p, int a, int b) {
        return new double[] {p[3 * a] - p[3 * b], p[3 * a + 1] - p[3 * b + 1], p[3 * a + 2] - p[3 * b + 2]};
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** Forces -dE/dp by central differences of step h (error O(h^2 E''') plus roundoff eps E / h). */
    static double[] forces(java.util.function.ToDoubleFunction<double[]> energy, double[] p, double h) {
        double[] f = new double[p.length];
        double[] q = p.clone();
        for (int i = 0; i < p.length; i++) {
            q[i] = p[i] + h;
            double ep = energy.applyAsDouble(q);
            q[i] = p[i] - h;
            double em = energy.applyAsDouble(q);
            q[i] = p[i];
            f[i] = -(ep - em) / (2 * h);
        }
        return f;
    }

    /** max |g''| on [a, b], from second differences on 20000 intervals. */
    static double maxSecond(DoubleUnaryOperator g, double a, double b) {
        int n = 20000;
        double h = (b - a) / n;
        double m = 0;
        for (int i = 1; i < n; i++) {
            double x = a + i * h;
            m = Math.max(m, Math.abs(g.applyAsDouble(x + h) - 2 * g.applyAsDouble(x) + g.applyAsDouble(x - h)) / (h * h));
        }
        return m;
    }

    /** max |g''''| on [a, b], from the second differences of the exact derivative g' (third derivative of g') on 4000 intervals. */
    static double maxFourth(DoubleUnaryOperator dg, double a, double b) {
        int n = 4000;
        double h = (b - a) / n;
        double m = 0;
        for (int i = 2; i < n - 1; i++) {
            double x = a + i * h;
            double d3 = (dg.applyAsDouble(x + 2 * h) - 3 * dg.applyAsDouble(x + h) + 3 * dg.applyAsDouble(x) - dg.applyAsDouble(x - h)) / (h * h * h);
            m = Math.max(m, Math.abs(d3));
        }
        return m;
    }
}
