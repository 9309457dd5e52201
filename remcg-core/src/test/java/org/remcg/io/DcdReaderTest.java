package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.remcg.io.IoTesting.allocatedBytes;
import static org.remcg.io.IoTesting.assertMessageContains;
import static org.remcg.io.IoTesting.assertNoAllocationPerFrame;
import static org.remcg.io.IoTesting.readAll;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.remcg.system.Box;

/**
 * {@link DcdReader} against LAMMPS text dumps of the same frames (the DCD files were written by
 * MDTraj and MDAnalysis, see make-dcd.sh), and against variants rewritten by this test: other byte
 * order, 8-byte record markers, X-PLOR header, fourth dimension, fixed atoms, broken files.
 */
class DcdReaderTest extends FileTesting {

    // the LAMMPS dumps of the reference runs, loaded once (two tests read the triclinic one)
    static List<LammpsFrame> ortho;
    static List<LammpsFrame> tri;

    @BeforeAll
    static void loadReferences() throws IOException {
        ortho = lammps("ortho.lammpstrj.gz");
        tri = lammps("tri.lammpstrj.gz");
    }

    // ------------------------------------------------------------------ reference data

    /** One frame of a LAMMPS text dump: the cell as LAMMPS defines it, positions in Angstrom by id. */
    record LammpsFrame(long step, double lx, double ly, double lz, double xy, double xz, double yz, double[] x) {

        /** The cell vectors a = (lx, 0, 0), b = (xy, ly, 0), c = (xz, yz, lz) in nm, rows. */
        double[] matrixNm() {
            return new double[] {lx / 10, 0, 0, xy / 10, ly / 10, 0, xz / 10, yz / 10, lz / 10};
        }
    }

    static Path resource(String name) {
        return IoTesting.resource("dcd/" + name);
    }

    /** Parses a LAMMPS custom dump with columns id type x y z (see the LAMMPS dump documentation). */
    static List<LammpsFrame> lammps(String name) throws IOException {
        List<LammpsFrame> out = new ArrayList<>();
        try (BufferedReader in = IoTesting.gzipLines(resource(name))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.equals("ITEM: TIMESTEP")) {
                    throw new IOException("unexpected line " + line);
                }
                long step = Long.parseLong(in.readLine().trim());
                in.readLine();
                int n = Integer.parseInt(in.readLine().trim());
                boolean triclinic = in.readLine().contains("xy xz yz");
                double[][] b = new double[3][];
                for (int k = 0; k < 3; k++) {
                    b[k] = Arrays.stream(in.readLine().trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
                }
                double xy = triclinic ? b[0][2] : 0;
                double xz = triclinic ? b[1][2] : 0;
                double yz = triclinic ? b[2][2] : 0;
                // bounds include the tilt; remove it to get the box edges
                double xlo = b[0][0] - Math.min(Math.min(0, xy), Math.min(xz, xy + xz));
                double xhi = b[0][1] - Math.max(Math.max(0, xy), Math.max(xz, xy + xz));
                double ylo = b[1][0] - Math.min(0, yz);
                double yhi = b[1][1] - Math.max(0, yz);
                if (!in.readLine().startsWith("ITEM: ATOMS id type x y z")) {
                    throw new IOException("unexpected columns");
                }
                double[] x = new double[3 * n];
                for (int i = 0; i < n; i++) {
                    String[] t = in.readLine().trim().split("\\s+");
                    int id = Integer.parseInt(t[0]);
                    for (int k = 0; k < 3; k++) {
                        x[3 * (id - 1) + k] = Double.parseDouble(t[2 + k]);
                    }
                }
                out.add(new LammpsFrame(step, xhi - xlo, yhi - ylo, b[2][1] - b[2][0], xy, xz, yz, x));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ a DCD model to rewrite files

    /** The content of a DCD file, independent of byte order and marker size. */
    static final class Dcd {
        int[] icntrl = new int[20];
        /** X-PLOR files keep DELTA as a double in ICNTRL(10..11); written when set and ICNTRL(20) = 0. */
        Double xplorDelta;
        byte[] title = new byte[0];
        int ntitle;
        int natoms;
        int[] free;
        List<double[]> cells = new ArrayList<>();
        /** Per frame: 3 (or 4) coordinate rows of natoms floats. */
        List<float[][]> coords = new ArrayList<>();
    }

    /** Reads a little-endian DCD with 4-byte markers (the files in the resources) into the model. */
    static Dcd parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        Dcd d = new Dcd();
        check(b.getInt() == 84);
        b.getInt(); // CORD
        for (int k = 0; k < 20; k++) {
            d.icntrl[k] = b.getInt();
        }
        check(b.getInt() == 84);
        int tl = b.getInt();
        d.ntitle = b.getInt();
        d.title = new byte[tl - 4];
        b.get(d.title);
        check(b.getInt() == tl);
        check(b.getInt() == 4);
        d.natoms = b.getInt();
        check(b.getInt() == 4);
        boolean cell = d.icntrl[10] != 0;
        int dims = d.icntrl[11] != 0 ? 4 : 3;
        while (b.remaining() > 0) {
            if (cell) {
                check(b.getInt() == 48);
                double[] c = new double[6];
                for (int k = 0; k < 6; k++) {
                    c[k] = b.getDouble();
                }
                d.cells.add(c);
                check(b.getInt() == 48);
            }
            float[][] xyz = new float[dims][d.natoms];
            for (int k = 0; k < dims; k++) {
                check(b.getInt() == 4 * d.natoms);
                for (int i = 0; i < d.natoms; i++) {
                    xyz[k][i] = b.getFloat();
                }
                check(b.getInt() == 4 * d.natoms);
            }
            d.coords.add(xyz);
        }
        return d;
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("test DCD parser: unexpected record marker");
        }
    }

    /** Writes the model as a DCD file with the given byte order and record marker size. */
    static byte[] write(Dcd d, ByteOrder order, int marker) {
        int frames = d.coords.size();
        int dims = frames == 0 ? 3 : d.coords.get(0).length;
        long size = 84 + d.title.length + 4 + 4 + (d.free == null ? 0 : 4L * d.free.length + 2 * marker) + 6L * marker
                + frames * ((d.cells.isEmpty() ? 0 : 48 + 2L * marker) + dims * (4L * d.natoms + 2 * marker));
        ByteBuffer b = ByteBuffer.allocate((int) size).order(order);
        mark(b, marker, 84);
        b.put("CORD".getBytes(StandardCharsets.US_ASCII));
        int start = b.position();
        for (int v : d.icntrl) {
            b.putInt(v);
        }
        if (d.xplorDelta != null && d.icntrl[19] == 0) {
            b.putDouble(start + 36, d.xplorDelta);
        }
        mark(b, marker, 84);
        mark(b, marker, 4 + d.title.length);
        b.putInt(d.ntitle).put(d.title);
        mark(b, marker, 4 + d.title.length);
        mark(b, marker, 4);
        b.putInt(d.natoms);
        mark(b, marker, 4);
        if (d.free != null) {
            mark(b, marker, 4L * d.free.length);
            for (int v : d.free) {
                b.putInt(v);
            }
            mark(b, marker, 4L * d.free.length);
        }
        for (int f = 0; f < frames; f++) {
            if (!d.cells.isEmpty()) {
                mark(b, marker, 48);
                for (double v : d.cells.get(f)) {
                    b.putDouble(v);
                }
                mark(b, marker, 48);
            }
            for (float[] row : d.coords.get(f)) {
                mark(b, marker, 4L * row.length);
                for (float v : row) {
                    b.putFloat(v);
                }
                mark(b, marker, 4L * row.length);
            }
        }
        return b.array();
    }

    private static void mark(ByteBuffer b, int marker, long value) {
        if (marker == 4) {
            b.putInt((int) value);
        } else {
            b.putLong(value);
        }
    }

    /** A small synthetic file: n atoms, frames with a triclinic cell stored as cosines. */
    static Dcd synthetic(int natoms, int frames, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        Dcd d = new Dcd();
        d.icntrl[0] = frames;
        d.icntrl[1] = 100;
        d.icntrl[2] = 5;
        d.icntrl[9] = Float.floatToIntBits(0.5f);
        d.icntrl[10] = 1;
        d.icntrl[19] = 24;
        d.ntitle = 1;
        d.title = Arrays.copyOf("synthetic test file".getBytes(StandardCharsets.US_ASCII), 80);
        d.natoms = natoms;
        for (int f = 0; f < frames; f++) {
            d.cells.add(new double[] {30 + f, 0.1, 31, -0.05, 0.2, 29});
            float[][] xyz = new float[3][natoms];
            for (float[] row : xyz) {
                for (int i = 0; i < natoms; i++) {
                    row[i] = (float) (rnd.nextDouble() * 30);
                }
            }
            d.coords.add(xyz);
        }
        return d;
    }

    static byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(resource(name));
    }

    static final String[] FILES = {"ortho.mdtraj.dcd", "ortho.mda.dcd", "tri.mdtraj.dcd", "tri.mda.dcd"};

    // ------------------------------------------------------------------ against LAMMPS

    @Test
    void framesMatchTheLammpsDump() throws Exception {
        for (String name : FILES) {
            List<LammpsFrame> ref = name.startsWith("tri") ? tri : ortho;
            assertEquals(20, ref.size());
            try (DcdReader r = DcdReader.open(resource(name))) {
                assertEquals(200, r.atoms());
                assertEquals(ByteOrder.LITTLE_ENDIAN, r.order());
                assertEquals(4, r.markerSize());
                assertEquals(20, r.headerFrames());
                assertEquals(24, r.charmmVersion());
                assertTrue(r.hasUnitCell());
                assertFalse(r.hasFourDimensions());
                assertEquals(20, r.frames());
                assertEquals(48 + 8 + 3 * (800 + 8), r.frameSize());
                Frame f = new Frame();
                for (int i = 0; i < 20; i++) {
                    assertTrue(r.next(f), name + " frame " + i);
                    LammpsFrame l = ref.get(i);
                    assertEquals(i, f.index);
                    assertEquals(200, f.atoms);
                    assertEquals(r.firstStep() + (long) i * r.interval(), f.step);
                    assertTrue(Double.isNaN(f.time));
                    assertNull(f.v);
                    assertNull(f.f);
                    for (int k = 0; k < 600; k++) {
                        // the writers stored float32(x in Angstrom); the reader divides by 10
                        if (f.x[k] != (float) l.x()[k] / 10.0) {
                            fail(name + " frame " + i + " value " + k + ": " + f.x[k] + " vs LAMMPS " + l.x()[k]);
                        }
                    }
                    assertNotNull(f.box);
                    assertEquals(name.startsWith("ortho"), f.box.isOrthorhombic(), name);
                    double[] m = f.box.matrix();
                    double[] e = l.matrixNm();
                    for (int k = 0; k < 9; k++) {
                        assertEquals(e[k], m[k], 1e-6, name + " frame " + i + " box element " + k);
                    }
                }
                assertFalse(r.next(f));
            }
        }
        // the triclinic run changes its cell every frame
        assertTrue(tri.get(0).xy() != tri.get(19).xy() && tri.get(0).lx() != tri.get(19).lx());
    }

    @Test
    void headerDetails() throws Exception {
        try (DcdReader r = DcdReader.open(resource("tri.mdtraj.dcd"))) {
            assertEquals("Created by DCD plugin", r.titles().get(0));
            assertEquals(1.0, r.delta());
            assertEquals(0, r.firstStep());
            assertEquals(1, r.interval());
        }
        try (DcdReader r = DcdReader.open(resource("tri.mda.dcd"))) {
            assertEquals(3, r.titles().size());
            assertEquals(20.45482949774598, r.delta(), 1e-5, "1 ps in AKMA units");
        }
    }

    /** LAMMPS writes ISTART = first dumped step, NSAVC = dump interval, and NSET = 0 until it closes. */
    @Test
    void frameCountComesFromTheFileSize() throws Exception {
        for (int nset : new int[] {0, 5, 1000, -3}) {
            byte[] b = bytes("tri.mdtraj.dcd");
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, nset).putInt(12, 0).putInt(16, 10);
            Path p = write("nset.dcd", b);
            try (DcdReader r = DcdReader.open(p)) {
                assertEquals(nset, r.headerFrames());
                assertEquals(20, r.frames());
                Frame f = new Frame();
                for (int i = 0; i < 20; i++) {
                    assertTrue(r.next(f));
                    assertEquals(tri.get(i).step(), f.step, "steps as LAMMPS numbers them");
                }
                assertFalse(r.next(f));
            }
            assertEquals(20, DcdIndex.build(p).frames());
        }
    }

    // ------------------------------------------------------------------ variants of the format

    @Test
    void bigEndianAndEightByteMarkersGiveTheSameFrames() throws Exception {
        for (String name : FILES) {
            List<Frame> expected = readAll(() -> DcdReader.open(resource(name)));
            Dcd d = parse(bytes(name));
            // the model writes the file back byte for byte
            assertTrue(Arrays.equals(bytes(name), write(d, ByteOrder.LITTLE_ENDIAN, 4)));
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                for (int marker : new int[] {4, 8}) {
                    Path p = write("variant.dcd", write(d, order, marker));
                    try (DcdReader r = DcdReader.open(p)) {
                        assertEquals(order, r.order());
                        assertEquals(marker, r.markerSize());
                        assertEquals(20, r.headerFrames());
                        List<Frame> got = readAll(r);
                        IoTesting.assertSameFrames(expected, got);
                    }
                }
            }
        }
    }

    /** The big-endian file made by swapping the bytes of every 4- or 8-byte field of the original. */
    @Test
    void byteSwappedFile() throws Exception {
        byte[] le = bytes("tri.mda.dcd");
        byte[] be = le.clone();
        ByteBuffer in = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.wrap(be).order(ByteOrder.BIG_ENDIAN);
        int p = 0;
        int record = 0;
        while (p < le.length) {
            int len = in.getInt(p);
            out.putInt(p, len);
            int q = p + 4;
            if (record == 0) {
                q += 4; // "CORD" stays as it is
            }
            if (len == 48 && record > 2) {
                for (; q < p + 4 + len; q += 8) {
                    out.putDouble(q, in.getDouble(q));
                }
            } else if (record == 1) {
                out.putInt(q, in.getInt(q)); // NTITLE; the text stays
            } else {
                for (; q < p + 4 + len; q += 4) {
                    out.putInt(q, in.getInt(q));
                }
            }
            out.putInt(p + 4 + len, len);
            p += 8 + len;
            record++;
        }
        Path swapped = write("be.dcd", be);
        try (DcdReader a = DcdReader.open(resource("tri.mda.dcd")); DcdReader b = DcdReader.open(swapped)) {
            assertEquals(ByteOrder.BIG_ENDIAN, b.order());
            assertEquals(a.titles(), b.titles());
            assertEquals(a.delta(), b.delta());
            List<Frame> x = readAll(a);
            List<Frame> y = readAll(b);
            assertEquals(20, y.size());
            IoTesting.assertSameFrames(x, y);
        }
    }

    @Test
    void xplorFileHasDoubleDeltaAndNoCell() throws Exception {
        Dcd d = synthetic(5, 3, 7);
        d.icntrl[19] = 0;
        d.icntrl[10] = 1; // ignored in X-PLOR files
        d.cells.clear();
        d.xplorDelta = 0.002;
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            Path p = write("xplor.dcd", write(d, order, 4));
            try (DcdReader r = DcdReader.open(p)) {
                assertEquals(0, r.charmmVersion());
                assertFalse(r.hasUnitCell());
                assertEquals(0.002, r.delta());
                Frame f = new Frame();
                for (int i = 0; i < 3; i++) {
                    assertTrue(r.next(f));
                    assertNull(f.box);
                    assertEquals(100 + 5 * i, f.step);
                    assertEquals(d.coords.get(i)[1][4] / 10.0, f.x[3 * 4 + 1]);
                }
                assertFalse(r.next(f));
            }
        }
    }

    @Test
    void fourthDimensionIsSkipped() throws Exception {
        Dcd d = synthetic(6, 4, 8);
        d.icntrl[11] = 1;
        for (int f = 0; f < 4; f++) {
            float[][] xyz = d.coords.get(f);
            float[] w = new float[6];
            Arrays.fill(w, 99f);
            d.coords.set(f, new float[][] {xyz[0], xyz[1], xyz[2], w});
        }
        Path p = write("4d.dcd", write(d, ByteOrder.LITTLE_ENDIAN, 4));
        try (DcdReader r = DcdReader.open(p)) {
            assertTrue(r.hasFourDimensions());
            Frame f = new Frame();
            for (int i = 0; i < 4; i++) {
                assertTrue(r.next(f));
                for (int a = 0; a < 6; a++) {
                    for (int k = 0; k < 3; k++) {
                        assertEquals(d.coords.get(i)[k][a] / 10.0, f.x[3 * a + k]);
                    }
                }
            }
            assertFalse(r.next(f));
        }
    }

    @Test
    void fixedAtomsAreRejectedClearly() throws Exception {
        Dcd d = synthetic(6, 2, 9);
        d.icntrl[8] = 2;
        d.free = new int[] {1, 2, 3, 4};
        Path p = write("fixed.dcd", write(d, ByteOrder.LITTLE_ENDIAN, 4));
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> DcdReader.open(p));
        assertMessageContains(e, "fixed atoms (NAMNF = 2) are not supported");
        assertEquals(-1, e.frame());
    }

    @Test
    void unitCellConventions() throws Exception {
        Dcd d = synthetic(4, 5, 10);
        double ca = 0.2;
        double cb = -0.05;
        double cg = 0.1;
        double[] deg = {Math.toDegrees(Math.acos(ca)), Math.toDegrees(Math.acos(cb)), Math.toDegrees(Math.acos(cg))};
        d.cells.set(0, new double[] {30, cg, 31, cb, ca, 29}); // cosines
        d.cells.set(1, new double[] {30, deg[2], 31, deg[1], deg[0], 29}); // degrees
        d.cells.set(2, new double[] {30, 0, 31, 0, 0, 29}); // cosines of right angles
        d.cells.set(3, new double[] {30, 90, 31, 90, 90, 29}); // right angles in degrees
        d.cells.set(4, new double[6]); // no cell
        Path p = write("cells.dcd", write(d, ByteOrder.LITTLE_ENDIAN, 4));
        try (DcdReader r = DcdReader.open(p)) {
            Frame f = new Frame();
            List<Box> boxes = new ArrayList<>();
            while (r.next(f)) {
                boxes.add(f.box);
            }
            Box expected = Box.fromLengthsAndAngles(3.0, 3.1, 2.9, deg[0], deg[1], deg[2]);
            for (int k = 0; k < 2; k++) {
                double[] m = boxes.get(k).matrix();
                double[] e = expected.matrix();
                for (int i = 0; i < 9; i++) {
                    assertEquals(e[i], m[i], 1e-12);
                }
            }
            assertEquals(Box.orthorhombic(3.0, 3.1, 2.9), boxes.get(2));
            assertTrue(boxes.get(2).isOrthorhombic(), "a zero cosine is exactly 90 degrees");
            assertEquals(Box.orthorhombic(3.0, 3.1, 2.9), boxes.get(3));
            assertNull(boxes.get(4));
        }
        for (double[] bad : new double[][] {{-30, 0, 31, 0, 0, 29}, {30, 0, 31, 0, 0, Double.NaN}, {30, 200, 31, 90, 90, 29},
            {30, 1, 31, 0, 0, 29}, {30, 0, 0, 0, 0, 29}, {30, 170, 31, 90, 10, 29}}) {
            d.cells.set(3, bad);
            Path q = write("bad.dcd", write(d, ByteOrder.LITTLE_ENDIAN, 4));
            try (DcdReader r = DcdReader.open(q)) {
                TrajectoryFormatException e = IoTesting.assertNextFailsAt(r, 3, r.offset(3));
                assertMessageContains(e, "unit cell");
            }
        }
    }

    @Test
    void unchangedCellIsTheSameBox() throws Exception {
        try (DcdReader r = DcdReader.open(resource("ortho.mdtraj.dcd"))) {
            IoTesting.assertUnchangedBoxIsShared(r);
        }
    }

    // ------------------------------------------------------------------ reading mechanics

    @Test
    void skipAndSmallBuffers() throws Exception {
        List<Frame> all = readAll(() -> DcdReader.open(resource("tri.mdtraj.dcd")));
        for (int size : new int[] {256, 333, 1024, 5000}) {
            assertEquals(20, all.size());
            try (DcdReader r = DcdReader.open(resource("tri.mdtraj.dcd"), size)) {
                IoTesting.assertSkipsAndReads(r, all, i -> i % 3 == 2, (reader, i) -> assertEquals(i, reader.frameIndex()));
            }
        }
    }

    @Test
    void noAllocationPerFrameOnceWarm() throws Exception {
        assertNoAllocationPerFrame(() -> DcdReader.open(resource("ortho.mda.dcd")), 19);
    }

    @Test
    void framesAppendedLaterAreRead() throws Exception {
        byte[] b = bytes("ortho.mda.dcd");
        int frame = 48 + 8 + 3 * 808;
        int header = b.length - 20 * frame;
        Path p = write("growing.dcd", Arrays.copyOf(b, header + 2 * frame));
        try (DcdReader r = DcdReader.open(p)) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            assertTrue(r.next(f));
            assertFalse(r.next(f));
            Files.write(p, Arrays.copyOfRange(b, header + 2 * frame, b.length), StandardOpenOption.APPEND);
            int n = 0;
            while (r.next(f)) {
                n++;
            }
            assertEquals(18, n);
        }
    }

    // ------------------------------------------------------------------ broken files

    @Test
    void truncationAtEveryByteOfTheLastFrame() throws Exception {
        byte[] b = bytes("tri.mdtraj.dcd");
        int frame = 48 + 8 + 3 * 808;
        int header = b.length - 20 * frame;
        List<Frame> all = readAll(() -> DcdReader.open(resource("tri.mdtraj.dcd")));
        Path p = dir.resolve("cut.dcd");
        for (int size = b.length - 1; size > b.length - frame; size--) {
            Files.write(p, Arrays.copyOf(b, size));
            try (DcdReader r = DcdReader.open(p)) {
                assertEquals(19, r.frames());
            }
            IoTesting.assertFailsAtFrame(DcdReader::open, p, all, 19, header + 19L * frame,
                    "truncated frame: " + (size - header - 19 * frame) + " of " + frame, true);
        }
    }

    @Test
    void truncatedHeaderAtEveryByte() throws Exception {
        byte[] b = bytes("ortho.mdtraj.dcd");
        int header = b.length - 20 * (48 + 8 + 3 * 808);
        for (int size = 0; size < header; size++) {
            Path p = write("head.dcd", Arrays.copyOf(b, size));
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> DcdReader.open(p), "size " + size);
            assertEquals(-1, e.frame());
        }
        // the header alone is a file without frames
        Path p = write("head.dcd", Arrays.copyOf(b, header));
        try (DcdReader r = DcdReader.open(p)) {
            assertEquals(0, r.frames());
            assertFalse(r.next(new Frame()));
        }
    }

    @Test
    void wrongSignatureOrMarkers() throws Exception {
        byte[] b = bytes("ortho.mdtraj.dcd");
        byte[] m = b.clone();
        m[0] = 85;
        assertTrue(assertThrows(TrajectoryFormatException.class, () -> DcdReader.open(write("m.dcd", m))).getMessage()
                .contains("not a DCD file"));
        byte[] c = b.clone();
        c[7] = 'X';
        assertTrue(assertThrows(TrajectoryFormatException.class, () -> DcdReader.open(write("c.dcd", c))).getMessage()
                .contains("not a DCD file"));
        byte[] end = b.clone();
        end[88] = 83; // the closing marker of the first record
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> DcdReader.open(write("e.dcd", end)));
        assertMessageContains(e, "marker");
        // a wrong coordinate record marker in frame 7
        Dcd d = parse(b);
        int frame = 48 + 8 + 3 * 808;
        int header = b.length - 20 * frame;
        byte[] g = b.clone();
        int at = header + 7 * frame + 56 + 808; // the Y record
        ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN).putInt(at, 796);
        Path p = write("g.dcd", g);
        try (DcdReader r = DcdReader.open(p)) {
            e = IoTesting.assertNextFailsAt(r, 7, header + 7L * frame);
            assertMessageContains(e, "record marker 796 at byte " + at + ", expected 800");
        }
        assertEquals(200, d.natoms);
    }

    @Test
    void absurdAtomCountsFailFastWithoutAllocating() throws Exception {
        Dcd d = synthetic(3, 2, 11);
        for (int marker : new int[] {4, 8}) {
            byte[] b = write(d, ByteOrder.LITTLE_ENDIAN, marker);
            int natomsAt = marker + 84 + marker + marker + 4 + d.title.length + marker + marker;
            for (int natoms : new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, 0, -1, DcdReader.MAX_ATOMS + 1}) {
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(natomsAt, natoms);
                Path p = write("huge.dcd", b);
                long before = allocatedBytes();
                TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> DcdReader.open(p));
                assertTrue(allocatedBytes() - before < 1 << 20);
                assertMessageContains(e, "atom count");
            }
            // 100 million atoms are a valid header, but the frame is not in the file
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(natomsAt, 100_000_000);
            Path p = write("big.dcd", b);
            try (DcdReader r = DcdReader.open(p)) {
                assertEquals(0, r.frames());
                long before = allocatedBytes();
                TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> r.next(new Frame()));
                assertTrue(allocatedBytes() - before < 1 << 20);
                assertMessageContains(e, "truncated");
                assertEquals(0, e.frame());
            }
        }
    }
}
