package org.remcg.io;

import java.io.IOException;

/** Writes frames to one trajectory file. Implementations write to a temporary file and move it into place on close. */
public interface TrajectoryWriter extends AutoCloseable {

    void write(Frame frame) throws IOException;

    @Override
    void close() throws IOException;
}
