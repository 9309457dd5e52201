package org.remcg.io;

import java.io.IOException;
import java.nio.file.Path;

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
public final class XtcIndex extends FrameIndex {

    /** The scan reads small chunks: headers are all it needs, big frames are skipped by seeking. */
    private static final int SCAN_BUFFER = 1 << 13;

    private final long[] offsets;
    private final int[] steps;
    private final float[] times;

    private XtcIndex(Path file, FrameIndex.Scan scan) {
        super(file, scan.atoms, scan.count, scan.end, scan.problem);
        this.offsets = scan.offsets;
        this.steps = scan.steps;
        this.times = scan.times;
    }

    /**
     * Indexes every frame of {@code file}.
     *
     * @throws TrajectoryFormatException at the first frame whose header is unusable or incomplete
     */
    public static XtcIndex build(Path file) throws IOException, TrajectoryFormatException {
        XtcIndex index = buildPrefix(file);
        if (index.problem() != null) {
            throw index.problem();
        }
        return index;
    }

    /** Indexes the frames before the first unusable or incomplete one; see {@link #problem()}. */
    public static XtcIndex buildPrefix(Path file) throws IOException {
        XtcReader reader;
        try {
            reader = XtcReader.open(file, 0, 0, 0, SCAN_BUFFER);
        } catch (TrajectoryFormatException e) {
            FrameIndex.Scan none = new FrameIndex.Scan();
            none.steps = new int[0];
            none.times = new float[0];
            none.problem = e;
            return new XtcIndex(file, none);
        }
        try (reader) {
            return new XtcIndex(file, scan(reader, (steps, times, i) -> {
                steps[i] = reader.lastStep();
                times[i] = reader.lastTime();
            }));
        }
    }

    @Override
    long offsetOf(int i) {
        return offsets[i];
    }

    /** MD step of frame i as stored (a 32-bit integer). */
    public long step(int i) {
        return steps[check(i)];
    }

    /** Time of frame i (ps). */
    public double time(int i) {
        return times[check(i)];
    }

    /**
     * A reader that returns frames {@code first}, {@code first + 1}, ... to the end of the file
     * ({@code first == frames()} gives a reader at the end of the indexed frames).
     */
    @Override
    public XtcReader openAt(int first) throws IOException, TrajectoryFormatException {
        return XtcReader.open(file(), start(first), first, atoms(), XtcReader.DEFAULT_BUFFER);
    }
}
