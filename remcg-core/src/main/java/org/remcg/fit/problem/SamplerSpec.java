package org.remcg.fit.problem;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.remcg.io.DataFormatException;
import org.remcg.io.YamlTree;

/**
 * The {@code sampler} section of a fit configuration (docs/CONFIG.md): which engine samples the model, how many
 * independent replicas every simulation has, and how LAMMPS is started.
 *
 * @param kind        builtin (remcg's engine, in this process) or lammps
 * @param command     how to start LAMMPS, split into words as a shell would (lammps only)
 * @param replicas    independent chains per simulation
 * @param launcher    local (processes on this machine) or slurm (job steps of the current allocation)
 * @param ranks       MPI ranks of one LAMMPS run: under slurm srun's {@code --ntasks}; locally the CPUs a run takes
 *                    (from the command's {@code mpirun -np N} unless given)
 * @param cpusPerRank CPUs of each rank (srun's {@code --cpus-per-task})
 */
public record SamplerSpec(String kind, List<String> command, int replicas, String launcher, int ranks, int cpusPerRank) {

    /** The default: the built-in engine, one replica, on this machine. */
    public static final SamplerSpec BUILTIN = new SamplerSpec("builtin", List.of(), 1, "local", 1, 1);

    public boolean lammps() {
        return kind.equals("lammps");
    }

    public boolean slurm() {
        return launcher.equals("slurm");
    }

    /** The LAMMPS command as one line, for messages. */
    public String commandText() {
        return String.join(" ", command);
    }

    static SamplerSpec read(YamlTree y, JsonNode n) throws DataFormatException {
        if (n == null || n.isNull()) {
            return BUILTIN;
        }
        y.keys(n, "sampler", Set.of("kind", "command", "replicas", "launcher", "ranks", "cpus_per_rank"));
        String kind = n.has("kind") ? y.text(n.get("kind"), "sampler.kind") : "builtin";
        if (!kind.equals("builtin") && !kind.equals("lammps")) {
            throw y.error("sampler.kind", "must be builtin or lammps, got " + kind);
        }
        String launcher = n.has("launcher") ? y.text(n.get("launcher"), "sampler.launcher") : "local";
        if (!launcher.equals("local") && !launcher.equals("slurm")) {
            throw y.error("sampler.launcher", "must be local or slurm, got " + launcher);
        }
        int replicas = (int) y.integer(n, "replicas", "sampler", 1, 1, 10_000);
        int cpus = (int) y.integer(n, "cpus_per_rank", "sampler", 1, 1, 4096);
        if (kind.equals("builtin")) {
            for (String key : List.of("command", "ranks", "cpus_per_rank")) {
                if (n.has(key)) {
                    throw y.error("sampler." + key, "describes how LAMMPS is started; with kind builtin it has no use (set kind: lammps)");
                }
            }
            if (launcher.equals("slurm")) {
                throw y.error("sampler.launcher", "slurm starts LAMMPS runs as job steps; the built-in engine runs inside remcg (replicas one after "
                        + "another, on all its threads): use kind: lammps, or launcher: local");
            }
            return new SamplerSpec(kind, List.of(), replicas, launcher, 1, 1);
        }
        String text = n.has("command") ? y.text(n.get("command"), "sampler.command") : "lmp";
        List<String> command;
        try {
            command = org.remcg.fit.Launcher.split(text);
        } catch (IllegalArgumentException e) {
            throw y.error("sampler.command", e.getMessage());
        }
        String program = Path.of(command.get(0)).getFileName().toString().toLowerCase(Locale.ROOT);
        boolean mpi = program.startsWith("mpirun") || program.startsWith("mpiexec");
        int fromCommand = org.remcg.fit.Launcher.mpiRanks(command);
        if (launcher.equals("slurm") && (mpi || program.equals("srun"))) {
            throw y.error("sampler.command", "with launcher slurm remcg starts the ranks itself (srun --exact --ntasks=RANKS): give the LAMMPS "
                    + "program alone, e.g. command: lmp, and ranks: N, not '" + text + "'");
        }
        int ranks;
        if (n.has("ranks")) {
            ranks = (int) y.integer(n, "ranks", "sampler", 1, 1, 1_000_000);
            if (fromCommand > 0 && fromCommand != ranks) {
                throw y.error("sampler.ranks", "is " + ranks + " but the command '" + text + "' starts " + fromCommand);
            }
        } else {
            ranks = fromCommand > 0 ? fromCommand : 1;
        }
        return new SamplerSpec(kind, command, replicas, launcher, ranks, cpus);
    }
}
