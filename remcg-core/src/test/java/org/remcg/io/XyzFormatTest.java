package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remcg.io.IoTesting.assertMessageContains;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.remcg.system.Box;
import org.remcg.system.Topology;

/** XyzReader and XyzWriter: plain and extended XYZ by hand, a rotated cell, round trips, bad input. */
class XyzFormatTest extends FileTesting {

    // which reader reads broken content (FileTesting); the same one-line constructor in each text-reader test
    XyzFormatTest() {
        super("bad.xyz", XyzReader::new);
    }

    @Test
    void extendedXyzWithLatticeAndProperties() throws Exception {
        try (XyzReader r = new XyzReader(GroFormatTest.resource("xyz/extended.xyz"))) {
            Frame f = IoTesting.firstFrame(r, 3, 0.25, 125);
            // species and pos are columns 2 and 3-5 (after Z); forces are skipped
            assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.15, -0.225, 0.0125, -0.05, 0.2, 1.375}, Arrays.copyOf(f.x, 9), 1e-16);
            assertNull(f.v);
            assertNull(f.f);
            assertEquals(Box.triclinic(1.0, 0.2, 1.2, -0.1, 0.3, 1.4), f.box);

            IoTesting.assertNextFrame(r, f, 1, 0.5, 250);
            // a along y and b along -x: cell and atoms turned so that a lies along x
            assertTrue(f.box.isOrthorhombic());
            IoTesting.assertBox(Box.orthorhombic(1.0, 1.2, 1.4), f.box, 1e-15);
            assertArrayEquals(new double[] {0.5, 0, 0.7, 0, 0.6, 0, 0.25, 0.3, 0.35}, Arrays.copyOf(f.x, 9), 1e-15);
            assertFalse(r.next(f));
        }
        Structure s = XyzReader.readStructure(GroFormatTest.resource("xyz/extended.xyz"));
        assertEquals("O", s.topology().atomName(0));
        assertEquals("H", s.topology().atomName(2));
        assertEquals(3, s.topology().residueNumber(2));
    }

    @Test
    void plainXyz() throws Exception {
        try (XyzReader r = new XyzReader(GroFormatTest.resource("xyz/plain.xyz"))) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            assertArrayEquals(new double[] {0, 0.15, -0.225, 1.0125, 0, 1}, Arrays.copyOf(f.x, 6), 1e-16);
            assertNull(f.box);
            assertTrue(Double.isNaN(f.time));
            assertEquals(0, f.step);
            assertFalse(r.next(f));
        }
        Structure s = XyzReader.readStructure(GroFormatTest.resource("xyz/plain.xyz"));
        assertEquals("C", s.topology().atomName(0));
        assertEquals("N", s.topology().atomName(1));
    }

    @Test
    void commentWithoutNumbersIsFreeText() throws Exception {
        try (XyzReader r = new XyzReader(write("free.xyz", "1\ntime=late step=many words here\nAr 1 2 3\n\n\n"))) {
            List<Frame> frames = IoTesting.readAll(r);
            assertEquals(1, frames.size(), "trailing blank lines end the file cleanly");
            assertTrue(Double.isNaN(frames.get(0).time));
            assertEquals(0, frames.get(0).step);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Writing
    // ------------------------------------------------------------------------------------------

    @Test
    void writerLayout() throws Exception {
        Topology top = new Topology(new String[] {"C1", "big name"}, new String[] {"R", "R"}, new int[] {1, 1}, null);
        Frame f = new Frame();
        f.resize(2, false, false);
        f.x[0] = 0.1;
        f.x[1] = -0.25;
        f.x[2] = 1.0;
        f.x[3] = 12.3456789012;
        f.box = Box.triclinic(3, 1, 2.5, -0.5, 0.75, 2);
        f.time = 1.5;
        f.step = 750;
        Path p = dir.resolve("layout.xyz");
        try (XyzWriter w = new XyzWriter(p, top)) {
            w.write(f);
            f.box = null;
            f.time = Double.NaN;
            w.write(f);
        }
        List<String> lines = Files.readAllLines(p);
        assertEquals(List.of(
                "2",
                "Lattice=\"30.00000000 0.00000000 0.00000000 10.00000000 25.00000000 0.00000000 -5.00000000 7.50000000 20.00000000\" "
                        + "Properties=species:S:1:pos:R:3 pbc=\"T T T\" time=1.5 step=750",
                "C1 1.00000000 -2.50000000 10.00000000",
                "big_name 123.45678901 0.00000000 0.00000000",
                "2",
                "Properties=species:S:1:pos:R:3",
                "C1 1.00000000 -2.50000000 10.00000000",
                "big_name 123.45678901 0.00000000 0.00000000"), lines);
    }

    @Test
    void roundTripThroughWriterAndReader() throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 50;
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = "B" + (i % 7);
        }
        Topology top = new Topology(names, names, new int[n], null);
        Frame[] frames = new Frame[3];
        Box[] boxes = {Box.triclinic(4, 1, 3.5, -1, 1.25, 3), null, Box.orthorhombic(5, 6, 7)};
        for (int k = 0; k < 3; k++) {
            Frame f = new Frame();
            f.resize(n, false, false);
            for (int i = 0; i < 3 * n; i++) {
                f.x[i] = rng.nextDouble(-100, 100);
            }
            f.box = boxes[k];
            f.time = k == 1 ? Double.NaN : 0.002 * k;
            f.step = k == 1 ? 0 : 1000L * k;
            frames[k] = f;
        }
        Path p = dir.resolve("round.xyz");
        try (XyzWriter w = new XyzWriter(p, top)) {
            for (Frame f : frames) {
                w.write(f);
            }
        }
        try (XyzReader r = new XyzReader(p)) {
            Frame g = new Frame();
            for (int k = 0; k < 3; k++) {
                assertTrue(r.next(g));
                Frame f = frames[k];
                for (int i = 0; i < 3 * n; i++) {
                    assertEquals(f.x[i], g.x[i], 5e-10 + 1e-13, "frame " + k + " x[" + i + "]");
                }
                if (f.box == null) {
                    assertNull(g.box);
                } else {
                    IoTesting.assertBox(f.box, g.box, 1e-12);
                }
                if (f.time == f.time) {
                    assertEquals(f.time, g.time);
                } else {
                    assertTrue(Double.isNaN(g.time));
                }
                assertEquals(f.step, g.step);
            }
            assertFalse(r.next(g));
        }
        Structure s = XyzReader.readStructure(p);
        for (int i = 0; i < n; i++) {
            assertEquals(names[i], s.topology().atomName(i));
        }
        // without a topology every atom is "X"
        Path q = dir.resolve("x.xyz");
        try (XyzWriter w = new XyzWriter(q)) {
            w.write(frames[0]);
        }
        assertEquals("X", XyzReader.readStructure(q).topology().atomName(n - 1));
    }

    // ------------------------------------------------------------------------------------------
    // Bad input
    // ------------------------------------------------------------------------------------------

    @Test
    void wrongCounts() throws Exception {
        // one atom more counted than present: the next frame's count line is read as an atom
        assertFailure("3\nc\nA 1 2 3\nB 4 5 6\n2\nc\nA 1 2 3\nB 4 5 6\n",
                "frame 0: line 5: atom line has 1 fields, expected at least 4");
        // one fewer: an atom line is read as the next count
        assertFailure("1\nc\nA 1 2 3\nB 4 5 6\n", "frame 1: line 4: 'B 4 5 6' is not an integer (atom count)");
    }

    @Test
    void shortLinesAndNonNumbers() throws Exception {
        assertFailure("2\nc\nA 1 2 3\nB 4 5\n", "frame 0: line 4: atom line has 3 fields, expected at least 4");
        assertFailure("2\nc\nA 1 2 3\nB 4 five 6\n", "frame 0: line 4: 'five' is not a finite number (y)");
        assertFailure("1\nProperties=species:S:1:pos:R:3:q:R:1\nA 1 2 3\n",
                "line 3: atom line has 4 fields, expected 5 (Properties on line 2)");
        assertFailure("1\nProperties=species:S:1:q:R:1\nA 1\n", "line 2: Properties has no pos:R:3 column");
        assertFailure("1\nLattice=\"1 0 0 0 1 0 0 0\"\nA 1 2 3\n", "line 2: Lattice needs 9 numbers");
        assertFailure("1\nLattice=\"1 0 0 0 1 0 0 0 -1\"\nA 1 2 3\n", "line 2: Lattice vectors are left-handed");
        assertFailure("1\nLattice=\"1 0 0 0 1 0 0 0 1\nA 1 2 3\n", "line 2: unterminated quoted value of 'Lattice'");
    }

    @Test
    void truncatedFinalFrameDeliversEarlierFrames() throws Exception {
        Path p = write("cut.xyz", "2\nc\nA 1 2 3\nB 4 5 6\n2\nsecond frame\nA 1.0 2.0 3.0\n");
        try (XyzReader r = new XyzReader(p)) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            assertEquals(0.6, f.x[5], 1e-16);
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> r.next(f));
            assertEquals(1, e.frame());
            assertTrue(e.getMessage().contains("frame 1: line 8 (end of file): the file ends after 1 of the 2 atoms counted on line 5"),
                    e.getMessage());
        }
        Path q = write("nocomment.xyz", "2\nc\nA 1 2 3\nB 4 5 6\n2");
        try (XyzReader r = new XyzReader(q)) {
            assertTrue(r.skip());
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, r::skip);
            // the count is checked against the bytes left before anything else
            assertMessageContains(e, "frame 1: line 5: atom count 2 cannot be right");
            assertMessageContains(e, "truncated file");
        }
        Path c = write("nocomment2.xyz", "1\nc\nA 1 2 3\n1\n");
        try (XyzReader r = new XyzReader(c)) {
            assertTrue(r.skip());
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, r::skip);
            assertMessageContains(e, "cannot be right");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1000000", "716000000", "9000000000", "-1"})
    void absurdCountFailsFast(String count) throws Exception {
        Path p = write("absurd.xyz", count + "\nc\nA 1 2 3\n");
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> new XyzReader(p).close());
        assertMessageContains(e, "frame 0: line 1: ");
        assertMessageContains(e, "atom count " + count);
    }
}
