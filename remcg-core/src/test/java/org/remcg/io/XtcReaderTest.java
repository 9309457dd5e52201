package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.remcg.io.IoTesting.assertMessageContains;
import static org.remcg.io.IoTesting.assertSameFrame;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link XtcReader} against trajectories written by GROMACS (see
 * src/test/resources/xtc/make-data.sh) and GROMACS' own decoding of them: a TRR that GROMACS
 * converted from the XTC (bit-exact floats) and {@code gmx dump} text.
 */
class XtcReaderTest {

    @TempDir
    Path dir;

    // ---------------------------------------------------------------------------------------
    // Helpers shared by the Xtc*Test classes.

    static Path resource(String name) {
        return IoTesting.resource("xtc/" + name);
    }

    /** All frames of an XTC file (deep copies). */
    static List<Frame> readAll(Path file) throws IOException, TrajectoryFormatException {
        try (XtcReader reader = XtcReader.open(file)) {
            return IoTesting.readAll(reader);
        }
    }

    /** One frame of a reference: what GROMACS decoded. */
    static final class Ref {
        int atoms;
        long step;
        double time;
        double[] box = new double[9];
        double[] x;
        double precision; // from gmx dump: "prec=" (integers per nm, -1 for uncompressed frames)
    }

    /** Frames of a single-precision TRR file (GROMACS' own decoding of an XTC, via trjconv). */
    static List<Ref> readTrr(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)); // big-endian
        List<Ref> frames = new ArrayList<>();
        while (b.hasRemaining()) {
            assertEquals(1993, b.getInt(), "TRR magic");
            b.getInt(); // string size + 1
            int len = b.getInt();
            b.position(b.position() + ((len + 3) & ~3));
            int[] h = new int[13];
            for (int k = 0; k < 13; k++) {
                h[k] = b.getInt();
            }
            int boxSize = h[2];
            int virSize = h[3];
            int presSize = h[4];
            int xSize = h[7];
            int vSize = h[8];
            int fSize = h[9];
            Ref r = new Ref();
            r.atoms = h[10];
            r.step = h[11];
            assertEquals(36, boxSize, "single-precision TRR expected");
            r.time = b.getFloat();
            b.getFloat(); // lambda
            for (int k = 0; k < 9; k++) {
                r.box[k] = b.getFloat();
            }
            b.position(b.position() + virSize + presSize);
            assertEquals(12 * r.atoms, xSize);
            r.x = new double[3 * r.atoms];
            for (int k = 0; k < 3 * r.atoms; k++) {
                r.x[k] = b.getFloat();
            }
            b.position(b.position() + vSize + fSize);
            frames.add(r);
        }
        return frames;
    }

    private static final Pattern HEAD = Pattern.compile(
            "natoms=\\s*(\\d+)\\s+step=\\s*(-?\\d+)\\s+time=\\s*(\\S+)\\s+prec=\\s*(\\S+)");
    private static final Pattern ROW = Pattern.compile("(box|x)\\[\\s*(\\d+)\\]=\\{\\s*(\\S+),\\s*(\\S+),\\s*(\\S+)\\}");

    /** Frames of {@code gmx dump} output of an XTC file (optionally gzipped). */
    static List<Ref> readDump(Path file) throws IOException {
        List<Ref> frames = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(file.toString().endsWith(".gz")
                ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file), StandardCharsets.US_ASCII))) {
            Ref r = null;
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m = HEAD.matcher(line);
                if (m.find()) {
                    r = new Ref();
                    r.atoms = Integer.parseInt(m.group(1));
                    r.step = Long.parseLong(m.group(2));
                    r.time = Double.parseDouble(m.group(3));
                    r.precision = Double.parseDouble(m.group(4));
                    r.x = new double[3 * r.atoms];
                    frames.add(r);
                    continue;
                }
                m = ROW.matcher(line);
                if (m.find() && r != null) {
                    int i = Integer.parseInt(m.group(2));
                    double[] target = m.group(1).equals("box") ? r.box : r.x;
                    for (int k = 0; k < 3; k++) {
                        target[3 * i + k] = Double.parseDouble(m.group(3 + k));
                    }
                }
            }
        }
        return frames;
    }

    /**
     * |a - b| allowed between our value and gmx dump's: dump prints 6 significant digits
     * ({@code %12.5e}), so half a unit in the 6th digit, plus a float ulp.
     */
    static double dumpTolerance(double v) {
        double a = Math.abs(v);
        if (a < 1e-30) {
            return 1e-30;
        }
        double unit = Math.pow(10, Math.floor(Math.log10(a)) - 5);
        return 0.5 * unit * (1 + 1e-9) + Math.ulp((float) a);
    }

    static void assertMatchesDump(Frame f, Ref r, String where) {
        assertEquals(r.atoms, f.atoms, where + " atoms");
        assertEquals(r.step, f.step, where + " step");
        assertEquals(r.time, f.time, dumpTolerance(r.time), where + " time");
        double[] m = f.box == null ? new double[9] : f.box.matrix();
        for (int k = 0; k < 9; k++) {
            assertEquals(r.box[k], m[k], dumpTolerance(r.box[k]), where + " box[" + k + "]");
        }
        double half = f.precision > 0 ? 0.5 * f.precision : 0;
        for (int j = 0; j < 3 * f.atoms; j++) {
            double tol = dumpTolerance(r.x[j]);
            if (Math.abs(f.x[j] - r.x[j]) > tol) {
                fail(where + " atom " + j / 3 + " coordinate " + j % 3 + ": ours " + f.x[j] + ", gmx dump " + r.x[j]);
            }
            // And the value is the stored integer: within half a precision step of GROMACS' value.
            assertTrue(Math.abs(f.x[j] - r.x[j]) <= half + tol);
        }
    }

    /** The file with every frame rewritten in the 2023 layout (64-bit byte count). */
    static byte[] to2023(byte[] classic, boolean everyOther) {
        ByteBuffer in = ByteBuffer.wrap(classic);
        ByteBuffer out = ByteBuffer.allocate(classic.length + 4 * (classic.length / 64 + 16));
        int frame = 0;
        while (in.hasRemaining()) {
            int start = in.position();
            int natoms = in.getInt(start + 4);
            boolean convert = !everyOther || frame % 2 == 0;
            if (natoms <= 9) {
                int len = 56 + 12 * natoms;
                out.put(classic, start, len);
                if (convert) {
                    out.putInt(out.position() - len, 2023);
                }
                in.position(start + len);
            } else {
                int count = in.getInt(start + 88);
                int padded = (count + 3) & ~3;
                int o = out.position();
                out.put(classic, start, 88);
                if (convert) {
                    out.putInt(o, 2023);
                    out.putLong((long) count);
                } else {
                    out.putInt(count);
                }
                out.put(classic, start + 92, padded);
                in.position(start + 92 + padded);
            }
            frame++;
        }
        byte[] result = new byte[out.position()];
        out.flip();
        out.get(result);
        return result;
    }

    // ---------------------------------------------------------------------------------------

    @Test
    void waterEqualsGromacsDecodingBitForBit() throws Exception {
        List<Frame> ours = readAll(resource("water.xtc"));
        List<Ref> ref = readTrr(resource("water.trr"));
        assertEquals(51, ref.size());
        assertEquals(ref.size(), ours.size(), "frame count");
        for (int i = 0; i < ref.size(); i++) {
            Frame f = ours.get(i);
            Ref r = ref.get(i);
            assertEquals(663, f.atoms);
            assertEquals(r.atoms, f.atoms);
            assertEquals(i, f.index);
            assertEquals(r.step, f.step, "step of frame " + i);
            assertEquals(40L * i, f.step);
            assertEquals(r.time, f.time, 0, "time of frame " + i);
            assertEquals(0.001, f.precision, 0);
            assertTrue(f.box.isOrthorhombic());
            double[] m = f.box.matrix();
            for (int k = 0; k < 9; k++) {
                assertEquals(r.box[k], m[k], 0, "box of frame " + i);
            }
            for (int j = 0; j < 3 * f.atoms; j++) {
                if (Double.doubleToLongBits(f.x[j]) != Double.doubleToLongBits(r.x[j])) {
                    fail("frame " + i + " atom " + j / 3 + " coordinate " + j % 3 + ": ours " + f.x[j] + ", GROMACS "
                            + r.x[j]);
                }
            }
        }
    }

    @Test
    void waterMatchesGmxDump() throws Exception {
        List<Frame> ours = readAll(resource("water.xtc"));
        List<Ref> dump = readDump(resource("water.xtc.dump.gz"));
        assertEquals(3, dump.size());
        for (int i = 0; i < dump.size(); i++) {
            assertEquals(1000, dump.get(i).precision);
            assertMatchesDump(ours.get(i), dump.get(i), "water frame " + i);
        }
    }

    @Test
    void otherGromacsFilesMatchGmxDump() throws Exception {
        for (String name : new String[] {"first6", "first10", "ndec4", "ndec7", "tric"}) {
            List<Frame> ours = readAll(resource(name + ".xtc"));
            List<Ref> dump = readDump(resource(name + ".xtc.dump.gz"));
            assertFalse(dump.isEmpty(), name);
            assertEquals(dump.size(), ours.size(), name + " frame count");
            for (int i = 0; i < dump.size(); i++) {
                Frame f = ours.get(i);
                Ref r = dump.get(i);
                assertMatchesDump(f, r, name + " frame " + i);
                if (r.precision > 0) {
                    assertEquals(1 / r.precision, f.precision, 1e-12 / r.precision, name);
                } else {
                    assertEquals(0, f.precision, name + ": uncompressed frames have no precision");
                }
            }
        }
    }

    @Test
    void smallFramesAreStoredInFull() throws Exception {
        List<Frame> six = readAll(resource("first6.xtc"));
        List<Frame> ten = readAll(resource("first10.xtc"));
        List<Ref> water = readTrr(resource("water.trr"));
        assertEquals(5, six.size());
        for (int i = 0; i < six.size(); i++) {
            assertEquals(6, six.get(i).atoms);
            assertEquals(0, six.get(i).precision);
            assertEquals(10, ten.get(i).atoms);
            for (int j = 0; j < 18; j++) {
                assertEquals(water.get(i).x[j], six.get(i).x[j], 0);
                assertEquals(water.get(i).x[j], ten.get(i).x[j], 0);
            }
        }
    }

    @Test
    void ndec7UsesSeparateBitWidthsAndDecodesExactly() throws Exception {
        // GROMACS falls back to one bit width per coordinate when a range exceeds 2^24 - 1.
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(resource("ndec7.xtc")));
        assertEquals(1e7f, b.getFloat(56));
        long widest = 0;
        for (int k = 0; k < 3; k++) {
            widest = Math.max(widest, (long) b.getInt(72 + 4 * k) - b.getInt(60 + 4 * k) + 1);
        }
        assertTrue(widest > 0xffffff, "test file should use the large-range path, widest range " + widest);
        List<Frame> ours = readAll(resource("ndec7.xtc"));
        List<Ref> water = readTrr(resource("water.trr"));
        for (int i = 0; i < ours.size(); i++) {
            Frame f = ours.get(i);
            assertEquals(1e-7, f.precision, 1e-20);
            for (int j = 0; j < 3 * f.atoms; j++) {
                // Re-quantizing 0.001 nm values at 1e-7 nm keeps them to float rounding.
                assertEquals(water.get(i).x[j], f.x[j], 1e-7 + 1e-6 * Math.abs(f.x[j]));
            }
        }
    }

    @Test
    void triclinicBox() throws Exception {
        List<Frame> tric = readAll(resource("tric.xtc"));
        assertEquals(1, tric.size());
        assertFalse(tric.get(0).box.isOrthorhombic());
        double[] m = tric.get(0).box.matrix();
        assertEquals(2.1, m[0], 1e-6);
        assertTrue(m[3] != 0 && m[6] != 0 && m[7] != 0);
    }

    @Test
    void format2023DecodesLikeClassic() throws Exception {
        for (String name : new String[] {"water", "first6", "ndec7"}) {
            byte[] classic = Files.readAllBytes(resource(name + ".xtc"));
            List<Frame> expected = readAll(resource(name + ".xtc"));
            for (boolean mixed : new boolean[] {false, true}) {
                Path p = dir.resolve(name + (mixed ? "-mixed" : "-2023") + ".xtc");
                byte[] converted = to2023(classic, mixed);
                if (!name.equals("first6")) {
                    assertEquals(classic.length + 4 * (mixed ? (expected.size() + 1) / 2 : expected.size()), converted.length);
                }
                Files.write(p, converted);
                List<Frame> got = readAll(p);
                IoTesting.assertSameFrames(expected, got);
                XtcIndex index = XtcIndex.build(p);
                assertEquals(expected.size(), index.frames());
                try (XtcReader r = index.openAt(expected.size() - 1)) {
                    Frame f = new Frame();
                    assertTrue(r.next(f));
                    assertSameFrame(expected.get(expected.size() - 1), f, name + " last frame via index");
                    assertFalse(r.next(f));
                }
            }
        }
    }

    @Test
    void reusesFrameArraysAndBox() throws Exception {
        try (XtcReader r = XtcReader.open(resource("first10.xtc"))) {
            assertEquals(10, r.atoms());
            Frame f = new Frame();
            assertTrue(r.next(f));
            double[] x = f.x;
            while (r.next(f)) {
                assertSame(x, f.x);
            }
            assertFalse(r.next(f), "stays at the end");
        }
        try (XtcReader r = XtcReader.open(resource("tric.xtc"))) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            assertTrue(f.v == null && f.f == null);
        }
    }

    @Test
    void zeroBoxMeansNoBox() throws Exception {
        byte[] bytes = Files.readAllBytes(resource("first6.xtc"));
        ByteBuffer b = ByteBuffer.wrap(bytes);
        for (int k = 0; k < 9; k++) {
            b.putFloat(16 + 4 * k, 0f);
        }
        Path p = dir.resolve("nobox.xtc");
        Files.write(p, bytes);
        List<Frame> frames = readAll(p);
        assertNull(frames.get(0).box);
        assertTrue(frames.get(1).box != null);
        // A box that is not lower triangular is not a GROMACS box.
        b.putFloat(16 + 4, 0.5f);
        b.putFloat(16, 2f);
        Files.write(p, bytes);
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> readAll(p));
        assertEquals(0, e.frame());
        assertMessageContains(e, "lower triangular");
    }
}
