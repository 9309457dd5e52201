package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remcg.io.IoTesting.assertMessageContains;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Opening trajectories by extension or format name, frame selection, writers by extension. */
class TrajectoriesTest {

    @TempDir
    Path dir;

    static Path resource(String name) {
        return IoTesting.resource(name);
    }

    /** An empty XTC or TRR file is a trajectory without frames for the reader and for the index. */
    @ParameterizedTest
    @ValueSource(strings = {"xtc", "trr"})
    void emptyXtcOrTrrFileHasNoFrames(String format) throws Exception {
        Path p = Files.createFile(dir.resolve("empty." + format));
        try (TrajectoryReader r = Trajectories.open(p, null)) {
            assertEquals(0, r.atoms());
            assertFalse(r.next(new Frame()));
            assertFalse(r.skip());
        }
        FrameIndex index = format.equals("xtc") ? XtcIndex.build(p) : TrrIndex.build(p);
        assertEquals(0, index.frames());
    }

    @Test
    void opensEveryFormatByExtension() throws Exception {
        Object[][] cases = {
            {"text/gro/two_frames.gro", GroReader.class},
            {"text/pdb/two_models.pdb", PdbReader.class},
            {"text/xyz/plain.xyz", XyzReader.class},
            {"text/lammps/atom_scaled.lammpstrj", LammpsDumpReader.class},
            {"xtc/water.xtc", XtcReader.class},
            {"trr/water.trr", TrrReader.class},
            {"dcd/ortho.mda.dcd", DcdReader.class},
        };
        for (Object[] c : cases) {
            Path p = resource((String) c[0]);
            try (TrajectoryReader r = Trajectories.open(p, null)) {
                assertInstanceOf((Class<?>) c[1], r, p.toString());
                Frame f = new Frame();
                assertTrue(r.next(f), p.toString());
                assertEquals(r.atoms(), f.atoms);
            }
        }
    }

    @Test
    void extensionIsCaseInsensitiveAndOverrideWins() throws Exception {
        Path upper = dir.resolve("WATER.XTC");
        Files.copy(resource("xtc/water.xtc"), upper);
        try (TrajectoryReader r = Trajectories.open(upper, null)) {
            assertInstanceOf(XtcReader.class, r);
        }
        Path odd = dir.resolve("water.bin");
        Files.copy(resource("trr/water.trr"), odd);
        try (TrajectoryReader r = Trajectories.open(odd, "TRR")) {
            assertInstanceOf(TrrReader.class, r);
            assertEquals(528, r.atoms());
        }
        Path dump = dir.resolve("x.dump");
        Files.copy(resource("text/lammps/atom_scaled.lammpstrj"), dump);
        try (TrajectoryReader r = Trajectories.open(dump, null)) {
            assertInstanceOf(LammpsDumpReader.class, r);
        }
    }

    @Test
    void unknownExtensionListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trajectories.open(dir.resolve("traj.nc"), null));
        assertMessageContains(e, "traj.nc");
        assertMessageContains(e, ".nc");
        for (String ext : new String[] {".gro", ".pdb", ".xyz", ".extxyz", ".lammpstrj", ".dump", ".xtc", ".trr", ".dcd"}) {
            assertTrue(e.getMessage().contains(ext), ext + " missing from: " + e.getMessage());
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Trajectories.open(dir.resolve("t.xtc"), "netcdf"));
        assertMessageContains(bad, "netcdf");
        assertThrows(IllegalArgumentException.class, () -> Trajectories.readStructure(resource("xtc/water.xtc")));
    }

    @Test
    void structuresFromGroPdbXyz() throws Exception {
        Structure gro = Trajectories.readStructure(resource("text/gro/two_frames.gro"));
        assertEquals("SOL", gro.topology().residueName(0));
        assertEquals("OW", gro.topology().atomName(0));
        assertEquals(0.150, gro.frame().x[0], 1e-12);
        assertTrue(Trajectories.readStructure(resource("text/pdb/two_models.pdb")).topology().atoms() > 0);
        assertTrue(Trajectories.readStructure(resource("text/xyz/plain.xyz")).topology().atoms() > 0);
    }

    /** Counts next and skip calls of a reader. */
    static final class Counting extends DelegatingReader {
        int nexts;
        int skips;

        Counting(TrajectoryReader in) {
            super(in);
        }

        @Override
        public boolean next(Frame frame) throws IOException, TrajectoryFormatException {
            nexts++;
            return super.next(frame);
        }

        @Override
        public boolean skip() throws IOException, TrajectoryFormatException {
            skips++;
            return super.skip();
        }
    }

    @Test
    void selectionMatchesTheFullReadAndSkipsTheRest() throws Exception {
        Path p = resource("xtc/water.xtc");
        List<Frame> full;
        try (TrajectoryReader r = Trajectories.open(p, null)) {
            full = IoTesting.readAll(r);
        }
        assertEquals(51, full.size());
        long[][] selections = {{0, -1, 1}, {3, 20, 4}, {10, 11, 1}, {7, -1, 10}, {50, -1, 3}, {51, -1, 1}, {5, 5, 1}, {0, 200, 25}};
        for (long[] s : selections) {
            Counting c = new Counting(Trajectories.open(p, null));
            List<Frame> got;
            try (TrajectoryReader r = Trajectories.select(c, s[0], s[1], s[2])) {
                got = IoTesting.readAll(r);
                assertFalse(r.next(new Frame()), "stays at the end");
            }
            List<Integer> expected = new ArrayList<>();
            long stop = s[1] == -1 ? full.size() : Math.min(s[1], full.size());
            for (long i = s[0]; i < stop; i += s[2]) {
                expected.add((int) i);
            }
            assertEquals(expected.size(), got.size(), java.util.Arrays.toString(s));
            for (int k = 0; k < got.size(); k++) {
                Frame want = full.get(expected.get(k));
                assertEquals(want.index, got.get(k).index);
                assertEquals(want.step, got.get(k).step);
                assertArrayEquals(want.x, got.get(k).x, 0.0);
            }
            // every delivered frame was decoded once; nothing else was decoded
            assertTrue(c.nexts <= got.size() + 1, "decoded " + c.nexts + " for " + got.size() + " frames");
            // the frames before the last delivered one that were not delivered were skipped, and
            // at most the rest of the file (plus the call that found its end) after it
            int last = got.isEmpty() ? 0 : expected.get(expected.size() - 1) + 1;
            assertTrue(c.skips >= last - got.size() && c.skips <= full.size() - got.size() + 1,
                    "skips " + c.skips + " for " + java.util.Arrays.toString(s));
        }
        assertThrows(IllegalArgumentException.class, () -> Trajectories.select(Trajectories.open(p, null), 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Trajectories.select(Trajectories.open(p, null), 5, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> Trajectories.select(Trajectories.open(p, null), -1, -1, 1));
    }

    @Test
    void writersByExtensionRoundTrip() throws Exception {
        Structure s = Trajectories.readStructure(resource("text/gro/two_frames.gro"));
        for (String name : new String[] {"out.gro", "out.xyz", "OUT.XTC"}) {
            Path target = dir.resolve(name);
            try (TrajectoryWriter w = Trajectories.openWriter(target, s.topology())) {
                w.write(s.frame());
            }
            try (TrajectoryReader r = Trajectories.open(target, null)) {
                Frame f = new Frame();
                assertTrue(r.next(f));
                assertEquals(s.frame().atoms, f.atoms);
                for (int i = 0; i < 3 * f.atoms; i++) {
                    // GRO and XTC store 0.001 nm; XYZ keeps 8 decimals of Angstrom
                    assertEquals(s.frame().x[i], f.x[i], 5e-4, name);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Trajectories.openWriter(dir.resolve("x.trr"), s.topology()));
        assertThrows(IllegalArgumentException.class, () -> Trajectories.openWriter(dir.resolve("x.gro"), null));
    }
}
