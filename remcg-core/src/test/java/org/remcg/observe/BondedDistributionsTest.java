package org.remcg.observe;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.remcg.io.Frame;
import org.remcg.system.InteractionKind;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.system.TestChains;

class BondedDistributionsTest {

    /** n four-bead chains with one bond, angle and dihedral label each. */
    private static CgTopology chains(int n) {
        return TestChains.chains(n, 0, new String[] {"C1", "C2", "C3", "C4"}, new String[] {"C", "C", "C", "C"}, new double[] {1, 1, 1, 1});
    }

    /** Chain i-j-k-l: j at the origin, k on +z, i along +x, l turned by phi about +z; bond angles 90 degrees. */
    private static void place(double[] x, int first, double phi) {
        double[][] p = {{0.3, 0, 0}, {0, 0, 0}, {0, 0, 0.4}, {0.2 * Math.cos(phi), 0.2 * Math.sin(phi), 0.4}};
        for (int q = 0; q < 4; q++) {
            for (int d = 0; d < 3; d++) {
                x[3 * (first + q) + d] = p[q][d];
            }
        }
    }

    @Test
    void knownDihedralsWithIupacSign() {
        double[] s = new double[9];
        double[] x = new double[12];
        for (double deg : new double[] {0, 35, 60, 90, 120, 179, -179, -120, -60, -10}) {
            place(x, 0, Math.toRadians(deg));
            // looking from j to k (along +z), l turned counter-clockwise about +z seen from above appears
            // clockwise to the viewer: IUPAC positive
            assertEquals(Math.toRadians(deg), BondedGeometry.dihedral(x, 0, 1, 2, 3, null, s), 1e-12, deg + " degrees");
            assertEquals(Math.PI / 2, BondedGeometry.angle(x, 0, 1, 2, null, s), 1e-12);
        }
        // trans is +-pi, reversing the chain keeps the dihedral
        place(x, 0, Math.PI);
        assertEquals(Math.PI, Math.abs(BondedGeometry.dihedral(x, 0, 1, 2, 3, null, s)), 1e-12);
        place(x, 0, 1.0);
        assertEquals(1.0, BondedGeometry.dihedral(x, 3, 2, 1, 0, null, s), 1e-12);
        // mirror image (z -> -z) flips the sign
        for (int q = 0; q < 4; q++) {
            x[3 * q + 2] = -x[3 * q + 2];
        }
        assertEquals(-1.0, BondedGeometry.dihedral(x, 0, 1, 2, 3, null, s), 1e-12);
    }

    @Test
    void knownAngleAndLengthAcrossThePeriodicBoundary() {
        Box box = Box.triclinic(3, 0.5, 2.8, -0.4, 0.9, 2.5);
        double[] s = new double[9];
        double[] x = new double[9];
        double theta = Math.acos(-1.0 / 3); // tetrahedral
        double[][] p = {{1.0, 0, 0}, {0, 0, 0}, {Math.cos(theta) * 0.5, Math.sin(theta) * 0.5, 0}};
        double[] m = box.matrix();
        for (int q = 0; q < 3; q++) {
            for (int d = 0; d < 3; d++) {
                // shift each bead by a different lattice vector
                x[3 * q + d] = p[q][d] + 0.1 + q * m[3 + d] - (q == 2 ? 2 * m[6 + d] : 0);
            }
        }
        assertEquals(theta, BondedGeometry.angle(x, 0, 1, 2, box, s), 1e-12);
        assertEquals(1.0, BondedGeometry.length(x, 0, 1, box, s), 1e-12);
        assertEquals(0.5, BondedGeometry.length(x, 1, 2, box, s), 1e-12);
    }

    @Test
    void histogramsOfKnownGeometries() {
        int n = 10;
        CgTopology top = chains(n);
        Frame f = new Frame();
        f.resize(4 * n, false, false);
        f.box = Box.orthorhombic(10, 10, 10);
        for (int c = 0; c < n; c++) {
            place(f.x, 4 * c, c < 5 ? Math.toRadians(60) : Math.toRadians(-60));
            for (int q = 0; q < 4; q++) {
                f.x[3 * (4 * c + q)] += c; // separate the chains
            }
        }
        BondedDistributions bd = new BondedDistributions(top, 0.26, 0.46, 4, 15, 35);
        bd.accept(f);
        // bonds 0.3, 0.4, 0.2 (bins of 0.05 from 0.26): 0.2 outside, 0.3 in bin 0, 0.4 in bin 2
        assertEquals(30, bd.total(InteractionKind.BOND, 0));
        assertEquals(10, bd.outside(InteractionKind.BOND, 0));
        assertEquals(10, bd.count(InteractionKind.BOND, 0, 0));
        assertEquals(10, bd.count(InteractionKind.BOND, 0, 2));
        double[] p = bd.density(InteractionKind.BOND, 0);
        assertEquals(1.0, (p[0] + p[1] + p[2] + p[3]) * 0.05, 1e-12);
        assertEquals(10.0, p[0], 1e-12);
        assertEquals(0.285, bd.centres(InteractionKind.BOND)[0], 1e-12);
        // angles: 90 degrees, 12-degree bins -> bin 7
        assertEquals(20, bd.count(InteractionKind.ANGLE, 0, 7));
        // dihedrals over [-180, 180) in 35 bins: +60 -> bin 23, -60 -> bin 11
        assertEquals(5, bd.count(InteractionKind.DIHEDRAL, 0, 23));
        assertEquals(5, bd.count(InteractionKind.DIHEDRAL, 0, 11));
        assertEquals(0, bd.outside(InteractionKind.DIHEDRAL, 0));
    }

    @Test
    void randomOrientationsFollowTheSineLaw() {
        // chains whose bond directions are independent and uniform: p(theta) = sin(theta) / 2,
        // the dihedral is uniform on [-pi, pi]
        int n = 200;
        int frames = 100;
        CgTopology top = chains(n);
        BondedDistributions bd = new BondedDistributions(top, 0, 1, 10, 30, 24);
        SplittableRandom rnd = new SplittableRandom(9);
        Frame f = new Frame();
        f.resize(4 * n, false, false);
        f.box = Box.orthorhombic(6, 6, 6);
        for (int t = 0; t < frames; t++) {
            f.index = t;
            for (int c = 0; c < n; c++) {
                double[] pos = {rnd.nextDouble() * 6, rnd.nextDouble() * 6, rnd.nextDouble() * 6};
                for (int q = 0; q < 4; q++) {
                    if (q > 0) {
                        double[] u = Fluids.unit(rnd);
                        for (int d = 0; d < 3; d++) {
                            pos[d] += 0.4 * u[d];
                        }
                    }
                    System.arraycopy(pos, 0, f.x, 3 * (4 * c + q), 3);
                }
            }
            bd.accept(f);
        }
        long angles = bd.total(InteractionKind.ANGLE, 0);
        assertEquals(2L * n * frames, angles);
        int bins = bd.bins(InteractionKind.ANGLE);
        double w = Math.PI / bins;
        double chi2 = 0;
        for (int k = 0; k < bins; k++) {
            double prob = (Math.cos(k * w) - Math.cos((k + 1) * w)) / 2;
            double mean = angles * prob;
            double z = (bd.count(InteractionKind.ANGLE, 0, k) - mean) / Math.sqrt(mean * (1 - prob));
            chi2 += z * z;
        }
        assertTrue(chi2 < 30 + 5 * Math.sqrt(60), "angle chi2 " + chi2); // 30 bins
        // p / sin is flat at 1 / pi; compare bins away from the ends where counts are large
        double[] q = bd.angleDensityOverSine(0);
        double[] c = bd.centres(InteractionKind.ANGLE);
        double integral = 0;
        for (int k = 0; k < bins; k++) {
            integral += q[k] * w;
            double prob = (Math.cos(k * w) - Math.cos((k + 1) * w)) / 2;
            double relSd = Math.sqrt((1 - prob) / (angles * prob));
            if (Math.sin(c[k]) > 0.3) {
                assertEquals(1 / Math.PI, q[k], 5 * relSd / Math.PI + 0.01 / Math.PI, "bin " + k);
            }
        }
        assertEquals(1.0, integral, 1e-12);
        // the raw p(theta) is far from flat: sin law
        double[] p = bd.density(InteractionKind.ANGLE, 0);
        assertEquals(0.5 * Math.sin(c[15]), p[15], 0.03);
        long dih = bd.total(InteractionKind.DIHEDRAL, 0);
        double chi2d = 0;
        for (int k = 0; k < bd.bins(InteractionKind.DIHEDRAL); k++) {
            double mean = dih / 24.0;
            double z = (bd.count(InteractionKind.DIHEDRAL, 0, k) - mean) / Math.sqrt(mean * (1 - 1 / 24.0));
            chi2d += z * z;
        }
        assertTrue(chi2d < 24 + 5 * Math.sqrt(48), "dihedral chi2 " + chi2d);
        // positive and negative dihedrals equally often within 4 sd
        long pos = 0;
        for (int k = 12; k < 24; k++) {
            pos += bd.count(InteractionKind.DIHEDRAL, 0, k);
        }
        assertEquals(dih / 2.0, pos, 4 * Math.sqrt(dih / 4.0));
    }

    @Test
    void mergeIsExact() {
        CgTopology top = chains(3);
        BondedDistributions a = new BondedDistributions(top, 0, 1, 10, 10, 10);
        BondedDistributions b = a.emptyCopy();
        BondedDistributions whole = a.emptyCopy();
        SplittableRandom rnd = new SplittableRandom(2);
        for (int t = 0; t < 10; t++) {
            Frame f = Fluids.uniform(12, Box.orthorhombic(1.5, 1.5, 1.5), rnd, t);
            (t < 4 ? a : b).accept(f);
            whole.accept(f);
        }
        a.merge(b);
        for (InteractionKind kind : InteractionKind.BONDED) {
            for (int k = 0; k < 10; k++) {
                assertEquals(whole.count(kind, 0, k), a.count(kind, 0, k));
            }
            assertEquals(whole.outside(kind, 0), a.outside(kind, 0));
        }
        assertEquals(10, a.frames());
    }
}
