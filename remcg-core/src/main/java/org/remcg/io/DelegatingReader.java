package org.remcg.io;

import java.io.IOException;
import java.nio.file.Path;

/** A reader that passes every call on to another reader; subclasses override what they change. */
abstract class DelegatingReader implements TrajectoryReader {

    /** The reader the calls go to. */
    final TrajectoryReader in;

    DelegatingReader(TrajectoryReader in) {
        this.in = in;
    }

    @Override
    public Path file() {
        return in.file();
    }

    @Override
    public int atoms() {
        return in.atoms();
    }

    @Override
    public boolean next(Frame frame) throws IOException, TrajectoryFormatException {
        return in.next(frame);
    }

    @Override
    public boolean skip() throws IOException, TrajectoryFormatException {
        return in.skip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
