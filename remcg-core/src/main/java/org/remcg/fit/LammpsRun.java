package org.remcg.fit;

import static org.remcg.units.Units.ANGSTROM_PER_NM;
import static org.remcg.units.Units.FS_PER_PS;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.remcg.io.Frame;
import org.remcg.io.LammpsDumpReader;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.io.TrajectoryReader;
import org.remcg.optimize.IterativeRem;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * One Langevin run of a CG pair model in LAMMPS with the tables remcg exported ({@code in.tables} and its
 * {@code *.table} files, LAMMPS {@code real} units), its frames handed back in remcg's units. The run:
 * {@code read_data} of the start configuration (atomic style, one atom type per bead type in the order
 * of {@code in.tables}), {@code fix nve} + {@code fix langevin} at the temperature with damping 1 / friction,
 * an equilibration, then the production with a dump every {@code sampleEvery} steps and the end configuration
 * ({@value #END}). LAMMPS' velocity Verlet with the default Langevin force samples the configurations with an
 * O(dt^2) bias, larger than that of remcg's BAOAB at the same step: give it a step about half of the built-in
 * engine's, or use the Gronbech-Jensen-Farago form ({@link Settings#gjf}).
 *
 * <p>{@link #run} does all of it; {@link #prepare}, {@link #await} and {@link #read} / {@link #production} are its
 * steps, for callers that start the process their own way ({@link LammpsSampler}).
 *
 * <p>Failures (LAMMPS missing, a non-zero exit, a lost atom) become a {@link IterativeRem.SamplingException}
 * carrying LAMMPS' own last error lines.
 */
public final class LammpsRun {
    private LammpsRun() {
    }

    /**
     * @param command     how to start LAMMPS, e.g. {@code [lmp]} or {@code [mpirun, -np, 2, lmp]}
     * @param dt          time step (ps)
     * @param friction    Langevin friction (1/ps)
     * @param steps       production steps
     * @param equilibrate equilibration steps before them
     * @param sampleEvery a frame every this many production steps
     * @param seed        velocity and thermostat seed (positive, below 900 million as LAMMPS wants)
     * @param temperature K
     * @param gjf         the Gronbech-Jensen-Farago form of {@code fix langevin} ({@code gjf vhalf}), whose configurational
     *                    sampling has a much smaller time-step bias
     */
    public record Settings(List<String> command, double dt, double friction, long steps, long equilibrate, int sampleEvery, long seed,
                           double temperature, boolean gjf) {
        /** With LAMMPS' default Langevin thermostat (no GJF). */
        public Settings(List<String> command, double dt, double friction, long steps, long equilibrate, int sampleEvery, long seed,
                        double temperature) {
            this(command, dt, friction, steps, equilibrate, sampleEvery, seed, temperature, false);
        }

        public Settings {
            command = List.copyOf(command);
            if (command.isEmpty() || !(dt > 0) || !(friction > 0) || steps < 1 || equilibrate < 0 || sampleEvery < 1 || !(temperature > 0)) {
                throw new IllegalArgumentException("invalid LAMMPS run settings " + this);
            }
        }

        /** Frames the production writes. */
        public long frames() {
            return steps / sampleEvery;
        }
    }

    /**
     * Runs LAMMPS in {@code work} (created; the table files are copied there) and hands every production
     * frame to {@code sink} in remcg's particle order and units (nm).
     *
     * @return frames handed on
     */
    public static long run(Path work, Path tables, CgTopology top, Box box, double[] start, Settings s, EngineSampler.FrameSink sink)
            throws IOException, IterativeRem.SamplingException {
        prepare(work, tables, top, box, start, s);
        List<String> cmd = new ArrayList<>(s.command());
        cmd.addAll(ARGUMENTS);
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve(SCREEN).toFile()).start();
        } catch (IOException e) {
            throw new IterativeRem.SamplingException("cannot start LAMMPS as '" + String.join(" ", s.command()) + "': " + e.getMessage());
        }
        await(p, work, String.join(" ", s.command()));
        return read(work, s, sink);
    }

    /** What follows the LAMMPS command: the input written by {@link #prepare} and the log file. */
    public static final List<String> ARGUMENTS = List.of("-in", "in.run", "-log", "log.lammps");

    /** The file LAMMPS' screen output (standard output and error) goes to, in the run's directory. */
    public static final String SCREEN = "screen.txt";

    /** The production trajectory, in the run's directory. */
    public static final String TRAJECTORY = "traj.lammpstrj";

    /** The configuration at the end of the run, in the run's directory. */
    public static final String END = "end.lammpstrj";

    /** Refuses what these runs cannot do: bonded terms, a box that is not orthorhombic. */
    public static void checkSystem(CgTopology top, Box box) {
        if (top.bondCount() + top.angleCount() + top.dihedralCount() > 0) {
            throw new IllegalArgumentException("LAMMPS runs of models with bonded terms are not supported yet (pairs only)");
        }
        if (!box.isOrthorhombic()) {
            throw new IllegalArgumentException("LAMMPS runs need an orthorhombic box, got " + box);
        }
    }

    /**
     * Writes the run's files into {@code work} (created): the table files of {@code tables} (copied unless it is
     * {@code work} itself), the data file of the start configuration and the input {@code in.run}. Start LAMMPS in
     * {@code work} with {@link #ARGUMENTS}, its output to {@link #SCREEN}.
     */
    public static void prepare(Path work, Path tables, CgTopology top, Box box, double[] start, Settings s) throws IOException {
        checkSystem(top, box);
        Files.createDirectories(work);
        if (!Files.isRegularFile(tables.resolve("in.tables"))) {
            throw new IllegalArgumentException(tables + " has no in.tables (the LAMMPS tables remcg fit writes)");
        }
        if (!Files.isSameFile(tables, work)) {
            try (var files = Files.list(tables)) {
                for (Path f : files.toList()) {
                    Files.copy(f, work.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        writeData(work.resolve("start.data"), top, box, start);
        long seed = 1 + Math.floorMod(s.seed(), 899_999_999L);
        // gjf: Gronbech-Jensen-Farago Langevin, whose configurations carry far less time-step bias than the
        // default fix langevin with velocity Verlet; LAMMPS wants it before fix nve
        String thermostat = s.gjf()
                ? "fix 2 all langevin %1$.6f %1$.6f %3$.6f %4$d zero yes gjf vhalf\nfix 1 all nve"
                : "fix 1 all nve\nfix 2 all langevin %1$.6f %1$.6f %3$.6f %4$d zero yes";
        String in = String.format(Locale.ROOT, """
                # written by remcg: Langevin run of the exported CG tables
                units real
                atom_style atomic
                boundary p p p
                read_data start.data
                include in.tables
                neighbor 2.0 bin
                velocity all create %1$.6f %2$d mom yes rot no dist gaussian
                """ + thermostat + """

                timestep %5$.6f
                thermo %6$d
                run %7$d
                reset_timestep 0
                dump d all custom %8$d %10$s id x y z
                dump_modify d sort id
                run %9$d
                write_dump all custom %11$s id x y z modify sort id
                """, s.temperature(), seed, FS_PER_PS / s.friction(), seed + 1, FS_PER_PS * s.dt(), Math.max(1, s.steps() / 10), s.equilibrate(),
                s.sampleEvery(), s.steps(), TRAJECTORY, END);
        Files.writeString(work.resolve("in.run"), in);
    }

    /**
     * Waits for a LAMMPS process started in {@code work}; a non-zero exit is a {@link IterativeRem.SamplingException}
     * with LAMMPS' last error lines. {@code what} names the command in messages.
     */
    public static void await(Process p, Path work, String what) throws IOException, IterativeRem.SamplingException {
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while LAMMPS ran", e);
        }
        if (code != 0) {
            throw new IterativeRem.SamplingException("LAMMPS ('" + what + "' in " + work + ") exited with code " + code + ": "
                    + lastErrors(work.resolve(SCREEN)));
        }
    }

    /** Hands the production frames of a finished run in {@code work} to {@code sink}; a missing or short trajectory is an error. */
    public static long read(Path work, Settings s, EngineSampler.FrameSink sink) throws IOException, IterativeRem.SamplingException {
        long frames = 0;
        try (TrajectoryReader r = production(work)) {
            Frame f = new Frame();
            while (r.next(f)) {
                sink.frame(f);
                frames++;
            }
        } catch (TrajectoryFormatException e) {
            throw damaged(work, e);
        }
        checkFrames(work, s, frames);
        return frames;
    }

    /** The production frames of a finished run in {@code work}, in nm (the dump at step 0, the equilibration's end, skipped). */
    public static TrajectoryReader production(Path work) throws IOException, IterativeRem.SamplingException {
        Path file = work.resolve(TRAJECTORY);
        if (!Files.isRegularFile(file)) {
            throw new IterativeRem.SamplingException("LAMMPS wrote no trajectory " + file + ": " + lastErrors(work.resolve(SCREEN)));
        }
        try {
            LammpsDumpReader r = new LammpsDumpReader(file, LammpsDumpReader.Units.REAL);
            try {
                r.skip();
            } catch (IOException | TrajectoryFormatException | RuntimeException e) {
                r.close();
                throw e;
            }
            return r;
        } catch (TrajectoryFormatException e) {
            throw damaged(work, e);
        }
    }

    /** The configuration LAMMPS ended with (nm, particle order). */
    public static double[] end(Path work, CgTopology top) throws IOException, IterativeRem.SamplingException {
        try (LammpsDumpReader r = new LammpsDumpReader(work.resolve(END), LammpsDumpReader.Units.REAL)) {
            Frame f = new Frame();
            if (!r.next(f) || f.atoms != top.size()) {
                throw new IterativeRem.SamplingException("LAMMPS' end configuration " + work.resolve(END) + " does not hold the " + top.size()
                        + " beads");
            }
            return java.util.Arrays.copyOf(f.x, 3 * top.size());
        } catch (TrajectoryFormatException | java.nio.file.NoSuchFileException e) {
            throw new IterativeRem.SamplingException("LAMMPS' end configuration " + work.resolve(END) + " is missing or damaged: " + e.getMessage());
        }
    }

    /** A production of the wrong length is an error with LAMMPS' last lines. */
    public static void checkFrames(Path work, Settings s, long frames) throws IterativeRem.SamplingException {
        if (frames != s.frames()) {
            throw new IterativeRem.SamplingException("LAMMPS wrote " + frames + " production frames, expected " + s.frames() + ": "
                    + lastErrors(work.resolve(SCREEN)));
        }
    }

    private static IterativeRem.SamplingException damaged(Path work, TrajectoryFormatException e) {
        return new IterativeRem.SamplingException("LAMMPS' trajectory " + work.resolve(TRAJECTORY) + " is damaged: " + e.getMessage());
    }

    /** The data file: one atom type per bead type (index + 1), positions in Angstrom. */
    static void writeData(Path file, CgTopology top, Box box, double[] x) throws IOException {
        StringBuilder data = new StringBuilder("remcg CG configuration\n\n").append(top.size()).append(" atoms\n")
                .append(top.types()).append(" atom types\n\n");
        data.append(String.format(Locale.ROOT, "0 %.8f xlo xhi%n0 %.8f ylo yhi%n0 %.8f zlo zhi%n%nAtoms # atomic%n%n", ANGSTROM_PER_NM * box.lx(), ANGSTROM_PER_NM * box.ly(),
                ANGSTROM_PER_NM * box.lz()));
        for (int i = 0; i < top.size(); i++) {
            double[] w = {x[3 * i], x[3 * i + 1], x[3 * i + 2]};
            double[] l = {box.lx(), box.ly(), box.lz()};
            for (int d = 0; d < 3; d++) {
                w[d] -= l[d] * Math.floor(w[d] / l[d]);
            }
            data.append(String.format(Locale.ROOT, "%d %d %.6f %.6f %.6f%n", i + 1, top.type()[i] + 1, ANGSTROM_PER_NM * w[0], ANGSTROM_PER_NM * w[1], ANGSTROM_PER_NM * w[2]));
        }
        Files.writeString(file, data.toString());
    }

    /** Lines of LAMMPS' output that carry ERROR (else the last 10 lines), joined. */
    static String lastErrors(Path screen) {
        try {
            List<String> lines = Files.readAllLines(screen, StandardCharsets.UTF_8);
            List<String> errors = new ArrayList<>();
            Deque<String> tail = new ArrayDeque<>();
            for (String l : lines) {
                if (l.contains("ERROR")) {
                    errors.add(l.strip());
                }
                tail.addLast(l.strip());
                if (tail.size() > 10) {
                    tail.removeFirst();
                }
            }
            return String.join(" | ", errors.isEmpty() ? tail : errors);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
