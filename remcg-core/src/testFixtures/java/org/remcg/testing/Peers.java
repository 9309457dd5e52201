package org.remcg.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Guards for tests that run a peer program (LAMMPS, GROMACS). Before the first such test, each peer is probed once
 * per JVM with a tiny real run of the part the tests use ({@code gmx mdrun} can refuse to start on a CPU its build
 * does not support while {@code gmx editconf} works, so mdrun is probed on its own). A peer that does not work skips
 * the test with the reason; with the environment variable {@value #REQUIRE} set to 1 (as in CI) it fails it instead.
 *
 * <p>Shared by the test sources of remcg-core and remcg-cli: both modules compile this directory as a test source root.
 */
public final class Peers {
    /** Environment variable: set to 1, a peer that is missing or broken fails the tests that need it. */
    public static final String REQUIRE = "REMCG_REQUIRE_PEERS";

    /** How long a probe may take before it counts as failed (seconds). */
    static final long PROBE_SECONDS = 120;

    /** Probe results of this JVM: peer name to the reason it does not work ("" when it works). */
    private static final Map<String, String> RESULTS = new HashMap<>();

    private Peers() {
    }

    /** A probe: null when the peer works here, otherwise what failed. */
    @FunctionalInterface
    public interface Probe {
        String run() throws IOException, InterruptedException;
    }

    /** 10 MD steps of a small Lennard-Jones crystal. */
    private static final String LJ_PROBE = """
            units lj
            atom_style atomic
            lattice fcc 0.8442
            region box block 0 2 0 2 0 2
            create_box 1 box
            create_atoms 1 box
            mass 1 1.0
            velocity all create 1.0 1
            pair_style lj/cut 2.5
            pair_coeff 1 1 1.0 1.0 2.5
            fix 1 all nve
            run 10
            """;

    /** LAMMPS ({@code lmp}): 10 MD steps of a small Lennard-Jones crystal. */
    public static void lammps() {
        need("LAMMPS (lmp)", () -> inTempDir(dir -> {
            Files.writeString(dir.resolve("in.probe"), LJ_PROBE);
            return run(dir, "Loop time", "lmp", "-in", "in.probe", "-log", "none");
        }));
    }

    /**
     * The MPI launcher with LAMMPS: {@link #mpirunLammps()} runs the probe of {@link #lammps()} on 2 ranks. As root, Open MPI
     * refuses to start without {@code --allow-run-as-root}, which the command then carries.
     */
    public static void mpirun() {
        lammps();
        need("mpirun -np 2 lmp", () -> inTempDir(dir -> {
            Files.writeString(dir.resolve("in.probe"), LJ_PROBE);
            List<String> cmd = new java.util.ArrayList<>(mpirunLammps());
            cmd.addAll(List.of("-in", "in.probe", "-log", "none"));
            return run(dir, "on 2 procs", cmd.toArray(String[]::new));
        }));
    }

    /** {@code mpirun -np 2 lmp} (with {@code --allow-run-as-root} when this JVM runs as root). */
    public static List<String> mpirunLammps() {
        return "root".equals(System.getProperty("user.name")) ? List.of("mpirun", "--allow-run-as-root", "-np", "2", "lmp")
                : List.of("mpirun", "-np", "2", "lmp");
    }

    /** Environment variable: set to 1, a SLURM cluster that is not running fails the tests that need it (CI starts one). */
    public static final String REQUIRE_SLURM = "REMCG_REQUIRE_SLURM";

    /**
     * A running SLURM cluster with room for a 2-CPU allocation ({@code scripts/slurm-test-cluster.sh} starts one):
     * {@code salloc -n2 srun --exact -n1 true} must work. Skips the test with the reason, or fails it under
     * {@value #REQUIRE_SLURM}=1.
     */
    public static void slurm() {
        String failure = result("SLURM", () -> inTempDir(dir -> {
            String failed = run(dir, null, "sinfo", "-h", "-o", "%t");
            if (failed != null) {
                return failed + " (start a test cluster with scripts/slurm-test-cluster.sh)";
            }
            return run(dir, null, "salloc", "-n2", "--immediate=60", "--time=2", "srun", "--exact", "-n1", "true");
        }));
        check("SLURM", failure, required(System.getenv(REQUIRE_SLURM)), REQUIRE_SLURM);
    }

    /** The GROMACS tools ({@code gmx check}, {@code editconf}, {@code rdf}, {@code grompp}, ...): editconf rewrites a small .gro. */
    public static void gmx() {
        need("GROMACS (gmx)", () -> inTempDir(dir -> {
            Files.writeString(dir.resolve("conf.gro"), GRO);
            String failed = run(dir, null, "gmx", "-quiet", "editconf", "-f", "conf.gro", "-o", "out.gro");
            return failed != null || Files.size(dir.resolve("out.gro")) > 0 ? failed : "gmx editconf wrote an empty out.gro";
        }));
    }

    /** GROMACS' MD engine: grompp and 10 steps of {@code gmx mdrun} on two Lennard-Jones particles. */
    public static void mdrun() {
        gmx();
        need("GROMACS mdrun (gmx mdrun)", () -> inTempDir(dir -> {
            Files.writeString(dir.resolve("conf.gro"), GRO);
            Files.writeString(dir.resolve("topol.top"), """
                    [ defaults ]
                    1 1 no 1.0 1.0
                    [ atomtypes ]
                    A  40.0  0.0  A  1.0e-3  1.0e-6
                    [ moleculetype ]
                    AR 1
                    [ atoms ]
                    1 A 1 AR A 1 0.0
                    [ system ]
                    remcg peer probe
                    [ molecules ]
                    AR 2
                    """);
            Files.writeString(dir.resolve("run.mdp"), """
                    integrator = md
                    nsteps = 10
                    dt = 0.002
                    cutoff-scheme = Verlet
                    pbc = xyz
                    coulombtype = cut-off
                    rcoulomb = 1.0
                    rvdw = 1.0
                    """);
            String failed = run(dir, null, "gmx", "-quiet", "grompp", "-f", "run.mdp", "-c", "conf.gro", "-p", "topol.top", "-o", "run.tpr");
            if (failed == null) {
                failed = run(dir, null, "gmx", "-quiet", "mdrun", "-s", "run.tpr", "-nt", "1");
            }
            return failed != null || Files.exists(dir.resolve("confout.gro")) ? failed : "gmx mdrun ended without writing confout.gro";
        }));
    }

    /** Files a peer installs (e.g. GROMACS' force-field directory), for tests that read them. */
    public static void file(String peer, Path file) {
        need(peer + " file " + file, () -> fileProbe(file));
    }

    static String fileProbe(Path file) {
        return Files.isRegularFile(file) ? null : file + " is missing";
    }

    /** Probes the peer once per JVM and skips (or, under {@value #REQUIRE}=1, fails) the calling test when it does not work. */
    public static void need(String peer, Probe probe) {
        check(peer, result(peer, probe), required(System.getenv(REQUIRE)));
    }

    /** The probe's cached result: null when the peer works, otherwise what failed. */
    static synchronized String result(String peer, Probe probe) {
        String r = RESULTS.get(peer);
        if (r == null) {
            try {
                r = probe.run();
            } catch (IOException e) {
                r = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r = "interrupted";
            }
            r = r == null ? "" : r;
            RESULTS.put(peer, r);
        }
        return r.isEmpty() ? null : r;
    }

    /** Whether the variable's value asks for the peers: "1" (or "true", "yes"). */
    static boolean required(String value) {
        return value != null && List.of("1", "true", "yes").contains(value.trim().toLowerCase(java.util.Locale.ROOT));
    }

    /** Nothing when {@code failure} is null; otherwise skips the test (a JUnit assumption) or, when required, fails it. */
    static void check(String peer, String failure, boolean required) {
        check(peer, failure, required, REQUIRE);
    }

    /** As {@link #check(String, String, boolean)}, the variable that makes it required named {@code variable}. */
    static void check(String peer, String failure, boolean required, String variable) {
        if (failure == null) {
            return;
        }
        String what = peer + " does not work here: " + failure;
        if (required) {
            Assertions.fail(what + " (" + variable + "=1: required)");
        }
        Assumptions.abort(what + "; test skipped (set " + variable + "=1 to make this a failure)");
    }

    /**
     * Runs the command in dir with no input. Null when it exits 0 (and, when {@code expect} is not null, prints it);
     * otherwise what went wrong, with the end of its output.
     */
    static String run(Path dir, String expect, String... command) throws IOException, InterruptedException {
        String cmd = String.join(" ", command);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("probe.log").toFile());
        pb.environment().put("GMX_MAXBACKUP", "-1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return "cannot start '" + cmd + "': " + e.getMessage();
        }
        p.getOutputStream().close();
        if (!p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return "'" + cmd + "' did not finish within " + PROBE_SECONDS + " s";
        }
        String out = new String(Files.readAllBytes(dir.resolve("probe.log")), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            return "'" + cmd + "' exited with status " + p.exitValue() + tail(out);
        }
        if (expect != null && !out.contains(expect)) {
            return "'" + cmd + "' did not print '" + expect + "'" + tail(out);
        }
        return null;
    }

    /** The last lines of a program's output, for a failure message. */
    private static String tail(String out) {
        String t = out.strip();
        if (t.isEmpty()) {
            return " (no output)";
        }
        String[] lines = t.split("\n");
        int from = Math.max(0, lines.length - 6);
        return ":\n    " + String.join("\n    ", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    /** A step of a probe that works in a directory. */
    @FunctionalInterface
    interface InDir {
        String run(Path dir) throws IOException, InterruptedException;
    }

    /** Runs the step in a fresh temporary directory and deletes it afterwards. */
    static String inTempDir(InDir step) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("remcg-peer-probe");
        try {
            return step.run(dir);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(q);
                }
            }
        }
    }

    private static final String GRO = """
            remcg peer probe
            2
                1AR       A    1   1.000   1.000   1.000
                2AR       A    2   1.000   1.000   1.400
               3.00000   3.00000   3.00000
            """;
}
