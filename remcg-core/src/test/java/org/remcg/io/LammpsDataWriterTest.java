package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.io.LammpsDataWriter.AtomStyle;
import org.remcg.system.Box;
import org.remcg.system.Topology;
import org.remcg.testing.Peers;

/** LammpsDataWriter: exact layout, and LAMMPS reading the files back (when lmp is installed). */
class LammpsDataWriterTest {

    @TempDir
    Path dir;

    private static Frame frame(int n, boolean velocities) {
        Frame f = new Frame();
        f.resize(n, velocities, false);
        return f;
    }

    @Test
    void fullStyleLayout() throws Exception {
        Topology top = new Topology(new String[] {"A", "B"}, new String[] {"MOL", "MOL"}, new int[] {5, 5}, null);
        Frame f = frame(2, true);
        double[] x = {0.1, 0.2, 0.3, 0.25, -0.05, 1.5};
        double[] v = {1, 0, -2, 0.5, 0.25, 0};
        System.arraycopy(x, 0, f.x, 0, 6);
        System.arraycopy(v, 0, f.v, 0, 6);
        f.box = Box.orthorhombic(2, 2.5, 3);
        Path p = dir.resolve("two.data");
        new LammpsDataWriter(AtomStyle.FULL, top, Map.of("A", 1, "B", 2), Map.of(1, 72.0, 2, 45.5))
                .bonds(new int[][] {{1, 0, 1}})
                .charges(new double[] {0.5, -0.5})
                .write(p, f);
        String expected = """
                remcg coarse-grained start configuration (units real)

                2 atoms
                2 atom types
                1 bonds
                1 bond types

                0.0 20.0 xlo xhi
                0.0 25.0 ylo yhi
                0.0 30.0 zlo zhi

                Masses

                1 72.0
                2 45.5

                Atoms # full

                1 1 1 0.5 1.0 2.0 3.0
                2 1 2 -0.5 2.5 -0.5 15.0

                Velocities

                1 0.01 0.0 -0.02
                2 0.005 0.0025 0.0

                Bonds

                1 1 1 2
                """;
        assertEquals(expected, Files.readString(p));
    }

    @Test
    void atomicStyleTriclinicWithoutVelocities() throws Exception {
        Topology top = new Topology(new String[] {"A", "B"}, new String[] {"X", "Y"}, new int[] {1, 2}, new double[] {12.0, 16.0});
        Frame f = frame(2, true);
        f.x[3] = 1;
        f.box = Box.triclinic(3, 0.5, 2.5, -0.25, 0.75, 2);
        Path p = dir.resolve("atomic.data");
        new LammpsDataWriter(AtomStyle.ATOMIC, top, Map.of("A", 1, "B", 2), null).velocities(false).title("tri").write(p, f);
        String expected = """
                tri (units real)

                2 atoms
                2 atom types

                0.0 30.0 xlo xhi
                0.0 25.0 ylo yhi
                0.0 20.0 zlo zhi
                5.0 -2.5 7.5 xy xz yz

                Masses

                1 12.0
                2 16.0

                Atoms # atomic

                1 1 0.0 0.0 0.0
                2 2 10.0 0.0 0.0
                """;
        assertEquals(expected, Files.readString(p));
    }

    @Test
    void invalidConfigurations() {
        Topology top = new Topology(new String[] {"A", "B"}, new String[] {"M", "M"}, new int[] {1, 1}, null);
        Map<String, Integer> types = Map.of("A", 1, "B", 1);
        Map<Integer, Double> masses = Map.of(1, 10.0);
        assertThrows(IllegalArgumentException.class, () -> new LammpsDataWriter(AtomStyle.FULL, top, Map.of("A", 1), masses));
        assertThrows(IllegalArgumentException.class, () -> new LammpsDataWriter(AtomStyle.FULL, top, Map.of("A", 1, "B", 2), masses),
                "type 2 has no mass");
        assertThrows(IllegalArgumentException.class, () -> new LammpsDataWriter(AtomStyle.FULL, top, types, null),
                "topology masses unknown");
        assertThrows(IllegalArgumentException.class, () -> new LammpsDataWriter(AtomStyle.FULL, top, Map.of("A", 0, "B", 1), masses));
        assertThrows(IllegalArgumentException.class, () -> new LammpsDataWriter(AtomStyle.ATOMIC, top, types, masses).bonds(new int[][] {{1, 0, 1}}));
        LammpsDataWriter w = new LammpsDataWriter(AtomStyle.FULL, top, types, masses);
        assertThrows(IllegalArgumentException.class, () -> w.bonds(new int[][] {{1, 0, 2}}));
        assertThrows(IllegalArgumentException.class, () -> w.bonds(new int[][] {{0, 0, 1}}));
        assertThrows(IllegalArgumentException.class, () -> w.angles(new int[][] {{1, 0, 1}}));
        Frame noBox = frame(2, false);
        assertThrows(IllegalArgumentException.class, () -> w.write(dir.resolve("x.data"), noBox));
        assertFalse(Files.exists(dir.resolve("x.data")));
        Topology mixed = top.withMasses(new double[] {10, 11});
        assertThrows(IllegalArgumentException.class, () -> new LammpsDataWriter(AtomStyle.FULL, mixed, types, null),
                "atoms of one type with different masses");
    }

    // ------------------------------------------------------------------------------------------
    // LAMMPS reads what we write
    // ------------------------------------------------------------------------------------------

    /** Two chains of four beads in a triclinic box, partly sticking out of it. */
    private static final int CHAINS = 2;
    private static final int BEADS = 4;

    private static Topology chains() {
        int n = CHAINS * BEADS;
        String[] names = new String[n];
        String[] res = new String[n];
        int[] num = new int[n];
        for (int i = 0; i < n; i++) {
            names[i] = "B" + (i % BEADS + 1);
            res[i] = "PLY";
            num[i] = i / BEADS + 1;
        }
        return new Topology(names, res, num, null);
    }

    private static Frame chainFrame(Box box) {
        SplittableRandom rng = new SplittableRandom(11);
        Frame f = frame(CHAINS * BEADS, true);
        for (int c = 0; c < CHAINS; c++) {
            double[] at = {2.9 * c, 0.3 + 1.2 * c, 2.4};
            for (int b = 0; b < BEADS; b++) {
                int i = c * BEADS + b;
                f.x[3 * i] = at[0] + 0.45 * b;
                f.x[3 * i + 1] = at[1] + rng.nextDouble(-0.1, 0.1);
                f.x[3 * i + 2] = at[2] + 0.1 * b;
                for (int k = 0; k < 3; k++) {
                    f.v[3 * i + k] = rng.nextDouble(-0.5, 0.5);
                }
            }
        }
        f.box = box;
        return f;
    }

    private static int[][] rows(int atoms, int type) {
        int count = BEADS - atoms + 1;
        int[][] r = new int[CHAINS * count][];
        for (int c = 0; c < CHAINS; c++) {
            for (int s = 0; s < count; s++) {
                int[] row = new int[atoms + 1];
                row[0] = type + (s == count - 1 ? 1 : 0);
                for (int k = 0; k < atoms; k++) {
                    row[k + 1] = c * BEADS + s + k;
                }
                r[c * count + s] = row;
            }
        }
        return r;
    }

    private String runLammps(String data, String style) throws Exception {
        Files.copy(GroFormatTest.resource("lammps/data_check.in"), dir.resolve("data_check.in"));
        return IoTesting.run(dir, "lmp", "-in", "data_check.in", "-var", "data", data, "-var", "style", style, "-log", "none");
    }

    private static int count(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), "no match for " + regex + " in\n" + out);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void lammpsReadsFullStyleWithTopologyAndTriclinicBox() throws Exception {
        Peers.lammps();
        Box box = Box.triclinic(4.0, 0.8, 3.6, -0.6, 0.9, 3.2);
        Frame f = chainFrame(box);
        int[][] bonds = rows(2, 1);      // 3 per chain, last one type 2
        int[][] angles = rows(3, 1);     // 2 per chain
        int[][] dihedrals = rows(4, 1);  // 1 per chain
        Path p = dir.resolve("cg.data");
        new LammpsDataWriter(AtomStyle.FULL, chains(), Map.of("B1", 1, "B2", 2, "B3", 2, "B4", 3), Map.of(1, 72.0, 2, 54.0, 3, 36.0))
                .bonds(bonds).angles(angles).dihedrals(dihedrals).write(p, f);
        String out = runLammps("cg.data", "full");
        Matcher m = Pattern.compile("REMCG_COUNTS (\\d+) (\\d+) (\\d+) (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        assertEquals(8, Integer.parseInt(m.group(1)));
        assertEquals(6, Integer.parseInt(m.group(2)));
        assertEquals(4, Integer.parseInt(m.group(3)));
        assertEquals(2, Integer.parseInt(m.group(4)));
        // read_data's own report
        assertEquals(8, count(out, "(\\d+) atoms\\n"));
        assertEquals(6, count(out, "(\\d+) bonds\\n"));
        assertEquals(4, count(out, "(\\d+) angles\\n"));
        assertEquals(2, count(out, "(\\d+) dihedrals\\n"));
        assertTrue(out.contains("reading velocities"), out);
        assertTrue(out.contains("triclinic box"), out);
        checkReadback(f);
    }

    @Test
    void lammpsReadsAtomicStyle() throws Exception {
        Peers.lammps();
        Frame f = chainFrame(Box.orthorhombic(4.5, 4, 3.5));
        Path p = dir.resolve("atomic.data");
        new LammpsDataWriter(AtomStyle.ATOMIC, chains(), Map.of("B1", 1, "B2", 2, "B3", 2, "B4", 2), Map.of(1, 72.0, 2, 54.0)).write(p, f);
        String out = runLammps("atomic.data", "atomic");
        assertTrue(out.contains("REMCG_COUNTS 8 0 0 0"), out);
        assertTrue(out.contains("orthogonal box"), out);
        checkReadback(f);
    }

    /** LAMMPS' dump of what it read: the same box, unwrapped positions and velocities, in real units. */
    private void checkReadback(Frame f) throws Exception {
        try (LammpsDumpReader r = new LammpsDumpReader(dir.resolve("readback.lammpstrj"), LammpsDumpReader.Units.REAL)) {
            Frame g = new Frame();
            assertTrue(r.next(g));
            double[] a = f.box.matrix();
            double[] b = g.box.matrix();
            for (int k = 0; k < 9; k++) {
                assertEquals(a[k], b[k], 1e-12, "box element " + k);
            }
            for (int i = 0; i < 3 * f.atoms; i++) {
                assertEquals(f.x[i], g.x[i], 1e-12, "x[" + i + "]");
                assertEquals(f.v[i], g.v[i], 1e-12, "v[" + i + "]");
            }
            assertFalse(r.next(g));
        }
    }
}
