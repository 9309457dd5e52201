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
public final class DcdIndex extends FrameIndex {
    private final long headerSize;
    private final long frameSize;

    private DcdIndex(Path file, int atoms, int frames, long headerSize, long frameSize, TrajectoryFormatException problem) {
        super(file, atoms, frames, headerSize + frames * frameSize, problem);
        this.headerSize = headerSize;
        this.frameSize = frameSize;
    }

    /**
     * Reads the header of a DCD file and computes the frame offsets.
     *
     * @throws TrajectoryFormatException when the header is invalid
     */
    public static DcdIndex build(Path file) throws IOException, TrajectoryFormatException {
        try (DcdReader r = DcdReader.open(file)) {
            int n = (int) Math.min(r.frames(), MAX_FRAMES);
            TrajectoryFormatException problem = null;
            long size = java.nio.file.Files.size(file);
            long tail = r.offset(n);
            if (tail < size) {
                problem = new TrajectoryFormatException(file, n, tail,
                        "truncated frame: " + (size - tail) + " of " + r.frameSize() + " bytes");
            }
            return new DcdIndex(file, r.atoms(), n, r.headerSize(), r.frameSize(), problem);
        }
    }

    @Override
    long offsetOf(int i) {
        return headerSize + i * frameSize;
    }

    /** Bytes per frame. */
    public long frameSize() {
        return frameSize;
    }

    /** A reader positioned at frame {@code first} (0 &le; first &le; frames()). */
    @Override
    public DcdReader openAt(int first) throws IOException, TrajectoryFormatException {
        start(first);
        DcdReader r = DcdReader.open(file());
        r.seekFrame(first);
        return r;
    }
}
