package org.remcg.io;

import static org.remcg.units.Units.ANGSTROM_PER_NM;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.remcg.system.Box;

/**
 * Reads DCD trajectories as written by CHARMM, NAMD, LAMMPS ({@code dump dcd}), VMD, MDTraj,
 * MDAnalysis, OpenMM and others.
 *
 * <p>A DCD file is a sequence of Fortran unformatted records: every record is framed by its length
 * in bytes, written before and after it. The markers are 4-byte integers (8-byte ones in files from
 * some old 64-bit compilers); the byte order is that of the machine that wrote the file. Both are
 * detected from the first record, which is always 84 bytes long and starts with "CORD". The layout:
 *
 * <pre>
 *   record 84 bytes: "CORD", ICNTRL(1..20) (20 x int32)
 *   record:          NTITLE (int32), NTITLE lines of 80 characters
 *   record 4 bytes:  NATOM
 *   [record:         free-atom indices, when NAMNF &gt; 0]        (not supported, see below)
 *   per frame:
 *     [record 48 bytes: unit cell, 6 x float64]                    (when ICNTRL(11) != 0)
 *     record 4 NATOM bytes: X (float32, Angstrom)
 *     record 4 NATOM bytes: Y
 *     record 4 NATOM bytes: Z
 *     [record 4 NATOM bytes: W, a fourth dimension]               (when ICNTRL(12) != 0; skipped)
 * </pre>
 *
 * <p>ICNTRL (1-based, as CHARMM numbers it): (1) NSET, frames in the file as the writer last
 * recorded it; (2) ISTART, step of the first frame; (3) NSAVC, steps between frames; (9) NAMNF,
 * number of fixed atoms; (10) DELTA, the time step as float32 (X-PLOR files, which have ICNTRL(20)
 * = 0, store it as a float64 in (10)-(11)); (11) unit cell flag; (12) four-dimension flag; (20)
 * CHARMM version, 0 for X-PLOR files (which have neither unit cells nor a fourth dimension).
 *
 * <p>Rules this reader applies:
 *
 * <ul>
 *   <li>The frame count comes from the file size, not from NSET: writers such as LAMMPS keep NSET
 *       up to date only while the file is being written, so it may be 0 or stale
 *       ({@link #headerFrames()} gives it anyway). Every frame has the same size (see {@link
 *       #frameSize()}), so frame i starts at {@code headerSize() + i frameSize()}.
 *   <li>Every record marker read is checked against the expected length; a mismatch (garbage) or
 *       a frame that the file does not hold completely (truncation) is a {@link
 *       TrajectoryFormatException} naming the frame and its offset, raised after all complete
 *       frames were delivered. Nothing is allocated for a frame that is not complete in the file,
 *       and the atom count is checked against the record size limits at open, so an absurd atom
 *       count fails fast.
 *   <li>Files with fixed atoms (NAMNF &gt; 0, CHARMM's way of storing only moving atoms after the
 *       first frame) are rejected with a message saying so.
 *   <li>Coordinates are taken to be in Angstrom and divided by 10 (nm). LAMMPS writes whatever
 *       length unit the run used: files from {@code units lj} runs hold reduced lengths, which
 *       come out divided by 10 too.
 *   <li>The unit cell record is {A, gamma, B, beta, alpha, C} (this order, as CHARMM defines it),
 *       lengths in Angstrom. Writers differ on the angles: CHARMM, NAMD after 2.5, LAMMPS and VMD
 *       store their cosines, NAMD up to 2.5, MDAnalysis and OpenMM store degrees. When all three
 *       values lie in [-1, 1] they are read as cosines (angle = 90 - asin(value) in degrees, so a
 *       zero cosine gives exactly 90), otherwise as degrees, which must lie in (0, 180). A cell of
 *       all-zero lengths means "no periodic cell" ({@link Frame#box} null). Anything else that
 *       does not give a valid box, including the box-vector form of recent CHARMM versions, is a
 *       {@link TrajectoryFormatException}.
 * </ul>
 *
 * <p>Frames carry positions only ({@link Frame#v} and {@link Frame#f} are null). {@link
 * Frame#step} is ISTART + i NSAVC; {@link Frame#time} is NaN because the unit of DELTA depends on
 * the writer (AKMA units for CHARMM and NAMD, the run's own time unit for LAMMPS): {@link #delta()}
 * gives the raw value. The reader reads through the buffer of {@link BinaryTrajectoryReader}; once
 * the frame's arrays exist nothing is allocated per frame, except a new {@link Box} when the cell
 * changes. Not thread-safe.
 */
public final class DcdReader extends BinaryTrajectoryReader {

    /** Largest atom count accepted: 3 natoms must be a valid Java array length. */
    public static final int MAX_ATOMS = (Integer.MAX_VALUE - 8) / 3;
    private static final int UNIT_CELL_BYTES = 48;
    /** Title records longer than this are skipped without being decoded. */
    private static final int MAX_TITLE_BYTES = 1 << 16;

    // per-format reader state: each binary reader keeps its own header fields
    // header
    private ByteOrder order;
    private int marker;
    private int natoms;
    private int headerFrames;
    private int istart;
    private int nsavc;
    private double delta;
    private int charmmVersion;
    private boolean unitCell;
    private boolean fourDims;
    private List<String> titles = List.of();
    private long headerSize;
    private long frameSize;

    private final double[] cell = new double[6];
    private final double[] lastCell = new double[6];
    private Box lastBox;
    private boolean hasLastBox;

    private DcdReader(Path file, FileChannel channel, int bufferSize) throws IOException {
        super(file, channel, bufferSize, 0);
    }

    /**
     * Opens a DCD file and reads its header.
     *
     * @throws TrajectoryFormatException when the header is not a valid DCD header
     */
    public static DcdReader open(Path file) throws IOException, TrajectoryFormatException {
        return open(file, DEFAULT_BUFFER);
    }

    /** As {@link #open(Path)} with a buffer of the given size (for tests). */
    static DcdReader open(Path file, int bufferSize) throws IOException, TrajectoryFormatException {
        return open(file, channel -> {
            DcdReader r = new DcdReader(file, channel, Math.max(bufferSize, 256));
            r.readHeader();
            return r;
        });
    }

    @Override
    public int atoms() {
        return natoms;
    }

    /** Byte order of the file. */
    public ByteOrder order() {
        return order;
    }

    /** Size of the Fortran record markers, 4 or 8 bytes. */
    public int markerSize() {
        return marker;
    }

    /** NSET as stored in the header; may be 0 or stale, see the class comment. */
    public int headerFrames() {
        return headerFrames;
    }

    /** ISTART: step of the first frame. */
    public int firstStep() {
        return istart;
    }

    // accessors of the DCD header fields (one line each, the same shape as any getter run)
    /** NSAVC: steps between frames. */
    public int interval() {
        return nsavc;
    }

    /** DELTA, the time step in the writer's own unit (AKMA units for CHARMM and NAMD). */
    public double delta() {
        return delta;
    }

    /** ICNTRL(20): the CHARMM version, 0 for an X-PLOR file. */
    public int charmmVersion() {
        return charmmVersion;
    }

    /** True when every frame has a unit cell record. */
    public boolean hasUnitCell() {
        return unitCell;
    }

    /** True when every frame has a fourth coordinate record (skipped). */
    public boolean hasFourDimensions() {
        return fourDims;
    }

    /** The title lines (trailing blanks and NULs removed). */
    public List<String> titles() {
        return titles;
    }

    /** Byte offset of the first frame. */
    public long headerSize() {
        return headerSize;
    }

    /** Bytes per frame. */
    public long frameSize() {
        return frameSize;
    }

    /** Complete frames in the file as it is now. */
    public long frames() throws IOException {
        return Math.max(0, (refreshSize() - headerSize) / frameSize);
    }

    /** Index of the next frame. */
    public long frameIndex() {
        return index;
    }

    /** Byte offset of frame i. */
    public long offset(long i) {
        return headerSize + i * frameSize;
    }

    @Override
    public long position() {
        return offset(index);
    }

    /**
     * Positions the reader at frame i (0 &le; i; a position at or past the end of the file makes
     * the next read return false or report the truncated frame). Clears an earlier failure.
     */
    public void seekFrame(long i) {
        if (i < 0 || i > (Long.MAX_VALUE - headerSize) / frameSize - 1) {
            throw new IndexOutOfBoundsException("frame " + i);
        }
        index = i;
        clearFailure();
    }

    @Override
    public boolean next(Frame frame) throws IOException, TrajectoryFormatException {
        long start = frameStart();
        if (start < 0) {
            return false;
        }
        seek(start);
        Box box = null;
        if (unitCell) {
            expectMarker(UNIT_CELL_BYTES, start);
            ensureOrFail(UNIT_CELL_BYTES, start);
            for (int k = 0; k < 6; k++) {
                cell[k] = readDouble();
            }
            expectMarker(UNIT_CELL_BYTES, start);
            box = box(start);
        }
        int n = natoms;
        if (frame.x == null || frame.x.length < 3 * n) {
            frame.x = new double[3 * n];
        }
        long bytes = 4L * n;
        for (int axis = 0; axis < 3; axis++) {
            expectMarker(bytes, start);
            if (!readReals(frame.x, axis, n, 3, 4, ANGSTROM_PER_NM)) {
                throw shrank(start);
            }
            expectMarker(bytes, start);
        }
        if (fourDims) {
            expectMarker(bytes, start);
            seek(at() + bytes);
            expectMarker(bytes, start);
        }
        frame.atoms = n;
        frame.v = null;
        frame.f = null;
        frame.box = box;
        frame.step = istart + index * (long) nsavc;
        frame.time = Double.NaN;
        frame.index = index;
        frame.precision = 0;
        index++;
        return true;
    }

    /** Skips the next frame: frames have a fixed size, so this reads nothing. */
    @Override
    public boolean skip() throws IOException, TrajectoryFormatException {
        if (frameStart() < 0) {
            return false;
        }
        index++;
        return true;
    }

    /**
     * Offset of the next frame after checking that the file holds it completely; -1 at a clean end.
     */
    private long frameStart() throws IOException, TrajectoryFormatException {
        checkFailure();
        long start = offset(index);
        long left = bytesFrom(start, frameSize);
        if (left <= 0) {
            return -1;
        }
        if (left < frameSize) {
            throw fail(index, start, "truncated frame: " + left + " of " + frameSize + " bytes");
        }
        return start;
    }

    // ---------------------------------------------------------------- header

    private void readHeader() throws IOException, TrajectoryFormatException {
        if (!fill(12)) {
            throw fail(-1, 0, "not a DCD file: only " + bytesFrom(0, 12) + " bytes");
        }
        // The first record is 84 bytes long and starts with "CORD": try 4- and 8-byte markers in
        // both byte orders.
        for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            order(o);
            if (intAt(0) == 84 && isCord(4)) {
                order = o;
                marker = 4;
                break;
            }
            if (longAt(0) == 84 && isCord(8)) {
                order = o;
                marker = 8;
                break;
            }
        }
        if (order == null) {
            if (isCord(4) || isCord(8)) {
                throw fail(-1, 0, "not a DCD file: first record length is not 84");
            }
            throw fail(-1, 0, "not a DCD file: no \"CORD\" signature at the start");
        }
        expectHeaderMarker(84, 0);
        ensureOrFail(84, 0);
        seek(at() + 4);
        int[] icntrl = new int[20];
        for (int k = 0; k < 20; k++) {
            icntrl[k] = readInt();
        }
        expectHeaderMarker(84, 0);
        headerFrames = icntrl[0];
        istart = icntrl[1];
        nsavc = icntrl[2];
        int namnf = icntrl[8];
        charmmVersion = icntrl[19];
        if (charmmVersion != 0) {
            delta = Float.intBitsToFloat(icntrl[9]);
            unitCell = icntrl[10] != 0;
            fourDims = icntrl[11] != 0;
        } else {
            long hi = order == ByteOrder.BIG_ENDIAN ? icntrl[9] : icntrl[10];
            long lo = order == ByteOrder.BIG_ENDIAN ? icntrl[10] : icntrl[9];
            delta = Double.longBitsToDouble(hi << 32 | (lo & 0xffffffffL));
        }

        long titleAt = at();
        long titleLength = readMarker(titleAt);
        if (titleLength < 4 || titleLength > bytesFrom(titleAt, titleLength)) {
            throw fail(-1, titleAt, "bad title record length " + titleLength);
        }
        if (titleLength <= Math.min(MAX_TITLE_BYTES, capacity())) {
            ensureOrFail((int) titleLength, titleAt);
            int ntitle = readInt();
            byte[] text = new byte[(int) titleLength - 4];
            readBytes(text);
            titles = titles(text, ntitle);
        } else {
            seek(at() + titleLength);
        }
        expectHeaderMarker(titleLength, titleAt);

        long atomsAt = at();
        expectHeaderMarker(4, atomsAt);
        ensureOrFail(4, atomsAt);
        int n = readInt();
        expectHeaderMarker(4, atomsAt);
        if (n < 1 || n > MAX_ATOMS) {
            throw fail(-1, atomsAt, "invalid atom count " + n);
        }
        if (marker == 4 && 4L * n > Integer.MAX_VALUE) {
            throw fail(-1, atomsAt, "atom count " + n + " needs records longer than 4-byte record markers allow");
        }
        natoms = n;
        if (namnf != 0) {
            throw fail(-1, atomsAt, "fixed atoms (NAMNF = " + namnf + ") are not supported");
        }
        headerSize = at();
        long coordinateRecord = 4L * n + 2L * marker;
        frameSize = (unitCell ? UNIT_CELL_BYTES + 2L * marker : 0) + (fourDims ? 4 : 3) * coordinateRecord;
    }

    private boolean isCord(int at) {
        byte[] b = buffer();
        return buffered() >= at + 4 && b[at] == 'C' && b[at + 1] == 'O' && b[at + 2] == 'R' && b[at + 3] == 'D';
    }

    private static List<String> titles(byte[] text, int ntitle) {
        List<String> out = new ArrayList<>();
        int lines = ntitle >= 0 && ntitle <= text.length / 80 ? ntitle : text.length / 80;
        for (int k = 0; k < lines; k++) {
            String s = new String(text, 80 * k, 80, StandardCharsets.ISO_8859_1);
            int end = s.indexOf('\0');
            out.add((end >= 0 ? s.substring(0, end) : s).stripTrailing());
        }
        return Collections.unmodifiableList(out);
    }

    private void expectHeaderMarker(long expected, long recordAt) throws IOException, TrajectoryFormatException {
        long m = readMarker(recordAt);
        if (m != expected) {
            throw fail(-1, recordAt, "header record marker " + m + ", expected " + expected);
        }
    }

    // ---------------------------------------------------------------- frames

    private void expectMarker(long expected, long frameAt) throws IOException, TrajectoryFormatException {
        long at = at();
        long m = readMarker(frameAt);
        if (m != expected) {
            throw fail(index, frameAt, "record marker " + m + " at byte " + at + ", expected " + expected
                    + " (garbage, or a frame layout that differs from the header)");
        }
    }

    private long readMarker(long recordAt) throws IOException, TrajectoryFormatException {
        ensureOrFail(marker, recordAt);
        return marker == 4 ? readInt() : readLong();
    }

    private Box box(long frameAt) throws TrajectoryFormatException {
        if (hasLastBox && java.util.Arrays.equals(cell, lastCell)) {
            return lastBox;
        }
        double a = cell[0];
        double b = cell[2];
        double c = cell[5];
        Box box;
        if (a == 0 && b == 0 && c == 0) {
            box = null;
        } else {
            double gamma = angle(cell[1], cell[1], cell[3], cell[4]);
            double beta = angle(cell[3], cell[1], cell[3], cell[4]);
            double alpha = angle(cell[4], cell[1], cell[3], cell[4]);
            if (!(a > 0 && b > 0 && c > 0) || !Double.isFinite(a + b + c) || !(alpha > 0 && alpha < 180) || !(beta > 0 && beta < 180)
                    || !(gamma > 0 && gamma < 180)) {
                throw fail(index, frameAt, "invalid unit cell " + java.util.Arrays.toString(cell) + " (A, gamma, B, beta, alpha, C)");
            }
            try {
                box = Box.fromLengthsAndAngles(a / ANGSTROM_PER_NM, b / ANGSTROM_PER_NM, c / ANGSTROM_PER_NM, alpha, beta, gamma);
            } catch (IllegalArgumentException e) {
                throw fail(index, frameAt, "invalid unit cell " + java.util.Arrays.toString(cell) + ": " + e.getMessage());
            }
        }
        System.arraycopy(cell, 0, lastCell, 0, 6);
        lastBox = box;
        hasLastBox = true;
        return box;
    }

    /**
     * An angle in degrees from its stored value v: a cosine when all three stored angles (g, b, a)
     * lie in [-1, 1], else degrees.
     */
    private static double angle(double v, double g, double b, double a) {
        boolean cosines = Math.abs(g) <= 1 && Math.abs(b) <= 1 && Math.abs(a) <= 1;
        return cosines ? 90 - Math.toDegrees(Math.asin(v)) : v;
    }

    private void ensureOrFail(int n, long recordAt) throws IOException, TrajectoryFormatException {
        if (!fill(n)) {
            throw shrank(recordAt);
        }
    }

    private TrajectoryFormatException shrank(long recordAt) {
        long frame = headerSize == 0 ? -1 : index;
        return fail(frame, recordAt, frame < 0 ? "truncated header" : "file ended inside the frame (it shrank while reading)");
    }
}
