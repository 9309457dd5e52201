package org.remcg.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import org.remcg.system.Box;

/**
 * Reads GROMACS TRR trajectories (full-precision positions, velocities and forces).
 *
 * <p>A TRR file is a sequence of self-describing frames in XDR encoding (big-endian, 4-byte
 * integers). Each frame starts with a header:
 *
 * <pre>
 *   int    magic = 1993
 *   int    13, int 12, 12 bytes "GMX_trn_file"    (the version string as GROMACS writes it)
 *   int    ir_size, e_size, box_size, vir_size, pres_size, top_size, sym_size,
 *          x_size, v_size, f_size                  (byte counts of the blocks that follow)
 *   int    natoms, step, nre
 *   real   t, lambda                               (real = float or double, see below)
 * </pre>
 *
 * followed by the blocks whose size is not zero, in this order: box (3 x 3 reals, rows a, b, c),
 * virial (3 x 3), pressure (3 x 3), x, v, f (natoms x 3 reals each). The precision ("real") is
 * not flagged anywhere: it follows from the sizes, e.g. box_size = 36 for single and 72 for double
 * precision, or x_size = 12 natoms versus 24 natoms. The header also has sizes for ir, e, top
 * and sym blocks, which GROMACS' trajectory writer leaves at zero; a frame that claims such a block
 * is rejected, since where it would sit among the other blocks is not documented.
 *
 * <p>Rules this reader applies (every violation is a {@link TrajectoryFormatException} naming the
 * frame and its byte offset; frames before it have been delivered):
 *
 * <ul>
 *   <li>magic and version string must match;
 *   <li>every size is non-negative; box, virial and pressure sizes are 0 or 9 reals; x, v and f
 *       sizes are 0 or exactly 3 natoms reals, with one precision (4 or 8 bytes) for the whole
 *       frame and the whole file; a frame with none of these blocks has no detectable precision
 *       and is rejected;
 *   <li>natoms is positive, at most {@link #MAX_ATOMS}, and the same in every frame;
 *   <li>the frame (header and blocks) must fit in the file: a shorter tail is a truncated frame.
 *       Nothing is allocated for a frame before this check, so absurd sizes fail fast;
 *   <li>the box is either all zeros (no periodic box: {@link Frame#box} is null) or a GROMACS box
 *       (a along x, b in the xy plane, positive diagonal).
 * </ul>
 *
 * <p>Frames: {@link Frame#x}, {@link Frame#v} and {@link Frame#f} hold the blocks present in the
 * frame and are null for absent ones (a TRR frame may well have forces but no positions; note
 * that {@link Frame#copy()} and {@link Frame#resize} expect positions, so copy such frames by hand).
 * {@link Frame#step} is the header step (a 32-bit field in the format), {@link Frame#time} is t in
 * ps, {@link Frame#precision} is 0. Units are GROMACS units already (nm, nm/ps, kJ/mol/nm).
 *
 * <p>The reader reads through the buffer of {@link BinaryTrajectoryReader}; once the frame's arrays
 * exist nothing is allocated per frame, except a new {@link Box} when the box changes (an unchanged
 * box is delivered as the same object). Not thread-safe.
 */
public final class TrrReader extends BinaryTrajectoryReader {

    /** The magic number that starts every frame. */
    static final int MAGIC = 1993;
    /** The version string GROMACS writes into every frame header. */
    static final String VERSION = "GMX_trn_file";
    /** Largest atom count accepted: 3 natoms must be a valid Java array length. */
    public static final int MAX_ATOMS = (Integer.MAX_VALUE - 8) / 3;

    /** Header bytes before t and lambda: magic, two string lengths, 12 chars, 13 ints. */
    private static final int INT_PART = 4 + 4 + 4 + 12 + 13 * 4;
    private static final byte[] VERSION_BYTES = VERSION.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Offset of the next frame. */
    private long pos;
    /** Atoms per frame (0 until the first frame header has been seen, i.e. for an empty file). */
    private int atoms;
    /** Bytes per real, 4 or 8 (0 while unknown). */
    private int real;

    // The header last parsed.
    // per-format reader state: each binary reader keeps its own header fields (sizes of the TRR blocks)
    private int natomsOfHeader;
    private int boxSize;
    private int virSize;
    private int presSize;
    private int xSize;
    private int vSize;
    private int fSize;
    private int step;
    private double t;
    private double lambda;
    private long frameBytes;

    private final double[] boxM = new double[9];
    private final double[] lastBoxM = new double[9];
    private Box lastBox;
    /** Arrays taken from a frame because the frame had no such block, kept for reuse. */
    private final double[][] spare = new double[3][]; // x, v, f

    private TrrReader(Path file, FileChannel channel, int bufferSize) throws IOException {
        super(file, channel, bufferSize, 0);
    }

    /**
     * Opens a TRR file and checks its first frame header (an empty file opens, with no frames and
     * zero atoms).
     *
     * @throws TrajectoryFormatException when the first frame header is not a valid TRR header
     */
    public static TrrReader open(Path file) throws IOException, TrajectoryFormatException {
        return at(file, 0, 0, 0, 0, DEFAULT_BUFFER);
    }

    /**
     * A reader whose next frame starts at byte {@code offset} and has index {@code frame}; {@code
     * atoms} and {@code real} (bytes per real) are the values found in earlier frames, or 0 when
     * unknown. Used by {@link TrrIndex} and by tests (small buffers).
     */
    static TrrReader at(Path file, long offset, long frame, int atoms, int real, int bufferSize)
            throws IOException, TrajectoryFormatException {
        return open(file, channel -> {
            TrrReader r = new TrrReader(file, channel, Math.max(bufferSize, 256));
            r.pos = offset;
            r.index = frame;
            r.atoms = atoms;
            r.real = real;
            r.readHeader(); // checks the first header and learns the atom count (unless the file ends here)
            return r;
        });
    }

    /** Atoms per frame, from the first frame header (0 for an empty file). */
    @Override
    public int atoms() {
        return atoms;
    }

    /** True when the file is written in double precision (known once a frame header was read). */
    public boolean isDouble() {
        return real == 8;
    }

    @Override
    public long position() {
        return pos;
    }

    /** Index of the next frame (0-based). */
    public long frameIndex() {
        return index;
    }

    @Override
    public boolean next(Frame frame) throws IOException, TrajectoryFormatException {
        if (!readHeader()) {
            return false;
        }
        long start = pos;
        int n = natomsOfHeader;
        int len = 3 * n;
        if (boxSize > 0) {
            readReals(boxM, 9, start);
        }
        Box box = boxSize > 0 ? box(start) : null;
        if (virSize + (long) presSize > 0) {
            seek(at() + virSize + presSize);
        }
        frame.atoms = n;
        frame.x = block(xSize, frame.x, 0, len, start);
        frame.v = block(vSize, frame.v, 1, len, start);
        frame.f = block(fSize, frame.f, 2, len, start);
        frame.box = box;
        frame.step = step;
        frame.time = t;
        frame.index = index;
        frame.precision = 0;
        pos = start + frameBytes;
        index++;
        return true;
    }

    /** The lambda value of the last frame read or skipped. */
    public double lambda() {
        return lambda;
    }

    /** Skips the next frame: reads and checks its header only, then seeks past it. */
    @Override
    public boolean skip() throws IOException, TrajectoryFormatException {
        if (!readHeader()) {
            return false;
        }
        pos += frameBytes;
        index++;
        return true;
    }

    // ---------------------------------------------------------------- header

    /**
     * Parses and checks the header of the frame at {@link #pos} without consuming it; on return
     * the buffer is positioned after the header.
     *
     * @return false at a clean end of file
     */
    private boolean readHeader() throws IOException, TrajectoryFormatException {
        checkFailure();
        long start = pos;
        long left = bytesFrom(start, 1);
        if (left <= 0) {
            return false;
        }
        seek(start);
        if (!fill(INT_PART)) {
            throw fail(start, "truncated frame header: " + left + " bytes left, a header needs at least "
                    + (INT_PART + 8));
        }
        int magic = readInt();
        if (magic != MAGIC) {
            throw fail(start, "bad magic number " + magic + " (expected " + MAGIC + "): not a TRR frame");
        }
        int slen = readInt();
        int len = readInt();
        boolean versionOk = slen == VERSION_BYTES.length + 1 && len == VERSION_BYTES.length;
        for (int i = 0; i < VERSION_BYTES.length; i++) {
            versionOk &= readByte() == VERSION_BYTES[i];
        }
        if (!versionOk) {
            throw fail(start, "bad version string in frame header (expected \"" + VERSION + "\")");
        }
        int irSize = readInt();
        int eSize = readInt();
        boxSize = readInt();
        virSize = readInt();
        presSize = readInt();
        int topSize = readInt();
        int symSize = readInt();
        xSize = readInt();
        vSize = readInt();
        fSize = readInt();
        int natoms = readInt();
        step = readInt();
        readInt(); // nre: number of energy terms, unused without an e block
        if ((irSize | eSize | boxSize | virSize | presSize | topSize | symSize | xSize | vSize | fSize) < 0) {
            throw fail(start, "negative block size in frame header (ir " + irSize + ", e " + eSize + ", box " + boxSize + ", vir "
                    + virSize + ", pres " + presSize + ", top " + topSize + ", sym " + symSize + ", x " + xSize + ", v " + vSize + ", f "
                    + fSize + ")");
        }
        if ((irSize | eSize | topSize | symSize) != 0) {
            throw fail(start, "unsupported ir/e/top/sym blocks in frame (sizes " + irSize + ", " + eSize + ", " + topSize + ", " + symSize
                    + "); GROMACS leaves them empty");
        }
        if (natoms < 1 || natoms > MAX_ATOMS) {
            throw fail(start, "invalid atom count " + natoms);
        }
        if (atoms != 0 && natoms != atoms) {
            throw fail(start, "frame has " + natoms + " atoms, earlier frames have " + atoms);
        }
        int r = precision(natoms);
        if (r == 0) {
            throw fail(start, "frame sizes fit neither single nor double precision (natoms " + natoms + ", box " + boxSize + ", vir "
                    + virSize + ", pres " + presSize + ", x " + xSize + ", v " + vSize + ", f " + fSize + ")");
        }
        if (real != 0 && r != real) {
            throw fail(start, "frame is in " + (r == 8 ? "double" : "single") + " precision, earlier frames are not");
        }
        long headerBytes = INT_PART + 2L * r;
        long body = (long) boxSize + virSize + presSize + xSize + vSize + fSize;
        long need = headerBytes + body;
        left = bytesFrom(start, need);
        if (need > left) {
            throw fail(start, "truncated frame: it needs " + need + " bytes, the file has " + left + " left");
        }
        if (!fill(2 * r)) {
            throw fail(start, "file shrank while reading");
        }
        t = r == 8 ? readDouble() : readFloat();
        lambda = r == 8 ? readDouble() : readFloat();
        real = r;
        atoms = natoms;
        natomsOfHeader = natoms;
        frameBytes = need;
        return true;
    }

    /**
     * Bytes per real implied by the block sizes of the current header, or 0 when they are
     * inconsistent or there is no block to tell.
     */
    private int precision(int natoms) {
        long perAtom = 3L * natoms;
        int r = blockReal(boxSize, 9, 0);
        r = blockReal(virSize, 9, r);
        r = blockReal(presSize, 9, r);
        r = blockReal(xSize, perAtom, r);
        r = blockReal(vSize, perAtom, r);
        r = blockReal(fSize, perAtom, r);
        return Math.max(r, 0);
    }

    /**
     * Combines the precision r found so far (0: none yet, -1: inconsistent) with a block of
     * {@code size} bytes that holds {@code reals} reals when present.
     */
    private static int blockReal(int size, long reals, int r) {
        if (size == 0 || r < 0) {
            return r;
        }
        int q = size == reals * 4 ? 4 : size == reals * 8 ? 8 : -1;
        return q < 0 || (r != 0 && q != r) ? -1 : q;
    }

    private Box box(long start) throws TrajectoryFormatException {
        boolean zero = true;
        for (double d : boxM) {
            zero &= d == 0;
        }
        if (zero) {
            return null;
        }
        if (lastBox != null && Arrays.equals(boxM, lastBoxM)) {
            return lastBox;
        }
        try {
            lastBox = Box.fromMatrix(boxM);
        } catch (IllegalArgumentException e) {
            lastBox = null;
            throw fail(start, "invalid box " + Arrays.toString(boxM) + ": " + e.getMessage());
        }
        System.arraycopy(boxM, 0, lastBoxM, 0, 9);
        return lastBox;
    }

    private TrajectoryFormatException fail(long offset, String problem) {
        return fail(index, offset, problem);
    }

    /**
     * The array for a block of {@code len} reals of kind {@code kind} (0 x, 1 v, 2 f): read into
     * {@code current} or a kept array when the frame has the block ({@code size > 0}), otherwise null,
     * keeping {@code current} for reuse.
     */
    private double[] block(int size, double[] current, int kind, int len, long start) throws IOException, TrajectoryFormatException {
        if (size > 0) {
            double[] a = fit(current, spare[kind], len);
            readReals(a, len, start);
            return a;
        }
        if (current != null) {
            spare[kind] = current;
        }
        return null;
    }

    private static double[] fit(double[] current, double[] spare, int len) {
        if (current != null && current.length >= len) {
            return current;
        }
        if (spare != null && spare.length >= len) {
            return spare;
        }
        return new double[len];
    }

    /** Reads count reals (of the file's precision) into dst[0...]. */
    private void readReals(double[] dst, int count, long frameStart) throws IOException, TrajectoryFormatException {
        if (!readReals(dst, 0, count, 1, real, 1)) {
            throw fail(frameStart, "file shrank while reading");
        }
    }
}
