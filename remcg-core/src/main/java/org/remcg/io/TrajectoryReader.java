package org.remcg.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Streams the frames of one trajectory file in order, in constant memory.
 *
 * <p>Implementations read from a file channel with their own buffer, check every header value
 * before allocating for it (an absurd atom count is a {@link TrajectoryFormatException}, not an
 * OutOfMemoryError), and report a truncated last frame as an exception naming the frame after
 * all complete frames were delivered.
 */
public interface TrajectoryReader extends AutoCloseable {

    /** The file being read. */
    Path file();

    /** Atoms per frame (known once the reader is open). */
    int atoms();

    /**
     * Reads the next frame into {@code frame} (reusing its arrays).
     *
     * @return false at the clean end of the file
     */
    boolean next(Frame frame) throws IOException, TrajectoryFormatException;

    /**
     * Skips the next frame without decoding its coordinates where the format allows it.
     *
     * @return false at the clean end of the file
     */
    default boolean skip() throws IOException, TrajectoryFormatException {
        return next(new Frame());
    }

    @Override
    void close() throws IOException;
}
