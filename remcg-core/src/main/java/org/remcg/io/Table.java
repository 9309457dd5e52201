package org.remcg.io;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * A potential sampled on a uniform grid, in remcg's units: {@code x} in nm for distances and in
 * radians for angles and dihedrals, {@code u} in kJ/mol, {@code f = -dU/dx} in kJ/mol/nm or
 * kJ/mol/rad. This is what {@link TableExport} writes and reads back.
 *
 * <p>The arrays are copied on construction and by the accessors, so a table never changes. Rules:
 * at least two points, the same length for all three arrays, every value finite, x increasing with
 * a constant step (each point within 1e-6 steps of {@code x[0] + i * step}).
 *
 * @param name a label; it becomes the section keyword of LAMMPS files, so it must be one token
 *             (letters, digits, {@code _ - . +}) for those
 */
public record Table(String name, double[] x, double[] u, double[] f) {

    /** Relative tolerance (in grid steps) on the uniformity of the grid. */
    static final double GRID_TOLERANCE = 1e-6;

    public Table {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("table name must not be empty");
        }
        if (x == null || u == null || f == null) {
            throw new IllegalArgumentException("table " + name + ": x, u and f are required");
        }
        if (x.length != u.length || x.length != f.length) {
            throw new IllegalArgumentException("table " + name + ": x, u and f have lengths " + x.length + ", " + u.length
                    + ", " + f.length + "; they must be equal");
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("table " + name + ": needs at least 2 points, has " + x.length);
        }
        x = x.clone();
        u = u.clone();
        f = f.clone();
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(u[i]) || !Double.isFinite(f[i])) {
                throw new IllegalArgumentException("table " + name + ": point " + i + " (x = " + x[i] + ") has a non-finite value: u = "
                        + u[i] + ", f = " + f[i]);
            }
        }
        double step = (x[x.length - 1] - x[0]) / (x.length - 1);
        if (!(step > 0)) {
            throw new IllegalArgumentException("table " + name + ": x must increase (from " + x[0] + " to " + x[x.length - 1] + ")");
        }
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i] - (x[0] + i * step)) > GRID_TOLERANCE * step) {
                throw new IllegalArgumentException("table " + name + ": x is not uniformly spaced: point " + i + " is " + x[i]
                        + ", expected " + (x[0] + i * step));
            }
        }
    }

    /**
     * Samples {@code u} and {@code f = -dudx} at {@code n} evenly spaced points from {@code lo} to {@code hi}
     * (both included). Every sampled value must be finite: sample a singular potential (LJ, a Boltzmann
     * inversion) from a point where it is finite and let {@link #extended} add a wall below it.
     */
    public static Table sample(String name, DoubleUnaryOperator u, DoubleUnaryOperator dudx, double lo, double hi, int n) {
        if (n < 2 || !(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("table " + name + ": need n >= 2 and finite lo < hi, got n = " + n + ", [" + lo + ", " + hi + "]");
        }
        double[] x = new double[n];
        double[] uu = new double[n];
        double[] ff = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i == n - 1 ? hi : lo + (hi - lo) * i / (n - 1);
            uu[i] = u.applyAsDouble(x[i]);
            ff[i] = -dudx.applyAsDouble(x[i]);
        }
        return new Table(name, x, uu, ff);
    }

    /**
     * Samples on the grid {@code k * step} (integers k) that lies in [lo, hi], a grid anchored at zero,
     * so the table can later be {@link #extended} down to 0 (as GROMACS requires) on the same spacing.
     */
    public static Table sampleOnGrid(String name, DoubleUnaryOperator u, DoubleUnaryOperator dudx, double lo, double hi, double step) {
        if (!(step > 0) || !(hi > lo)) {
            throw new IllegalArgumentException("table " + name + ": need step > 0 and lo < hi, got step " + step + ", [" + lo + ", " + hi + "]");
        }
        long k0 = (long) Math.ceil(lo / step - GRID_TOLERANCE);
        long k1 = (long) Math.floor(hi / step + GRID_TOLERANCE);
        if (k1 - k0 < 1) {
            throw new IllegalArgumentException("table " + name + ": fewer than 2 grid points of step " + step + " in [" + lo + ", " + hi + "]");
        }
        if (k1 - k0 + 1 > 10_000_000) {
            throw new IllegalArgumentException("table " + name + ": " + (k1 - k0 + 1) + " points is too many");
        }
        return sample(name, u, dudx, k0 * step, k1 * step, (int) (k1 - k0 + 1));
    }

    /** Number of points. */
    public int size() {
        return x.length;
    }

    /** The grid spacing. */
    public double step() {
        return (x[x.length - 1] - x[0]) / (x.length - 1);
    }

    /** First grid point. */
    public double lo() {
        return x[0];
    }

    /** Last grid point. */
    public double hi() {
        return x[x.length - 1];
    }

    /** The grid point with the lowest energy (the first one on ties). */
    public double minimum() {
        int best = 0;
        for (int i = 1; i < u.length; i++) {
            if (u[i] < u[best]) {
                best = i;
            }
        }
        return x[best];
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] u() {
        return u.clone();
    }

    @Override
    public double[] f() {
        return f.clone();
    }

    /** The same table under another name. */
    public Table withName(String newName) {
        return new Table(newName, x, u, f);
    }

    /**
     * This table on the same spacing over [lo, hi] (lo and hi rounded to the nearest grid points,
     * which must lie within 1e-6 steps of them). Points beyond the last sample (past a cut-off) are
     * zero, energy and force. Points below the first sample x0 get a repulsive wall that joins the
     * table with a continuous value and force: f(x) = f0 + k (x0 - x), u(x) = u0 + f0 (x0 - x) + k (x0 - x)^2 / 2,
     * where u0, f0 are the first sample and k = max(c, 0), c being the curvature -df/dx estimated from
     * the first two samples. Such a wall only matters if a simulation visits distances the table did
     * not cover; the table should start where the potential is already repulsive (f0 > 0).
     */
    public Table extended(double lo, double hi) {
        double h = step();
        double kLo = (x[0] - lo) / h;
        double kHi = (hi - x[x.length - 1]) / h;
        long below = Math.round(kLo);
        long above = Math.round(kHi);
        if (Math.abs(kLo - below) > 1e-6 || Math.abs(kHi - above) > 1e-6) {
            throw new IllegalArgumentException("table " + name + ": cannot extend a grid starting at " + x[0] + " with step " + h
                    + " to [" + lo + ", " + hi + "]: the ends are not grid points (sample with Table.sampleOnGrid)");
        }
        if (below < 0 || above < 0) {
            throw new IllegalArgumentException("table " + name + ": [" + lo + ", " + hi + "] does not contain the table's range ["
                    + x[0] + ", " + x[x.length - 1] + "]");
        }
        int n = (int) (x.length + below + above);
        double[] xx = new double[n];
        double[] uu = new double[n];
        double[] ff = new double[n];
        double curvature = Math.max(0, (f[0] - f[1]) / h);
        for (int i = 0; i < n; i++) {
            int j = (int) (i - below);
            xx[i] = x[0] + j * h;
            if (j < 0) {
                double d = -j * h;
                ff[i] = f[0] + curvature * d;
                uu[i] = u[0] + f[0] * d + 0.5 * curvature * d * d;
            } else if (j < x.length) {
                xx[i] = x[j];
                uu[i] = u[j];
                ff[i] = f[j];
            }
        }
        if (below > 0) {
            xx[0] = lo;
        }
        return new Table(name, xx, uu, ff);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Table t && name.equals(t.name) && Arrays.equals(x, t.x) && Arrays.equals(u, t.u) && Arrays.equals(f, t.f);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(x) * 17 + Arrays.hashCode(u) * 7 + Arrays.hashCode(f);
    }

    @Override
    public String toString() {
        return "Table[" + name + ", " + x.length + " points, " + x[0] + " .. " + x[x.length - 1] + "]";
    }
}
