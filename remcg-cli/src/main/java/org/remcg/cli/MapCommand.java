package org.remcg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.remcg.mapping.MappingFile;
import org.remcg.io.DataFormatException;
import org.remcg.io.Frame;
import org.remcg.io.GroWriter;
import org.remcg.io.Structure;
import org.remcg.io.Trajectories;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.io.TrajectoryReader;
import org.remcg.io.TrajectoryWriter;
import org.remcg.mapping.BeadSpec;
import org.remcg.mapping.Mapper;
import org.remcg.mapping.MappingSpec;
import org.remcg.mapping.MoleculeSpec;
import org.remcg.mapping.Weights;
import org.remcg.system.GromacsTopology;
import org.remcg.system.Masses;
import org.remcg.system.Molecules;
import org.remcg.system.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code remcg map}: applies an atom-to-bead mapping to a trajectory and writes the CG trajectory and configuration. */
@Command(name = "map", mixinStandardHelpOptions = true,
        description = "Map a fine-grained trajectory to coarse-grained beads (weighted centres of atoms, molecules made whole first).")
public final class MapCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    FineInputOptions in;

    @Option(names = "--mapping", converter = InputFile.class, required = true, description = "Mapping YAML (see docs/CONFIG.md).")
    Path mapping;

    @Option(names = "--out", converter = InputFile.Output.class, required = true, description = "CG trajectory to write (.xtc, .gro, .xyz).")
    Path out;

    @Option(names = "--out-conf", converter = InputFile.Output.class, description = "CG configuration of the last mapped frame (GRO).")
    Path outConf;

    @Option(names = "--quiet", description = "Print nothing but errors.")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, DataFormatException, TrajectoryFormatException {
        PrintWriter log = quiet ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getOut();
        PrintWriter warn = quiet ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getErr();
        in.checkFrames();
        if (outConf != null && !outConf.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gro")) {
            throw new Main.BadInputException("--out-conf writes GRO; give a .gro file name, got " + outConf);
        }
        String outFormat = Trajectories.writerFormat(out);
        MappingSpec mapSpec = MappingFile.read(mapping);
        Structure structure = Trajectories.readStructure(in.top);
        Topology fine = structure.topology();
        Molecules molecules = null;
        if (in.topology != null) {
            GromacsTopology gt = GromacsTopology.read(in.topology, GromacsTopology.defaultIncludePath(), Set.copyOf(in.defines));
            fine = gt.apply(fine, in.top);
            molecules = gt.layout();
        } else {
            fine = inferMasses(fine, mapSpec, warn);
        }
        Mapper mapper;
        try {
            mapper = Mapper.build(fine, molecules, mapSpec);
        } catch (IllegalArgumentException e) {
            throw new Main.BadInputException(mapping + ": " + e.getMessage());
        }

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

    /** Masses by the atom-name rule, with a warning listing the guessed names. */
    static Topology inferMasses(Topology fine, MappingSpec spec, PrintWriter warn) {
        try {
            Masses.Result r = Masses.infer(fine);
            if (!r.guessed().isEmpty()) {
                warn.println("remcg: warning: no --topology; masses guessed from atom names (residue/atom->element): " + String.join(", ", r.guessed()));
            }
            return fine.withMasses(r.masses());
        } catch (IllegalArgumentException e) {
            if (usesMass(spec)) {
                throw new Main.BadInputException(e.getMessage());
            }
            warn.println("remcg: warning: " + e.getMessage() + "; bead masses are unknown (the mapping uses no mass weights)");
            return fine;
        }
    }

    static boolean usesMass(MappingSpec spec) {
        for (MoleculeSpec m : spec.molecules()) {
            for (BeadSpec b : m.beads()) {
                if (b.weights() instanceof Weights.Mass) {
                    return true;
                }
            }
        }
        return false;
    }
}
