package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.remcg.io.IoTesting.allocatedBytes;
import static org.remcg.io.IoTesting.assertMessageContains;
import static org.remcg.io.IoTesting.assertNoAllocationPerFrame;
import static org.remcg.io.IoTesting.readAll;
import static org.remcg.io.TrrReaderTest.HeaderInt.BOX_SIZE;
import static org.remcg.io.TrrReaderTest.HeaderInt.F_SIZE;
import static org.remcg.io.TrrReaderTest.HeaderInt.IR_SIZE;
import static org.remcg.io.TrrReaderTest.HeaderInt.NATOMS;
import static org.remcg.io.TrrReaderTest.HeaderInt.VIR_SIZE;
import static org.remcg.io.TrrReaderTest.HeaderInt.V_SIZE;
import static org.remcg.io.TrrReaderTest.HeaderInt.X_SIZE;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link TrrReader} against GROMACS' own text dump of TRR files it wrote (single and double
 * precision), and against hand-made files for the cases GROMACS does not produce here (frames
 * with some blocks missing, virial and pressure blocks, broken files).
 */
class TrrReaderTest extends FileTesting {

    // ------------------------------------------------------------------ reference data

    /** One frame as `gmx dump` prints it (or as a test writes it). */
    static final class Ref {
        int natoms;
        long step;
        double time;
        double lambda;
        double[] box;
        double[] vir;
        double[] pres;
        double[] x;
        double[] v;
        double[] f;
    }

    static Path resource(String name) {
        return IoTesting.resource("trr/" + name);
    }

    private static final Pattern FIELD = Pattern.compile("(\\w+)=\\s*(\\S+)");
    private static final Pattern SECTION = Pattern.compile("^\\s+(box|x|v|f) \\((\\d+)x3\\):$");
    private static final Pattern ROW = Pattern.compile("^\\s+(box|x|v|f)\\[\\s*(\\d+)\\]=\\{(.*)\\}$");

    /** Parses the output of {@code gmx dump -f traj.trr} (gzipped). */
    static List<Ref> dump(String name) throws IOException {
        List<Ref> out = new ArrayList<>();
        try (BufferedReader in = IoTesting.gzipLines(resource(name))) {
            Ref cur = null;
            double[] target = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Matcher m;
                if (line.endsWith(":") && line.contains(" frame ")) {
                    cur = new Ref();
                    out.add(cur);
                } else if (line.trim().startsWith("natoms=")) {
                    m = FIELD.matcher(line);
                    while (m.find()) {
                        switch (m.group(1)) {
                            case "natoms" -> cur.natoms = Integer.parseInt(m.group(2));
                            case "step" -> cur.step = Long.parseLong(m.group(2));
                            case "time" -> cur.time = Double.parseDouble(m.group(2));
                            case "lambda" -> cur.lambda = Double.parseDouble(m.group(2));
                            default -> throw new IOException("unexpected field " + m.group(1));
                        }
                    }
                } else if ((m = SECTION.matcher(line)).matches()) {
                    target = new double[3 * Integer.parseInt(m.group(2))];
                    switch (m.group(1)) {
                        case "box" -> cur.box = target;
                        case "x" -> cur.x = target;
                        case "v" -> cur.v = target;
                        default -> cur.f = target;
                    }
                } else if ((m = ROW.matcher(line)).matches()) {
                    String[] parts = m.group(3).split(",");
                    int i = Integer.parseInt(m.group(2));
                    for (int k = 0; k < 3; k++) {
                        target[3 * i + k] = Double.parseDouble(parts[k].trim());
                    }
                } else if (!line.isBlank()) {
                    throw new IOException("unexpected dump line: " + line);
                }
            }
        }
        return out;
    }

    /** Writes frames as a TRR file following the format description (big-endian XDR). */
    static byte[] trr(boolean isDouble, List<Ref> frames) {
        int r = isDouble ? 8 : 4;
        long total = 0;
        for (Ref f : frames) {
            total += 76 + 2 * r + (long) r * (len(f.box) + len(f.vir) + len(f.pres) + len(f.x) + len(f.v) + len(f.f));
        }
        ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.BIG_ENDIAN);
        for (Ref f : frames) {
            b.putInt(1993).putInt(13).putInt(12).put("GMX_trn_file".getBytes(StandardCharsets.US_ASCII));
            b.putInt(0).putInt(0).putInt(r * len(f.box)).putInt(r * len(f.vir)).putInt(r * len(f.pres)).putInt(0).putInt(0);
            b.putInt(r * len(f.x)).putInt(r * len(f.v)).putInt(r * len(f.f));
            b.putInt(f.natoms).putInt((int) f.step).putInt(0);
            putReal(b, f.time, isDouble);
            putReal(b, f.lambda, isDouble);
            for (double[] block : new double[][] {f.box, f.vir, f.pres, f.x, f.v, f.f}) {
                if (block != null) {
                    for (double d : block) {
                        putReal(b, d, isDouble);
                    }
                }
            }
        }
        return b.array();
    }

    private static int len(double[] a) {
        return a == null ? 0 : a.length;
    }

    private static void putReal(ByteBuffer b, double d, boolean isDouble) {
        if (isDouble) {
            b.putDouble(d);
        } else {
            b.putFloat((float) d);
        }
    }

    // ------------------------------------------------------------------ against GROMACS

    /** Single precision: every value equals the dump's (9 significant digits identify a float). */
    @Test
    void singlePrecisionFileMatchesGmxDump() throws Exception {
        List<Ref> single = dump("water.dump.gz");
        assertEquals(21, single.size());
        try (TrrReader r = TrrReader.open(resource("water.trr"))) {
            assertEquals(528, r.atoms());
            assertFalse(r.isDouble());
            Frame f = new Frame();
            for (int i = 0; i < single.size(); i++) {
                assertTrue(r.next(f), "frame " + i);
                Ref ref = single.get(i);
                assertEquals(i, f.index);
                assertEquals(ref.natoms, f.atoms);
                assertEquals(50L * i, f.step);
                assertEquals(ref.step, f.step);
                assertEquals(0.1 * i, f.time, 1e-6);
                assertEquals((float) ref.time, (float) f.time);
                assertEquals(0.0, r.lambda());
                assertNotNull(f.box);
                assertTrue(f.box.isOrthorhombic());
                assertFloats(ref.box, f.box.matrix(), 9);
                assertEquals(1.8f, (float) f.box.lx());
                assertFloats(ref.x, f.x, 3 * f.atoms);
                assertFloats(ref.v, f.v, 3 * f.atoms);
                assertFloats(ref.f, f.f, 3 * f.atoms);
                assertEquals(0, f.precision);
            }
            assertFalse(r.next(f));
            assertFalse(r.next(f), "the end stays the end");
        }
    }

    private static void assertFloats(double[] ref, double[] actual, int n) {
        assertNotNull(actual);
        for (int i = 0; i < n; i++) {
            double a = actual[i];
            if (a != (float) a || (float) ref[i] != (float) a) {
                fail("value " + i + ": read " + a + ", gmx dump says " + ref[i]);
            }
        }
    }

    /** Double precision (gmx_d): values agree with the dump's 9 significant digits. */
    @Test
    void doublePrecisionFileMatchesGmxDump() throws Exception {
        List<Ref> dbl = dump("water_d.dump.gz");
        assertEquals(3, dbl.size());
        try (TrrReader r = TrrReader.open(resource("water_d.trr"))) {
            assertTrue(r.isDouble());
            assertEquals(528, r.atoms());
            Frame f = new Frame();
            for (int i = 0; i < dbl.size(); i++) {
                assertTrue(r.next(f));
                Ref ref = dbl.get(i);
                assertEquals(ref.step, f.step);
                assertEquals(50L * i, f.step);
                assertEquals(0.1 * i, f.time, 1e-12, "double precision time");
                assertDigits(ref.box, f.box.matrix(), 9);
                assertEquals(1.8, f.box.lx(), 0.0, "a double box is exact");
                assertDigits(ref.x, f.x, 3 * f.atoms);
                assertDigits(ref.v, f.v, 3 * f.atoms);
                assertDigits(ref.f, f.f, 3 * f.atoms);
            }
            assertFalse(r.next(f));
        }
        // and the double file is no float file in disguise: some value needs more than float precision
        try (TrrReader r = TrrReader.open(resource("water_d.trr"))) {
            Frame f = new Frame();
            r.next(f);
            boolean wider = false;
            for (int i = 0; i < 3 * f.atoms; i++) {
                wider |= f.x[i] != (float) f.x[i];
            }
            assertTrue(wider);
        }
    }

    private static void assertDigits(double[] ref, double[] actual, int n) {
        for (int i = 0; i < n; i++) {
            // %15.8e keeps 9 significant digits: a relative error of at most 5e-9
            if (Math.abs(actual[i] - ref[i]) > 5.0000001e-9 * Math.abs(actual[i])) {
                fail("value " + i + ": read " + actual[i] + ", gmx dump says " + ref[i]);
            }
        }
    }

    @Test
    void smallBufferReadsTheSameFrames() throws Exception {
        List<Frame> expected = readAll(() -> TrrReader.open(resource("water.trr")));
        for (int size : new int[] {256, 300, 1000, 4099}) {
            try (TrrReader r = TrrReader.at(resource("water.trr"), 0, 0, 0, 0, size)) {
                List<Frame> got = readAll(r);
                IoTesting.assertSameFrames(expected, got);
            }
        }
    }

    @Test
    void skipReadsHeadersOnlyAndKeepsCount() throws Exception {
        List<Frame> all = readAll(() -> TrrReader.open(resource("water.trr")));
        long frameBytes = 84 + 36 + 3 * 528 * 12;
        try (TrrReader r = TrrReader.open(resource("water.trr"))) {
            IoTesting.assertSkipsAndReads(r, all, i -> i % 3 == 1, (reader, i) -> {
                assertEquals(i * frameBytes, reader.position());
                assertEquals(i, reader.frameIndex());
            });
            assertEquals(Files.size(resource("water.trr")), r.position());
        }
    }

    @Test
    void noAllocationPerFrameOnceWarm() throws Exception {
        assertNoAllocationPerFrame(() -> TrrReader.open(resource("water.trr")), 20);
    }

    // ------------------------------------------------------------------ hand-made files

    private static Ref frame(int natoms, long step, double time, boolean box, boolean x, boolean v, boolean f, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        Ref r = new Ref();
        r.natoms = natoms;
        r.step = step;
        r.time = time;
        r.lambda = 0.25;
        if (box) {
            r.box = new double[] {2.5 + rnd.nextDouble(), 0, 0, 0.3, 2.4, 0, -0.2, 0.4, 2.6};
        }
        if (x) {
            r.x = rnd.doubles(3L * natoms, 0, 3).toArray();
        }
        if (v) {
            r.v = rnd.doubles(3L * natoms, -1, 1).toArray();
        }
        if (f) {
            r.f = rnd.doubles(3L * natoms, -1000, 1000).toArray();
        }
        return r;
    }

    /** Frames with different blocks, a virial and a pressure block, a zero box, a missing box. */
    static List<Ref> mixedFrames() {
        List<Ref> frames = new ArrayList<>();
        Ref all = frame(7, 0, 0, true, true, true, true, 1);
        all.vir = new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9};
        all.pres = new double[] {-1, -2, -3, -4, -5, -6, -7, -8, -9};
        frames.add(all);
        frames.add(frame(7, 10, 0.02, false, false, false, true, 2)); // forces only, no box
        Ref zeroBox = frame(7, 20, 0.04, false, true, false, false, 3);
        zeroBox.box = new double[9]; // a zero box: no periodicity
        frames.add(zeroBox);
        Ref xv = frame(7, 30, 0.06, true, true, true, false, 4);
        xv.vir = new double[9];
        frames.add(xv);
        frames.add(frame(7, 40, 0.08, true, false, true, false, 5)); // velocities only
        return frames;
    }

    @Test
    void framesWithMissingBlocksGiveNulls() throws Exception {
        for (boolean isDouble : new boolean[] {false, true}) {
            List<Ref> refs = mixedFrames();
            Path p = write("mixed" + isDouble + ".trr", trr(isDouble, refs));
            try (TrrReader r = TrrReader.open(p)) {
                assertEquals(isDouble, r.isDouble());
                assertEquals(7, r.atoms());
                Frame f = new Frame();
                double[] firstX = null;
                for (int i = 0; i < refs.size(); i++) {
                    assertTrue(r.next(f));
                    Ref ref = refs.get(i);
                    assertEquals(ref.step, f.step);
                    assertEquals(isDouble ? ref.time : (float) ref.time, f.time);
                    assertEquals(isDouble ? 0.25 : 0.25f, r.lambda());
                    assertEquals(7, f.atoms);
                    checkBlock(ref.x, f.x, isDouble);
                    checkBlock(ref.v, f.v, isDouble);
                    checkBlock(ref.f, f.f, isDouble);
                    if (ref.box == null || Arrays.stream(ref.box).allMatch(d -> d == 0)) {
                        assertNull(f.box);
                    } else {
                        checkBlock(ref.box, f.box.matrix(), isDouble);
                    }
                    if (i == 0) {
                        firstX = f.x;
                    }
                    if (i == 2) {
                        assertSame(firstX, f.x, "the positions array is kept while a frame has none, and reused");
                    }
                }
                assertFalse(r.next(f));
            }
        }
    }

    private static void checkBlock(double[] expected, double[] actual, boolean isDouble) {
        if (expected == null) {
            assertNull(actual);
            return;
        }
        assertNotNull(actual);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(isDouble ? expected[i] : (float) expected[i], actual[i], 0.0);
        }
    }

    @Test
    void framesAppendedLaterAreRead() throws Exception {
        byte[] whole = trr(false, mixedFrames());
        int first = 76 + 8 + 4 * (9 + 9 + 9 + 3 * 21);
        Path p = write("growing.trr", Arrays.copyOf(whole, first));
        try (TrrReader r = TrrReader.open(p)) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            assertFalse(r.next(f));
            Files.write(p, Arrays.copyOfRange(whole, first, whole.length), StandardOpenOption.APPEND);
            int n = 0;
            while (r.next(f)) {
                n++;
            }
            assertEquals(4, n);
        }
        // a file that is empty when opened learns its atom count from the first frame appended
        Path empty = write("empty-then-grown.trr", new byte[0]);
        try (TrrReader r = TrrReader.open(empty)) {
            Frame f = new Frame();
            assertFalse(r.next(f));
            assertEquals(0, r.atoms());
            Files.write(empty, whole, StandardOpenOption.APPEND);
            assertTrue(r.next(f));
            assertEquals(7, r.atoms());
            assertEquals(7, f.atoms);
        }
    }

    // ------------------------------------------------------------------ broken files

    private static byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(resource(name));
    }

    private static final int FRAME = 84 + 36 + 3 * 528 * 12;

    @Test
    void truncationAtEveryByteOfTheLastFrame() throws Exception {
        byte[] three = Arrays.copyOf(bytes("water.trr"), 3 * FRAME);
        Path p = write("cut.trr", three);
        List<Frame> expected = readAll(() -> TrrReader.open(p));
        assertEquals(3, expected.size());
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                for (long size = 3L * FRAME - 1; size > 2L * FRAME; size--) {
                    ch.truncate(size);
                    IoTesting.assertFailsAtFrame(TrrReader::open, p, expected, 2, 2L * FRAME, "truncated", size % 997 == 0);
                }
            }
        });
    }

    @Test
    void truncationAtEveryByteOfAHandMadeDoubleFrame() throws Exception {
        byte[] whole = trr(true, mixedFrames());
        int last = whole.length - (76 + 16 + 8 * (9 + 7 * 3)); // the last frame: box and velocities
        for (int size = last + 1; size < whole.length; size++) {
            Path p = write("cut.trr", Arrays.copyOf(whole, size));
            try (TrrReader r = TrrReader.open(p)) {
                IoTesting.assertNextFailsAt(r, 4, last);
            }
        }
    }

    @Test
    void wrongMagic() throws Exception {
        byte[] b = Arrays.copyOf(bytes("water.trr"), 6 * FRAME);
        byte[] first = b.clone();
        first[3] = 0x12;
        Path p1 = write("magic0.trr", first);
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> TrrReader.open(p1));
        assertEquals(0, e.frame());
        assertEquals(0, e.offset());
        assertMessageContains(e, "magic");
        assertThrows(TrajectoryFormatException.class, () -> TrrIndex.build(p1));

        ByteBuffer.wrap(b).putInt(5 * FRAME, 1994);
        Path p5 = write("magic5.trr", b);
        try (TrrReader r = TrrReader.open(p5)) {
            e = IoTesting.assertNextFailsAt(r, 5, 5L * FRAME);
            assertTrue(e.getMessage().startsWith(p5 + ": frame 5 at byte " + 5 * FRAME + ": bad magic number 1994"), e.getMessage());
        }
    }

    @Test
    void wrongVersionString() throws Exception {
        byte[] b = Arrays.copyOf(bytes("water.trr"), FRAME);
        b[12] = 'g';
        Path p = write("version.trr", b);
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> TrrReader.open(p));
        assertMessageContains(e, "version");
    }

    /** The header's ints after the version string, in file order (as {@link #trr} writes them). */
    enum HeaderInt {
        IR_SIZE, E_SIZE, BOX_SIZE, VIR_SIZE, PRES_SIZE, TOP_SIZE, SYM_SIZE, X_SIZE, V_SIZE, F_SIZE, NATOMS;

        /** Its byte offset in the file whose frame starts at {@code frameStart}: after the magic, two string lengths and 12 characters. */
        int at(int frameStart) {
            return frameStart + 24 + 4 * ordinal();
        }
    }

    @Test
    void absurdAtomCountsFailFastWithoutAllocating() throws Exception {
        byte[] b = Arrays.copyOf(bytes("water.trr"), 2 * FRAME);
        // 2^31 - 1 atoms with the real block sizes
        byte[] huge = b.clone();
        ByteBuffer.wrap(huge).putInt(NATOMS.at(0), Integer.MAX_VALUE);
        expectHeaderFailure(huge, "atom count");
        // 2^28 atoms: below the array limit, but not what the block sizes say
        ByteBuffer.wrap(huge).putInt(NATOMS.at(0), 1 << 28);
        expectHeaderFailure(huge, "precision");
        // 2^31 - 1 atoms and no x, v or f block at all: beyond what an array can hold
        byte[] boxOnly = b.clone();
        ByteBuffer.wrap(boxOnly).putInt(NATOMS.at(0), Integer.MAX_VALUE).putInt(X_SIZE.at(0), 0).putInt(V_SIZE.at(0), 0).putInt(F_SIZE.at(0), 0);
        expectHeaderFailure(boxOnly, "atom count");
        // 100 million atoms with consistent block sizes (1.2 GB of positions) in a 38 kB file
        byte[] big = b.clone();
        ByteBuffer.wrap(big).putInt(NATOMS.at(0), 100_000_000).putInt(X_SIZE.at(0), 1_200_000_000).putInt(V_SIZE.at(0), 0).putInt(F_SIZE.at(0), 0);
        expectHeaderFailure(big, "truncated");
        // the same in the second frame: the first is delivered, then the failure, without allocation
        byte[] second = b.clone();
        ByteBuffer.wrap(second).putInt(NATOMS.at(FRAME), 100_000_000).putInt(X_SIZE.at(FRAME), 1_200_000_000);
        Path p = write("second.trr", second);
        try (TrrReader r = TrrReader.open(p)) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            long before = allocatedBytes();
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> r.next(f));
            assertTrue(allocatedBytes() - before < 1 << 20);
            assertEquals(1, e.frame());
        }
    }

    private void expectHeaderFailure(byte[] b, String word) throws IOException {
        Path p = write("bad.trr", b);
        long before = allocatedBytes();
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> TrrReader.open(p));
        assertTrue(allocatedBytes() - before < 1 << 20, "no large allocation");
        assertMessageContains(e, word);
        assertEquals(0, e.frame());
    }

    @Test
    void inconsistentHeadersAreRejected() throws Exception {
        byte[] b = Arrays.copyOf(bytes("water.trr"), 2 * FRAME);
        // another atom count in the second frame (with matching sizes)
        byte[] atoms = b.clone();
        ByteBuffer.wrap(atoms).putInt(NATOMS.at(FRAME), 264).putInt(X_SIZE.at(FRAME), 264 * 12).putInt(V_SIZE.at(FRAME), 264 * 12)
                .putInt(F_SIZE.at(FRAME), 264 * 12);
        expectSecondFrameFailure(atoms, "atoms");
        // x size not 3 natoms reals
        byte[] xs = b.clone();
        ByteBuffer.wrap(xs).putInt(X_SIZE.at(FRAME), 528 * 12 + 4);
        expectSecondFrameFailure(xs, "precision");
        // box in double, vectors in single precision
        byte[] mixed = b.clone();
        ByteBuffer.wrap(mixed).putInt(BOX_SIZE.at(FRAME), 72);
        expectSecondFrameFailure(mixed, "precision");
        // negative size
        byte[] negative = b.clone();
        ByteBuffer.wrap(negative).putInt(VIR_SIZE.at(FRAME), -36);
        expectSecondFrameFailure(negative, "negative");
        // an ir block
        byte[] ir = b.clone();
        ByteBuffer.wrap(ir).putInt(IR_SIZE.at(FRAME), 8);
        expectSecondFrameFailure(ir, "unsupported");
        // double-precision frame after single-precision ones
        List<Ref> two = new ArrayList<>(mixedFrames().subList(0, 2));
        byte[] s = trr(false, two.subList(0, 1));
        byte[] d = trr(true, two.subList(1, 2));
        byte[] both = Arrays.copyOf(s, s.length + d.length);
        System.arraycopy(d, 0, both, s.length, d.length);
        Path p = write("precision.trr", both);
        try (TrrReader r = TrrReader.open(p)) {
            assertTrue(r.next(new Frame()));
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> r.next(new Frame()));
            assertMessageContains(e, "double precision");
            assertEquals(s.length, e.offset());
        }
        // a frame with no box, x, v or f: its precision cannot be told
        Ref nothing = new Ref();
        nothing.natoms = 3;
        Path p2 = write("nothing.trr", trr(false, List.of(nothing)));
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> TrrReader.open(p2));
        assertMessageContains(e, "precision");
    }

    private void expectSecondFrameFailure(byte[] b, String word) throws IOException, TrajectoryFormatException {
        Path p = write("bad2.trr", b);
        try (TrrReader r = TrrReader.open(p)) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> r.next(f));
            assertEquals(1, e.frame());
            assertEquals(FRAME, e.offset());
            assertMessageContains(e, word);
        }
    }

    @Test
    void boxOutsideTheGromacsConventionIsRejected() throws Exception {
        List<Ref> frames = mixedFrames().subList(0, 1);
        frames.get(0).box[1] = 0.5; // a with a y component
        Path p = write("box.trr", trr(false, frames));
        try (TrrReader r = TrrReader.open(p)) {
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> r.next(new Frame()));
            assertMessageContains(e, "box");
        }
    }

    @Test
    void unchangedBoxIsTheSameObject() throws Exception {
        try (TrrReader r = TrrReader.open(resource("water.trr"))) {
            IoTesting.assertUnchangedBoxIsShared(r);
        }
    }
}
