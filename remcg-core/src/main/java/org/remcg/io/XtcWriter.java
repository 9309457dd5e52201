package org.remcg.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.remcg.system.Box;

/**
 * Writes GROMACS XTC trajectories readable by GROMACS and by {@link XtcReader}.
 *
 * <p>Coordinates (nm) are rounded to integers of {@code 1 / precision} nm the way GROMACS rounds
 * them (the float coordinate times the float precision, then half away from zero) and compressed
 * (see {@link XtcCodec}); frames of at most 9 atoms are stored as plain floats, as the format
 * requires. Frames use the classic magic 1995; only above 298,261,617 atoms, where its 32-bit
 * byte count could overflow, the magic 2023 layout is used, as GROMACS does.
 *
 * <p>Every frame must have the same number of atoms. Steps are stored as 32-bit integers (the
 * low 32 bits, as GROMACS stores them), times and boxes as floats; an unknown time (NaN) is
 * written as 0 and a missing box as zeros.
 *
 * <p>The frames go to a temporary file next to the target, which {@link #close()} moves into
 * place (atomically where the file system allows it). If any {@link #write} failed, or after
 * {@link #abort()}, the temporary file is deleted and the target is left as it was.
 *
 * <p>A {@link #streaming} writer instead writes straight into the target and hands every frame
 * to the operating system as it is written: XTC frames stand alone, so a process killed mid-run
 * leaves a valid file with the frames so far. A failed write there is cut back to the last
 * whole frame.
 */
public final class XtcWriter implements TrajectoryWriter {

    /** GROMACS' default precision: coordinates to 0.001 nm. */
    public static final float DEFAULT_PRECISION = 1000f;

    private static final int BUFFER = 1 << 20;
    private static final int FRAME_HEADER_MAX = XtcCodec.HEADER_BYTES + XtcCodec.BLOCK_HEADER_BYTES + 8;
    /** Integers must stay below 2^31 in magnitude. */
    private static final float INT_LIMIT = 2.14748365E9f;

    private final Path file;
    // writer state and, below, its accessors: fields of this writer only
    /** The temporary file, or null for a streaming writer. */
    private final Path temp;
    /** Bytes of whole frames handed to the channel (streaming writers). */
    private long committed;
    private final FileChannel channel;
    private final float precision;
    private final ByteBuffer out = ByteBuffer.allocate(BUFFER);
    private final XtcCodec.Encoder encoder = new XtcCodec.Encoder();
    private int[] ints = new int[0];
    private final int[] min = new int[3];
    private final int[] max = new int[3];
    private int atoms;
    private long frames;
    private boolean failed;
    private boolean closed;
    private Box lastBox;
    private final float[] boxFloats = new float[9];

    /** A writer with the default precision (1000, i.e. 0.001 nm). */
    public XtcWriter(Path file) throws IOException {
        this(file, DEFAULT_PRECISION);
    }

    /**
     * @param precision GROMACS' xtc precision: coordinates are stored as integers of
     *                  {@code 1 / precision} nm (1000 gives 0.001 nm)
     */
    public XtcWriter(Path file, float precision) throws IOException {
        this(file, precision, false);
    }

    /**
     * A writer straight into {@code file} (created, or emptied if it exists), every frame handed to
     * the operating system as it is written, so that the frames written so far survive a killed
     * process as a valid file. Its directory must exist.
     */
    public static XtcWriter streaming(Path file) throws IOException {
        return new XtcWriter(file, DEFAULT_PRECISION, true);
    }

    private XtcWriter(Path file, float precision, boolean streaming) throws IOException {
        if (!(precision > 0) || !Float.isFinite(precision) || !Float.isFinite((float) (1.0 / precision))) {
            throw new IllegalArgumentException("XTC precision must be a positive number, got " + precision);
        }
        this.file = file;
        this.precision = precision;
        if (streaming || AtomicFiles.special(file)) {
            this.temp = null; // straight into the file; a device or pipe is never renamed over
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } else {
            this.temp = AtomicFiles.createTemp(file);
            FileChannel opened;
            try {
                opened = FileChannel.open(temp, StandardOpenOption.WRITE);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            this.channel = opened;
        }
    }

    /** Frames written so far. */
    public long frames() {
        return frames;
    }

    @Override
    public void write(Frame frame) throws IOException {
        if (closed) {
            throw new IllegalStateException("writer for " + file + " is closed");
        }
        if (failed) {
            throw new IllegalStateException("an earlier write to " + file + " failed; nothing more is written");
        }
        try {
            writeFrame(frame);
            frames++;
            if (temp == null) {
                flush();
                committed += lastFlushed;
                lastFlushed = 0;
            }
        } catch (IOException | RuntimeException | Error e) {
            failed = true;
            if (temp == null) {
                try {
                    out.clear();
                    lastFlushed = 0;
                    channel.truncate(committed);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private void writeFrame(Frame frame) throws IOException {
        final int n = frame.atoms;
        if (n <= 0) {
            throw new IllegalArgumentException("frame " + frames + " has " + n + " atoms; XTC frames need at least one");
        }
        if (atoms != 0 && n != atoms) {
            throw new IllegalArgumentException("frame " + frames + " has " + n + " atoms where earlier frames have " + atoms);
        }
        if (n > XtcCodec.MAX_ATOMS_JAVA || frame.x == null || frame.x.length < 3 * n) {
            throw new IllegalArgumentException("frame " + frames + " claims " + n + " atoms but has "
                    + (frame.x == null ? 0 : frame.x.length) + " coordinates");
        }
        final int magic = n > XtcCodec.MAX_ATOMS_1995 ? XtcCodec.MAGIC_2023 : XtcCodec.MAGIC_1995;
        final double[] x = frame.x;

        room(XtcCodec.HEADER_BYTES);
        out.putInt(magic);
        out.putInt(n);
        out.putInt((int) frame.step);
        out.putFloat(Double.isNaN(frame.time) ? 0f : (float) frame.time);
        boxFloats(frame.box);
        for (float v : boxFloats) {
            out.putFloat(v);
        }
        out.putInt(n);

        if (n <= XtcCodec.MAX_UNCOMPRESSED) {
            room(12 * n);
            for (int j = 0; j < 3 * n; j++) {
                out.putFloat((float) x[j]);
            }
        } else {
            quantize(x, n);
            encoder.encode(ints, n, min, max);
            int count = encoder.length();
            room(FRAME_HEADER_MAX);
            out.putFloat(precision);
            for (int k = 0; k < 3; k++) {
                out.putInt(min[k]);
            }
            for (int k = 0; k < 3; k++) {
                out.putInt(max[k]);
            }
            out.putInt(encoder.smallIdx);
            if (magic == XtcCodec.MAGIC_2023) {
                out.putLong(count);
            } else {
                out.putInt(count);
            }
            int padded = (count + 3) & ~3;
            if (padded <= out.capacity()) {
                room(padded);
                out.put(encoder.bytes(), 0, count);
            } else {
                flush();
                ByteBuffer block = ByteBuffer.wrap(encoder.bytes(), 0, count);
                while (block.hasRemaining()) {
                    channel.write(block);
                }
                room(4);
            }
            for (int k = count; k < padded; k++) {
                out.put((byte) 0);
            }
        }
        atoms = n;
    }

    /** Rounds coordinates to integers as GROMACS does and finds their range. */
    private void quantize(double[] x, int n) {
        if (ints.length < 3 * n) {
            ints = new int[3 * n];
        }
        final float p = precision;
        int lo0 = Integer.MAX_VALUE;
        int lo1 = Integer.MAX_VALUE;
        int lo2 = Integer.MAX_VALUE;
        int hi0 = Integer.MIN_VALUE;
        int hi1 = Integer.MIN_VALUE;
        int hi2 = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int a = round(x, 3 * i, p);
            int b = round(x, 3 * i + 1, p);
            int c = round(x, 3 * i + 2, p);
            ints[3 * i] = a;
            ints[3 * i + 1] = b;
            ints[3 * i + 2] = c;
            lo0 = Math.min(lo0, a);
            hi0 = Math.max(hi0, a);
            lo1 = Math.min(lo1, b);
            hi1 = Math.max(hi1, b);
            lo2 = Math.min(lo2, c);
            hi2 = Math.max(hi2, c);
        }
        min[0] = lo0;
        min[1] = lo1;
        min[2] = lo2;
        max[0] = hi0;
        max[1] = hi1;
        max[2] = hi2;
        for (int k = 0; k < 3; k++) {
            if ((long) max[k] - min[k] + 1 > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("frame " + frames + ": the " + "xyz".charAt(k)
                        + " coordinates span more than XTC can store at precision " + precision);
            }
        }
    }

    private int round(double[] x, int j, float p) {
        float v = (float) x[j];
        float scaled = v * p;
        float r = v >= 0 ? (float) (scaled + 0.5) : (float) (scaled - 0.5);
        if (!(Math.abs(r) < INT_LIMIT)) {
            throw new IllegalArgumentException("frame " + frames + ", atom " + j / 3 + ": coordinate " + x[j]
                    + " nm cannot be stored at precision " + precision);
        }
        return (int) r;
    }

    private void boxFloats(Box box) {
        if (box == lastBox && box != null) {
            return;
        }
        if (box == null) {
            java.util.Arrays.fill(boxFloats, 0f);
        } else {
            double[] m = box.matrix();
            for (int k = 0; k < 9; k++) {
                boxFloats[k] = (float) m[k];
            }
        }
        lastBox = box;
    }

    private void room(int bytes) throws IOException {
        if (out.remaining() < bytes) {
            flush();
        }
    }

    /** Bytes handed to the channel since the last whole frame (streaming writers). */
    private long lastFlushed;

    private void flush() throws IOException {
        out.flip();
        lastFlushed += out.remaining();
        try {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        } catch (IOException e) {
            throw AtomicFiles.named(e, file);
        }
        out.clear();
    }

    /** Discards everything written: deletes the temporary file, leaves the target untouched (a streaming writer keeps the frames already written). */
    public void abort() throws IOException {
        failed = true;
        close();
    }

    /** Moves the written frames into place, or discards them if a write failed. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (temp == null) {
            try {
                if (!failed) {
                    flush();
                    if (Files.isRegularFile(file)) {
                        channel.force(true); // devices and pipes (/dev/null) have nothing to sync
                    }
                }
            } catch (IOException e) {
                throw AtomicFiles.named(e, file);
            } finally {
                channel.close();
            }
            return;
        }
        if (failed) {
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(temp);
            }
            return;
        }
        try {
            flush();
            channel.force(true);
            channel.close();
            AtomicFiles.commit(temp, file);
        } catch (IOException | RuntimeException | Error e) {
            try {
                channel.close();
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
