package org.remcg.mapping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.remcg.io.Frame;
import org.remcg.io.TrajectoryReader;
import org.remcg.io.TrrReader;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.system.Molecules;
import org.remcg.system.Topology;
import org.remcg.system.Waters;

/**
 * The mapper against independent straightforward computations: SPC/E water from a GROMACS TRR
 * (positions, forces), molecules split across the boundary, triclinic boxes, multi-bead molecules.
 */
class MapperTest {

    static final double MO = 15.9994;
    static final double MH = 1.008;

    static List<Frame> trr = new ArrayList<>();
    static int waters;

    @BeforeAll
    static void load() throws Exception {
        Path p = Path.of(MapperTest.class.getResource("/trr/water.trr").toURI());
        try (TrajectoryReader r = TrrReader.open(p)) {
            Frame f = new Frame();
            while (r.next(f)) {
                trr.add(f.copy());
            }
            waters = r.atoms() / 3;
        }
        assertEquals(21, trr.size());
    }

    static Topology water(int n, boolean masses) {
        return Waters.topology(n, masses ? new double[] {MO, MH, MH} : null);
    }

    static MappingSpec oneBead(Weights w) {
        return new MappingSpec(List.of(new MoleculeSpec("SOL", List.of(new BeadSpec("W", "W", List.of("OW", "HW1", "HW2"), w)))));
    }

    /** Water centres computed directly: H atoms moved next to their O by the cubic minimum image, weighted mean, wrapped by floor. */
    static double[] waterCentres(Frame f, double wo, double wh) {
        double l = f.box.lx();
        double[] out = new double[3 * waters];
        for (int w = 0; w < waters; w++) {
            for (int k = 0; k < 3; k++) {
                double o = f.x[9 * w + k];
                double h1 = f.x[9 * w + 3 + k];
                double h2 = f.x[9 * w + 6 + k];
                h1 = o + (h1 - o) - l * Math.round((h1 - o) / l);
                h2 = o + (h2 - o) - l * Math.round((h2 - o) / l);
                double c = (wo * o + wh * h1 + wh * h2) / (wo + 2 * wh);
                out[3 * w + k] = c - l * Math.floor(c / l);
            }
        }
        return out;
    }

    @Test
    void spceCentresOfMassAndForcesFromGromacsTrr() {
        Mapper m = Mapper.build(water(waters, true), oneBead(Weights.MASS));
        assertEquals(waters, m.beads());
        assertEquals(waters, m.cgTopology().size());
        assertEquals(MO + 2 * MH, m.cgTopology().mass()[0], 1e-12);
        assertEquals(Map.of("SOL", waters), m.mappedMolecules());
        assertTrue(m.droppedResidues().isEmpty());
        Frame cg = new Frame();
        int split = 0;
        double[] firstArray = null;
        for (Frame f : trr) {
            assertTrue(f.box.isOrthorhombic());
            m.map(f, cg);
            if (firstArray == null) {
                firstArray = cg.x;
            }
            assertSame(firstArray, cg.x, "the output arrays are reused");
            assertEquals(waters, cg.atoms);
            assertEquals(f.step, cg.step);
            assertEquals(f.time, cg.time, 0.0);
            assertEquals(f.box, cg.box);
            assertNull(cg.v);
            double[] want = waterCentres(f, MO, MH);
            double l = f.box.lx();
            for (int i = 0; i < 3 * waters; i++) {
                // same arithmetic up to the order of additions: double rounding of ~2 nm numbers
                double diff = Math.abs(want[i] - cg.x[i]);
                assertTrue(diff < 1e-12 || Math.abs(diff - l) < 1e-12, "coordinate " + i + ": " + want[i] + " vs " + cg.x[i]);
                assertTrue(cg.x[i] >= 0 && cg.x[i] < l);
            }
            for (int w = 0; w < waters; w++) {
                for (int k = 0; k < 3; k++) {
                    if (Math.abs(f.x[9 * w + 3 + k] - f.x[9 * w + k]) > l / 2 || Math.abs(f.x[9 * w + 6 + k] - f.x[9 * w + k]) > l / 2) {
                        split++;
                        break;
                    }
                }
                // bead force = sum of the three atomic forces (exact sums of the same floats)
                assertNotNull(cg.f);
                for (int k = 0; k < 3; k++) {
                    double sum = f.f[9 * w + k] + f.f[9 * w + 3 + k] + f.f[9 * w + 6 + k];
                    assertEquals(sum, cg.f[3 * w + k], 1e-12 * (1 + Math.abs(sum)));
                }
            }
        }
        assertTrue(split > 0, "the data hold molecules split across the boundary (" + split + ")");
    }

    @Test
    void moleculesScatteredOverPeriodicImagesMapTheSame() {
        Mapper m = Mapper.build(water(waters, true), oneBead(Weights.MASS));
        SplittableRandom rnd = new SplittableRandom(17);
        Frame cg = new Frame();
        Frame cg2 = new Frame();
        for (Frame f : trr.subList(0, 5)) {
            Frame moved = f.copy();
            double l = f.box.lx();
            for (int i = 0; i < 3 * f.atoms; i++) {
                moved.x[i] += l * (rnd.nextInt(5) - 2);
            }
            m.map(f, cg);
            m.map(moved, cg2);
            for (int i = 0; i < 3 * waters; i++) {
                double diff = Math.abs(cg.x[i] - cg2.x[i]);
                // shifts of up to 2 box lengths change the rounding of ~5 nm sums: a few ulps of 5
                assertTrue(diff < 1e-13 * 64 || Math.abs(diff - l) < 1e-13 * 64, cg.x[i] + " vs " + cg2.x[i]);
            }
        }
    }

    @Test
    void geometricCentreSitsAtTheRigidSpceOffsetFromTheCentreOfMass() {
        Mapper com = Mapper.build(water(waters, true), oneBead(Weights.MASS));
        Mapper geo = Mapper.build(water(waters, false), oneBead(Weights.GEOMETRY));
        Mapper oxygen = Mapper.build(water(waters, false), oneBead(new Weights.Explicit(new double[] {2, 0, 0})));
        // SPC/E: O-H 0.1 nm, H-H 0.1633 nm (SETTLE); O to the H-H midpoint h = sqrt(0.1^2 - 0.08165^2)
        double h = Math.sqrt(0.01 - 0.08165 * 0.08165);
        double comOffset = 2 * MH / (MO + 2 * MH) * h;
        double geoOffset = 2.0 / 3.0 * h;
        Frame a = new Frame();
        Frame b = new Frame();
        Frame o = new Frame();
        for (Frame f : trr) {
            com.map(f, a);
            geo.map(f, b);
            oxygen.map(f, o);
            double[] want = waterCentres(f, 1, 1);
            for (int w = 0; w < waters; w++) {
                double gc = f.box.distance(a.x, 3 * w, b.x, 3 * w);
                double go = f.box.distance(o.x, 3 * w, b.x, 3 * w);
                double co = f.box.distance(o.x, 3 * w, a.x, 3 * w);
                // single-precision TRR positions (~1e-7 nm) and SETTLE's tolerance bound the scatter
                assertEquals(geoOffset - comOffset, gc, 2e-5);
                assertEquals(geoOffset, go, 2e-5);
                assertEquals(comOffset, co, 2e-5);
                // explicit weights [2, 0, 0]: the oxygen itself (wrapped)
                for (int k = 0; k < 3; k++) {
                    double ox = f.x[9 * w + k];
                    double l = f.box.lx();
                    assertEquals(ox - l * Math.floor(ox / l), o.x[3 * w + k], 1e-12);
                    double diff = Math.abs(want[3 * w + k] - b.x[3 * w + k]);
                    assertTrue(diff < 1e-12 || Math.abs(diff - l) < 1e-12);
                }
            }
        }
    }

    @Test
    void longChainInTriclinicBox() {
        // a 12-atom chain 3.3 nm long in a triclinic box about 2 nm across: longer than half the box
        Box box = Box.triclinic(2.0, 0.5, 1.9, -0.4, 0.6, 1.8);
        int n = 12;
        double[] chain = new double[3 * n];
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            chain[3 * i] = 0.3 + 0.28 * i;
            chain[3 * i + 1] = 0.2 + 0.1 * Math.sin(i);
            chain[3 * i + 2] = 0.5 + 0.05 * i;
        }
        Frame f = new Frame();
        f.resize(n, false, false);
        f.box = box;
        double[] m = box.matrix();
        for (int i = 0; i < n; i++) {
            int ka = rnd.nextInt(5) - 2;
            int kb = rnd.nextInt(5) - 2;
            int kc = rnd.nextInt(5) - 2;
            for (int k = 0; k < 3; k++) {
                f.x[3 * i + k] = chain[3 * i + k] + ka * m[k] + kb * m[3 + k] + kc * m[6 + k];
            }
        }
        String[] names = new String[n];
        String[] res = new String[n];
        int[] num = new int[n];
        for (int i = 0; i < n; i++) {
            names[i] = "C" + (i + 1);
            res[i] = "POL";
            num[i] = 1;
        }
        List<BeadSpec> beads = List.of(new BeadSpec("H", "E", List.of("C1", "C2", "C3", "C4"), Weights.GEOMETRY),
                new BeadSpec("M", "M", List.of("C5", "C6", "C7", "C8"), Weights.GEOMETRY),
                new BeadSpec("T", "E", List.of("C9", "C10", "C11", "C12"), Weights.GEOMETRY));
        Mapper mapper = Mapper.build(new Topology(names, res, num, null),
                new MappingSpec(List.of(new MoleculeSpec("POL", beads, List.of(List.of("H", "M"), List.of("M", "T")), List.of(List.of("H", "M", "T")),
                        List.of()))));
        Frame cg = new Frame();
        mapper.map(f, cg);
        for (int b = 0; b < 3; b++) {
            double[] want = new double[3];
            for (int i = 4 * b; i < 4 * b + 4; i++) {
                for (int k = 0; k < 3; k++) {
                    want[k] += chain[3 * i + k] / 4;
                }
            }
            // got - want is a lattice vector, and got lies in the brick [0, a_x) x [0, b_y) x [0, c_z)
            double[] frac = fractional(m, cg.x[3 * b] - want[0], cg.x[3 * b + 1] - want[1], cg.x[3 * b + 2] - want[2]);
            for (int k = 0; k < 3; k++) {
                assertEquals(Math.rint(frac[k]), frac[k], 1e-12, "bead " + b);
                assertTrue(cg.x[3 * b + k] >= 0 && cg.x[3 * b + k] < m[4 * k], "bead " + b + " coordinate " + k + ": " + cg.x[3 * b + k]);
            }
        }
    }

    /** Fractional coordinates of a point in a lower-triangular box (rows a, b, c). */
    static double[] fractional(double[] m, double x, double y, double z) {
        double sc = z / m[8];
        double sb = (y - sc * m[7]) / m[4];
        double sa = (x - sc * m[6] - sb * m[3]) / m[0];
        return new double[] {sa, sb, sc};
    }

    @Test
    void bondedTermsAreLabelledByTypesInCanonicalDirection() {
        // synthetic molecule: 8 atoms, 4 beads of types A B A C
        String[] names = {"N1", "C1", "N2", "C2", "N3", "C3", "O1", "O2"};
        String[] res = new String[8];
        int[] num = new int[8];
        double[] mass = {14, 12, 14, 12, 14, 12, 16, 16};
        Arrays.fill(res, "TOY");
        Arrays.fill(num, 1);
        List<BeadSpec> beads = List.of(new BeadSpec("B1", "A", List.of("N1", "C1"), Weights.MASS),
                new BeadSpec("B2", "B", List.of("N2", "C2"), Weights.MASS), new BeadSpec("B3", "A", List.of("N3", "C3"), Weights.MASS),
                new BeadSpec("B4", "C", List.of("O1", "O2"), new Weights.Explicit(new double[] {1, 3})));
        MoleculeSpec toy = new MoleculeSpec("TOY", beads, List.of(List.of("B1", "B2"), List.of("B2", "B3"), List.of("B4", "B3")),
                List.of(List.of("B1", "B2", "B3"), List.of("B4", "B3", "B2")), List.of(List.of("B4", "B3", "B2", "B1")));
        // two copies of the molecule, then a dropped residue
        String[] n2 = new String[17];
        String[] r2 = new String[17];
        int[] u2 = new int[17];
        double[] m2 = new double[17];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 8; i++) {
                n2[8 * c + i] = names[i];
                r2[8 * c + i] = "TOY";
                u2[8 * c + i] = c + 1;
                m2[8 * c + i] = mass[i];
            }
        }
        n2[16] = "NA";
        r2[16] = "NA";
        u2[16] = 3;
        m2[16] = 22.99;
        Mapper m = Mapper.build(new Topology(n2, r2, u2, m2), new MappingSpec(List.of(toy)));
        CgTopology t = m.cgTopology();
        assertEquals(8, t.size());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1}, t.molecule());
        assertArrayEquals(new String[] {"A", "B", "C"}, t.typeNames());
        assertArrayEquals(new double[] {26, 26, 26, 32, 26, 26, 26, 32}, t.mass(), 0.0);
        // B-A is written A-B; C-A is written A-C with its beads reversed
        assertArrayEquals(new String[] {"A-B", "A-C"}, t.bondLabels());
        assertArrayEquals(new int[] {0, 1, 2, 1, 2, 3, 4, 5, 6, 5, 6, 7}, t.bonds());
        assertArrayEquals(new int[] {0, 0, 1, 0, 0, 1}, t.bondLabel());
        // C-A-B reads B-A-C backwards, which sorts first
        assertArrayEquals(new String[] {"A-B-A", "B-A-C"}, t.angleLabels());
        assertArrayEquals(new int[] {0, 1, 2, 1, 2, 3}, Arrays.copyOf(t.angles(), 6));
        assertArrayEquals(new String[] {"A-B-A-C"}, t.dihedralLabels());
        assertArrayEquals(new int[] {0, 1, 2, 3}, Arrays.copyOf(t.dihedrals(), 4));
        assertEquals(Map.of("NA", 1), m.droppedResidues());
        assertEquals(1, m.droppedAtoms());
        assertTrue(m.summary().contains("2 TOY") && m.summary().contains("NA x1"), m.summary());
        assertEquals("B4", m.cgStructure().atomName(3));
        assertEquals("TOY", m.cgStructure().residueName(7));
        assertEquals(2, m.cgStructure().residueNumber(7));

        // positions: mass-weighted pairs, explicit 1:3 weights; no box, so nothing is wrapped
        Frame f = new Frame();
        f.resize(17, false, false);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 51; i++) {
            f.x[i] = rnd.nextDouble(-3, 3);
        }
        Frame cg = new Frame();
        m.map(f, cg);
        for (int k = 0; k < 3; k++) {
            assertEquals((14 * f.x[k] + 12 * f.x[3 + k]) / 26, cg.x[k], 1e-14);
            assertEquals((f.x[18 + k] + 3 * f.x[21 + k]) / 4, cg.x[9 + k], 1e-14);
            assertEquals((f.x[24 + 18 + k] + 3 * f.x[24 + 21 + k]) / 4, cg.x[21 + k], 1e-14);
        }
        assertNull(cg.box);
        assertNull(cg.f);
    }

    @Test
    void moleculeTypeSpanningResiduesWithQualifiedNames() {
        // a dipeptide-like molecule of two residues with the same atom names, then two waters
        String[] names = {"N", "CA", "C", "N", "CA", "C", "OW", "HW1", "HW2", "OW", "HW1", "HW2"};
        String[] res = {"GLY", "GLY", "GLY", "GLY", "GLY", "GLY", "SOL", "SOL", "SOL", "SOL", "SOL", "SOL"};
        int[] num = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4};
        Topology fine = new Topology(names, res, num, null);
        Molecules layout = new Molecules(new int[] {0, 6, 9, 12}, new String[] {"Protein", "SOL", "SOL"});
        MoleculeSpec protein = new MoleculeSpec("Protein", List.of(new BeadSpec("R1", "BB", List.of("1:N", "1:CA", "1:C"), Weights.GEOMETRY),
                new BeadSpec("R2", "BB", List.of("2:N", "2:CA", "2:C"), Weights.GEOMETRY)), List.of(List.of("R1", "R2")), List.of(), List.of());
        Mapper m = Mapper.build(fine, layout, new MappingSpec(List.of(protein)));
        assertEquals(2, m.beads());
        assertEquals(Map.of("SOL", 2), m.droppedResidues());
        assertEquals(1, m.cgTopology().bondCount());
        assertArrayEquals(new String[] {"BB-BB"}, m.cgTopology().bondLabels());
        // unqualified names are ambiguous in a two-residue molecule
        MoleculeSpec bad = new MoleculeSpec("Protein", List.of(new BeadSpec("R1", "BB", List.of("N", "CA"), Weights.GEOMETRY)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mapper.build(fine, layout, new MappingSpec(List.of(bad))));
        assertTrue(e.getMessage().contains("several atoms named N, CA") && e.getMessage().contains("k:NAME"), e.getMessage());
        // without the layout, "Protein" is no residue name
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> Mapper.build(fine, new MappingSpec(List.of(protein))));
        assertTrue(e2.getMessage().contains("Protein") && e2.getMessage().contains("GLY"), e2.getMessage());
    }

    @Test
    void badMappingsAreNamed() {
        Topology w = water(3, true);
        Object[][] cases = {
            {new MoleculeSpec("HOH", List.of(new BeadSpec("W", "W", List.of("OW"), Weights.MASS))), "HOH"},
            {new MoleculeSpec("SOL", List.of(new BeadSpec("W", "W", List.of("OW", "HW3", "HX"), Weights.MASS))), "HW3, HX"},
            {new MoleculeSpec("SOL", List.of(new BeadSpec("A", "W", List.of("OW", "HW1"), Weights.MASS),
                    new BeadSpec("B", "W", List.of("HW1", "HW2"), Weights.MASS))), "atom HW1 is listed in two beads, A and B"},
            {new MoleculeSpec("SOL", List.of(new BeadSpec("A", "W", List.of("OW", "HW1"), new Weights.Explicit(new double[] {1, 2, 3})))),
                "2 atoms but 3 weights"},
            {new MoleculeSpec("SOL", List.of(new BeadSpec("A", "W", List.of("OW", "HW1"), new Weights.Explicit(new double[] {1, -2})))), "-2"},
            {new MoleculeSpec("SOL", List.of(new BeadSpec("A", "W", List.of("OW"), Weights.MASS), new BeadSpec("B", "W", List.of("HW1"), Weights.MASS)),
                    List.of(List.of("A", "C")), List.of(), List.of()), "bead C"},
            {new MoleculeSpec("SOL", List.of(new BeadSpec("A", "W", List.of("OW"), Weights.MASS), new BeadSpec("B", "W", List.of("HW1"), Weights.MASS)),
                    List.of(List.of("A", "B", "A")), List.of(), List.of()), "a bond names 2 beads"},
            {new MoleculeSpec("SOL", List.of(new BeadSpec("A", "W", List.of("OW"), Weights.MASS), new BeadSpec("A", "W", List.of("HW1"), Weights.MASS))),
                "bead name A is used twice"},
        };
        for (Object[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Mapper.build(w, new MappingSpec(List.of((MoleculeSpec) c[0]))), (String) c[1]);
            assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
        }
        IllegalArgumentException noMass = assertThrows(IllegalArgumentException.class, () -> Mapper.build(water(3, false), oneBead(Weights.MASS)));
        assertTrue(noMass.getMessage().contains("no known mass"), noMass.getMessage());
        Mapper m = Mapper.build(w, oneBead(Weights.MASS));
        Frame wrong = new Frame();
        wrong.resize(4, false, false);
        assertThrows(IllegalArgumentException.class, () -> m.map(wrong, new Frame()));
    }

    @Test
    void concurrentMappingEqualsSequential() throws Exception {
        Mapper m = Mapper.build(water(waters, true), oneBead(Weights.MASS));
        List<double[]> sequential = new ArrayList<>();
        Frame cg = new Frame();
        for (Frame f : trr) {
            m.map(f, cg);
            sequential.add(Arrays.copyOf(cg.x, 3 * waters));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (int rep = 0; rep < 5; rep++) {
                for (Frame f : trr) {
                    futures.add(pool.submit(() -> {
                        Frame out = new Frame();
                        m.map(f, out);
                        return Arrays.copyOf(out.x, 3 * waters);
                    }));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertArrayEquals(sequential.get(i % trr.size()), futures.get(i).get(), 0.0);
            }
        } finally {
            pool.shutdown();
        }
    }
}
