package org.remcg.system;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoxTest {

    /** Shortest image of d by brute force over -6..6 lattice translations (|d| < 18, edges >= 2.8). */
    static double bruteForce(Box b, double[] d) {
        double[] m = b.matrix();
        double best = Double.POSITIVE_INFINITY;
        for (int i = -6; i <= 6; i++) {
            for (int j = -6; j <= 6; j++) {
                for (int k = -6; k <= 6; k++) {
                    double x = d[0] + i * m[0] + j * m[3] + k * m[6];
                    double y = d[1] + j * m[4] + k * m[7];
                    double z = d[2] + k * m[8];
                    best = Math.min(best, x * x + y * y + z * z);
                }
            }
        }
        return Math.sqrt(best);
    }

    @Test
    void minimumImageMatchesBruteForce() {
        SplittableRandom rng = new SplittableRandom(8);
        Box[] boxes = {
            Box.orthorhombic(3, 4, 5),
            // rhombic dodecahedron (xy-square) in GROMACS' reduced form
            Box.triclinic(4, 0, 4, 2, 2, 2 * Math.sqrt(2)),
            // truncated octahedron in GROMACS' reduced form
            Box.triclinic(4, 4.0 / 3, 4 * Math.sqrt(8) / 3, -4.0 / 3, 2 * Math.sqrt(8) / 3, 4 * Math.sqrt(6) / 3),
            Box.fromLengthsAndAngles(3, 3.5, 4, 80, 95, 105),
        };
        for (Box b : boxes) {
            for (int t = 0; t < 2000; t++) {
                double[] d = {rng.nextDouble(-10, 10), rng.nextDouble(-10, 10), rng.nextDouble(-10, 10)};
                double expected = bruteForce(b, d);
                b.minimumImage(d, 0);
                double got = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                assertEquals(expected, got, 1e-12, b + " trial " + t);
            }
        }
    }

    @Test
    void lengthsAndAnglesRoundTrip() {
        Box b = Box.fromLengthsAndAngles(3, 3.5, 4, 80, 95, 105);
        double[] m = b.matrix();
        double la = Math.sqrt(m[0] * m[0]);
        double lb = Math.hypot(m[3], m[4]);
        double lc = Math.sqrt(m[6] * m[6] + m[7] * m[7] + m[8] * m[8]);
        assertEquals(3, la, 1e-12);
        assertEquals(3.5, lb, 1e-12);
        assertEquals(4, lc, 1e-12);
        double gamma = Math.toDegrees(Math.acos((m[0] * m[3]) / (la * lb)));
        double beta = Math.toDegrees(Math.acos((m[0] * m[6]) / (la * lc)));
        double alpha = Math.toDegrees(Math.acos((m[3] * m[6] + m[4] * m[7]) / (lb * lc)));
        assertEquals(105, gamma, 1e-9);
        assertEquals(95, beta, 1e-9);
        assertEquals(80, alpha, 1e-9);
        assertEquals(la * m[4] * m[8], b.volume(), 1e-12);
        assertTrue(Box.fromLengthsAndAngles(2, 3, 4, 90, 90, 90).isOrthorhombic());
        assertArrayEquals(new double[] {2, 0, 0, 0, 3, 0, 0, 0, 4}, Box.orthorhombic(2, 3, 4).matrix(), 0);
        assertThrows(IllegalArgumentException.class, () -> Box.orthorhombic(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Box.fromMatrix(new double[] {1, 0.1, 0, 0, 1, 0, 0, 0, 1}));
    }
}
