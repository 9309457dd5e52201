package org.remcg.io;

import java.io.IOException;
import java.nio.file.Path;

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
public final class TrrIndex extends FrameIndex {
    private final long[] offsets;
    private final boolean isDouble;

    private TrrIndex(Path file, FrameIndex.Scan scan, boolean isDouble) {
        super(file, scan.atoms, scan.count, scan.end, scan.problem);
        this.offsets = scan.offsets();
        this.isDouble = isDouble;
    }

    /**
     * Scans the headers of a TRR file.
     *
     * @throws TrajectoryFormatException when the first frame header is invalid
     */
    public static TrrIndex build(Path file) throws IOException, TrajectoryFormatException {
        try (TrrReader r = TrrReader.open(file)) {
            FrameIndex.Scan scan = scan(r, null);
            return new TrrIndex(file, scan, r.isDouble());
        }
    }

    @Override
    long offsetOf(int i) {
        return offsets[i];
    }

    /** True when the frames are in double precision. */
    public boolean isDouble() {
        return isDouble;
    }

    /**
     * A reader positioned at frame {@code first} (0 &le; first &le; frames(); at frames() it is
     * at the end of the indexed frames).
     */
    @Override
    public TrrReader openAt(int first) throws IOException, TrajectoryFormatException {
        long offset = start(first);
        return TrrReader.at(file(), offset, first, atoms(), frames() == 0 ? 0 : (isDouble ? 8 : 4), TrrReader.DEFAULT_BUFFER);
    }
}
