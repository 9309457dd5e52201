package org.remcg.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.remcg.io.Trajectories;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.io.TrajectoryReader;
import org.remcg.observe.FrameAccumulator;
import org.remcg.observe.FrameDriver;
import picocli.CommandLine.Option;

/**
 * The fine-grained input shared by {@code remcg map}, {@code rdf} and {@code dist} (a picocli mixin):
 * structure, optional GROMACS topology with its macros, trajectory with its format, and the frame
 * selection, with the checks and the one pass over the selected frames that the commands share.
 */
final class FineInputOptions {
    @Option(names = "--top", converter = InputFile.class, required = true,
            description = "Structure with atom and residue names: .gro, .pdb (or .xyz).")
    Path top;
    @Option(names = {"--topology", "--itp"}, converter = InputFile.class,
            description = "GROMACS topology (.top/.itp) for masses and molecules; without it masses come from atom names.")
    Path topology;
    @Option(names = {"-D", "--define"}, description = "Macro defined for the topology's #ifdef (like grompp -D); repeatable.")
    List<String> defines = List.of();
    @Option(names = "--traj", converter = InputFile.class, required = true,
            description = "Fine trajectory (.xtc .trr .dcd .gro .pdb .xyz .lammpstrj ...).")
    Path traj;
    @Option(names = "--format", description = "Trajectory format when the extension does not tell: gro, pdb, xyz, lammpstrj, xtc, trr, dcd.")
    String format;
    @Option(names = "--begin", defaultValue = "0", description = "First frame (0-based index in the file). Default: ${DEFAULT-VALUE}.") long begin;
    @Option(names = "--end", defaultValue = "-1", description = "Stop before this frame (-1: to the end). Default: ${DEFAULT-VALUE}.") long end;
    @Option(names = "--stride", defaultValue = "1", description = "Take every n-th frame from --begin. Default: ${DEFAULT-VALUE}.") long stride;

    /** Rejects a frame selection that cannot select anything sensible. */
    void checkFrames() {
        if (begin < 0 || stride < 1 || (end != -1 && end < begin)) {
            throw new Main.BadInputException("frame selection needs --begin >= 0, --stride >= 1 and --end >= --begin (or -1)");
        }
    }

    /** Opens the trajectory and checks its atom count against the structure's (when the format tells it). */
    TrajectoryReader open(int atoms) throws IOException, TrajectoryFormatException {
        TrajectoryReader opened = Trajectories.open(traj, format);
        if (opened.atoms() > 0 && opened.atoms() != atoms) {
            opened.close();
            throw new Main.BadInputException(traj + " has " + opened.atoms() + " atoms per frame but " + top + " has " + atoms);
        }
        return opened;
    }

    /** Feeds the selected frames to {@code target} on {@code threads} workers; at least one frame must be selected. */
    <A extends FrameAccumulator<A>> long run(int atoms, int threads, A target) throws IOException, TrajectoryFormatException {
        long frames;
        try (TrajectoryReader opened = open(atoms)) {
            try (TrajectoryReader r = Trajectories.select(opened, begin, end, stride)) {
                frames = new FrameDriver(threads, FrameDriver.DEFAULT_BATCH).run(r, target);
            } catch (IllegalArgumentException e) {
                throw new Main.BadInputException(traj + ": " + e.getMessage());
            }
        }
        if (frames == 0) {
            throw noFrames();
        }
        return frames;
    }

    Main.BadInputException noFrames() {
        return new Main.BadInputException(traj + ": no frame selected (--begin " + begin + ", --end " + end + ", --stride " + stride + ")");
    }
}
