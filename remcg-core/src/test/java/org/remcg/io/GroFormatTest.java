package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remcg.io.IoTesting.assertMessageContains;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.remcg.system.Box;
import org.remcg.system.Topology;
import org.remcg.testing.Peers;

/** GroReader and GroWriter: hand-written files, round trips, GROMACS' own check, bad input. */
class GroFormatTest extends FileTesting {

    GroFormatTest() {
        super("bad.gro", GroReader::new);
    }

    static Path resource(String name) {
        return IoTesting.resource("text/" + name);
    }

    // ------------------------------------------------------------------------------------------
    // Reading known content
    // ------------------------------------------------------------------------------------------

    @Test
    void readsBothFramesOfHandWrittenFile() throws Exception {
        try (GroReader r = new GroReader(resource("gro/two_frames.gro"))) {
            Frame f = IoTesting.firstFrame(r, 6, 0.5, 250);
            assertEquals(6, f.atoms);
            assertEquals(0.001, f.precision, 1e-18);
            assertArrayEquals(new double[] {
                0.150, 1.600, 1.700, 0.250, 1.650, 1.750, 0.125, 1.575, 1.625,
                1.275, 0.050, 0.625, 1.325, -0.005, 0.680, 1.330, 0.120, 0.570}, Arrays.copyOf(f.x, 18));
            assertNotNull(f.v);
            assertArrayEquals(new double[] {
                0.1000, -0.0500, 0.0250, 0.8000, 0.3000, -0.7500, -0.9000, -2.6500, 1.3125,
                0.2500, 0.3125, -0.1750, -1.0625, -1.1250, 0.0250, 1.9375, -0.8250, -0.0250}, Arrays.copyOf(f.v, 18));
            assertNull(f.f);
            assertEquals(Box.orthorhombic(1.8, 1.9, 2.0), f.box);

            IoTesting.assertNextFrame(r, f, 1, 1.5, 750); // same Frame object reused
            assertNull(f.v, "the second frame has no velocities");
            assertArrayEquals(new double[] {
                0.160, 1.610, 1.710, 0.260, 1.660, 1.760, 0.135, 1.585, 1.635,
                1.285, 0.060, 0.635, 1.335, 0.005, 0.690, 1.340, 0.130, 0.580}, Arrays.copyOf(f.x, 18));
            // v1(x) v2(y) v3(z) v1(y) v1(z) v2(x) v2(z) v3(x) v3(y) = 4 3.75 3.25 0 0 1.25 0 -1.5 1.875
            assertEquals(Box.triclinic(4.0, 1.25, 3.75, -1.5, 1.875, 3.25), f.box);
            assertFalse(r.next(f));
            assertFalse(r.next(f), "the end stays the end");
        }
    }

    @Test
    void readStructureGivesNamesResiduesAndFirstFrame() throws Exception {
        Structure s = GroReader.readStructure(resource("gro/two_frames.gro"));
        Topology t = s.topology();
        assertEquals(6, t.atoms());
        String[] atoms = {"OW", "HW1", "HW2", "OW", "HW1", "HW2"};
        for (int i = 0; i < 6; i++) {
            assertEquals(atoms[i], t.atomName(i));
            assertEquals("SOL", t.residueName(i));
            assertEquals(i < 3 ? 1 : 2, t.residueNumber(i));
            assertTrue(Double.isNaN(t.mass(i)));
        }
        assertEquals(0.150, s.frame().x[0]);
        assertEquals(0.570, s.frame().x[17]);
        assertEquals(0, s.frame().index);
    }

    @Test
    void precisionFollowsTheSpacingOfDecimalPoints() throws Exception {
        try (GroReader r = new GroReader(resource("gro/five_decimals.gro"))) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            assertArrayEquals(new double[] {1.23456, -0.00012, 10.5, 99.99999, 0.0, -3.14159}, Arrays.copyOf(f.x, 6));
            assertArrayEquals(new double[] {0.123456, -1.0, 0.000001, 0.0, 0.0, -0.5}, Arrays.copyOf(f.v, 6));
            assertEquals(1e-5, f.precision, 1e-20);
            assertTrue(Double.isNaN(f.time));
            assertEquals(0, f.step);
            assertEquals(Box.orthorhombic(2, 2.5, 3), f.box);
            assertFalse(r.next(f));
        }
        Structure s = GroReader.readStructure(resource("gro/five_decimals.gro"));
        assertEquals("CB", s.topology().atomName(1));
        assertEquals("ALA", s.topology().residueName(1));
        assertEquals(7, s.topology().residueNumber(1));
    }

    @Test
    void skipPassesOverAFrame() throws Exception {
        try (GroReader r = new GroReader(resource("gro/two_frames.gro"))) {
            assertTrue(r.skip());
            Frame f = new Frame();
            assertTrue(r.next(f));
            assertEquals(1, f.index);
            assertEquals(0.160, f.x[0]);
            assertFalse(r.skip());
        }
    }

    @Test
    void zeroBoxMeansNoBoxAndCrLfAndTrailingBlankLinesAreFine() throws Exception {
        Path p = write("crlf.gro", "title\r\n1\r\n    1A        B    1   1.000   2.000   3.000\r\n   0.00000   0.00000   0.00000\r\n\r\n\n");
        try (GroReader r = new GroReader(p, 16)) { // tiny buffer: lines cross buffer ends
            Frame f = new Frame();
            assertTrue(r.next(f));
            assertNull(f.box);
            assertArrayEquals(new double[] {1, 2, 3}, Arrays.copyOf(f.x, 3));
            assertFalse(r.next(f));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Writing
    // ------------------------------------------------------------------------------------------

    private static Topology waters(int molecules) {
        int n = 3 * molecules;
        String[] names = new String[n];
        String[] res = new String[n];
        int[] num = new int[n];
        for (int i = 0; i < n; i++) {
            names[i] = i % 3 == 0 ? "OW" : "HW" + (i % 3);
            res[i] = "SOL";
            num[i] = i / 3 + 1;
        }
        return new Topology(names, res, num, null);
    }

    private static Frame randomFrame(int n, SplittableRandom rng, boolean velocities, Box box, long step, double time) {
        Frame f = new Frame();
        f.resize(n, velocities, false);
        for (int i = 0; i < 3 * n; i++) {
            f.x[i] = rng.nextDouble(-5, 50);
            if (velocities) {
                f.v[i] = rng.nextDouble(-3, 3);
            }
        }
        f.box = box;
        f.step = step;
        f.time = time;
        return f;
    }

    @Test
    void roundTripThroughWriterAndReader() throws Exception {
        Topology top = waters(40);
        SplittableRandom rng = new SplittableRandom(42);
        Box tri = Box.triclinic(5.5, 1.25, 5.0, -1.5, 2.0, 4.75);
        Frame[] written = {
            randomFrame(120, rng, true, Box.orthorhombic(6, 7, 8), 0, 0.0),
            randomFrame(120, rng, false, tri, 500, 1.0),
            randomFrame(120, rng, true, null, 1000, 2.002),
        };
        Path p = dir.resolve("out.gro");
        try (GroWriter w = new GroWriter(p, top)) {
            for (Frame f : written) {
                w.write(f);
            }
            assertFalse(Files.exists(p), "nothing appears before close");
        }
        assertTrue(Files.exists(p));
        try (GroReader r = new GroReader(p)) {
            List<Frame> got = IoTesting.readAll(r);
            assertEquals(3, got.size());
            for (int k = 0; k < 3; k++) {
                Frame a = written[k];
                Frame b = got.get(k);
                assertEquals(a.atoms, b.atoms);
                assertEquals(a.time, b.time);
                assertEquals(a.step, b.step);
                for (int i = 0; i < 3 * a.atoms; i++) {
                    assertEquals(a.x[i], b.x[i], 0.0005 + 1e-12, "frame " + k + " x[" + i + "]");
                }
                if (a.v != null) {
                    for (int i = 0; i < 3 * a.atoms; i++) {
                        assertEquals(a.v[i], b.v[i], 0.00005 + 1e-12, "frame " + k + " v[" + i + "]");
                    }
                } else {
                    assertNull(b.v);
                }
                if (a.box == null) {
                    assertNull(b.box);
                } else {
                    double[] ma = a.box.matrix();
                    double[] mb = b.box.matrix();
                    for (int c = 0; c < 9; c++) {
                        assertEquals(ma[c], mb[c], 5e-6 + 1e-12);
                    }
                    assertEquals(a.box.isOrthorhombic(), b.box.isOrthorhombic());
                }
            }
        }
        Structure s = GroReader.readStructure(p);
        for (int i = 0; i < top.atoms(); i++) {
            assertEquals(top.atomName(i), s.topology().atomName(i));
            assertEquals(top.residueName(i), s.topology().residueName(i));
            assertEquals(top.residueNumber(i), s.topology().residueNumber(i));
        }
    }

    @Test
    void writerRoundsLikePrintfAndKeepsColumns() throws Exception {
        double[] values = {0.0005, 1.0005, 0.0625, 0.1875, -0.0001, 9999.9994, -999.9994, 123.4565, 2.675};
        String[] expected = {"   0.001", "   1.000", "   0.062", "   0.188", "  -0.000", "9999.999", "-999.999", " 123.457", "   2.675"};
        Topology top = new Topology(new String[] {"CA", "LONGNAME"}, new String[] {"ALA", "RESIDUE"}, new int[] {123456, 7}, null);
        Frame f = new Frame();
        f.resize(2, true, false);
        for (int k = 0; k < values.length; k += 3) {
            Arrays.fill(f.x, 0);
            for (int j = 0; j < 3 && k + j < values.length; j++) {
                f.x[j] = values[k + j];
            }
            f.v[0] = 0.00025; // %8.4f: 0.0003 (the double is just above the tie)
            f.v[1] = -1.23456;
            f.box = Box.orthorhombic(1, 2, 3);
            Path p = dir.resolve("fmt" + k + ".gro");
            try (GroWriter w = new GroWriter(p, top, "fmt", true)) {
                w.write(f);
            }
            List<String> lines = Files.readAllLines(p);
            assertEquals("fmt", lines.get(0), "no time, no step: the bare title");
            assertEquals("    2", lines.get(1));
            String atom = lines.get(2);
            assertEquals("23456ALA     CA    1", atom.substring(0, 20), "residue numbers wrap at 100000");
            for (int j = 0; j < 3 && k + j < values.length; j++) {
                assertEquals(expected[k + j], atom.substring(20 + 8 * j, 28 + 8 * j), "value " + values[k + j]);
            }
            assertEquals("  0.0003 -1.2346  0.0000", atom.substring(44));
            assertEquals("    7RESIDLONGN    2", lines.get(3).substring(0, 20), "names are cut to five characters");
            assertEquals("   1.00000   2.00000   3.00000", lines.get(4));
        }
    }

    @Test
    void triclinicBoxLineInGromacsOrderAndTitleWithTime() throws Exception {
        Topology top = waters(1);
        Frame f = new Frame();
        f.resize(3, false, false);
        f.box = Box.triclinic(4.0, 1.25, 3.75, -1.5, 1.875, 3.25);
        f.time = 12.5;
        f.step = 6250;
        Path p = dir.resolve("tri.gro");
        try (GroWriter w = new GroWriter(p, top, "cg", false)) {
            w.write(f);
        }
        List<String> lines = Files.readAllLines(p);
        assertEquals("cg t= 12.5 step= 6250", lines.get(0));
        assertEquals("   4.00000   3.75000   3.25000   0.00000   0.00000   1.25000   0.00000  -1.50000   1.87500", lines.get(5));
        assertEquals(44, lines.get(2).length(), "no velocities");
    }

    @Test
    void atomNumbersWrapAtOneHundredThousand() throws Exception {
        int n = 100_002;
        String[] names = new String[n];
        String[] res = new String[n];
        int[] num = new int[n];
        Arrays.fill(names, "C");
        Arrays.fill(res, "R");
        for (int i = 0; i < n; i++) {
            num[i] = i + 1;
        }
        Frame f = new Frame();
        f.resize(n, false, false);
        Path p = dir.resolve("big.gro");
        try (GroWriter w = new GroWriter(p, new Topology(names, res, num, null))) {
            w.write(f);
        }
        List<String> lines = Files.readAllLines(p);
        assertEquals("100002", lines.get(1));
        assertEquals("99999R        C99999", lines.get(1 + 99_999).substring(0, 20));
        assertEquals("    0R        C    0", lines.get(1 + 100_000).substring(0, 20));
        assertEquals("    1R        C    1", lines.get(1 + 100_001).substring(0, 20));
        try (GroReader r = new GroReader(p)) {
            assertEquals(n, r.atoms());
            Frame g = new Frame();
            assertTrue(r.next(g));
            assertEquals(n, g.atoms);
        }
    }

    @Test
    void valueTooWideForItsFieldFailsAndLeavesNoFile() throws Exception {
        Topology top = waters(1);
        Frame f = new Frame();
        f.resize(3, false, false);
        f.x[4] = 12345.0;
        Path p = dir.resolve("wide.gro");
        try (GroWriter w = new GroWriter(p, top)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.write(f));
            assertMessageContains(e, "atom 2");
            assertThrows(IOException.class, () -> w.write(new Frame()));
        }
        assertFalse(Files.exists(p));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the temporary file is gone too");
        }
    }

    // ------------------------------------------------------------------------------------------
    // GROMACS reads what we write
    // ------------------------------------------------------------------------------------------

    @Test
    void gromacsAcceptsOurFiles() throws Exception {
        Peers.gmx();
        Topology top = waters(10);
        SplittableRandom rng = new SplittableRandom(3);
        Path p = dir.resolve("ours.gro");
        try (GroWriter w = new GroWriter(p, top)) {
            w.write(randomFrame(30, rng, true, Box.triclinic(5.5, 1.25, 5.0, -1.5, 2.0, 4.75), 0, 0.0));
            w.write(randomFrame(30, rng, true, Box.orthorhombic(6, 7, 8), 500, 1.0));
            w.write(randomFrame(30, rng, true, Box.orthorhombic(6, 7, 8), 1000, 2.0));
        }
        String conf = IoTesting.run(dir, "gmx", "-quiet", "check", "-c", "ours.gro");
        assertTrue(conf.contains("30 atoms in file"), conf);
        assertTrue(conf.contains("coordinates found"), conf);
        assertTrue(conf.contains("box         found"), conf);
        assertTrue(conf.contains("velocities  found"), conf);
        String traj = IoTesting.run(dir, "gmx", "-quiet", "check", "-f", "ours.gro");
        assertTrue(traj.matches("(?s).*Coords\\s+3\\s.*"), traj);
        assertTrue(traj.matches("(?s).*Velocities\\s+3\\s.*"), traj);
        assertTrue(traj.matches("(?s).*Box\\s+3\\s.*"), traj);
        assertTrue(traj.contains("Last frame          2 time    2.000"), traj);

        // GROMACS' own rewrite of the file reads back to the same numbers
        IoTesting.run(dir, "gmx", "-quiet", "editconf", "-f", "ours.gro", "-o", "theirs.gro");
        try (GroReader a = new GroReader(p); GroReader b = new GroReader(dir.resolve("theirs.gro"))) {
            Frame fa = new Frame();
            Frame fb = new Frame();
            assertTrue(a.next(fa));
            assertTrue(b.next(fb));
            assertArrayEquals(Arrays.copyOf(fa.x, 90), Arrays.copyOf(fb.x, 90));
            assertArrayEquals(Arrays.copyOf(fa.v, 90), Arrays.copyOf(fb.v, 90));
            assertEquals(fa.box, fb.box);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Bad input
    // ------------------------------------------------------------------------------------------

    private static String twoFrames() throws IOException {
        return Files.readString(resource("gro/two_frames.gro"));
    }

    @Test
    void countLargerThanTheAtomLines() throws Exception {
        TrajectoryFormatException e = assertFailure(twoFrames().replaceFirst("\n    6\n", "\n    7\n"),
                "frame 0", "line 9: atom line too short", "counted on line 2");
        assertEquals(0, e.frame());
    }

    @Test
    void countSmallerThanTheAtomLines() throws Exception {
        assertFailure(twoFrames().replaceFirst("\n    6\n", "\n    5\n"),
                "line 8: '2SOL' is not a finite number", "after the 5 atoms counted on line 2");
    }

    @Test
    void notANumberNamesTheLine() throws Exception {
        String text = twoFrames().replace("   0.150   1.600   1.700", "   0.150   1.6x0   1.700");
        TrajectoryFormatException e = failure(text);
        assertTrue(e.getMessage().endsWith("frame 0: line 3: '1.6x0' is not a finite number (y)"), e.getMessage());
    }

    /** One edit of the intact file a row: the message must name the line and what is wrong with it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            # replaced                                                              | by                                                                | message
            '    1SOL    HW1    2   0.250   1.650   1.750  0.8000  0.3000 -0.7500' | '    1SOL    HW1    2   0.250   1.65'                             | 'line 4: atom line too short: 35 characters'
            '    1SOL    HW1    2   0.250   1.650   1.750  0.8000  0.3000 -0.7500' | '    1SOL    HW1    2   0.250   1.650   1.750'                    | 'line 4: atom line too short: 44 characters where the velocities'
            '   1.80000   1.90000   2.00000'                                        | '   1.80000   1.90000'                                            | 'line 9: the box line must hold 3 or 9 numbers, found 2'
            '   1.80000   1.90000   2.00000'                                        | '   1.80000   1.90000   2.00000   0.1   0   0   0   0   0'         | 'line 9: unusable box'
            """)
    void damagedLineIsNamed(String replaced, String by, String message) throws Exception {
        assertFailure(twoFrames().replace(replaced, by), message);
    }

    @Test
    void truncatedFinalFrameDeliversEarlierFramesFirst() throws Exception {
        String text = twoFrames();
        String cut = text.substring(0, text.indexOf("    2SOL    HW1    5   1.335"));
        Path p = write("cut.gro", cut);
        try (GroReader r = new GroReader(p)) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            assertEquals(0.150, f.x[0]);
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> r.next(f));
            assertEquals(1, e.frame());
            assertTrue(e.getMessage().contains("frame 1: line 16 (end of file): the file ends after 4 of the 6 atoms counted on line 11"),
                    e.getMessage());
        }
        // cut inside a line: that line is too short
        String mid = text.substring(0, text.indexOf("    2SOL    HW1    5   1.335") + 25);
        Path q = write("mid.gro", mid);
        try (GroReader r = new GroReader(q)) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> r.next(f));
            assertMessageContains(e, "frame 1: line 16: atom line too short");
        }
        // no box line
        String nobox = text.substring(0, text.indexOf("   4.00000   3.75000"));
        try (GroReader r = new GroReader(write("nobox.gro", nobox))) {
            assertTrue(r.skip());
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, r::skip);
            assertMessageContains(e, "line 18 (end of file): the file ends before the box line");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"999999999", "2147483647", "99999999999999"})
    void absurdCountFailsFast(String count) throws Exception {
        Path p = write("absurd.gro", "title\n" + count + "\n    1A        B    1   1.000   2.000   3.000\n   1.0 1.0 1.0\n");
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> new GroReader(p).close());
        assertMessageContains(e, "line 2: atom count " + count);
    }

    @Test
    void otherHeaderProblems() throws Exception {
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> new GroReader(write("empty.gro", "")));
        assertMessageContains(e, "no frame");
        e = assertThrows(TrajectoryFormatException.class, () -> new GroReader(write("word.gro", "title\nsix\n")));
        assertMessageContains(e, "line 2: 'six' is not an integer (atom count)");
        e = assertThrows(TrajectoryFormatException.class, () -> new GroReader(write("neg.gro", "title\n-3\n")));
        assertMessageContains(e, "line 2: negative atom count -3");
        e = assertThrows(TrajectoryFormatException.class, () -> new GroReader(write("title.gro", "just a title")));
        assertMessageContains(e, "line 2 (end of file)");
        assertFailure("t\n1\n    1A        B    1   1.000   2.000   3.000\n",
                "line 4 (end of file): the file ends before the box line");
        assertFailure("t\n1\n    1A        B    1   1.000  2.0000   3.000\n1 1 1\n", "line 3: the decimal points");
    }
}
