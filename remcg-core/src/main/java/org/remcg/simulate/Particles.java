package org.remcg.simulate;

import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * The running state of the engine's particles: types, masses, positions, velocities and forces as flat arrays in an
 * internal order that the neighbour search re-sorts at list builds (neighbours close in memory). {@code ext[i]} is the
 * topology's index of internal particle i and {@code inv} its inverse; every array the engine shows outside is in the
 * topology's order ({@link #unsort}, {@link #sort}). A re-sort fills a second set of arrays and swaps them in, so the
 * array references change at each {@link #permute}: the parts that read them take them from here at every use.
 */
final class Particles {
    final int n;
    final int types;
    int[] type;
    double[] mass;
    double[] invMass;
    double[] x;
    double[] v;
    double[] f;
    int[] ext;
    final int[] inv;
    private int[] typeAlt;
    private double[] massAlt;
    private double[] invMassAlt;
    private double[] xAlt;
    private double[] vAlt;
    private double[] fAlt;
    private int[] extAlt;

    /** The topology's particles at {@code positions} (3N nm, copied), at rest; throws on a mass or coordinate that cannot be used. */
    Particles(CgTopology top, double[] positions) {
        n = top.size();
        if (n < 2) {
            throw new IllegalArgumentException("the engine needs at least 2 particles, got " + n);
        }
        if (positions.length != 3 * n) {
            throw new IllegalArgumentException("expected " + (3 * n) + " coordinates for " + n + " particles, got " + positions.length);
        }
        types = top.types();
        type = top.type().clone();
        mass = top.mass().clone();
        invMass = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(mass[i] > 0) || Double.isInfinite(mass[i])) {
                throw new IllegalArgumentException("particle " + (i + 1) + " (" + top.name(i) + ") has no usable mass: " + mass[i]);
            }
            invMass[i] = 1 / mass[i];
        }
        checkFinite(positions);
        x = positions.clone();
        v = new double[3 * n];
        f = new double[3 * n];
        ext = new int[n];
        inv = new int[n];
        for (int i = 0; i < n; i++) {
            ext[i] = i;
            inv[i] = i;
        }
        typeAlt = new int[n];
        massAlt = new double[n];
        invMassAlt = new double[n];
        xAlt = new double[3 * n];
        vAlt = new double[3 * n];
        fAlt = new double[3 * n];
        extAlt = new int[n];
    }

    static void checkFinite(double[] p) {
        for (int i = 0; i < p.length; i++) {
            if (!Double.isFinite(p[i])) {
                throw new IllegalArgumentException("particle " + (i / 3 + 1) + " has a non-finite coordinate");
            }
        }
    }

    /** Copies an internal-order 3N array into {@code out} in the topology's order. */
    void unsort(double[] internal, double[] out) {
        for (int i = 0; i < n; i++) {
            int e = 3 * ext[i];
            out[e] = internal[3 * i];
            out[e + 1] = internal[3 * i + 1];
            out[e + 2] = internal[3 * i + 2];
        }
    }

    /** Copies a topology-order 3N array into {@code internal} in the internal order. */
    void sort(double[] external, double[] internal) {
        for (int i = 0; i < n; i++) {
            int e = 3 * ext[i];
            internal[3 * i] = external[e];
            internal[3 * i + 1] = external[e + 1];
            internal[3 * i + 2] = external[e + 2];
        }
    }

    /** Moves every position into the box (the primary cell of its lattice; orthorhombic: [0, L) per axis). */
    void wrap(Box box) {
        double[] m = box.matrix();
        boolean ortho = box.isOrthorhombic();
        double lx = m[0];
        double ly = m[4];
        double lz = m[8];
        for (int i = 0; i < n; i++) {
            int o = 3 * i;
            if (ortho) {
                x[o] = wrapInto(x[o], lx);
                x[o + 1] = wrapInto(x[o + 1], ly);
                x[o + 2] = wrapInto(x[o + 2], lz);
            } else {
                double s = Math.floor(x[o + 2] / m[8]);
                x[o] -= s * m[6];
                x[o + 1] -= s * m[7];
                x[o + 2] -= s * m[8];
                s = Math.floor(x[o + 1] / m[4]);
                x[o] -= s * m[3];
                x[o + 1] -= s * m[4];
                x[o] -= m[0] * Math.floor(x[o] / m[0]);
            }
        }
    }

    /** a moved into [0, l); unchanged, without a division, when inside (most particles between two builds). */
    private static double wrapInto(double a, double l) {
        if (a >= 0 && a < l) {
            return a;
        }
        a -= l * Math.floor(a / l);
        return a >= l ? a - l : a;
    }

    /** Reorders the particles: internal particle q becomes the one that was at {@code order[q]}; {@link #inv} follows. */
    void permute(int[] order) {
        for (int q = 0; q < n; q++) {
            int i = order[q];
            typeAlt[q] = type[i];
            massAlt[q] = mass[i];
            invMassAlt[q] = invMass[i];
            extAlt[q] = ext[i];
            for (int d = 0; d < 3; d++) {
                xAlt[3 * q + d] = x[3 * i + d];
                vAlt[3 * q + d] = v[3 * i + d];
                fAlt[3 * q + d] = f[3 * i + d];
            }
        }
        int[] ti = type; type = typeAlt; typeAlt = ti;
        double[] td = mass; mass = massAlt; massAlt = td;
        td = invMass; invMass = invMassAlt; invMassAlt = td;
        ti = ext; ext = extAlt; extAlt = ti;
        td = x; x = xAlt; xAlt = td;
        td = v; v = vAlt; vAlt = td;
        td = f; f = fAlt; fAlt = td;
        for (int i = 0; i < n; i++) {
            inv[ext[i]] = i;
        }
    }
}
