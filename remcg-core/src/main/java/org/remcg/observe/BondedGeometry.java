package org.remcg.observe;

import org.remcg.system.Box;

/**
 * Bond lengths, bond angles and dihedral angles from flat coordinate arrays, each bond vector
 * taken as the minimum image between consecutive beads (plain differences when the box is
 * null). Dihedrals follow the IUPAC/GROMACS convention: the angle between the planes (i, j, k)
 * and (j, k, l), 0 for cis and +-pi for trans, positive when, looking from j towards k, the
 * bond j-i has to turn clockwise to eclipse k-l; computed as atan2(|b2| b1 . (b2 x b3),
 * (b1 x b2) . (b2 x b3)) with b1 = x_j - x_i, b2 = x_k - x_j, b3 = x_l - x_k. Angles use
 * atan2(|u x v|, u . v), accurate near 0 and pi. All methods take a caller scratch array of
 * length &gt;= 9 and allocate nothing.
 */
public final class BondedGeometry {
    private BondedGeometry() {
    }

    private static void diff(double[] x, int i, int j, Box box, double[] d, int off) {
        d[off] = x[3 * j] - x[3 * i];
        d[off + 1] = x[3 * j + 1] - x[3 * i + 1];
        d[off + 2] = x[3 * j + 2] - x[3 * i + 2];
        if (box != null) {
            box.minimumImage(d, off);
        }
    }

    /** Distance between particles i and j (nm). */
    public static double length(double[] x, int i, int j, Box box, double[] s) {
        diff(x, i, j, box, s, 0);
        return Math.sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2]);
    }

    /** Angle i-j-k at j, in [0, pi] (radians). */
    public static double angle(double[] x, int i, int j, int k, Box box, double[] s) {
        diff(x, j, i, box, s, 0);
        diff(x, j, k, box, s, 3);
        double cx = s[1] * s[5] - s[2] * s[4];
        double cy = s[2] * s[3] - s[0] * s[5];
        double cz = s[0] * s[4] - s[1] * s[3];
        double dot = s[0] * s[3] + s[1] * s[4] + s[2] * s[5];
        return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), dot);
    }

    /** Dihedral i-j-k-l in [-pi, pi] (radians), IUPAC sign. */
    public static double dihedral(double[] x, int i, int j, int k, int l, Box box, double[] s) {
        diff(x, i, j, box, s, 0); // b1
        diff(x, j, k, box, s, 3); // b2
        diff(x, k, l, box, s, 6); // b3
        double b1x = s[0], b1y = s[1], b1z = s[2];
        double b2x = s[3], b2y = s[4], b2z = s[5];
        double b3x = s[6], b3y = s[7], b3z = s[8];
        double n1x = b1y * b2z - b1z * b2y;
        double n1y = b1z * b2x - b1x * b2z;
        double n1z = b1x * b2y - b1y * b2x;
        double n2x = b2y * b3z - b2z * b3y;
        double n2y = b2z * b3x - b2x * b3z;
        double n2z = b2x * b3y - b2y * b3x;
        double b2len = Math.sqrt(b2x * b2x + b2y * b2y + b2z * b2z);
        double y = b2len * (b1x * n2x + b1y * n2y + b1z * n2z);
        double xx = n1x * n2x + n1y * n2y + n1z * n2z;
        return Math.atan2(y, xx);
    }
}
