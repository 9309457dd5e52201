package org.remcg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.remcg.fit.ChildProcesses;
import org.remcg.fit.EngineSampler;
import org.remcg.fit.FitSampler;
import org.remcg.fit.FitTerm;
import org.remcg.fit.LammpsRun;
import org.remcg.fit.LammpsSampler;
import org.remcg.fit.Launcher;
import org.remcg.fit.ReplicaSampler;
import org.remcg.fit.problem.FitConfig;
import org.remcg.fit.problem.FitExport;
import org.remcg.fit.problem.FitProblem;
import org.remcg.fit.problem.SamplerSpec;
import org.remcg.io.DataFormatException;
import org.remcg.io.Frame;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.io.TrajectoryReader;
import org.remcg.mapping.Mapper;
import org.remcg.simulate.Engine;
import org.remcg.system.Cpus;

/**
 * The sampler of {@code remcg fit} from the configuration's {@code sampler} section: the built-in engine (one replica:
 * {@link EngineSampler} itself; several: one {@link EngineSampler} per replica on the one engine, run one after
 * another, since the engine already uses every thread it has), or LAMMPS ({@link LammpsSampler} chains, run together
 * as far as the launcher's CPUs allow). Everything a LAMMPS sampler could trip over is checked here, before the first
 * simulation, each refusal one line (exit 2): the program, its table styles, the allocation, the model.
 *
 * <p>Replica r starts from the reference's frame {@code floor(r F / K)} of its F selected frames (replica 0 from the
 * first, as a fit with one replica does); with {@code system.configuration} or target files only, every replica
 * starts from that one configuration and they differ by their seeds.
 */
final class FitSamplers {
    private FitSamplers() {
    }

    /** The directory of the LAMMPS runs in the output directory. */
    static final String RUNS = "runs";

    static FitSampler create(FitProblem s, Engine engine, OutputLock lock, PrintWriter log, PrintWriter warn)
            throws IOException, DataFormatException, TrajectoryFormatException {
        FitConfig cfg = s.config();
        SamplerSpec sp = cfg.sampler();
        FitConfig.EngineSpec es = cfg.engine();
        int k = sp.replicas();
        if (!sp.lammps() && k == 1) {
            return s.sampler(engine);
        }
        int size = 3 * s.topology().size();
        if (!sp.lammps()) {
            List<double[]> starts = starts(s, k);
            List<ReplicaSampler.Chain> chains = new ArrayList<>();
            for (int r = 0; r < k; r++) {
                EngineSampler e = new EngineSampler(engine, settings(es, ReplicaSampler.replicaSeed(es.seed(), r)));
                e.setSwaps(es.swapEvery());
                e.setPositions(starts.get(r));
                chains.add(e);
            }
            log.printf(Locale.ROOT, "sampler: built-in engine, %d replicas per simulation (one after another)%n", k);
            return new ReplicaSampler(chains, size, 1, line -> warnLine(warn, line));
        }
        String where = cfg.file() + ": sampler: ";
        Launcher launcher;
        try {
            LammpsRun.checkSystem(s.topology(), s.box());
            launcher = sp.slurm() ? Launcher.Slurm.of(System.getenv()) : new Launcher.Local(Cpus.available());
        } catch (IllegalArgumentException e) {
            throw new Main.BadInputException(where + e.getMessage());
        }
        int cpusPerRun = sp.ranks() * sp.cpusPerRank();
        int slots = launcher.slots(cpusPerRun);
        if (launcher instanceof Launcher.Slurm sl && slots < k) {
            throw new Main.BadInputException(String.format(Locale.ROOT, "%s%d replicas of %d rank%s x %d CPU%s need %d CPUs at once, but the allocation "
                    + "(job %s: %s CPUs per node) holds %d such run%s: ask for more CPUs or fewer replicas", where, k, sp.ranks(), sp.ranks() == 1 ? "" : "s",
                    sp.cpusPerRank(), sp.cpusPerRank() == 1 ? "" : "s", k * cpusPerRun, sl.jobId(), System.getenv("SLURM_JOB_CPUS_PER_NODE"), slots,
                    slots == 1 ? "" : "s"));
        }
        LammpsSampler.Program program = new LammpsSampler.Program(sp.command(), launcher, sp.ranks(), sp.cpusPerRank(), Math.max(1, es.threads()));
        Set<String> styles = new LinkedHashSet<>();
        for (FitTerm t : s.terms()) {
            styles.add(t.kind().key());
        }
        Path out = cfg.outputDir();
        Files.createDirectories(out);
        lock.hold();
        try {
            LammpsSampler.probe(program, styles, Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IllegalArgumentException e) {
            throw new Main.BadInputException(where + e.getMessage());
        }
        // processes a killed earlier fit in this directory left running (the lock says that fit is gone)
        String ended;
        try {
            ended = ChildProcesses.endOrphans(out.resolve(ChildProcesses.FILE));
        } catch (IllegalStateException e) {
            throw new Main.BadInputException(e.getMessage());
        }
        if (ended != null) {
            warnLine(warn, ended);
        }
        List<double[]> starts = starts(s, k);
        ChildProcesses children = new ChildProcesses(out.resolve(ChildProcesses.FILE));
        Path root = out.resolve(RUNS);
        int hops = cfg.reference().exclusionHops();
        LammpsSampler.Tables tables = (theta, dir) -> {
            FitExport.writeTables(dir, s.terms(), s.topology(), hops, theta);
            return dir.resolve("lammps");
        };
        List<ReplicaSampler.Chain> chains = new ArrayList<>();
        for (int r = 0; r < k; r++) {
            chains.add(new LammpsSampler(root, r, tables, s.terms(), s.topology(), hops, s.box(), starts.get(r),
                    settings(es, ReplicaSampler.replicaSeed(es.seed(), r)), cfg.temperature(), program, children));
        }
        int together = Math.min(k, slots);
        log.printf(Locale.ROOT, "sampler: LAMMPS ('%s', %d rank%s x %d CPU%s per run), launcher %s, %d replica%s per simulation (%d at once); runs in %s%n",
                program.text(), sp.ranks(), sp.ranks() == 1 ? "" : "s", sp.cpusPerRank(), sp.cpusPerRank() == 1 ? "" : "s", launcher.describe(), k,
                k == 1 ? "" : "s", together, root);
        return new ReplicaSampler(chains, size, together, line -> warnLine(warn, line));
    }

    private static void warnLine(PrintWriter warn, String line) {
        warn.println("note: " + line);
        warn.flush();
    }

    static EngineSampler.Settings settings(FitConfig.EngineSpec es, long seed) {
        return new EngineSampler.Settings(es.dt(), es.friction(), es.steps(), es.equilibrate(), es.sampleEvery(), seed);
    }

    /** Start configurations of the replicas (see the class comment). */
    static List<double[]> starts(FitProblem s, int k) throws IOException, DataFormatException, TrajectoryFormatException {
        FitConfig cfg = s.config();
        List<double[]> out = new ArrayList<>();
        out.add(s.startPositions());
        FitConfig.Reference ref = cfg.reference();
        long frames = s.referenceFrames();
        if (k == 1) {
            return out;
        }
        if (cfg.system().configuration() != null || !ref.hasTrajectory() || frames < k) {
            for (int r = 1; r < k; r++) {
                out.add(s.startPositions());
            }
            return out;
        }
        Mapper mapper = s.mapper();
        Path traj = FitProblem.referenceTrajectory(cfg);
        try (TrajectoryReader reader = FitProblem.openReference(cfg)) {
            Frame f = new Frame();
            Frame cg = new Frame();
            long at = 0;
            for (int r = 1; r < k; r++) {
                long want = r * frames / k;
                for (; at < want; at++) {
                    reader.skip();
                }
                if (!reader.next(f)) {
                    throw new IllegalStateException(traj + " ended before frame " + want + " of " + frames);
                }
                at++;
                Frame bead = f;
                if (mapper != null) {
                    mapper.map(f, cg);
                    bead = cg;
                }
                // a frame of another box (a reference at constant pressure) would not fit the simulated box
                boolean sameBox = bead.box != null && Math.abs(bead.box.lx() - s.box().lx()) < 1e-6 && Math.abs(bead.box.ly() - s.box().ly()) < 1e-6
                        && Math.abs(bead.box.lz() - s.box().lz()) < 1e-6 && bead.box.isOrthorhombic() == s.box().isOrthorhombic();
                out.add(sameBox ? java.util.Arrays.copyOf(bead.x, 3 * s.topology().size()) : s.startPositions());
            }
        }
        return out;
    }
}
