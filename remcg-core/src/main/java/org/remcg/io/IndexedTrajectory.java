package org.remcg.io;

import java.io.IOException;

/**
 * Random access to the frames of a binary trajectory (XTC, TRR, DCD): the byte offset of every
 * frame, found by scanning frame headers without decoding coordinates, so that contiguous frame
 * ranges can be read independently (by several threads or machines).
 */
public interface IndexedTrajectory {

    /** Number of complete frames. */
    int frames();

    /** Byte offset of frame i. */
    long offset(int i);

    /** A reader positioned at frame {@code first}; it returns frames first, first+1, ... to the end of the file. */
    TrajectoryReader openAt(int first) throws IOException, TrajectoryFormatException;
}
