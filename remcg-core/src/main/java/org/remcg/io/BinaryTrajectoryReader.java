package org.remcg.io;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the binary trajectory readers (XTC, TRR, DCD) share: the file channel, one read buffer, the
 * index of the next frame and the failure that stops the reader.
 *
 * <p>Buffer: {@code buf[head, tail)} holds the file's bytes from offset {@code bufStart + head} on;
 * {@link #at()} is the file offset of {@code head}, the cursor. All reads are positional, so the
 * channel's own position is never used. A reader asks for bytes with {@link #fill} before it reads
 * them, at the cursor ({@link #readInt()} and friends, which move it) or at a buffer index
 * ({@link #intAt}); the buffer grows only when one request is larger than it. The last {@code slack}
 * bytes of the buffer are never filled from the file (the XTC decoder reads up to that many bytes past
 * the data it decodes). Numbers are read in the file's byte order, fixed by {@link #order} (big-endian
 * until then).
 *
 * <p>Failures: {@link #fail} makes a {@link TrajectoryFormatException} naming the file, the frame and
 * the byte offset, and keeps it; every later {@link #next} or {@link #skip} throws it again
 * ({@link #checkFailure}), so a reader never reads past a frame it could not read.
 *
 * <p>Once the buffer has reached its size, reading allocates nothing. Not thread-safe.
 */
abstract class BinaryTrajectoryReader implements TrajectoryReader {

    /** Default buffer size of a reader. */
    static final int DEFAULT_BUFFER = 1 << 18;

    private static final VarHandle BE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The file being read. */
    final Path file;
    private final FileChannel channel;
    private final int slack;

    private byte[] buf;
    private ByteBuffer view;
    /** Buffer index of the cursor. */
    int head;
    private int tail;
    private long bufStart;
    private long fileSize;
    /** The file's byte order (the VarHandles stay constants: a VarHandle in a field is not compiled inline). */
    private boolean bigEndian = true;

    /** Index of the next frame. */
    long index;
    private TrajectoryFormatException failure;

    /**
     * @param bufferSize bytes the buffer holds from the file
     * @param slack      bytes after them that are never filled (see the class comment)
     */
    BinaryTrajectoryReader(Path file, FileChannel channel, int bufferSize, int slack) throws IOException {
        this.file = file;
        this.channel = channel;
        this.slack = slack;
        this.buf = new byte[bufferSize + slack];
        this.view = ByteBuffer.wrap(buf);
        this.fileSize = channel.size();
    }

    /** Makes a reader on an open channel; the channel is closed if that fails. */
    @FunctionalInterface
    interface Maker<R> {
        R make(FileChannel channel) throws IOException, TrajectoryFormatException;
    }

    /** Opens {@code file} for reading and makes a reader on it, closing the channel again if making fails. */
    static <R extends BinaryTrajectoryReader> R open(Path file, Maker<R> maker) throws IOException, TrajectoryFormatException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return maker.make(channel);
        } catch (IOException | TrajectoryFormatException | RuntimeException | Error e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Byte offset of the next frame (the end of the file once all frames were read). */
    public abstract long position();

    @Override
    public final Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    // ------------------------------------------------------------------------------ failures

    /** A format problem of frame {@code frame} (-1: the file header) at byte {@code offset}, kept for later calls. */
    final TrajectoryFormatException fail(long frame, long offset, String problem) {
        failure = new TrajectoryFormatException(file, frame, offset, problem);
        return failure;
    }

    /** Throws the problem an earlier call met, if any. */
    final void checkFailure() throws TrajectoryFormatException {
        if (failure != null) {
            throw failure;
        }
    }

    /** Forgets an earlier problem (for a reader that is moved to another frame). */
    final void clearFailure() {
        failure = null;
    }

    // ------------------------------------------------------------------------------ file and buffer

    /** Sets the byte order of the numbers read from now on. */
    final void order(ByteOrder order) {
        bigEndian = order == ByteOrder.BIG_ENDIAN;
    }

    /** File offset of the cursor. */
    final long at() {
        return bufStart + head;
    }

    /** Bytes buffered from the cursor on. */
    final int buffered() {
        return tail - head;
    }

    /** Bytes the buffer can hold from the file. */
    final int capacity() {
        return buf.length - slack;
    }

    /** The buffer itself, for decoders that read it in place (valid until the next {@link #fill}). */
    final byte[] buffer() {
        return buf;
    }

    /** The file size, looked at again now (the file may still be growing). */
    final long refreshSize() throws IOException {
        fileSize = channel.size();
        return fileSize;
    }

    /**
     * Bytes from {@code start} to the end of the file; the file size is looked at again when fewer
     * than {@code wanted} are left by the size last seen.
     */
    final long bytesFrom(long start, long wanted) throws IOException {
        if (fileSize - start < wanted) {
            fileSize = channel.size();
        }
        return fileSize - start;
    }

    /** Moves the cursor to file offset {@code p}: within the buffered bytes if they hold it, else by dropping them. */
    final void seek(long p) {
        if (p >= bufStart && p <= bufStart + tail) {
            head = (int) (p - bufStart);
        } else {
            bufStart = p;
            head = 0;
            tail = 0;
        }
    }

    /**
     * Makes sure {@code need} bytes are buffered from the cursor on, reading as many as fit; the
     * buffer grows if it is smaller than {@code need}.
     *
     * @return false if the file ends first
     */
    final boolean fill(int need) throws IOException {
        if (tail - head >= need) {
            return true;
        }
        int usable = capacity();
        if (need > usable) {
            long grown = Math.max((long) need, 2L * usable);
            byte[] bigger = new byte[(int) Math.min(grown, Integer.MAX_VALUE - 16 - slack) + slack];
            System.arraycopy(buf, head, bigger, 0, tail - head);
            buf = bigger;
            view = ByteBuffer.wrap(buf);
            usable = capacity();
        } else if (head > 0) {
            System.arraycopy(buf, head, buf, 0, tail - head);
        }
        bufStart += head;
        tail -= head;
        head = 0;
        while (tail < need) {
            view.limit(usable).position(tail);
            int got = channel.read(view, bufStart + tail);
            if (got <= 0) {
                return false;
            }
            tail += got;
        }
        return true;
    }

    // ------------------------------------------------------------------------------ numbers

    /** The 4-byte integer at buffer index {@code p}. */
    final int intAt(int p) {
        return bigEndian ? (int) BE_INT.get(buf, p) : (int) LE_INT.get(buf, p);
    }

    /** The 8-byte integer at buffer index {@code p}. */
    final long longAt(int p) {
        return bigEndian ? (long) BE_LONG.get(buf, p) : (long) LE_LONG.get(buf, p);
    }

    final byte readByte() {
        return buf[head++];
    }

    final int readInt() {
        int v = intAt(head);
        head += 4;
        return v;
    }

    final long readLong() {
        long v = longAt(head);
        head += 8;
        return v;
    }

    final float readFloat() {
        return Float.intBitsToFloat(readInt());
    }

    final double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    /** Copies {@code dst.length} buffered bytes from the cursor on. */
    final void readBytes(byte[] dst) {
        System.arraycopy(buf, head, dst, 0, dst.length);
        head += dst.length;
    }

    /**
     * Reads {@code count} reals of {@code size} bytes (4: float, 8: double) into {@code dst[from]},
     * {@code dst[from + stride]}, ..., each divided by {@code divisor} unless that is 1, filling the
     * buffer as often as needed.
     *
     * @return false if the file ends first
     */
    final boolean readReals(double[] dst, int from, int count, int stride, int size, double divisor) throws IOException {
        int d = from;
        int left = count;
        while (left > 0) {
            int n = Math.min(left, (tail - head) / size);
            if (n == 0) {
                if (!fill((int) Math.min(capacity() / size * size, (long) left * size))) {
                    return false;
                }
                continue;
            }
            int p = head;
            int end = p + n * size;
            if (size == 8) {
                for (; p < end; p += 8, d += stride) {
                    dst[d] = Double.longBitsToDouble(longAt(p));
                }
            } else if (divisor == 1) {
                for (; p < end; p += 4, d += stride) {
                    dst[d] = Float.intBitsToFloat(intAt(p));
                }
            } else {
                for (; p < end; p += 4, d += stride) {
                    dst[d] = Float.intBitsToFloat(intAt(p)) / divisor;
                }
            }
            head = end;
            left -= n;
        }
        return true;
    }
}
