package org.remcg.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What the text trajectory readers (GRO, PDB, XYZ, LAMMPS dump) share: the line reader of the file
 * ({@link GroReader.Lines}: one growing byte buffer, line numbers and the frame for messages), the atom
 * count of the first frame, and how a reader opens (reading the first frame's count, then going back
 * to the start) and closes.
 */
abstract class TextTrajectoryReader implements TrajectoryReader {

    /** The lines of the file. */
    GroReader.Lines in;
    /** Atoms in the first frame. */
    int atoms;

    /** Reads the atom count of the first frame, or -1 when the file holds no frame. */
    @FunctionalInterface
    interface FirstCount {
        int read() throws IOException, TrajectoryFormatException;
    }

    /**
     * Opens {@code file}, learns the first frame's atom count from {@code first} and goes back to the
     * start; a file without a frame fails with {@code noFrame}, and the file is closed on any failure.
     */
    final void open(Path file, int bufferSize, FirstCount first, String noFrame) throws IOException, TrajectoryFormatException {
        in = new GroReader.Lines(file, bufferSize);
        try {
            int n = first.read();
            if (n < 0) {
                throw in.errorAtEnd(noFrame);
            }
            atoms = n;
            in.rewind();
        } catch (IOException | TrajectoryFormatException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public final Path file() {
        return in.file;
    }

    /** Atoms in the first frame. */
    @Override
    public final int atoms() {
        return atoms;
    }

    @Override
    public final void close() throws IOException {
        in.close();
    }
}
