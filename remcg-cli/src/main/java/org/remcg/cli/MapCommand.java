package org.remcg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.remcg.io.DataFormatException;
import org.remcg.io.Frame;
import org.remcg.io.GroWriter;
import org.remcg.io.Trajectories;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.io.TrajectoryReader;
import org.remcg.io.TrajectoryWriter;
import org.remcg.mapping.FineSystem;
import org.remcg.mapping.Mapper;
import org.remcg.system.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code remcg map}: applies an atom-to-bead mapping to a trajectory and writes the CG trajectory and configuration. */
@Command(name = "map", mixinStandardHelpOptions = true,
        description = "Map a fine-grained trajectory to coarse-grained beads (weighted centres of atoms, molecules made whole first).")
public final class MapCommand extends FineInputCommand {
    @Option(names = "--mapping", converter = InputFile.class, required = true, description = "Mapping YAML (see docs/CONFIG.md).") Path mapping;
    @Option(names = "--out", converter = InputFile.Output.class, required = true, description = "CG trajectory to write (.xtc, .gro, .xyz).")
    Path out;
    @Option(names = "--out-conf", converter = InputFile.Output.class, description = "CG configuration of the last mapped frame (GRO).") Path outConf;

    @Override
    Integer run(PrintWriter log, PrintWriter warn) throws IOException, DataFormatException, TrajectoryFormatException {
        if (outConf != null && !outConf.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gro")) {
            throw new Main.BadInputException("--out-conf writes GRO; give a .gro file name, got " + outConf);
        }
        String outFormat = Trajectories.writerFormat(out);
        FineSystem sys = load(mapping, warn);
        Topology fine = sys.fine();
        Mapper mapper = sys.mapper();

        long t0 = System.nanoTime();
        long frames = 0;
        Frame fineFrame = new Frame();
        Frame cg = new Frame();
        Path tmp = org.remcg.io.AtomicFiles.createTemp(out);
        boolean done = false;
        try (TrajectoryReader opened = in.open(fine.atoms())) {
            try (TrajectoryReader r = Trajectories.select(opened, in.begin, in.end, in.stride);
                    TrajectoryWriter w = Trajectories.openWriter(tmp, outFormat, mapper.cgStructure())) {
                while (r.next(fineFrame)) {
                    if (fineFrame.atoms != fine.atoms()) {
                        throw new Main.BadInputException(in.traj + ": frame " + fineFrame.index + " has " + fineFrame.atoms + " atoms, expected " + fine.atoms());
                    }
                    try {
                        mapper.map(fineFrame, cg);
                    } catch (IllegalArgumentException e) {
                        throw new Main.BadInputException(in.traj + ": " + e.getMessage());
                    }
                    w.write(cg);
                    frames++;
                }
            }
            if (frames == 0) {
                throw in.noFrames();
            }
            if (outConf != null) {
                try (GroWriter g = new GroWriter(outConf, mapper.cgStructure(), "remcg map of " + in.traj.getFileName(), false)) {
                    g.write(cg);
                }
            }
            org.remcg.io.AtomicFiles.commit(tmp, out);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        log.println(mapper.summary());
        log.printf(Locale.ROOT, "mapped %d frames of %s (%d atoms -> %d beads) in %.2f s; wrote %s%s%n", frames, in.traj, fine.atoms(), mapper.beads(), seconds,
                out, outConf != null ? " and " + outConf : "");
        log.flush();
        return 0;
    }
}
