package org.remcg.observe;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.remcg.io.Frame;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

class PairSearchTest {

    /** Trimers A-B-A and single W beads. */
    private static CgTopology mixture(int trimers, int singles) {
        CgTopology.Builder b = new CgTopology.Builder();
        for (int m = 0; m < trimers; m++) {
            b.molecule();
            int a0 = b.particle("A", "A", 1);
            int b0 = b.particle("B", "B", 1);
            int a1 = b.particle("A", "A", 1);
            b.bond(a0, b0, "A-B").bond(b0, a1, "A-B");
        }
        for (int m = 0; m < singles; m++) {
            b.molecule();
            b.particle("W", "W", 1);
        }
        return b.build();
    }

    /** Every pair, minimum image by Box.minimumImage, exclusions by binary search. */
    private static long[] bruteForce(CgTopology top, Frame f, double rmax, double w, int hops, Rdf like) {
        CgTopology.Exclusions ex = top.exclusions(hops);
        int bins = like.bins();
        long[] c = new long[like.pairCount() * bins];
        double[] d = new double[3];
        int[] type = top.type();
        for (int i = 0; i < top.size(); i++) {
            for (int j = i + 1; j < top.size(); j++) {
                if (ex.excluded(i, j)) {
                    continue;
                }
                for (int k = 0; k < 3; k++) {
                    d[k] = f.x[3 * j + k] - f.x[3 * i + k];
                }
                f.box.minimumImage(d, 0);
                double r = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                if (r < rmax) {
                    c[like.slot(type[i], type[j]) * bins + (int) (r / w)]++;
                }
            }
        }
        return c;
    }

    private static void compare(Box box, double rmax, double w, int hops, long seed) {
        CgTopology top = mixture(150, 300);
        SplittableRandom rnd = new SplittableRandom(seed);
        Frame f = Fluids.uniform(top.size(), box, rnd, 0);
        double[] m = box.matrix();
        // put some particles several periods away (unwrapped coordinates)
        for (int i = 0; i < top.size(); i += 3) {
            int ka = rnd.nextInt(5) - 2;
            int kb = rnd.nextInt(5) - 2;
            int kc = rnd.nextInt(5) - 2;
            f.x[3 * i] += ka * m[0] + kb * m[3] + kc * m[6];
            f.x[3 * i + 1] += kb * m[4] + kc * m[7];
            f.x[3 * i + 2] += kc * m[8];
        }
        // trimers compact: B and the second A near the first A (bond lengths up to ~0.5 nm)
        for (int t = 0; t < 150; t++) {
            for (int q = 1; q < 3; q++) {
                for (int k = 0; k < 3; k++) {
                    f.x[3 * (3 * t + q) + k] = f.x[3 * (3 * t) + k] + 0.25 * q * (rnd.nextDouble() - 0.5);
                }
            }
        }
        Rdf rdf = new Rdf(top, rmax, w, hops);
        rdf.accept(f);
        long[] brute = bruteForce(top, f, rdf.rmax(), w, hops, rdf);
        long total = 0;
        for (int s = 0; s < rdf.pairCount(); s++) {
            long[] c = rdf.counts(s);
            for (int k = 0; k < rdf.bins(); k++) {
                assertEquals(brute[s * rdf.bins() + k], c[k], box + " pair " + rdf.pairName(s) + " bin " + k);
                total += c[k];
            }
        }
        assertTrue(total > 500, "too few pairs to test: " + total);
    }

    @Test
    void orthorhombicMatchesBruteForce() {
        compare(Box.orthorhombic(4.1, 3.7, 5.3), 1.8, 0.03, 2, 1);
        compare(Box.orthorhombic(4.1, 3.7, 5.3), 0.35, 0.01, 1, 2); // many cells (cell list; fewer than 125 cells use all pairs)
        compare(Box.orthorhombic(4.1, 3.7, 5.3), 0.7, 0.01, 3, 8);
        compare(Box.orthorhombic(3.0, 3.0, 3.0), 1.5, 0.05, 0, 3); // exactly 2 cells per axis
    }

    @Test
    void triclinicMatchesBruteForce() {
        Box tri = Box.triclinic(4.0, 1.5, 3.8, -1.2, 1.6, 3.6);
        double limit = PairSearch.maxCutoff(tri);
        compare(tri, 1.6, 0.02, 3, 4);
        compare(tri, 0.9 * limit, 0.02, Integer.MAX_VALUE, 5);
        compare(tri, 0.4, 0.01, 1, 6);
        // rhombic dodecahedron (xy-square), as gmx editconf makes it
        double d = 4.5;
        Box dodec = Box.triclinic(d, 0, d, d / 2, d / 2, d * Math.sqrt(2) / 2);
        compare(dodec, 0.99 * PairSearch.maxCutoff(dodec), 0.03, 1, 7);
    }

    @Test
    void tinySystemsWithOneToThreeCellsPerAxis() {
        // few particles cap the grid at 2-3 cells per axis: stencil offsets reach the same cell
        // through several images, and each pair must still be counted once
        SplittableRandom rnd = new SplittableRandom(17);
        Box[] boxes = {Box.orthorhombic(2.0, 2.2, 2.1), Box.triclinic(2.0, 0.7, 1.9, -0.6, 0.8, 1.8)};
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + rnd.nextInt(7);
            CgTopology top = Fluids.atoms(n - n / 2, n / 2);
            Box box = boxes[trial % 2];
            Frame f = Fluids.uniform(n, box, rnd, trial);
            Rdf rdf = new Rdf(top, 0.95 * PairSearch.maxCutoff(box), 0.05, 0);
            rdf.accept(f);
            long[] brute = bruteForce(top, f, rdf.rmax(), 0.05, 0, rdf);
            for (int s = 0; s < rdf.pairCount(); s++) {
                long[] c = rdf.counts(s);
                for (int k = 0; k < rdf.bins(); k++) {
                    assertEquals(brute[s * rdf.bins() + k], c[k], "trial " + trial + " n " + n + " pair " + s + " bin " + k);
                }
            }
        }
    }

    /** The listing mode (used by the feature accumulator): every pair once, as i < j, with the brute-force squared distance. */
    @Test
    void listedPairsMatchBruteForce() {
        CgTopology top = mixture(120, 240);
        // a small orthorhombic grid (all pairs with minimum image), a fine one (cell list), triclinic (cell list)
        Box ortho = Box.orthorhombic(3.9, 3.6, 4.4);
        Box[] boxes = {ortho, ortho, Box.triclinic(4.0, 1.5, 3.8, -1.2, 1.6, 3.6)};
        double[] cutoffs = {0.97 * PairSearch.maxCutoff(ortho), 0.6, 0.97 * PairSearch.maxCutoff(boxes[2])};
        int[] hopsList = {0, 1, Integer.MAX_VALUE};
        SplittableRandom rnd = new SplittableRandom(23);
        int t = top.types();
        for (int bi = 0; bi < boxes.length; bi++) {
            Box box = boxes[bi];
            for (int hops : hopsList) {
                Frame f = Fluids.uniform(top.size(), box, rnd, 0);
                double cut = cutoffs[bi];
                boolean[] wanted = new boolean[t * t];
                int a = top.typeIndex("A");
                int w = top.typeIndex("W");
                wanted[a * t + w] = wanted[a * t + a] = true; // A-W and A-A only: B never enters the cells
                CgTopology.Exclusions ex = top.exclusions(hops);
                PairSearch ps = new PairSearch(top, ex, wanted);
                int n = ps.search(f, cut);
                java.util.Map<Long, Double> found = new java.util.HashMap<>();
                for (int p = 0; p < n; p++) {
                    int i = ps.firstIndices()[p];
                    int j = ps.secondIndices()[p];
                    assertTrue(i < j, "pair " + p + " not ordered");
                    assertNull(found.put((long) i * top.size() + j, ps.squaredDistances()[p]), "pair reported twice");
                }
                double[] d = new double[3];
                int[] type = top.type();
                int expected = 0;
                for (int i = 0; i < top.size(); i++) {
                    for (int j = i + 1; j < top.size(); j++) {
                        if (!wanted[type[i] * t + type[j]] && !wanted[type[j] * t + type[i]] || ex.excluded(i, j)) {
                            continue;
                        }
                        for (int k = 0; k < 3; k++) {
                            d[k] = f.x[3 * j + k] - f.x[3 * i + k];
                        }
                        f.box.minimumImage(d, 0);
                        double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                        if (r2 < cut * cut) {
                            expected++;
                            Double got = found.get((long) i * top.size() + j);
                            assertNotNull(got, box + " hops " + hops + ": pair " + i + "," + j + " missing");
                            assertEquals(r2, got, 1e-12, "r^2 of " + i + "," + j);
                        }
                    }
                }
                assertEquals(expected, n, box + " hops " + hops);
                assertTrue(n > 500, "too few pairs to test: " + n);
            }
        }
    }

    @Test
    void heightsOfATriclinicBox() {
        Box tri = Box.triclinic(4.0, 1.5, 3.8, -1.2, 1.6, 3.6);
        double[] h = PairSearch.heights(tri);
        double[] m = tri.matrix();
        // h_a = V / |b x c|
        double[] b = {m[3], m[4], m[5]};
        double[] c = {m[6], m[7], m[8]};
        double[] bc = {b[1] * c[2] - b[2] * c[1], b[2] * c[0] - b[0] * c[2], b[0] * c[1] - b[1] * c[0]};
        assertEquals(tri.volume() / Math.sqrt(bc[0] * bc[0] + bc[1] * bc[1] + bc[2] * bc[2]), h[0], 1e-12);
        assertEquals(3.6, h[2], 1e-15);
        assertArrayEquals(new double[] {4, 5, 6}, PairSearch.heights(Box.orthorhombic(4, 5, 6)), 1e-15);
    }
}
