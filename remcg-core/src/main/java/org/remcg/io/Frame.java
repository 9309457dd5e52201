package org.remcg.io;

import org.remcg.system.Box;

/**
 * One trajectory frame in flat arrays (GROMACS units: nm, nm/ps, kJ/mol/nm, ps). A reader fills
 * a caller-owned frame and reuses its arrays when the atom count does not change, so reading a
 * trajectory allocates nothing per frame.
 */
public final class Frame {
    /** Number of atoms. */
    public int atoms;
    /** Positions, x0 y0 z0 x1 ... (length &gt;= 3 atoms); null only for a frame without positions (a TRR frame with forces only). */
    public double[] x = new double[0];
    /** Velocities or null when the frame has none. */
    public double[] v;
    /** Forces or null when the frame has none. */
    public double[] f;
    /** Periodic box, or null when the file gives none. */
    public Box box;
    /** MD step number (0 when unknown). */
    public long step;
    /** Time in ps (NaN when unknown). */
    public double time = Double.NaN;
    /** Index of the frame in its file (0-based, before any stride). */
    public long index;
    /** Precision of the stored coordinates in nm (XTC), or 0 when they are stored in full. */
    public double precision;

    /** Makes room for n atoms; velocities and forces are allocated (or dropped) as requested. */
    public void resize(int n, boolean velocities, boolean forces) {
        atoms = n;
        if (x == null || x.length < 3 * n) {
            x = new double[3 * n];
        }
        v = velocities ? (v != null && v.length >= 3 * n ? v : new double[3 * n]) : null;
        f = forces ? (f != null && f.length >= 3 * n ? f : new double[3 * n]) : null;
    }

    /** A deep copy (for tests and for keeping a frame beyond the next read). */
    public Frame copy() {
        Frame c = new Frame();
        c.atoms = atoms;
        c.x = x == null ? null : java.util.Arrays.copyOf(x, 3 * atoms);
        c.v = v == null ? null : java.util.Arrays.copyOf(v, 3 * atoms);
        c.f = f == null ? null : java.util.Arrays.copyOf(f, 3 * atoms);
        c.box = box;
        c.step = step;
        c.time = time;
        c.index = index;
        c.precision = precision;
        return c;
    }
}
