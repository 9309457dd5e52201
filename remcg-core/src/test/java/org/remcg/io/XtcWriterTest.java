package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.remcg.testing.Vectors.concat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.system.Box;
import org.remcg.testing.Peers;

/**
 * {@link XtcWriter}: what it writes reads back to the stored precision, takes every path of the
 * compression (runs, large ranges, wide numbers, tiny frames), and GROMACS reads it (when
 * {@code gmx} is installed).
 */
class XtcWriterTest {

    @TempDir
    Path dir;

    // ---------------------------------------------------------------------------------------
    // Coordinates

    /** A frame of n atoms in an orthorhombic box of edge l (nm). */
    static Frame frame(double[] x, Box box, long step, double time) {
        Frame f = new Frame();
        f.resize(x.length / 3, false, false);
        System.arraycopy(x, 0, f.x, 0, x.length);
        f.box = box;
        f.step = step;
        f.time = time;
        return f;
    }

    static double[] uniform(Random rnd, int n, double lo, double hi) {
        double[] x = new double[3 * n];
        for (int j = 0; j < x.length; j++) {
            x[j] = lo + (hi - lo) * rnd.nextDouble();
        }
        return x;
    }

    /** Water-like: an O anywhere in [0, l), two H 0.1 nm from it (the close pairs of the run path). */
    static double[] water(Random rnd, int molecules, double l) {
        double[] x = new double[9 * molecules];
        for (int m = 0; m < molecules; m++) {
            int o = 9 * m;
            for (int k = 0; k < 3; k++) {
                x[o + k] = l * rnd.nextDouble();
            }
            for (int h = 1; h <= 2; h++) {
                double[] u = unit(rnd);
                for (int k = 0; k < 3; k++) {
                    x[o + 3 * h + k] = x[o + k] + 0.1 * u[k];
                }
            }
        }
        return x;
    }

    /** A random walk of step length {@code step} reflected into [0, l). */
    static double[] walk(Random rnd, int n, double step, double l) {
        double[] x = new double[3 * n];
        for (int k = 0; k < 3; k++) {
            x[k] = l * rnd.nextDouble();
        }
        for (int i = 1; i < n; i++) {
            double[] u = unit(rnd);
            for (int k = 0; k < 3; k++) {
                double v = x[3 * (i - 1) + k] + step * u[k];
                if (v < 0) {
                    v = -v;
                }
                if (v >= l) {
                    v = 2 * l - v - 1e-9;
                }
                x[3 * i + k] = v;
            }
        }
        return x;
    }

    static double[] unit(Random rnd) {
        double a;
        double b;
        double c;
        double r;
        do {
            a = 2 * rnd.nextDouble() - 1;
            b = 2 * rnd.nextDouble() - 1;
            c = 2 * rnd.nextDouble() - 1;
            r = Math.sqrt(a * a + b * b + c * c);
        } while (r > 1 || r < 1e-3);
        return new double[] {a / r, b / r, c / r};
    }

    /** The integer GROMACS stores for coordinate v at precision p (float product, half away from zero). */
    static int gromacsInt(double v, float p) {
        float f = (float) v;
        float s = f * p;
        float r = f >= 0 ? (float) (s + 0.5) : (float) (s - 0.5);
        return (int) r;
    }

    /** The value a GROMACS reader returns for coordinate v written at precision p. */
    static double stored(double v, float p) {
        return (float) gromacsInt(v, p) * (float) (1.0 / p);
    }

    // ---------------------------------------------------------------------------------------

    /** Writes the frames, reads them back and checks every value. */
    private List<Frame> roundTrip(String name, float precision, List<Frame> frames) throws Exception {
        Path p = dir.resolve(name + ".xtc");
        try (XtcWriter w = new XtcWriter(p, precision)) {
            for (Frame f : frames) {
                w.write(f);
            }
            assertEquals(frames.size(), w.frames());
        }
        List<Frame> back = XtcReaderTest.readAll(p);
        assertEquals(frames.size(), back.size(), name + " frame count");
        for (int i = 0; i < frames.size(); i++) {
            Frame in = frames.get(i);
            Frame out = back.get(i);
            String where = name + " frame " + i;
            assertEquals(in.atoms, out.atoms, where);
            assertEquals((int) in.step, out.step, where);
            assertEquals(Double.isNaN(in.time) ? 0 : (float) in.time, out.time, 0, where);
            assertEquals(i, out.index);
            if (in.box == null) {
                assertNull(out.box, where);
            } else {
                double[] a = in.box.matrix();
                double[] b = out.box.matrix();
                for (int k = 0; k < 9; k++) {
                    assertEquals((float) a[k], b[k], 0, where + " box");
                }
            }
            boolean full = in.atoms <= 9;
            assertEquals(full ? 0 : 1.0 / precision, out.precision, 0, where);
            double half = 0.5 / precision;
            for (int j = 0; j < 3 * in.atoms; j++) {
                double v = in.x[j];
                double expected = full ? (float) v : stored(v, precision);
                if (out.x[j] != expected) {
                    fail(where + " atom " + j / 3 + " coordinate " + j % 3 + ": wrote " + v + ", read " + out.x[j]
                            + ", expected " + expected);
                }
                double tol = (full ? 0 : half * (1 + 1e-6)) + 3 * Math.ulp((float) Math.abs(v));
                assertTrue(Math.abs(out.x[j] - v) <= tol, where + ": " + v + " read back as " + out.x[j]);
            }
        }
        return back;
    }

    @Test
    void tinyFramesAreStoredAsFloats() throws Exception {
        Random rnd = new Random(1);
        for (int n = 1; n <= 12; n++) {
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                frames.add(frame(uniform(rnd, n, -3, 7), i % 2 == 0 ? Box.orthorhombic(3, 4, 5) : null, 10 * i, 0.5 * i));
            }
            roundTrip("tiny" + n, 1000f, frames);
            Path p = dir.resolve("tiny" + n + ".xtc");
            long perFrame = Files.size(p) / 4;
            if (n <= 9) {
                assertEquals(56 + 12 * n, perFrame, "uncompressed layout for " + n + " atoms");
            }
        }
    }

    @Test
    void waterLikeSystemsUseRuns() throws Exception {
        Random rnd = new Random(2);
        for (int molecules : new int[] {4, 1000, 10000}) {
            double l = Math.cbrt(molecules * 0.03);
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                frames.add(frame(water(rnd, molecules, l), Box.orthorhombic(l, l, l), 1000L * i, 2.0 * i));
            }
            roundTrip("water" + molecules, 1000f, frames);
            long bytes = Files.size(dir.resolve("water" + molecules + ".xtc"));
            if (molecules >= 1000) {
                // Runs keep water well below a full coordinate (plus flag bit) per atom.
                Path p = dir.resolve("water" + molecules + ".xtc");
                int fullBits = XtcCodec.packedBits(range(p, 0), range(p, 1), range(p, 2));
                double bitsPerAtom = 8.0 * (bytes / 3 - 92) / (3 * molecules);
                assertTrue(bitsPerAtom < 0.8 * (fullBits + 1), "bits per atom " + bitsPerAtom + ", full " + fullBits);
            }
        }
    }

    @Test
    void mixedSystemsBoxesAndPrecisions() throws Exception {
        Random rnd = new Random(3);
        Box tric = Box.triclinic(5, 1, 4.5, -1, 1.5, 4);
        for (float precision : new float[] {1000f, 100f, 10000f, 1f, 12345.5f}) {
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                double[] x = concat(water(rnd, 200, 5), uniform(rnd, 57, -2, 6), walk(rnd, 300, 0.15, 5), uniform(rnd, 3, 0, 0.01));
                frames.add(frame(x, i == 1 ? tric : Box.orthorhombic(5, 5, 5 + i), -7 + i, Double.NaN));
            }
            roundTrip("mixed" + (int) precision, precision, frames);
        }
    }

    @Test
    void bigAndSmallBoxes() throws Exception {
        Random rnd = new Random(4);
        List<Frame> frames = new ArrayList<>();
        frames.add(frame(uniform(rnd, 2000, 0, 1), Box.orthorhombic(1, 1, 1), 0, 0));
        frames.add(frame(uniform(rnd, 2000, -250, 250), Box.orthorhombic(500, 500, 500), 1, 1));
        frames.add(frame(java.util.Arrays.copyOf(water(rnd, 667, 500), 3 * 2000), Box.orthorhombic(500, 500, 500), 2, 2));
        frames.add(frame(new double[3 * 2000], null, 3, 3)); // every atom at the origin
        frames.add(frame(uniform(rnd, 2000, -1e-3, 1e-3), null, 4, 4));
        roundTrip("boxes", 1000f, frames);
    }

    @Test
    void largeRangesAndWideNumbers() throws Exception {
        Random rnd = new Random(5);
        // Ranges above 2^24 - 1: each coordinate gets its own bit width.
        List<Frame> large = List.of(frame(concat(water(rnd, 300, 40), uniform(rnd, 100, 0, 40)), Box.orthorhombic(40, 40, 40), 0, 0));
        roundTrip("large", 1e6f, large);
        assertTrue(range(dir.resolve("large.xtc")) > 0xffffff);

        // Ranges just below 2^24: a full coordinate is a 72-bit number.
        List<Frame> wide = new ArrayList<>();
        double[] x = uniform(rnd, 1000, 0, 167.7);
        x[0] = 0;
        x[1] = 0;
        x[2] = 0;
        x[3] = 167.7;
        x[4] = 167.7;
        x[5] = 167.7;
        wide.add(frame(x, Box.orthorhombic(168, 168, 168), 0, 0));
        roundTrip("wide", 1e5f, wide);
        assertEquals(72, XtcCodec.packedBits(range(dir.resolve("wide.xtc"), 0), range(dir.resolve("wide.xtc"), 1),
                range(dir.resolve("wide.xtc"), 2)));

        // Consecutive atoms ~12 nm apart at 1e-5 nm: small differences wider than 62 bits.
        double[] w = walk(rnd, 3000, 12, 167.7);
        roundTrip("wideSmall", 1e5f, List.of(frame(w, Box.orthorhombic(168, 168, 168), 0, 0)));
        int smallIdx = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("wideSmall.xtc"))).getInt(84);
        assertTrue(smallIdx > 62, "width index " + smallIdx);
    }

    static long range(Path file) throws IOException {
        return Math.max(range(file, 0), Math.max(range(file, 1), range(file, 2)));
    }

    static long range(Path file, int k) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        return (long) b.getInt(72 + 4 * k) - b.getInt(60 + 4 * k) + 1;
    }

    @Test
    void randomSizesAndShapes() throws Exception {
        Random rnd = new Random(6);
        for (int trial = 0; trial < 40; trial++) {
            int n = 1 + rnd.nextInt(trial < 20 ? 40 : 5000);
            float precision = new float[] {1000f, 100f, 10000f, 500f}[rnd.nextInt(4)];
            double l = 0.5 + 30 * rnd.nextDouble();
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                double[] x = switch (rnd.nextInt(3)) {
                    case 0 -> uniform(rnd, n, -l, l);
                    case 1 -> walk(rnd, n, 0.05 + rnd.nextDouble(), l);
                    default -> {
                        double[] wtr = water(rnd, (n + 2) / 3, l);
                        yield java.util.Arrays.copyOf(wtr, 3 * n);
                    }
                };
                frames.add(frame(x, Box.orthorhombic(l, l, l), rnd.nextInt(), rnd.nextDouble() * 1e4));
            }
            roundTrip("random" + trial, precision, frames);
        }
    }

    @Test
    void reencodingGromacsFramesKeepsEveryInteger() throws Exception {
        // GROMACS' floats re-quantize to the same integers, so the copy decodes bit for bit.
        List<Frame> original = XtcReaderTest.readAll(XtcReaderTest.resource("water.xtc"));
        Path copy = dir.resolve("copy.xtc");
        try (XtcWriter w = new XtcWriter(copy)) {
            for (Frame f : original) {
                w.write(f);
            }
        }
        List<Frame> back = XtcReaderTest.readAll(copy);
        IoTesting.assertSameFrames(original, back);
        long ours = Files.size(copy);
        long theirs = Files.size(XtcReaderTest.resource("water.xtc"));
        System.out.println("water.xtc re-encoded: " + ours + " bytes, GROMACS wrote " + theirs);
        assertTrue(ours < 1.05 * theirs, "our file " + ours + " bytes, GROMACS' " + theirs);
    }

    @Test
    void stepsWrapToThirtyTwoBitsAndNaNTimeIsZero() throws Exception {
        Frame f = frame(uniform(new Random(7), 20, 0, 2), null, (1L << 32) + 5, Double.NaN);
        Path p = dir.resolve("wrap.xtc");
        try (XtcWriter w = new XtcWriter(p)) {
            w.write(f);
        }
        Frame back = XtcReaderTest.readAll(p).get(0);
        assertEquals(5, back.step);
        assertEquals(0, back.time);
    }

    @Test
    void atomicReplaceAndFailure() throws Exception {
        Path p = dir.resolve("target.xtc");
        Files.writeString(p, "old");
        Frame good = frame(uniform(new Random(8), 30, 0, 2), null, 0, 0);
        XtcWriter w = new XtcWriter(p);
        w.write(good);
        assertEquals("old", Files.readString(p), "nothing visible before close");
        w.close();
        w.close(); // idempotent
        assertEquals(1, XtcReaderTest.readAll(p).size());
        assertEquals(1, listDir().size(), "no temporary file left");

        // A rejected frame leaves the target as it was.
        byte[] before = Files.readAllBytes(p);
        Frame bad = frame(uniform(new Random(9), 30, 0, 2), null, 0, 0);
        bad.x[4] = Double.NaN;
        try (XtcWriter w2 = new XtcWriter(p)) {
            w2.write(good);
            assertThrows(IllegalArgumentException.class, () -> w2.write(bad));
            assertThrows(IllegalStateException.class, () -> w2.write(good));
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(p)));
        assertEquals(1, listDir().size());

        Frame other = frame(uniform(new Random(9), 31, 0, 2), null, 0, 0);
        try (XtcWriter w3 = new XtcWriter(p)) {
            w3.write(good);
            assertThrows(IllegalArgumentException.class, () -> w3.write(other), "atom count must not change");
        }
        Frame far = frame(uniform(new Random(9), 30, 0, 2), null, 0, 0);
        far.x[0] = 3e6; // 3e9 integers at 0.001 nm
        try (XtcWriter w4 = new XtcWriter(p)) {
            assertThrows(IllegalArgumentException.class, () -> w4.write(far));
        }
        try (XtcWriter w5 = new XtcWriter(p)) {
            w5.write(good);
            w5.abort();
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(p)));
        assertEquals(1, listDir().size());
        assertThrows(IllegalArgumentException.class, () -> new XtcWriter(p, 0f));
        assertThrows(IllegalArgumentException.class, () -> new XtcWriter(p, Float.NaN));
    }

    @Test
    void streamingWriterLeavesAValidFileOfTheFramesSoFar() throws Exception {
        Path p = dir.resolve("traj.xtc");
        Random rnd = new Random(10);
        List<Frame> written = new ArrayList<>();
        XtcWriter w = XtcWriter.streaming(p);
        for (int k = 0; k < 3; k++) {
            Frame f = frame(uniform(rnd, 300, 0, 3), Box.orthorhombic(3, 3, 3), 100L * k, 0.2 * k);
            w.write(f);
            written.add(f);
            // not closed: what a killed process leaves is already a valid trajectory of the frames so far
            List<Frame> back = XtcReaderTest.readAll(p);
            assertEquals(k + 1, back.size(), "frames readable while the writer is open");
            assertEquals(100L * k, back.get(k).step);
            assertEquals(written.get(k).x[7], back.get(k).x[7], 0.0005 + 1e-6);
        }
        assertEquals(List.of(p), listDir(), "no temporary file beside the trajectory");
        // a frame that cannot be written leaves the file at the last whole frame
        long size = Files.size(p);
        Frame bad = frame(uniform(rnd, 300, 0, 3), Box.orthorhombic(3, 3, 3), 300, 0.6);
        bad.x[600] = 3e6;
        assertThrows(IllegalArgumentException.class, () -> w.write(bad));
        w.close();
        assertEquals(size, Files.size(p));
        assertEquals(3, XtcReaderTest.readAll(p).size());
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    // ---------------------------------------------------------------------------------------
    // GROMACS reads what we write

    /** Runs gmx with the arguments in {@code dir}; returns stdout and stderr together. */
    String gmx(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("gmx");
        cmd.add("-quiet");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("GMX_MAXBACKUP", "-1");
        Path log = Files.createTempFile(dir, "gmx", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("gmx " + String.join(" ", args) + " did not finish");
        }
        String out = Files.readString(log, StandardCharsets.ISO_8859_1);
        Files.delete(log);
        assertEquals(0, p.exitValue(), "gmx " + String.join(" ", args) + " failed:\n" + out);
        return out;
    }

    private static final Pattern ATOMS = Pattern.compile("# Atoms\\s+(\\d+)");
    private static final Pattern COORDS = Pattern.compile("(?m)^Coords\\s+(\\d+)");

    @Test
    void gromacsReadsOurFiles() throws Exception {
        Peers.gmx();
        Random rnd = new Random(10);
        record Case(String name, float precision, List<Frame> frames) {
        }
        List<Case> cases = new ArrayList<>();
        List<Frame> water = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            water.add(frame(water(rnd, 700, 3), Box.orthorhombic(3, 3, 3 + 0.01 * i), 100L * i, 0.2 * i));
        }
        cases.add(new Case("water", 1000f, water));
        List<Frame> mixed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mixed.add(frame(concat(water(rnd, 100, 4), uniform(rnd, 37, -1, 5), walk(rnd, 200, 0.15, 4)),
                    Box.triclinic(4, 1, 3.8, -1, 1.5, 3.5), i, i));
        }
        cases.add(new Case("mixed", 1000f, mixed));
        cases.add(new Case("tiny", 1000f, List.of(frame(uniform(rnd, 5, 0, 2), Box.orthorhombic(2, 2, 2), 0, 0),
                frame(uniform(rnd, 5, 0, 2), Box.orthorhombic(2, 2, 2), 1, 1))));
        cases.add(new Case("ten", 100f, List.of(frame(uniform(rnd, 10, 0, 2), null, 0, 0))));
        cases.add(new Case("large", 1e6f, List.of(frame(concat(water(rnd, 300, 40), uniform(rnd, 100, 0, 40)), Box.orthorhombic(40, 40, 40), 0, 0))));
        double[] wide = uniform(rnd, 1000, 0, 167.7);
        wide[0] = wide[1] = wide[2] = 0;
        wide[3] = wide[4] = wide[5] = 167.7;
        cases.add(new Case("wide", 1e5f, List.of(frame(wide, Box.orthorhombic(168, 168, 168), 0, 0))));
        cases.add(new Case("wideSmall", 1e5f, List.of(frame(walk(rnd, 3000, 12, 167.7), Box.orthorhombic(168, 168, 168), 0, 0))));
        cases.add(new Case("origin", 1000f, List.of(frame(new double[3 * 500], null, 0, 0))));

        for (Case c : cases) {
            Path p = dir.resolve(c.name + ".xtc");
            try (XtcWriter w = new XtcWriter(p, c.precision)) {
                for (Frame f : c.frames) {
                    w.write(f);
                }
            }
            String check = gmx("check", "-f", p.getFileName().toString());
            Matcher m = ATOMS.matcher(check);
            assertTrue(m.find(), c.name + ": no atom count in gmx check output:\n" + check);
            assertEquals(c.frames.get(0).atoms, Integer.parseInt(m.group(1)), c.name);
            m = COORDS.matcher(check);
            assertTrue(m.find(), c.name + ": no frame count in gmx check output:\n" + check);
            assertEquals(c.frames.size(), Integer.parseInt(m.group(1)), c.name + " frames per gmx check");

            Path dumpFile = dir.resolve(c.name + ".dump");
            Files.writeString(dumpFile, gmx("dump", "-f", p.getFileName().toString()), StandardCharsets.ISO_8859_1);
            List<XtcReaderTest.Ref> dump = XtcReaderTest.readDump(dumpFile);
            List<Frame> ours = XtcReaderTest.readAll(p);
            assertEquals(c.frames.size(), dump.size(), c.name);
            for (int i = 0; i < dump.size(); i++) {
                XtcReaderTest.Ref r = dump.get(i);
                Frame in = c.frames.get(i);
                XtcReaderTest.assertMatchesDump(ours.get(i), r, c.name + " frame " + i);
                assertEquals(in.atoms <= 9 ? -1 : c.precision, r.precision, c.name);
                double half = in.atoms <= 9 ? 0 : 0.5 / c.precision;
                for (int j = 0; j < 3 * in.atoms; j++) {
                    double tol = half * (1 + 1e-6) + XtcReaderTest.dumpTolerance(r.x[j]) + 3 * Math.ulp((float) Math.abs(in.x[j]));
                    if (Math.abs(r.x[j] - in.x[j]) > tol) {
                        fail(c.name + " frame " + i + " atom " + j / 3 + ": wrote " + in.x[j] + ", gmx dump shows " + r.x[j]);
                    }
                }
            }
        }
        assertFalse(cases.isEmpty());
    }
}
