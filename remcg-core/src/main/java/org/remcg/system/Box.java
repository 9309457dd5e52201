package org.remcg.system;

/**
 * A periodic simulation box in the GROMACS convention: three box vectors a, b, c (nm) stored as
 * rows, with a along x, b in the xy plane and c anywhere with positive z (lower-triangular
 * matrix). Orthorhombic boxes have only the diagonal. Immutable.
 */
public final class Box {
    private final double ax;
    private final double bx;
    private final double by;
    private final double cx;
    private final double cy;
    private final double cz;
    private final boolean orthorhombic;

    private Box(double ax, double bx, double by, double cx, double cy, double cz) {
        if (!(ax > 0) || !(by > 0) || !(cz > 0) || !Double.isFinite(ax + bx + by + cx + cy + cz)) {
            throw new IllegalArgumentException("box vectors must be finite with positive diagonal, got a=(" + ax + ",0,0) b=(" + bx + ","
                    + by + ",0) c=(" + cx + "," + cy + "," + cz + ")");
        }
        this.ax = ax;
        this.bx = bx;
        this.by = by;
        this.cx = cx;
        this.cy = cy;
        this.cz = cz;
        this.orthorhombic = bx == 0 && cx == 0 && cy == 0;
    }

    /** A rectangular box with edge lengths lx, ly, lz (nm). */
    public static Box orthorhombic(double lx, double ly, double lz) {
        return new Box(lx, 0, ly, 0, 0, lz);
    }

    /**
     * A triclinic box from its vectors a = (ax, 0, 0), b = (bx, by, 0), c = (cx, cy, cz); the
     * components above the diagonal must be zero (rotate the box first otherwise).
     */
    public static Box triclinic(double ax, double bx, double by, double cx, double cy, double cz) {
        return new Box(ax, bx, by, cx, cy, cz);
    }

    /**
     * A box from a row-major 3 x 3 matrix of box vectors (rows a, b, c), as XTC, TRR and GRO
     * store it. The upper off-diagonal elements must be zero.
     */
    public static Box fromMatrix(double[] m) {
        if (m.length != 9) {
            throw new IllegalArgumentException("a box matrix has 9 elements, got " + m.length);
        }
        if (m[1] != 0 || m[2] != 0 || m[5] != 0) {
            throw new IllegalArgumentException("box vector a must lie along x and b in the xy plane (GROMACS convention)");
        }
        return new Box(m[0], m[3], m[4], m[6], m[7], m[8]);
    }

    /**
     * A box from edge lengths (nm) and angles (degrees) between b and c (alpha), a and c (beta),
     * a and b (gamma), as PDB CRYST1 records and DCD unit cells give it.
     */
    public static Box fromLengthsAndAngles(double a, double b, double c, double alpha, double beta, double gamma) {
        if (alpha == 90 && beta == 90 && gamma == 90) {
            return orthorhombic(a, b, c);
        }
        double ca = Math.cos(Math.toRadians(alpha));
        double cb = Math.cos(Math.toRadians(beta));
        double cg = Math.cos(Math.toRadians(gamma));
        double sg = Math.sin(Math.toRadians(gamma));
        double bxv = b * cg;
        double byv = b * sg;
        double cxv = c * cb;
        double cyv = c * (ca - cb * cg) / sg;
        double czv = Math.sqrt(Math.max(0, c * c - cxv * cxv - cyv * cyv));
        return new Box(a, bxv, byv, cxv, cyv, czv);
    }

    public boolean isOrthorhombic() {
        return orthorhombic;
    }

    /** Row-major box matrix (rows a, b, c). */
    public double[] matrix() {
        return new double[] {ax, 0, 0, bx, by, 0, cx, cy, cz};
    }

    public double lx() { return ax; }
    public double ly() { return by; }
    public double lz() { return cz; }

    public double volume() {
        return ax * by * cz;
    }

    /**
     * Replaces the difference vector d[off..off+2] by its minimum image. For triclinic boxes this
     * is the standard reduction along c, b, a followed by a search of the neighbouring images,
     * exact for any box in GROMACS' reduced form.
     */
    public void minimumImage(double[] d, int off) {
        double x = d[off];
        double y = d[off + 1];
        double z = d[off + 2];
        if (orthorhombic) {
            x -= ax * Math.rint(x / ax);
            y -= by * Math.rint(y / by);
            z -= cz * Math.rint(z / cz);
            d[off] = x;
            d[off + 1] = y;
            d[off + 2] = z;
            return;
        }
        double s = Math.rint(z / cz);
        x -= s * cx;
        y -= s * cy;
        z -= s * cz;
        s = Math.rint(y / by);
        x -= s * bx;
        y -= s * by;
        x -= ax * Math.rint(x / ax);
        double bestX = x;
        double bestY = y;
        double bestZ = z;
        double best = x * x + y * y + z * z;
        for (int k = -1; k <= 1; k++) {
            for (int j = -1; j <= 1; j++) {
                for (int i = -1; i <= 1; i++) {
                    double tx = x + i * ax + j * bx + k * cx;
                    double ty = y + j * by + k * cy;
                    double tz = z + k * cz;
                    double r2 = tx * tx + ty * ty + tz * tz;
                    if (r2 < best) {
                        best = r2;
                        bestX = tx;
                        bestY = ty;
                        bestZ = tz;
                    }
                }
            }
        }
        d[off] = bestX;
        d[off + 1] = bestY;
        d[off + 2] = bestZ;
    }

    /** Puts {@code count} points p[3i..3i+2] into the brick [0, a_x) x [0, b_y) x [0, c_z) by shifts along c, b, a. */
    public void wrap(double[] p, int count) {
        for (int i = 0; i < count; i++) {
            int o = 3 * i;
            double x = p[o];
            double y = p[o + 1];
            double z = p[o + 2];
            double s = Math.floor(z / cz);
            x -= s * cx;
            y -= s * cy;
            z -= s * cz;
            if (z >= cz) {
                z -= cz;
                x -= cx;
                y -= cy;
            }
            s = Math.floor(y / by);
            x -= s * bx;
            y -= s * by;
            if (y >= by) {
                y -= by;
                x -= bx;
            }
            x -= ax * Math.floor(x / ax);
            if (x >= ax) {
                x -= ax;
            }
            p[o] = x;
            p[o + 1] = y;
            p[o + 2] = z;
        }
    }

    /** Minimum-image distance between points p and q. */
    public double distance(double[] p, int ip, double[] q, int iq) {
        double[] d = {q[iq] - p[ip], q[iq + 1] - p[ip + 1], q[iq + 2] - p[ip + 2]};
        minimumImage(d, 0);
        return Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    }

    @Override
    public String toString() {
        return orthorhombic ? String.format("Box[%g x %g x %g nm]", ax, by, cz)
                : String.format("Box[a=(%g,0,0) b=(%g,%g,0) c=(%g,%g,%g) nm]", ax, bx, by, cx, cy, cz);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Box other && other.ax == ax && other.bx == bx && other.by == by && other.cx == cx && other.cy == cy
                && other.cz == cz;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(matrix());
    }
}
