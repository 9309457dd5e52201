package org.remcg.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The frame index of a binary trajectory file (XTC, TRR, DCD): where every complete frame starts,
 * where the last one ends, and what was found after it when the file does not end cleanly there
 * ({@link #problem()}; a reader opened with {@link #openAt} meets the same problem after the last
 * indexed frame, as a sequential reader does).
 *
 * <p>{@link #scan} builds the offsets of formats whose frames differ in size by letting a reader
 * skip frame after frame (each header tells where the next frame starts; nothing is decoded).
 */
public abstract class FrameIndex implements IndexedTrajectory {

    /** Most frames an index holds (the frame number is an int). */
    static final int MAX_FRAMES = Integer.MAX_VALUE - 8;

    // what every index knows, stored as given (the fields-and-constructor shape of many classes; nothing to share)
    private final Path file;
    private final int atoms;
    private final int frames;
    private final long end;
    private final TrajectoryFormatException problem;

    FrameIndex(Path file, int atoms, int frames, long end, TrajectoryFormatException problem) {
        this.file = file;
        this.atoms = atoms;
        this.frames = frames;
        this.end = end;
        this.problem = problem;
    }

    public final Path file() {
        return file;
    }

    /** Atoms per frame (0 for a file without frames). */
    public final int atoms() {
        return atoms;
    }

    @Override
    public final int frames() {
        return frames;
    }

    @Override
    public final long offset(int i) {
        return offsetOf(check(i));
    }

    /** Byte offset just past the last indexed frame. */
    public final long end() {
        return end;
    }

    /** What follows the last indexed frame when the file does not end cleanly there, else null. */
    public final TrajectoryFormatException problem() {
        return problem;
    }

    /** Offset of frame {@code i}, already checked to be in range. */
    abstract long offsetOf(int i);

    /** Frame {@code i} after checking that it exists. */
    final int check(int i) {
        if (i < 0 || i >= frames) {
            throw new IndexOutOfBoundsException("frame " + i + " of " + frames);
        }
        return i;
    }

    /** Where a reader that starts at frame {@code first} starts: its offset, or {@link #end()} for {@code first == frames()}. */
    final long start(int first) {
        if (first < 0 || first > frames) {
            throw new IndexOutOfBoundsException("frame " + first + " of " + frames);
        }
        return first == frames ? end : offsetOf(first);
    }

    /**
     * What a scan found: the offsets of the frames a reader could skip (with their step and time when
     * asked for), where the last one ends and the problem that stopped the scan, if any.
     */
    static final class Scan {
        long[] offsets = new long[64];
        int[] steps;
        float[] times;
        int count;
        long end;
        int atoms;
        TrajectoryFormatException problem;

        /** The offsets, trimmed to the frames found. */
        long[] offsets() {
            return Arrays.copyOf(offsets, count);
        }
    }

    /** Reads the header step and time of the frame a reader skipped last. */
    interface Headers {
        /** Stores that frame's step and time at {@code steps[i]} and {@code times[i]}. */
        void store(int[] steps, float[] times, int i);
    }

    /**
     * Skips through {@code reader} from its position to the end of the file (or to {@link #MAX_FRAMES}
     * frames) and records where each frame starts; a format problem ends the scan and is kept.
     *
     * @param headers null, or where to read each frame's step and time after it was skipped
     */
    static Scan scan(BinaryTrajectoryReader reader, Headers headers) throws IOException {
        Scan s = new Scan();
        if (headers != null) {
            s.steps = new int[s.offsets.length];
            s.times = new float[s.offsets.length];
        }
        try {
            while (s.count < MAX_FRAMES) {
                long offset = reader.position();
                if (!reader.skip()) {
                    break;
                }
                if (s.count == s.offsets.length) {
                    int grown = (int) Math.min(MAX_FRAMES, 2L * s.count);
                    s.offsets = Arrays.copyOf(s.offsets, grown);
                    if (headers != null) {
                        s.steps = Arrays.copyOf(s.steps, grown);
                        s.times = Arrays.copyOf(s.times, grown);
                    }
                }
                s.offsets[s.count] = offset;
                if (headers != null) {
                    headers.store(s.steps, s.times, s.count);
                }
                s.count++;
            }
        } catch (TrajectoryFormatException e) {
            s.problem = e;
        }
        s.end = reader.position();
        s.atoms = reader.atoms();
        return s;
    }
}
