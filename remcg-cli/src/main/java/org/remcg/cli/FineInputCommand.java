package org.remcg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.remcg.io.DataFormatException;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.mapping.FineSystem;
import picocli.CommandLine.Mixin;

/**
 * A command over the frames of a fine trajectory ({@code remcg map}, {@code rdf}, {@code dist}): the fine input and the
 * console as mixins, the frame selection checked before anything else, and the fine system loaded with its mapping.
 */
abstract class FineInputCommand implements Callable<Integer> {
    @Mixin FineInputOptions in;
    @Mixin Console console;

    @Override
    public final Integer call() throws IOException, DataFormatException, TrajectoryFormatException {
        in.checkFrames();
        return run(console.log(), console.warn());
    }

    /** The command's work once the frame selection is known to be sensible. */
    abstract Integer run(PrintWriter log, PrintWriter warn) throws IOException, DataFormatException, TrajectoryFormatException;

    /** The fine structure and topology of {@link #in}, with {@code mapping} (null: atoms typed by name); warnings to {@code warn}. */
    FineSystem load(Path mapping, PrintWriter warn) throws IOException, DataFormatException, TrajectoryFormatException {
        return FineSystem.load(in.top, in.topology, in.defines, mapping, Main.warnings(warn));
    }
}
