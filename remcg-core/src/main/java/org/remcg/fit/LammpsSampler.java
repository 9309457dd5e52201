package org.remcg.fit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.remcg.io.Frame;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.io.TrajectoryReader;
import org.remcg.observe.FeatureTerm;
import org.remcg.observe.FrameDriver;
import org.remcg.observe.FrameFeatures;
import org.remcg.observe.FrameStore;
import org.remcg.optimize.IterativeRem;
import org.remcg.optimize.Samples;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * One chain of the fit's simulations run by LAMMPS ({@link LammpsRun}): for every simulation it writes the tables of
 * the current parameters, the data file of its configuration and the input into a directory of its own,
 * {@code ROOT/sim-NNNN/replica-R} (emptied first when a resumed fit or a validation run comes back to it), starts
 * LAMMPS through a {@link Launcher}, then reads the dump frame by frame and computes the per-frame REM features with
 * {@link FrameFeatures} on a {@link FrameDriver} (the same features the built-in engine computes in its force loop:
 * same terms, layout and exclusions). The dump is deleted once read; the input, log and screen output stay.
 *
 * <p>Seeds and lengths follow {@link EngineSampler}: the seed of simulation {@code sim} is {@link EngineSampler#seedFor}
 * of the chain's seed, equilibration and production scale with the simulation's length, and the configuration LAMMPS
 * ends with becomes the next start only when the loop accepted the parameters. The thermostat is LAMMPS' Langevin
 * in its Gronbech-Jensen-Farago form at the engine's time step and friction.
 *
 * <p>Failures: a non-zero exit or a short trajectory is an {@link IterativeRem.SamplingException} with LAMMPS' own last
 * error lines; when LAMMPS printed no ERROR (the process was killed or crashed) it is marked for one retry
 * ({@link ReplicaSampler.ChainFailure}).
 */
public final class LammpsSampler extends ContinuingSampler implements ReplicaSampler.Chain {

    /** Writes the LAMMPS tables ({@code in.tables} and its table files) of parameters theta under dir; returns their directory. */
    @FunctionalInterface
    public interface Tables {
        Path write(double[] theta, Path dir) throws IOException;
    }

    /**
     * How LAMMPS is started.
     *
     * @param command      the program and its arguments (e.g. {@code [mpirun, -np, 2, lmp]} locally, {@code [lmp]} under SLURM)
     * @param launcher     local or SLURM job steps
     * @param ranks        MPI ranks of one run (what the launcher reserves; the local command states its own)
     * @param cpusPerRank  CPUs per rank
     * @param frameThreads threads of the frame pass
     */
    public record Program(List<String> command, Launcher launcher, int ranks, int cpusPerRank, int frameThreads) {
        public Program {
            command = List.copyOf(command);
            if (command.isEmpty() || ranks < 1 || cpusPerRank < 1 || frameThreads < 1) {
                throw new IllegalArgumentException("invalid LAMMPS program " + command + " with " + ranks + " ranks x " + cpusPerRank + " CPUs");
            }
        }

        /** The command line as the user wrote it, for messages. */
        public String text() {
            return String.join(" ", command);
        }
    }

    private final Path root;
    private final int replica;
    private final Tables tables;
    private final CgTopology top;
    private final int hops;
    private final List<FeatureTerm> terms;
    private final Box box;
    private final EngineSampler.Settings md;
    private final double temperature;
    private final Program program;
    private final ChildProcesses children;

    /**
     * @param root        directory of all simulations' run directories
     * @param replica     this chain's index (its directory's name)
     * @param md          MD settings; its seed is this chain's ({@link ReplicaSampler#replicaSeed})
     * @param children    where started processes are recorded while they run (null: nowhere)
     */
    public LammpsSampler(Path root, int replica, Tables tables, List<FitTerm> terms, CgTopology top, int hops, Box box, double[] start,
            EngineSampler.Settings md, double temperature, Program program, ChildProcesses children) {
        super(checkedStart(top, box, start));
        this.root = root;
        this.replica = replica;
        this.tables = tables;
        this.top = top;
        this.hops = hops;
        List<FeatureTerm> ft = new ArrayList<>();
        for (FitTerm t : terms) {
            ft.add(t.featureTerm());
        }
        this.terms = List.copyOf(ft);
        this.box = box;
        this.md = md;
        this.temperature = temperature;
        this.program = program;
        this.children = children;
    }

    private static double[] checkedStart(CgTopology top, Box box, double[] start) {
        LammpsRun.checkSystem(top, box);
        if (start.length != 3 * top.size()) {
            throw new IllegalArgumentException("start configuration has " + start.length / 3 + " beads, the system " + top.size());
        }
        return start;
    }

    /** The run directory of simulation {@code sim} of replica {@code replica} under {@code root}. */
    public static Path directory(Path root, int sim, int replica) {
        return root.resolve(String.format(Locale.ROOT, "sim-%04d", sim)).resolve("replica-" + replica);
    }

    @Override
    public long steps(double length) {
        return EngineSampler.production(md, length) + EngineSampler.equilibration(md, length);
    }

    /** The LAMMPS settings of simulation {@code sim} with that length. */
    LammpsRun.Settings settings(int sim, double length) {
        return new LammpsRun.Settings(program.command(), md.dt(), md.friction(), EngineSampler.production(md, length),
                EngineSampler.equilibration(md, length), md.sampleEvery(), EngineSampler.seedFor(md.seed(), sim), temperature, true);
    }

    @Override
    public ReplicaSampler.Pending start(double[] theta, int sim, double length) throws IterativeRem.SamplingException, ReplicaSampler.ChainFailure {
        LammpsRun.Settings s = settings(sim, length);
        Path dir = directory(root, sim, replica);
        List<String> cmd = new ArrayList<>(program.command());
        cmd.addAll(LammpsRun.ARGUMENTS);
        try {
            clean(dir);
            Path tab = tables.write(theta, dir.resolve("tables"));
            LammpsRun.prepare(dir, tab, top, box, start(), s);
            ProcessBuilder pb = program.launcher().builder(cmd, program.ranks(), program.cpusPerRank(), dir, dir.resolve(LammpsRun.SCREEN));
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new IterativeRem.SamplingException("cannot start LAMMPS as '" + String.join(" ", pb.command()) + "': " + e.getMessage());
            }
            if (children != null) {
                children.started(p);
            }
            try {
                LammpsRun.await(p, dir, program.text());
            } catch (IterativeRem.SamplingException e) {
                boolean own = hasError(dir.resolve(LammpsRun.SCREEN));
                throw new ReplicaSampler.ChainFailure(e.getMessage(), !own);
            } finally {
                if (children != null) {
                    children.ended(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sink -> finish(theta, dir, s, sink);
    }

    /** The frame pass: per-frame features of the production (to sink too), the end configuration kept for the verdict. */
    private Samples finish(double[] theta, Path dir, LammpsRun.Settings s, EngineSampler.FrameSink sink) throws IterativeRem.SamplingException {
        FrameFeatures features = new FrameFeatures(top, hops, terms, true, 0);
        long frames;
        try (TrajectoryReader r = LammpsRun.production(dir)) {
            if (sink == null) {
                frames = new FrameDriver(program.frameThreads(), FrameDriver.DEFAULT_BATCH).run(r, features);
            } else {
                Frame f = new Frame();
                frames = 0;
                while (r.next(f)) {
                    features.accept(f);
                    sink.frame(f);
                    frames++;
                }
            }
        } catch (TrajectoryFormatException e) {
            throw new IterativeRem.SamplingException("LAMMPS' trajectory in " + dir + " is damaged: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LammpsRun.checkFrames(dir, s, frames);
        double[] end;
        try {
            end = LammpsRun.end(dir, top);
            Files.deleteIfExists(dir.resolve(LammpsRun.TRAJECTORY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ended(end);
        FrameStore store = features.frameStore();
        return new Samples(theta, store.toArray(), store.frames());
    }

    /** Whether LAMMPS' output holds an ERROR line of its own (the model or input failed, not the process). */
    static boolean hasError(Path screen) {
        try (Stream<String> lines = Files.lines(screen, StandardCharsets.UTF_8)) {
            return lines.anyMatch(l -> l.contains("ERROR"));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** Empties a run directory left by an earlier attempt (files and the tables below it), or creates it. */
    static void clean(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(dir)) {
                        Files.delete(p);
                    }
                }
            }
        }
        Files.createDirectories(dir);
    }

    /**
     * Refuses, with one line, a LAMMPS that cannot run these simulations: runs {@code COMMAND -h} the way the
     * simulations will run (through the launcher, in a temporary directory, at most 120 s) and checks that it
     * starts and lists the table styles the model needs ({@code pair_style table}; {@code bond_style table} etc. for
     * bonded kinds in {@code styles}).
     *
     * @param styles the LAMMPS style kinds the model uses, e.g. {@code pair}, {@code bond}
     */
    public static void probe(Program program, Set<String> styles, Path tmp) throws IOException {
        Path prog = Launcher.program(program.command().get(0), System.getenv());
        if (prog == null) {
            throw new IllegalArgumentException("'" + program.command().get(0) + "' is not found" + (program.command().get(0).indexOf('/') >= 0 ? ""
                    : " on PATH") + " (sampler.command '" + program.text() + "')");
        }
        if (program.launcher() instanceof Launcher.Slurm && Launcher.program("srun", System.getenv()) == null) {
            throw new IllegalArgumentException("launcher slurm needs srun, which is not found on PATH");
        }
        Path dir = Files.createTempDirectory(tmp, "remcg-lammps-probe");
        try {
            List<String> cmd = new ArrayList<>(program.command());
            cmd.add("-h");
            Path out = dir.resolve("help.txt");
            ProcessBuilder pb = program.launcher().builder(cmd, program.ranks(), program.cpusPerRank(), dir, out);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot start '" + String.join(" ", pb.command()) + "': " + e.getMessage());
            }
            p.getOutputStream().close();
            boolean done;
            try {
                done = p.waitFor(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while probing LAMMPS", e);
            }
            if (!done) {
                p.destroyForcibly();
                throw new IllegalArgumentException("'" + String.join(" ", pb.command()) + "' did not finish within 120 s");
            }
            String help = Files.readString(out, StandardCharsets.UTF_8);
            String missing = missingStyles(help, styles);
            if (p.exitValue() != 0 || missing == null) {
                throw new IllegalArgumentException("'" + String.join(" ", pb.command()) + "' " + (p.exitValue() != 0 ? "exited with code " + p.exitValue()
                        : "printed no LAMMPS style lists") + ": " + tail(help));
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("this LAMMPS ('" + program.text() + "') has no " + missing + ": remcg's tabulated model needs it "
                        + "(a LAMMPS build with the default styles has it)");
            }
        } finally {
            clean(dir);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * The table styles of {@code styles} missing from LAMMPS' help text ({@code "pair_style table, bond_style table"}), ""
     * when none is, null when the text has no style lists (not LAMMPS' help).
     */
    static String missingStyles(String help, Set<String> styles) {
        List<String> missing = new ArrayList<>();
        boolean any = false;
        for (String kind : List.of("pair", "bond", "angle", "dihedral")) {
            String header = "* " + Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + " styles:";
            int at = help.indexOf(header);
            any |= at >= 0;
            if (!styles.contains(kind)) {
                continue;
            }
            boolean has = false;
            if (at >= 0) {
                int end = help.indexOf("\n* ", at + header.length());
                String list = help.substring(at + header.length(), end < 0 ? help.length() : end);
                for (String w : list.trim().split("\\s+")) {
                    has |= w.equals("table");
                }
            }
            if (!has) {
                missing.add(kind + "_style table");
            }
        }
        return any ? String.join(", ", missing) : null;
    }

    /** The last lines of a program's output in one line. */
    static String tail(String out) {
        String[] lines = out.strip().split("\n");
        int from = Math.max(0, lines.length - 4);
        String t = String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length)).strip();
        return t.isEmpty() ? "(no output)" : t;
    }
}
