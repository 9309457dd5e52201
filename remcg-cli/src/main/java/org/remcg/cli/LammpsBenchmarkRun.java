package org.remcg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.remcg.simulate.EngineBenchmark;
import org.remcg.simulate.EngineBenchmark.Timing;

/**
 * The engine benchmark's system ({@link EngineBenchmark}) in LAMMPS for {@code remcg bench engine}: units metal,
 * {@code pair_style table linear}, {@code fix langevin} + {@code fix nve}, neighbour skin 1 Angstrom checked every
 * step. One {@code lmp} process is kept open and driven through its standard input:
 * each {@link #run} sends one {@code run} command and reads LAMMPS' own "Loop time" of it (setup excluded). LAMMPS
 * buffers its screen output when it goes to a pipe, so each run is followed by a marker line and a {@code run 0},
 * whose thermo output ({@code thermo_modify flush yes}) pushes both out.
 */
public final class LammpsBenchmarkRun implements AutoCloseable {
    private static final String MARK = "remcg-bench-done";
    private static final Pattern LOOP = Pattern.compile("Loop time of ([0-9.eE+-]+) on \\d+ procs for (\\d+) steps");
    private static final Pattern CPU = Pattern.compile("^\\s*([0-9.]+)% CPU use");
    private final int n;
    private final Path work;
    private final Process process;
    private final java.io.Writer in;
    private final java.io.BufferedReader out;
    /** LAMMPS' screen output so far, for the error message when it stops. */
    private final StringBuilder transcript = new StringBuilder();

    private LammpsBenchmarkRun(int n, Path work, Process process) {
        this.n = n;
        this.work = work;
        this.process = process;
        in = new java.io.OutputStreamWriter(process.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8);
        out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Writes the inputs into {@code work}, starts {@code lmp} there, sets the system up and runs {@code warm} steps;
     * null when {@code lmp} cannot be started.
     */
    public static LammpsBenchmarkRun start(int n, long warm, Path work) throws IOException {
        double l = EngineBenchmark.edge(n);
        double ev = 96.48533212331002;
        double[][] t = EngineBenchmark.table();
        StringBuilder tab = new StringBuilder("# remcg engine benchmark table (metal units)\n\nW\nN " + t[0].length + "\n\n");
        for (int i = 0; i < t[0].length; i++) {
            tab.append(String.format(Locale.ROOT, "%d %.6f %.15g %.15g%n", i + 1, t[0][i] * 10, t[1][i] / ev, t[2][i] / ev / 10));
        }
        Files.writeString(work.resolve("w.table"), tab.toString());
        double[] x = EngineBenchmark.lattice(n, l);
        StringBuilder data = new StringBuilder("remcg benchmark start\n\n" + n + " atoms\n1 atom types\n\n");
        data.append(String.format(Locale.ROOT, "0 %.10f xlo xhi%n0 %.10f ylo yhi%n0 %.10f zlo zhi%n%nMasses%n%n1 %.4f%n%nAtoms # atomic%n%n", l * 10, l * 10,
                l * 10, EngineBenchmark.MASS));
        for (int i = 0; i < n; i++) {
            data.append(String.format(Locale.ROOT, "%d 1 %.8f %.8f %.8f%n", i + 1, x[3 * i] * 10, x[3 * i + 1] * 10, x[3 * i + 2] * 10));
        }
        Files.writeString(work.resolve("start.data"), data.toString());
        String setup = String.format(Locale.ROOT, """
                units metal
                atom_style atomic
                read_data start.data
                pair_style table linear %d
                pair_coeff 1 1 w.table W %.6f
                neighbor 1.0 bin
                neigh_modify every 1 delay 0 check yes
                velocity all create %.1f 12345 dist gaussian mom yes
                fix 1 all nve
                fix 2 all langevin %.1f %.1f 1.0 4567
                timestep %.4f
                thermo 100000000
                thermo_modify flush yes
                """, t[0].length, EngineBenchmark.CUTOFF * 10, EngineBenchmark.TEMPERATURE, EngineBenchmark.TEMPERATURE,
                EngineBenchmark.TEMPERATURE, EngineBenchmark.DT);
        // the whole session as a file too, for running it by hand
        Files.writeString(work.resolve("in.lmp"), setup + "run " + Math.max(1, warm) + "\n");
        Process p;
        try {
            p = new ProcessBuilder("lmp", "-echo", "none", "-log", "log.lammps").directory(work.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        LammpsBenchmarkRun r = new LammpsBenchmarkRun(n, work, p);
        r.in.write(setup);
        r.run(Math.max(1, warm));
        return r;
    }

    /** Runs and times {@code steps} more steps (LAMMPS' loop time and CPU use of that run). */
    public Timing run(long steps) throws IOException {
        in.write("run " + steps + "\nprint \"" + MARK + "\"\nrun 0 post no\n");
        in.flush();
        double secs = Double.NaN;
        double cpu = Double.NaN;
        boolean ours = false;
        String line;
        while ((line = out.readLine()) != null) {
            transcript.append(line).append('\n');
            if (line.startsWith(MARK)) {
                return new Timing(n, steps, secs, EngineBenchmark.pairs(n), cpu);
            }
            Matcher m = LOOP.matcher(line);
            if (m.find()) {
                ours = Long.parseLong(m.group(2)) == steps;
                if (ours) {
                    secs = Double.parseDouble(m.group(1));
                }
            }
            m = CPU.matcher(line);
            if (ours && m.find()) {
                cpu = secs * Double.parseDouble(m.group(1)) / 100;
            }
        }
        throw new IOException("lmp stopped (see " + work.resolve("log.lammps") + "); its last output:\n"
                + transcript.substring(Math.max(0, transcript.length() - 2000)));
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
