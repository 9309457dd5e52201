package org.remcg.io;

import java.nio.file.Path;

/**
 * A trajectory file that cannot be read: the message names the file, the frame (0-based) and,
 * for binary formats, the byte offset, e.g. {@code traj.xtc: frame 12 at byte 48812: bad magic 1234}.
 */
public class TrajectoryFormatException extends Exception {
    // where the problem is; an exception cannot be a record, so fields, constructor and accessors are written out
    private final transient Path file;
    private final long frame;
    private final long offset;

    /**
     * @param frame  0-based frame index, or -1 when the problem is not in a frame (header)
     * @param offset byte offset, or -1 when not meaningful (text formats give a line in the message)
     */
    public TrajectoryFormatException(Path file, long frame, long offset, String problem) {
        super(file + (frame >= 0 ? ": frame " + frame : "") + (offset >= 0 ? " at byte " + offset : "") + ": " + problem);
        this.file = file;
        this.frame = frame;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long frame() {
        return frame;
    }

    public long offset() {
        return offset;
    }
}
