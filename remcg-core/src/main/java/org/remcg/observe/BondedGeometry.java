package org.remcg.observe;

import org.remcg.system.Box;

/**
 * Bond lengths, bond angles and dihedral angles, and the derivatives that bonded forces need: the one implementation
 * of this geometry, used by the distributions ({@code observe}), the engine's bonded forces and Monte Carlo
 * ({@code simulate}) and force matching ({@code fit}).
 *
 * <p>Bond vectors are the minimum image between consecutive beads (plain differences when the box is null). Dihedrals
 * follow the IUPAC/GROMACS convention: the angle between the planes (i, j, k) and (j, k, l), 0 for cis and +-pi for
 * trans, positive when, looking from j towards k, the bond j-i has to turn clockwise to eclipse k-l; computed as
 * atan2(|b2| b1 . (b2 x b3), (b1 x b2) . (b2 x b3)) with b1 = x_j - x_i, b2 = x_k - x_j, b3 = x_l - x_k.
 *
 * <p>Two forms of the angle: {@link #angle} takes it as atan2(|u x v|, u . v), accurate near 0 and pi, for
 * measuring; {@link #angleGradient}, the form the engine's angle forces use, takes it as acos of the cosine and gives
 * the gradient of the cosine together with sin theta, so that a force dU/dtheta / sin theta dcos/dR stays finite for a
 * straight angle. All methods work on caller arrays and allocate nothing.
 */
public final class BondedGeometry {
    private BondedGeometry() {
    }

    /** d[off..off+2] = x_j - x_i, by minimum image when the box is given. */
    public static void bond(double[] x, int i, int j, Box box, double[] d, int off) {
        d[off] = x[3 * j] - x[3 * i];
        d[off + 1] = x[3 * j + 1] - x[3 * i + 1];
        d[off + 2] = x[3 * j + 2] - x[3 * i + 2];
        if (box != null) {
            box.minimumImage(d, off);
        }
    }

    /** Distance between particles i and j (nm); s: scratch of length &gt;= 3. */
    public static double length(double[] x, int i, int j, Box box, double[] s) {
        bond(x, i, j, box, s, 0);
        return Math.sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2]);
    }

    /** Angle i-j-k at j, in [0, pi] (radians); s: scratch of length &gt;= 6. */
    public static double angle(double[] x, int i, int j, int k, Box box, double[] s) {
        bond(x, j, i, box, s, 0);
        bond(x, j, k, box, s, 3);
        double cx = s[1] * s[5] - s[2] * s[4];
        double cy = s[2] * s[3] - s[0] * s[5];
        double cz = s[0] * s[4] - s[1] * s[3];
        double dot = s[0] * s[3] + s[1] * s[4] + s[2] * s[5];
        return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), dot);
    }

    /** Dihedral i-j-k-l in [-pi, pi] (radians), IUPAC sign; s: scratch of length &gt;= 9. */
    public static double dihedral(double[] x, int i, int j, int k, int l, Box box, double[] s) {
        bond(x, i, j, box, s, 0); // b1
        bond(x, j, k, box, s, 3); // b2
        bond(x, k, l, box, s, 6); // b3
        return dihedralGradient(s, 0, null, 0);
    }

    /**
     * The angle between the bond vectors u = s[o..o+2] = R_i - R_j and v = s[o+3..o+5] = R_k - R_j (already imaged),
     * theta = acos(cos) with the cosine clamped to [-1, 1], returned; writes d cos / d R_i into g[go..go+2], d cos / d
     * R_k into g[go+3..go+5] (d cos / d R_j is minus their sum) and sin theta = sqrt(1 - cos^2) into g[go+6]. Then d
     * theta / d R = -(d cos / d R) / sin theta.
     */
    public static double angleGradient(double[] s, int o, double[] g, int go) {
        double ux = s[o];
        double uy = s[o + 1];
        double uz = s[o + 2];
        double vx = s[o + 3];
        double vy = s[o + 4];
        double vz = s[o + 5];
        double a2 = ux * ux + uy * uy + uz * uz;
        double b2 = vx * vx + vy * vy + vz * vz;
        double ab = ux * vx + uy * vy + uz * vz;
        double ra = Math.sqrt(a2);
        double rb = Math.sqrt(b2);
        double cos = Math.max(-1, Math.min(1, ab / (ra * rb)));
        // d cos / d u = v / (|u||v|) - cos u / |u|^2, and likewise for v
        for (int d = 0; d < 3; d++) {
            g[go + d] = s[o + 3 + d] / (ra * rb) - cos * s[o + d] / a2;
            g[go + 3 + d] = s[o + d] / (ra * rb) - cos * s[o + 3 + d] / b2;
        }
        g[go + 6] = Math.sqrt(Math.max(0, 1 - cos * cos));
        return Math.acos(cos);
    }

    /**
     * The dihedral from the bond vectors b1 = s[o..o+2], b2 = s[o+3..o+5], b3 = s[o+6..o+8] (already imaged), returned;
     * unless g is null, writes its gradient with respect to R_i, R_j, R_k, R_l into g[go..go+11]: d phi / d R_i =
     * -|b2| n1 / |n1|^2 and d phi / d R_l = |b2| n2 / |n2|^2 (n1 = b1 x b2, n2 = b2 x b3), the middle two from the
     * projections of b1 and b3 on b2 (translation and rotation invariance). |n1|^2 and |n2|^2 are floored at 1e-300, so
     * the gradient stays finite when three beads are collinear ({@link #collinear} tells that case).
     */
    public static double dihedralGradient(double[] s, int o, double[] g, int go) {
        double b1x = s[o], b1y = s[o + 1], b1z = s[o + 2];
        double b2x = s[o + 3], b2y = s[o + 4], b2z = s[o + 5];
        double b3x = s[o + 6], b3y = s[o + 7], b3z = s[o + 8];
        double mx = b1y * b2z - b1z * b2y;
        double my = b1z * b2x - b1x * b2z;
        double mz = b1x * b2y - b1y * b2x;
        double nx = b2y * b3z - b2z * b3y;
        double ny = b2z * b3x - b2x * b3z;
        double nz = b2x * b3y - b2y * b3x;
        double b2sq = b2x * b2x + b2y * b2y + b2z * b2z;
        double b2n = Math.sqrt(b2sq);
        double phi = Math.atan2(b2n * (b1x * nx + b1y * ny + b1z * nz), mx * nx + my * ny + mz * nz);
        if (g == null) {
            return phi;
        }
        double m2 = Math.max(mx * mx + my * my + mz * mz, 1e-300);
        double n2 = Math.max(nx * nx + ny * ny + nz * nz, 1e-300);
        double g1 = -b2n / m2;
        double g4 = b2n / n2;
        double p12 = (b1x * b2x + b1y * b2y + b1z * b2z) / b2sq;
        double p32 = (b3x * b2x + b3y * b2y + b3z * b2z) / b2sq;
        for (int d = 0; d < 3; d++) {
            double gi = g1 * (d == 0 ? mx : d == 1 ? my : mz);
            double gl = g4 * (d == 0 ? nx : d == 1 ? ny : nz);
            g[go + d] = gi;
            g[go + 3 + d] = -(p12 + 1) * gi + p32 * gl;
            g[go + 6 + d] = -(p32 + 1) * gl + p12 * gi;
            g[go + 9 + d] = gl;
        }
        return phi;
    }

    /**
     * Whether the bond vectors at s[o..o+8] leave the dihedral undefined: |b1 x b2| or |b2 x b3| below 1e-12 |b2|^2
     * (three beads collinear).
     */
    public static boolean collinear(double[] s, int o) {
        double b2sq = s[o + 3] * s[o + 3] + s[o + 4] * s[o + 4] + s[o + 5] * s[o + 5];
        return !(crossSquared(s, o, o + 3) > 1e-24 * b2sq * b2sq) || !(crossSquared(s, o + 3, o + 6) > 1e-24 * b2sq * b2sq);
    }

    private static double crossSquared(double[] s, int a, int b) {
        double cx = s[a + 1] * s[b + 2] - s[a + 2] * s[b + 1];
        double cy = s[a + 2] * s[b] - s[a] * s[b + 2];
        double cz = s[a] * s[b + 1] - s[a + 1] * s[b];
        return cx * cx + cy * cy + cz * cz;
    }
}
