package org.remcg.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The byte offset, step and time of every frame of an XTC file, found by reading frame headers
 * and byte counts only (nothing is decoded), so that frame ranges can be read independently.
 *
 * <p>{@link #build} insists on a sound file: it fails with the same exception a sequential read
 * would end with. {@link #buildPrefix} indexes the frames before the first problem (for instance
 * the partial last frame of a trajectory that is still being written) and keeps the problem in
 * {@link #problem()}.
 *
 * <p>Only headers are checked: a frame whose compressed data is damaged is indexed, and reading
 * it fails later.
 */
public final class XtcIndex implements IndexedTrajectory {

    /** The scan reads small chunks: headers are all it needs, big frames are skipped by seeking. */
    private static final int SCAN_BUFFER = 1 << 13;

    private final Path file;
    private final int atoms;
    private final long[] offsets;
    private final int[] steps;
    private final float[] times;
    private final int frames;
    private final long end;
    private final TrajectoryFormatException problem;

    private XtcIndex(Path file, int atoms, long[] offsets, int[] steps, float[] times, int frames, long end,
            TrajectoryFormatException problem) {
        this.file = file;
        this.atoms = atoms;
        this.offsets = offsets;
        this.steps = steps;
        this.times = times;
        this.frames = frames;
        this.end = end;
        this.problem = problem;
    }

    /**
     * Indexes every frame of {@code file}.
     *
     * @throws TrajectoryFormatException at the first frame whose header is unusable or incomplete
     */
    public static XtcIndex build(Path file) throws IOException, TrajectoryFormatException {
        XtcIndex index = scan(file);
        if (index.problem != null) {
            throw index.problem;
        }
        return index;
    }

    /** Indexes the frames before the first unusable or incomplete one; see {@link #problem()}. */
    public static XtcIndex buildPrefix(Path file) throws IOException {
        return scan(file);
    }

    private static XtcIndex scan(Path file) throws IOException {
        long[] offsets = new long[64];
        int[] steps = new int[64];
        float[] times = new float[64];
        int count = 0;
        int atoms = 0;
        long end = 0;
        TrajectoryFormatException problem = null;
        XtcReader reader;
        try {
            reader = XtcReader.open(file, 0, 0, 0, SCAN_BUFFER);
        } catch (TrajectoryFormatException e) {
            return new XtcIndex(file, 0, new long[0], new int[0], new float[0], 0, 0, e);
        }
        try (reader) {
            atoms = reader.atoms();
            while (true) {
                long offset = reader.position();
                if (!reader.skip()) {
                    break;
                }
                if (count == offsets.length) {
                    int grown = count * 2;
                    offsets = Arrays.copyOf(offsets, grown);
                    steps = Arrays.copyOf(steps, grown);
                    times = Arrays.copyOf(times, grown);
                }
                offsets[count] = offset;
                steps[count] = reader.lastStep();
                times[count] = reader.lastTime();
                count++;
                end = reader.position();
            }
        } catch (TrajectoryFormatException e) {
            problem = e;
        }
        return new XtcIndex(file, atoms, offsets, steps, times, count, end, problem);
    }

    public Path file() {
        return file;
    }

    /** Atoms per frame (0 for a file without frames). */
    public int atoms() {
        return atoms;
    }

    @Override
    public int frames() {
        return frames;
    }

    @Override
    public long offset(int i) {
        return offsets[check(i)];
    }

    /** MD step of frame i as stored (a 32-bit integer). */
    public long step(int i) {
        return steps[check(i)];
    }

    /** Time of frame i (ps). */
    public double time(int i) {
        return times[check(i)];
    }

    /** Byte offset just past the last indexed frame. */
    public long end() {
        return end;
    }

    /** Why indexing stopped before the end of the file, or null if it reached the end. */
    public TrajectoryFormatException problem() {
        return problem;
    }

    /**
     * A reader that returns frames {@code first}, {@code first + 1}, ... to the end of the file
     * ({@code first == frames()} gives a reader at the end of the indexed frames).
     */
    @Override
    public XtcReader openAt(int first) throws IOException, TrajectoryFormatException {
        if (first < 0 || first > frames) {
            throw new IndexOutOfBoundsException("frame " + first + " of " + frames);
        }
        long offset = first < frames ? offsets[first] : end;
        return XtcReader.open(file, offset, first, atoms, XtcReader.DEFAULT_BUFFER);
    }

    private int check(int i) {
        if (i < 0 || i >= frames) {
            throw new IndexOutOfBoundsException("frame " + i + " of " + frames);
        }
        return i;
    }
}
