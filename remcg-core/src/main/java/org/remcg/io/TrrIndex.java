package org.remcg.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Frame offsets of a TRR file, found by reading every frame header (and nothing else) with
 * {@link TrrReader#skip()}: each header states the byte size of its frame, so one header leads to
 * the next.
 *
 * <p>The index holds the complete frames whose headers are valid. If the file does not end cleanly
 * after them (a truncated last frame, or garbage), {@link #problem()} tells what was found there;
 * a reader opened with {@link #openAt} reaches the same problem after the last indexed frame, just
 * as a sequential {@link TrrReader} would. A file whose first header is invalid is not a TRR file
 * and cannot be indexed.
 */
public final class TrrIndex implements IndexedTrajectory {
    private final Path file;
    private final long[] offsets;
    private final int frames;
    /** Offset just past the last indexed frame. */
    private final long end;
    private final int atoms;
    private final boolean isDouble;
    private final TrajectoryFormatException problem;

    private TrrIndex(Path file, long[] offsets, int frames, long end, int atoms, boolean isDouble, TrajectoryFormatException problem) {
        this.file = file;
        this.offsets = offsets;
        this.frames = frames;
        this.end = end;
        this.atoms = atoms;
        this.isDouble = isDouble;
        this.problem = problem;
    }

    /**
     * Scans the headers of a TRR file.
     *
     * @throws TrajectoryFormatException when the first frame header is invalid
     */
    public static TrrIndex build(Path file) throws IOException, TrajectoryFormatException {
        try (TrrReader r = TrrReader.open(file)) {
            long[] off = new long[64];
            int n = 0;
            TrajectoryFormatException problem = null;
            while (n < Integer.MAX_VALUE - 8) {
                long p = r.position();
                try {
                    if (!r.skip()) {
                        break;
                    }
                } catch (TrajectoryFormatException e) {
                    problem = e;
                    break;
                }
                if (n == off.length) {
                    off = Arrays.copyOf(off, (int) Math.min(Integer.MAX_VALUE - 8L, 2L * n));
                }
                off[n++] = p;
            }
            return new TrrIndex(file, Arrays.copyOf(off, n), n, r.position(), r.atoms(), r.isDouble(), problem);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public int frames() {
        return frames;
    }

    @Override
    public long offset(int i) {
        if (i < 0 || i >= frames) {
            throw new IndexOutOfBoundsException("frame " + i + " of " + frames);
        }
        return offsets[i];
    }

    /** Atoms per frame (0 for an empty file). */
    public int atoms() {
        return atoms;
    }

    /** True when the frames are in double precision. */
    public boolean isDouble() {
        return isDouble;
    }

    /** What follows the last complete frame when the file does not end cleanly there, else null. */
    public TrajectoryFormatException problem() {
        return problem;
    }

    /**
     * A reader positioned at frame {@code first} (0 &le; first &le; frames(); at frames() it is
     * at the end of the indexed frames).
     */
    @Override
    public TrrReader openAt(int first) throws IOException, TrajectoryFormatException {
        if (first < 0 || first > frames) {
            throw new IndexOutOfBoundsException("frame " + first + " of " + frames);
        }
        long offset = first == frames ? end : offsets[first];
        return TrrReader.at(file, offset, first, atoms, frames == 0 ? 0 : (isDouble ? 8 : 4), TrrReader.DEFAULT_BUFFER);
    }
}
