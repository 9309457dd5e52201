package org.remcg.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Frame offsets of a DCD file. All frames of a DCD file have the same size, fixed by the header
 * (atom count, unit cell and fourth-dimension flags, record marker size), so frame i starts at
 * {@code headerSize + i frameSize} and the number of complete frames follows from the file size;
 * nothing but the header is read. Record markers inside the frames are checked when a reader
 * decodes them.
 *
 * <p>If the file size is not a whole number of frames, {@link #problem()} describes the
 * truncated frame after the last complete one; a reader opened with {@link #openAt} reports it
 * after the last complete frame, as a sequential {@link DcdReader} does.
 */
public final class DcdIndex implements IndexedTrajectory {
    private final Path file;
    private final long headerSize;
    private final long frameSize;
    private final int frames;
    private final int atoms;
    private final TrajectoryFormatException problem;

    private DcdIndex(Path file, long headerSize, long frameSize, int frames, int atoms, TrajectoryFormatException problem) {
        this.file = file;
        this.headerSize = headerSize;
        this.frameSize = frameSize;
        this.frames = frames;
        this.atoms = atoms;
        this.problem = problem;
    }

    /**
     * Reads the header of a DCD file and computes the frame offsets.
     *
     * @throws TrajectoryFormatException when the header is invalid
     */
    public static DcdIndex build(Path file) throws IOException, TrajectoryFormatException {
        try (DcdReader r = DcdReader.open(file)) {
            long complete = r.frames();
            int n = (int) Math.min(complete, Integer.MAX_VALUE - 8);
            TrajectoryFormatException problem = null;
            long size = java.nio.file.Files.size(file);
            long tail = r.offset(n);
            if (tail < size) {
                problem = new TrajectoryFormatException(file, n, tail,
                        "truncated frame: " + (size - tail) + " of " + r.frameSize() + " bytes");
            }
            return new DcdIndex(file, r.headerSize(), r.frameSize(), n, r.atoms(), problem);
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
        return headerSize + i * frameSize;
    }

    /** Atoms per frame. */
    public int atoms() {
        return atoms;
    }

    /** Bytes per frame. */
    public long frameSize() {
        return frameSize;
    }

    /** The truncated frame after the last complete one, or null when the file ends cleanly. */
    public TrajectoryFormatException problem() {
        return problem;
    }

    /** A reader positioned at frame {@code first} (0 &le; first &le; frames()). */
    @Override
    public DcdReader openAt(int first) throws IOException, TrajectoryFormatException {
        if (first < 0 || first > frames) {
            throw new IndexOutOfBoundsException("frame " + first + " of " + frames);
        }
        DcdReader r = DcdReader.open(file);
        r.seekFrame(first);
        return r;
    }
}
