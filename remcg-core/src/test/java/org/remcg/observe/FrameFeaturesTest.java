package org.remcg.observe;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.remcg.io.Frame;
import org.remcg.model.Basis1D;
import org.remcg.model.CubicBSpline;
import org.remcg.model.Fourier;
import org.remcg.model.Legendre;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.system.TestChains;

class FrameFeaturesTest {

    /** Chains A-B-B-A (bonds, angles, a dihedral) and single W beads. */
    static CgTopology system(int chains, int waters) {
        return TestChains.abba(chains, waters);
    }

    /** Chains as random walks with 0.35 nm steps, waters uniform; coordinates left unwrapped. */
    static Frame frame(CgTopology top, int chains, Box box, SplittableRandom rnd, long index) {
        Frame f = Fluids.uniform(top.size(), box, rnd, index);
        for (int c = 0; c < chains; c++) {
            for (int q = 1; q < 4; q++) {
                double[] u = Fluids.unit(rnd);
                for (int d = 0; d < 3; d++) {
                    f.x[3 * (4 * c + q) + d] = f.x[3 * (4 * c + q - 1) + d] + 0.35 * u[d];
                }
            }
        }
        return f;
    }

    static List<FeatureTerm> terms() {
        return List.of(
                new FeatureTerm.Pair("A", "B", 1.2, new CubicBSpline(12, 0.2, 1.2)),
                new FeatureTerm.Pair("W", "W", 1.0, new CubicBSpline(8, 0.0, 1.0)),
                new FeatureTerm.Pair("W", "A", 0.9, new Legendre(4, 0.1, 0.9)),
                new FeatureTerm.Bond("A-B", new CubicBSpline(6, 0.2, 0.5)),
                new FeatureTerm.Angle("A-B-B", new CubicBSpline(10, 0, Math.PI)),
                new FeatureTerm.Dihedral("A-B-B-A", new Fourier(3, false, -Math.PI, Math.PI)));
    }

    /** Independent evaluation: all pairs, Box.minimumImage, acos angles, GROMACS-style dihedral. */
    static double[] bruteForce(CgTopology top, int hops, List<FeatureTerm> terms, Frame f) {
        CgTopology.Exclusions ex = top.exclusions(hops);
        int m = terms.stream().mapToInt(t -> t.basis().size()).sum();
        double[] out = new double[m];
        int off = 0;
        for (FeatureTerm term : terms) {
            Basis1D basis = term.basis();
            double[] v = new double[basis.size()];
            if (term instanceof FeatureTerm.Pair p) {
                int ta = top.typeIndex(p.typeA());
                int tb = top.typeIndex(p.typeB());
                for (int i = 0; i < top.size(); i++) {
                    for (int j = i + 1; j < top.size(); j++) {
                        int ti = top.type()[i];
                        int tj = top.type()[j];
                        if (!((ti == ta && tj == tb) || (ti == tb && tj == ta)) || ex.excluded(i, j)) {
                            continue;
                        }
                        double r = f.box.distance(f.x, 3 * i, f.x, 3 * j);
                        if (r < p.cutoff()) {
                            addDense(basis, r, v, out, off);
                        }
                    }
                }
            } else if (term instanceof FeatureTerm.Bond b) {
                for (int k : withLabel(top.bondLabels(), top.bondLabel(), b.label())) {
                    addDense(basis, f.box.distance(f.x, 3 * top.bonds()[2 * k], f.x, 3 * top.bonds()[2 * k + 1]), v, out, off);
                }
            } else if (term instanceof FeatureTerm.Angle a) {
                for (int k : withLabel(top.angleLabels(), top.angleLabel(), a.label())) {
                    int[] t = top.angles();
                    double[] u = vec(f, t[3 * k + 1], t[3 * k]);
                    double[] w = vec(f, t[3 * k + 1], t[3 * k + 2]);
                    addDense(basis, Math.acos(dot(u, w) / Math.sqrt(dot(u, u) * dot(w, w))), v, out, off);
                }
            } else if (term instanceof FeatureTerm.Dihedral d) {
                for (int k : withLabel(top.dihedralLabels(), top.dihedralLabel(), d.label())) {
                    int[] t = top.dihedrals();
                    // GROMACS dih_angle: r_ij = x_i - x_j, r_kj = x_k - x_j, r_kl = x_k - x_l,
                    // m = r_ij x r_kj, n = r_kj x r_kl, phi = sign(r_ij . n) * angle(m, n)
                    double[] rij = vec(f, t[4 * k + 1], t[4 * k]);
                    double[] rkj = vec(f, t[4 * k + 1], t[4 * k + 2]);
                    double[] rkl = vec(f, t[4 * k + 3], t[4 * k + 2]);
                    double[] mm = cross(rij, rkj);
                    double[] nn = cross(rkj, rkl);
                    double phi = Math.acos(Math.max(-1, Math.min(1, dot(mm, nn) / Math.sqrt(dot(mm, mm) * dot(nn, nn)))));
                    addDense(basis, dot(rij, nn) < 0 ? -phi : phi, v, out, off);
                }
            }
            off += basis.size();
        }
        return out;
    }

    /** Indices of the topology's bonded terms (bonds, angles or dihedrals) with that label. */
    private static int[] withLabel(String[] labels, int[] labelOf, String label) {
        int l = List.of(labels).indexOf(label);
        return java.util.stream.IntStream.range(0, labelOf.length).filter(k -> labelOf[k] == l).toArray();
    }

    /** Minimum-image vector from particle a to particle b. */
    private static double[] vec(Frame f, int a, int b) {
        double[] d = {f.x[3 * b] - f.x[3 * a], f.x[3 * b + 1] - f.x[3 * a + 1], f.x[3 * b + 2] - f.x[3 * a + 2]};
        f.box.minimumImage(d, 0);
        return d;
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static void addDense(Basis1D basis, double q, double[] v, double[] out, int off) {
        basis.values(q, v);
        for (int k = 0; k < basis.size(); k++) {
            out[off + k] += v[k];
        }
    }

    @Test
    void featureSumsMatchBruteForce() {
        int chains = 60;
        CgTopology top = system(chains, 200);
        SplittableRandom rnd = new SplittableRandom(21);
        for (Box box : new Box[] {Box.orthorhombic(3.5, 3.8, 3.3), Box.triclinic(3.6, 1.2, 3.4, -1.0, 1.5, 3.1)}) {
            for (int hops : new int[] {0, 1, 3, Integer.MAX_VALUE}) {
                FrameFeatures ff = new FrameFeatures(top, hops, terms(), true, 4);
                for (int t = 0; t < 3; t++) {
                    Frame f = frame(top, chains, box, rnd, t);
                    ff.accept(f);
                    double[] brute = bruteForce(top, hops, terms(), f);
                    double[] row = new double[ff.features()];
                    ff.frameStore().row(t, row);
                    double norm = 0;
                    for (double b : brute) {
                        norm = Math.max(norm, Math.abs(b));
                    }
                    assertTrue(norm > 1, "features too small to test");
                    for (int k = 0; k < row.length; k++) {
                        // sums of a few thousand O(1) terms in a different order: 1e-12 relative to the largest
                        assertEquals(brute[k], row[k], 1e-12 * norm, box + " hops " + hops + " " + ff.featureNames().get(k));
                    }
                }
                assertEquals(3, ff.frames());
            }
        }
    }

    @Test
    void exclusionsRemoveExactlyTheBondedPairFeatures() {
        // with hops = 1 the A-B pair feature loses exactly the A-B bonds (both are A-B, intramolecular)
        int chains = 40;
        CgTopology top = system(chains, 0);
        Basis1D basis = new CubicBSpline(10, 0.0, 1.0);
        List<FeatureTerm> pair = List.of(new FeatureTerm.Pair("A", "B", 1.0, basis));
        List<FeatureTerm> bond = List.of(new FeatureTerm.Bond("A-B", basis));
        Frame f = frame(top, chains, Box.orthorhombic(4, 4, 4), new SplittableRandom(4), 0);
        double[] all = new double[10];
        double[] excl = new double[10];
        double[] bonds = new double[10];
        new FrameFeatures(top, 0, pair, false).compute(f, all);
        new FrameFeatures(top, 1, pair, false).compute(f, excl);
        new FrameFeatures(top, 0, bond, false).compute(f, bonds);
        for (int k = 0; k < 10; k++) {
            assertEquals(all[k] - excl[k], bonds[k], 1e-12);
        }
    }

    @Test
    void blocksMeanAndStoreAgree() {
        int chains = 20;
        CgTopology top = system(chains, 50);
        FrameFeatures ff = new FrameFeatures(top, 3, terms(), true, 4);
        SplittableRandom rnd = new SplittableRandom(8);
        for (int t = 0; t < 50; t++) {
            ff.accept(frame(top, chains, Box.orthorhombic(3, 3, 3), rnd, t));
        }
        double[] mean = ff.mean();
        FrameStore store = ff.frameStore();
        assertEquals(50, store.frames());
        assertEquals(ff.features(), store.features());
        for (int k = 0; k < ff.features(); k++) {
            double s = 0;
            for (int t = 0; t < 50; t++) {
                s += store.get(t, k);
            }
            assertEquals(s / 50, mean[k], 1e-12 * (1 + Math.abs(s / 50)));
        }
        assertEquals(50 * ff.features(), store.toArray().length);
        assertEquals(terms().stream().mapToInt(t -> t.basis().size()).sum(), ff.features());
        assertEquals("pair A-B:B00", ff.featureNames().get(0));
        assertEquals(12, ff.offset(1));
    }

    @Test
    void unknownNamesAreErrors() {
        CgTopology top = system(2, 2);
        Basis1D b = new CubicBSpline(6, 0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FrameFeatures(top, 1, List.of(new FeatureTerm.Bond("X-Y", b)), false));
        assertTrue(e.getMessage().contains("X-Y"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FrameFeatures(top, 1, List.of(new FeatureTerm.Pair("A", "Q", 1, b)), false));
        assertThrows(IllegalArgumentException.class,
                () -> new FrameFeatures(top, 1, List.of(new FeatureTerm.Pair("A", "B", 1, b), new FeatureTerm.Pair("B", "A", 1, b)), false));
    }
}
