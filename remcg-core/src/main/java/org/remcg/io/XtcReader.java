package org.remcg.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.remcg.system.Box;

/**
 * Reads GROMACS XTC trajectories: frames with the classic magic 1995 and with the magic 2023 of
 * GROMACS 2023 and later (the same layout with a 64-bit byte count for the compressed block).
 *
 * <p>Each frame is, in XDR (big-endian, 4-byte aligned) encoding: magic, atom count, step (32-bit
 * int), time (float, ps), the box as 9 floats (rows a, b, c, nm), the atom count again, then the
 * coordinates. Frames with at most 9 atoms store 3n plain floats. Larger frames store the
 * precision (float, integers per nm), the minimum and maximum integer per dimension, the initial
 * small-difference width, the byte count of the compressed block (4 bytes, or 8 with magic 2023)
 * and the block, padded with zeros to a multiple of 4 bytes. {@link XtcCodec} describes the block.
 *
 * <p>Every header value is checked before anything is allocated for it: the atom count must be
 * positive, the same in both places and in every frame, and small enough for the rest of the file
 * to hold; byte counts must fit in the file; ranges, precision and width must be usable. A frame
 * that fails a check, or whose compressed data turns out to be damaged, is reported as a
 * {@link TrajectoryFormatException} naming the file, the frame and the byte offset where the frame
 * starts; the frames before it are delivered normally, and the reader keeps reporting the same
 * exception afterwards.
 *
 * <p>Coordinates are the float values GROMACS computes ({@code (float) i * (float) (1 / precision)}),
 * widened to double. {@link Frame#precision} is 1 / precision (nm), or 0 for frames of at most 9
 * atoms, which are stored in full. Once the reader has seen the largest frame of the file it
 * allocates nothing per frame (a new {@link Box} is made only when the box changes).
 *
 * <p>Not thread safe; open one reader per thread (see {@link XtcIndex}).
 */
public final class XtcReader extends BinaryTrajectoryReader {

    private static final int MAX_FRAME_BYTES = Integer.MAX_VALUE - 16 - XtcCodec.SLACK;
    /** Frames with more atoms are decoded once without output before Frame.x grows for them. */
    private static final int CHECK_BEFORE_ALLOCATING = 1 << 18;

    private int atoms;

    // per-format reader state: each binary reader keeps its own header fields
    // The header of the frame at bufStart + head, filled by parseHeader().
    private int hAtoms;
    private int hStep;
    private float hTime;
    private Box hBox;
    private int hFrameBytes;
    /** The compressed coordinates (for more than {@link XtcCodec#MAX_UNCOMPRESSED} atoms). */
    private final XtcCodec.Block hBlock = new XtcCodec.Block();

    private final int[] boxBits = new int[9];
    private Box box;
    private boolean boxKnown;

    private final XtcCodec.Decoder decoder = new XtcCodec.Decoder();

    private XtcReader(Path file, FileChannel channel, long offset, long index, int bufferSize) throws IOException {
        super(file, channel, bufferSize, XtcCodec.SLACK);
        seek(offset);
        this.index = index;
    }

    /**
     * Opens an XTC file and reads the header of its first frame (so {@link #atoms()} is known; 0
     * for an empty file).
     *
     * @throws TrajectoryFormatException if the first frame header is unusable
     */
    public static XtcReader open(Path file) throws IOException, TrajectoryFormatException {
        return open(file, 0, 0, 0, DEFAULT_BUFFER);
    }

    /**
     * A reader starting at byte {@code offset}, which must be the start of frame {@code index}.
     * With {@code atoms > 0} the atom count is taken as known and the first header is read only
     * by {@link #next}; otherwise it is read now.
     */
    static XtcReader open(Path file, long offset, long index, int atoms, int bufferSize)
            throws IOException, TrajectoryFormatException {
        return open(file, channel -> {
            XtcReader reader = new XtcReader(file, channel, offset, index, bufferSize);
            if (atoms > 0) {
                reader.atoms = atoms;
            } else if (reader.parseHeader()) {
                reader.atoms = reader.hAtoms;
            }
            return reader;
        });
    }

    @Override
    public int atoms() {
        return atoms;
    }

    @Override
    public long position() {
        return at();
    }

    /** Index of the next frame. */
    public long nextIndex() {
        return index;
    }

    @Override
    public boolean next(Frame frame) throws IOException, TrajectoryFormatException {
        checkFailure();
        if (!parseHeader()) {
            return false;
        }
        long start = position();
        if (!fill(hFrameBytes)) {
            throw bad(start, "the file ends inside the frame (it shrank while being read)");
        }
        byte[] buf = buffer();
        int n = hAtoms;
        if (n > XtcCodec.MAX_UNCOMPRESSED && frame.x.length < 3 * n && n > CHECK_BEFORE_ALLOCATING) {
            // The header is consistent, but a damaged one can still claim up to 4 atoms per
            // byte of the block: prove the atoms are there before making room for them.
            try {
                decoder.check(buf, head, hBlock, n);
            } catch (XtcCodec.Corrupt e) {
                throw bad(start, "damaged compressed coordinates: " + e.getMessage());
            }
        }
        frame.resize(n, false, false);
        double[] x = frame.x;
        if (n <= XtcCodec.MAX_UNCOMPRESSED) {
            int p = head + XtcCodec.HEADER_BYTES;
            for (int j = 0; j < 3 * n; j++) {
                x[j] = Float.intBitsToFloat(intAt(p + 4 * j));
            }
            frame.precision = 0;
        } else {
            try {
                decoder.decode(buf, head, hBlock, n, x);
            } catch (XtcCodec.Corrupt e) {
                throw bad(start, "damaged compressed coordinates: " + e.getMessage());
            }
            frame.precision = 1.0 / hBlock.precision;
        }
        frame.atoms = n;
        frame.step = hStep;
        frame.time = hTime;
        frame.box = hBox;
        frame.index = index;
        if (atoms == 0) {
            atoms = n;
        }
        head += hFrameBytes;
        index++;
        return true;
    }

    /** Skips the next frame reading only its header and byte count. */
    @Override
    public boolean skip() throws IOException, TrajectoryFormatException {
        checkFailure();
        if (!parseHeader()) {
            return false;
        }
        if (atoms == 0) {
            atoms = hAtoms;
        }
        seek(at() + hFrameBytes);
        index++;
        return true;
    }

    /** Step and time of the frame whose header {@link #skip} or {@link #next} read last. */
    int lastStep() {
        return hStep;
    }

    float lastTime() {
        return hTime;
    }

    // ------------------------------------------------------------------------------------------

    /**
     * Reads and checks the header of the frame at {@link #position()} without consuming it.
     *
     * @return false at the clean end of the file
     */
    private boolean parseHeader() throws IOException, TrajectoryFormatException {
        final long start = position();
        if (!fill(1)) {
            return false;
        }
        if (!fill(4)) {
            throw bad(start, "the file ends inside the frame header (" + buffered() + " bytes left)");
        }
        int magic = intAt(head);
        if (magic != XtcCodec.MAGIC_1995 && magic != XtcCodec.MAGIC_2023) {
            throw bad(start, "bad magic " + magic + " (XTC frames start with " + XtcCodec.MAGIC_1995 + " or "
                    + XtcCodec.MAGIC_2023 + ")");
        }
        if (!fill(XtcCodec.HEADER_BYTES)) {
            throw bad(start, "the file ends inside the frame header (" + buffered() + " of "
                    + XtcCodec.HEADER_BYTES + " bytes)");
        }
        int n = intAt(head + 4);
        int again = intAt(head + 52);
        if (n <= 0) {
            throw bad(start, "atom count " + n + " is not positive");
        }
        if (again != n) {
            throw bad(start, "atom count " + n + " in the frame header but " + again + " before the coordinates");
        }
        if (atoms != 0 && n != atoms) {
            throw bad(start, "frame has " + n + " atoms where earlier frames have " + atoms);
        }
        if (magic == XtcCodec.MAGIC_1995 && n > XtcCodec.MAX_ATOMS_1995) {
            throw bad(start, n + " atoms in a frame with magic 1995, which holds at most " + XtcCodec.MAX_ATOMS_1995);
        }
        if (n > XtcCodec.MAX_ATOMS_JAVA) {
            throw bad(start, n + " atoms is more than this reader can hold (" + XtcCodec.MAX_ATOMS_JAVA + ")");
        }
        final int countBytes = magic == XtcCodec.MAGIC_2023 ? 8 : 4;
        final int blockStart = XtcCodec.HEADER_BYTES + XtcCodec.BLOCK_HEADER_BYTES + countBytes;
        long smallest = n <= XtcCodec.MAX_UNCOMPRESSED ? XtcCodec.HEADER_BYTES + 12L * n
                : blockStart + ((XtcCodec.minBlockBytes(n) + 3) & ~3L);
        long left = bytesFrom(start, smallest);
        if (smallest > left) {
            throw bad(start, "the frame claims " + n + " atoms, which need at least " + smallest + " bytes, but only "
                    + left + " are left in the file (truncated?)");
        }
        hAtoms = n;
        hStep = intAt(head + 8);
        hTime = Float.intBitsToFloat(intAt(head + 12));
        hBox = box(start);
        if (n <= XtcCodec.MAX_UNCOMPRESSED) {
            hFrameBytes = (int) smallest;
            return true;
        }

        if (!fill(blockStart)) {
            throw bad(start, "the file ends inside the frame header (it shrank while being read)");
        }
        float precision = Float.intBitsToFloat(intAt(head + 56));
        if (!(precision > 0) || !Float.isFinite((float) (1.0 / precision)) || !Float.isFinite(precision)) {
            throw bad(start, "precision " + precision + " is not a usable positive number");
        }
        for (int k = 0; k < 3; k++) {
            int lo = intAt(head + 60 + 4 * k);
            int hi = intAt(head + 72 + 4 * k);
            if (hi < lo) {
                throw bad(start, "coordinate range " + "xyz".charAt(k) + " [" + lo + ", " + hi + "] is empty");
            }
            if ((long) hi - lo + 1 > Integer.MAX_VALUE) {
                throw bad(start, "coordinate range " + "xyz".charAt(k) + " [" + lo + ", " + hi + "] is too wide");
            }
            hBlock.min[k] = lo;
            hBlock.max[k] = hi;
        }
        int smallIdx = intAt(head + 84);
        if (!XtcCodec.validWidth(smallIdx)) {
            throw bad(start, "small-difference width index " + smallIdx + " out of range [" + XtcCodec.FIRST_IDX + ", "
                    + XtcCodec.LAST_IDX + "]");
        }
        long count = countBytes == 8 ? longAt(head + 88) : intAt(head + 88);
        if (count < XtcCodec.minBlockBytes(n) || count > XtcCodec.maxBlockBytes(n)) {
            throw bad(start, "compressed block of " + count + " bytes is impossible for " + n + " atoms");
        }
        long frameBytes = blockStart + ((count + 3) & ~3L);
        left = bytesFrom(start, frameBytes);
        if (frameBytes > left) {
            throw bad(start, "the frame needs " + frameBytes + " bytes but only " + left
                    + " are left in the file (truncated?)");
        }
        if (frameBytes > MAX_FRAME_BYTES) {
            throw bad(start, "a frame of " + frameBytes + " bytes is more than this reader can hold");
        }
        hBlock.precision = precision;
        hBlock.smallIdx = smallIdx;
        hBlock.offset = blockStart;
        hBlock.bytes = (int) count;
        hFrameBytes = (int) frameBytes;
        return true;
    }

    /** The box of the header at head: null if all zero, the previous one if unchanged. */
    private Box box(long start) throws TrajectoryFormatException {
        boolean same = boxKnown;
        boolean zero = true;
        for (int k = 0; k < 9; k++) {
            int bits = intAt(head + 16 + 4 * k);
            same &= bits == boxBits[k];
            zero &= Float.intBitsToFloat(bits) == 0;
        }
        if (same) {
            return box;
        }
        Box b = null;
        if (!zero) {
            float[] m = new float[9];
            for (int k = 0; k < 9; k++) {
                m[k] = Float.intBitsToFloat(intAt(head + 16 + 4 * k));
            }
            if (m[1] != 0 || m[2] != 0 || m[5] != 0) {
                throw bad(start, "box " + describe(m) + " is not lower triangular (a along x, b in the xy plane)");
            }
            try {
                b = Box.triclinic(m[0], m[3], m[4], m[6], m[7], m[8]);
            } catch (IllegalArgumentException e) {
                throw bad(start, "box " + describe(m) + " is not a valid box");
            }
        }
        for (int k = 0; k < 9; k++) {
            boxBits[k] = intAt(head + 16 + 4 * k);
        }
        box = b;
        boxKnown = true;
        return b;
    }

    private static String describe(float[] m) {
        return "a=(" + m[0] + "," + m[1] + "," + m[2] + ") b=(" + m[3] + "," + m[4] + "," + m[5] + ") c=(" + m[6] + ","
                + m[7] + "," + m[8] + ")";
    }

    private TrajectoryFormatException bad(long offset, String problem) {
        return fail(index, offset, problem);
    }
}
