package org.remcg.observe;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.remcg.io.Frame;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

class RdfTest {

    /**
     * Pair counts of uniform random points: pairs are pairwise independent (given one end, the
     * other falls in a shell with probability p_k = dV_k / V wherever the first is), so the count
     * in bin k over F frames is binomial with mean F P p_k and variance F P p_k (1 - p_k).
     * Returns the chi-square of all bins against that.
     */
    private static double chiSquare(Rdf rdf, int s, double pairs, double volume) {
        double chi2 = 0;
        for (int k = 0; k < rdf.bins(); k++) {
            double p = rdf.shellVolume(k) / volume;
            double mean = rdf.frames() * pairs * p;
            double z = (rdf.count(s, k) - mean) / Math.sqrt(mean * (1 - p));
            assertTrue(Math.abs(z) < 4.5, "bin " + k + " z = " + z);
            chi2 += z * z;
        }
        return chi2;
    }

    @Test
    void idealGasGivesOneWithinBinomialError() {
        int n = 1000;
        Box box = Box.orthorhombic(5, 5.5, 6);
        CgTopology top = Fluids.atoms(n, 0);
        Rdf rdf = new Rdf(top, 2.0, 0.05, 3);
        SplittableRandom rnd = new SplittableRandom(11);
        for (int f = 0; f < 20; f++) {
            rdf.accept(Fluids.uniform(n, box, rnd, f));
        }
        assertEquals(40, rdf.bins());
        double chi2 = chiSquare(rdf, 0, n * (n - 1) / 2.0, box.volume());
        // chi-square with 40 degrees of freedom: mean 40, sd 8.9; 40 + 5 sd
        assertTrue(chi2 < 85, "chi2 = " + chi2);
        assertTrue(chi2 > 15, "chi2 = " + chi2 + " suspiciously small");
        double[] g = rdf.g(0);
        for (int k = 0; k < g.length; k++) {
            double p = rdf.shellVolume(k) / box.volume();
            double sd = Math.sqrt((1 - p) / (20 * n * (n - 1) / 2.0 * p));
            assertEquals(1.0, g[k], 4.5 * sd, "bin " + k);
        }
        assertEquals(0.025, rdf.binCentres()[0], 1e-15);
        assertEquals(1.975, rdf.binCentres()[39], 1e-12);
    }

    @Test
    void likeAndUnlikeNormalizationWithTwoSpecies() {
        int na = 100;
        int nb = 50;
        int frames = 400;
        Box box = Box.orthorhombic(5, 5, 5);
        CgTopology top = Fluids.atoms(na, nb);
        Rdf rdf = new Rdf(top, 2.0, 0.1, 0);
        SplittableRandom rnd = new SplittableRandom(5);
        for (int f = 0; f < frames; f++) {
            rdf.accept(Fluids.uniform(na + nb, box, rnd, f));
        }
        assertEquals(3, rdf.pairCount());
        int aa = rdf.slot(0, 0);
        int ab = rdf.slot(0, 1);
        int bb = rdf.slot(1, 1);
        assertEquals("A-B", rdf.pairName(ab));
        assertTrue(chiSquare(rdf, aa, na * (na - 1) / 2.0, box.volume()) < 20 + 5 * Math.sqrt(40));
        assertTrue(chiSquare(rdf, ab, na * (double) nb, box.volume()) < 20 + 5 * Math.sqrt(40));
        assertTrue(chiSquare(rdf, bb, nb * (nb - 1) / 2.0, box.volume()) < 20 + 5 * Math.sqrt(40));
        double shell = 4.0 / 3 * Math.PI * 8 / box.volume(); // fraction of the box within r_max
        // overall level of g: count-weighted mean, relative error 1 / sqrt(expected count)
        double sdAA = Math.sqrt((1 - shell) / (frames * na * (na - 1) / 2.0 * shell));
        double sdAB = Math.sqrt((1 - shell) / (frames * na * (double) nb * shell));
        assertEquals(1.0, level(rdf, aa, Rdf.Normalization.EXCLUSION_CORRECTED), 4 * sdAA);
        assertEquals(1.0, level(rdf, ab, Rdf.Normalization.EXCLUSION_CORRECTED), 4 * sdAB);
        // gmx rdf's N*N normalization of a like pair sits (N-1)/N below: 0.99, seven sd away from 1
        assertEquals((na - 1.0) / na, level(rdf, aa, Rdf.Normalization.GROMACS), 4 * sdAA);
        assertTrue(Math.abs(level(rdf, aa, Rdf.Normalization.GROMACS) - 1) > 4 * sdAA);
        assertEquals(1.0, level(rdf, ab, Rdf.Normalization.GROMACS), 4 * sdAB);
        // the two like normalizations differ by exactly (N-1)/N bin by bin
        double[] g1 = rdf.g(aa, Rdf.Normalization.DISTINCT_PAIRS);
        double[] g2 = rdf.g(aa, Rdf.Normalization.GROMACS);
        for (int k = 0; k < g1.length; k++) {
            assertEquals(g1[k] * (na - 1.0) / na, g2[k], 1e-13 * g1[k]);
        }
    }

    /** Count-weighted level: sum_k g_k dV_k / sum_k dV_k. */
    private static double level(Rdf rdf, int s, Rdf.Normalization norm) {
        double[] g = rdf.g(s, norm);
        double num = 0;
        double den = 0;
        for (int k = 0; k < g.length; k++) {
            num += g[k] * rdf.shellVolume(k);
            den += rdf.shellVolume(k);
        }
        return num / den;
    }

    @Test
    void simpleCubicLatticePeaksAndCoordination() {
        double a = 0.503;
        int cells = 6;
        int n = cells * cells * cells;
        Box box = Box.orthorhombic(cells * a, cells * a, cells * a);
        Frame f = new Frame();
        f.resize(n, false, false);
        f.box = box;
        int p = 0;
        for (int i = 0; i < cells; i++) {
            for (int j = 0; j < cells; j++) {
                for (int k = 0; k < cells; k++) {
                    // shifted by a lattice vector for some particles: minimum image must undo it
                    f.x[3 * p] = i * a + (p % 7 == 0 ? 2 * cells * a : 0);
                    f.x[3 * p + 1] = j * a - (p % 5 == 0 ? cells * a : 0);
                    f.x[3 * p + 2] = k * a;
                    p++;
                }
            }
        }
        CgTopology top = Fluids.atoms(n, 0);
        Rdf rdf = new Rdf(top, 1.5, 0.01, 0);
        rdf.accept(f);
        rdf.accept(f);
        double[] g = rdf.g(0);
        double[] r = rdf.binCentres();
        double rho = (n - 1) / box.volume();
        // integral of rho g 4 pi r^2 dr over the shells = coordination number
        double[] shells = {a, a * Math.sqrt(2), a * Math.sqrt(3), 2 * a, a * Math.sqrt(5)};
        int[] z = {6, 12, 8, 6, 24};
        double cumulative = 0;
        int expected = 0;
        int next = 0;
        for (int k = 0; k < g.length; k++) {
            double dn = rho * g[k] * rdf.shellVolume(k);
            cumulative += dn;
            boolean peak = next < shells.length && shells[next] >= k * 0.01 && shells[next] < (k + 1) * 0.01;
            if (peak) {
                assertEquals(z[next], dn, 1e-9, "shell at r = " + shells[next]);
                expected += z[next];
                next++;
            } else if (r[k] < a * Math.sqrt(5)) {
                assertEquals(0.0, g[k], "bin " + k + " at r = " + r[k] + " should be empty");
            }
            if (r[k] < a * Math.sqrt(6) - 0.01) { // the next shell, a sqrt(6), is not checked
                assertEquals(expected, cumulative, 1e-9);
                assertEquals(expected, rdf.coordination(0)[k], 1e-12);
            }
        }
        assertEquals(5, next);
    }

    @Test
    void dimersWithAndWithoutExclusions() {
        int nd = 50;
        int frames = 400;
        double bond = 0.32; // not at a bin edge
        Box box = Box.orthorhombic(5, 5, 5);
        CgTopology top = Fluids.dimers(nd);
        Rdf with = new Rdf(top, 2.0, 0.05, 1);
        Rdf without = new Rdf(top, 2.0, 0.05, 0);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int f = 0; f < frames; f++) {
            Frame fr = Fluids.dimers(nd, bond, box, rnd, f);
            with.accept(fr);
            without.accept(fr);
        }
        int ab = with.slot(0, 1);
        assertEquals(nd, with.excludedPairs(ab));
        assertEquals(0, with.excludedPairs(with.slot(0, 0)));
        int bondBin = (int) (bond / 0.05);
        for (int s = 0; s < 3; s++) {
            for (int k = 0; k < with.bins(); k++) {
                long diff = without.count(s, k) - with.count(s, k);
                assertEquals(s == ab && k == bondBin ? (long) frames * nd : 0, diff, "pair " + s + " bin " + k);
            }
        }
        // intermolecular pairs are uniform: with exclusions and the corrected normalization g = 1
        double shell = 4.0 / 3 * Math.PI * 8 / box.volume();
        double pairs = nd * (double) nd - nd;
        double sd = Math.sqrt((1 - shell) / (frames * pairs * shell));
        assertEquals(1.0, level(with, ab, Rdf.Normalization.EXCLUSION_CORRECTED), 4 * sd);
        // the uncorrected normalization sits at (P - E) / P = 0.98, ten sd below
        assertEquals((pairs) / (nd * (double) nd), level(with, ab, Rdf.Normalization.DISTINCT_PAIRS), 4 * sd);
        assertTrue(Math.abs(level(with, ab, Rdf.Normalization.DISTINCT_PAIRS) - 1) > 4 * sd);
        assertEquals(1.0, level(with, with.slot(0, 0), Rdf.Normalization.EXCLUSION_CORRECTED),
                4 * Math.sqrt((1 - shell) / (frames * nd * (nd - 1) / 2.0 * shell)));
    }

    @Test
    void mergeOfPartsEqualsWhole() {
        Box box = Box.orthorhombic(4, 4, 4);
        CgTopology top = Fluids.dimers(100);
        Rdf whole = new Rdf(top, 1.5, 0.02, 1);
        Rdf part1 = whole.emptyCopy();
        Rdf part2 = whole.emptyCopy();
        SplittableRandom rnd = new SplittableRandom(1);
        for (int f = 0; f < 6; f++) {
            Frame fr = Fluids.dimers(100, 0.3, box, rnd, f);
            whole.accept(fr);
            (f < 3 ? part1 : part2).accept(fr);
        }
        part1.merge(part2);
        assertEquals(whole.frames(), part1.frames());
        for (int s = 0; s < whole.pairCount(); s++) {
            assertArrayEquals(whole.counts(s), part1.counts(s));
            assertArrayEquals(whole.g(s), part1.g(s), 1e-14);
        }
    }

    @Test
    void gromacsBinsAreCentredOnMultiplesOfTheWidth() {
        CgTopology top = Fluids.atoms(4, 0);
        Frame f = new Frame();
        f.resize(4, false, false);
        f.box = Box.orthorhombic(4, 4, 4);
        double[] x = {1, 1, 1, 1.515, 1, 1, 3, 3, 3, 3, 3, 3.505};
        System.arraycopy(x, 0, f.x, 0, 12);
        Rdf edges = new Rdf(top, 1.0, 0.02, 0);
        Rdf gmx = new Rdf(top, 1.0, 0.02, 0, null, Rdf.Binning.GROMACS);
        edges.accept(f);
        gmx.accept(f);
        assertEquals(2, edges.count(0, 25)); // both in [0.50, 0.52)
        assertEquals(1, gmx.count(0, 25)); // 0.505 in [0.49, 0.51)
        assertEquals(1, gmx.count(0, 26)); // 0.515 in [0.51, 0.53)
        assertEquals(50, edges.bins());
        assertEquals(50, gmx.bins());
        assertEquals(0.99, gmx.rmax(), 1e-12);
        assertEquals(0.5, gmx.binCentres()[25], 1e-12);
        assertEquals(4.0 / 3 * Math.PI * 1e-6, gmx.shellVolume(0), 1e-18); // [0, w/2), w/2 = 0.01
        assertEquals(4.0 / 3 * Math.PI * (Math.pow(0.51, 3) - Math.pow(0.49, 3)), gmx.shellVolume(25), 1e-15);
        double total = 0;
        for (int k = 0; k < gmx.bins(); k++) {
            total += gmx.shellVolume(k);
        }
        assertEquals(4.0 / 3 * Math.PI * Math.pow(0.99, 3), total, 1e-12);
    }

    @Test
    void rangeLargerThanHalfTheBoxNamesTheFrame() {
        CgTopology top = Fluids.atoms(10, 0);
        Rdf rdf = new Rdf(top, 1.6, 0.1, 0);
        Frame f = Fluids.uniform(10, Box.orthorhombic(4, 3, 4), new SplittableRandom(1), 17);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rdf.accept(f));
        assertTrue(e.getMessage().startsWith("frame 17:"), e.getMessage());
        assertTrue(e.getMessage().contains("half the shortest box height"), e.getMessage());
        Frame noBox = Fluids.uniform(10, Box.orthorhombic(4, 4, 4), new SplittableRandom(1), 3);
        noBox.box = null;
        assertThrows(IllegalArgumentException.class, () -> rdf.accept(noBox));
        // triclinic: the heights, not the edge lengths, limit the range
        Box tilted = Box.triclinic(4, 2, 3.6, 2, 1.8, 3.2);
        assertTrue(PairSearch.maxCutoff(tilted) < 1.6);
        assertThrows(IllegalArgumentException.class, () -> rdf.accept(Fluids.uniform(10, tilted, new SplittableRandom(2), 4)));
    }
}
