package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code remcg fit --resume} gives exactly the uninterrupted run's result (docs/CONFIG.md), for a target made
 * from a trajectory (the bundled SPC/E example with short runs) and for a target file. One uninterrupted run keeps
 * what a {@code kill -9} right after each checkpoint would leave in the output directory (the checkpoint, and
 * history.csv not yet rewritten); each of these states is resumed in a directory of its own and must end with
 * the same model.yaml, history.csv and distributions, byte for byte. A resume of the finished run must leave its
 * model.yaml and distributions as they are. The subprocess kill itself is {@link FitCliTest}'s.
 */
class FitResumeTest {
    @TempDir
    Path dir;

    static final Path EXAMPLE = Path.of("..", "examples", "spce-water").toAbsolutePath().normalize();

    /**
     * Equilibration not a multiple of sample_every, short simulations (adaptive lengths from a quarter). One thread:
     * results do not depend on the thread count (EngineSamplerResumeTest resumes a two-thread run with one).
     */
    static final String ENGINE = "engine: {dt: 0.004, friction: 5.0, steps: 600, equilibrate: 150, sample_every: 10, seed: 5, threads: 1}\n"
            + "optimizer: {max_iterations: 4}\n"
            + "output: {dir: out}\n";

    @AfterEach
    void unhook() {
        FitCommand.afterCheckpoint = p -> { };
    }

    static String trajectoryTarget() {
        return "temperature: 300\n"
                + "reference:\n"
                + "  trajectory: " + EXAMPLE.resolve("aa.xtc") + "\n"
                + "  topology: " + EXAMPLE.resolve("conf.gro") + "\n"
                + "  gromacs_topology: " + EXAMPLE.resolve("topol.top") + "\n"
                + "  mapping: " + EXAMPLE.resolve("mapping.yaml") + "\n"
                + "interactions:\n"
                + "  - {type: pair, beads: [W, W], cutoff: 0.9, basis: {kind: bspline, knots: 24, min: 0.0, max: 0.9}}\n"
                + ENGINE;
    }

    static String fileTarget() {
        return "temperature: 300\n"
                + "system: {configuration: " + EXAMPLE.resolve("targets").resolve("cg-start.gro") + ", masses: {W: 18.0154}}\n"
                + "interactions:\n"
                + "  - {type: pair, beads: [W, W], cutoff: 0.9, target: " + EXAMPLE.resolve("targets").resolve("rdf-W-W.csv") + ",\n"
                + "     basis: {kind: bspline, knots: 40, min: 0.2, max: 0.9}}\n"
                + ENGINE;
    }

    @Test
    void resumedFromTrajectoryTargetEqualsUninterrupted() throws Exception {
        assertResumesExactly("traj", trajectoryTarget());
    }

    @Test
    void resumedFromFileTargetEqualsUninterrupted() throws Exception {
        assertResumesExactly("file", fileTarget());
    }

    /** Runs the fit config {@code text} in {@code where} (the config as fit.yaml, outputs in out/). */
    static CliRun fit(Path where, String text, String... more) throws Exception {
        Files.createDirectories(where);
        Path conf = where.resolve("fit.yaml");
        Files.writeString(conf, text);
        List<String> args = new ArrayList<>(List.of("fit", conf.toString(), "--quiet"));
        args.addAll(List.of(more));
        return CliRun.run(args.toArray(String[]::new));
    }

    void assertResumesExactly(String name, String text) throws Exception {
        // what a kill right after each checkpoint leaves: keyed by the simulations the checkpoint holds
        Map<Integer, byte[][]> killed = new TreeMap<>();
        FitCommand.afterCheckpoint = p -> {
            try {
                byte[] cp = Files.readAllBytes(p);
                Path h = p.resolveSibling("history.csv");
                int sims = org.remcg.optimize.Checkpoint.read(p).state().simulations();
                killed.putIfAbsent(sims, new byte[][] {cp, Files.exists(h) ? Files.readAllBytes(h) : null});
            } catch (java.io.IOException | org.remcg.io.DataFormatException e) {
                throw new IllegalStateException(e);
            }
        };
        Path whole = dir.resolve(name + "-whole");
        CliRun r = fit(whole, text);
        FitCommand.afterCheckpoint = p -> { };
        assertTrue(r.code() == 0 || r.code() == 3, r.err());
        Path wout = whole.resolve("out");
        int sims = killed.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        assertTrue(sims >= 3, "too few simulations to test resuming: " + sims);
        // resuming the finished run changes none of its results
        Map<Path, byte[]> before = results(wout);
        CliRun again = fit(whole, text, "--resume");
        assertEquals(r.code(), again.code(), again.err());
        Map<Path, byte[]> after = results(wout);
        assertEquals(before.keySet(), after.keySet());
        for (Path f : before.keySet()) {
            assertArrayEquals(before.get(f), after.get(f), "--resume of the finished run rewrote " + f);
        }
        for (int k = 1; k < sims; k++) {
            Path run = dir.resolve(name + "-killed-" + k);
            Path out = run.resolve("out");
            Files.createDirectories(out);
            Files.write(out.resolve("checkpoint.json"), killed.get(k)[0]);
            if (killed.get(k)[1] != null) {
                Files.write(out.resolve("history.csv"), killed.get(k)[1]);
            }
            CliRun resumed = fit(run, text, "--resume");
            assertEquals(r.code(), resumed.code(), "killed after simulation " + k + ": " + resumed.err());
            assertSameResult(wout, out, "killed after simulation " + k);
        }
    }

    /** model.yaml and distributions/*.csv of an output directory. */
    static Map<Path, byte[]> results(Path out) throws Exception {
        Map<Path, byte[]> m = new TreeMap<>();
        m.put(Path.of("model.yaml"), Files.readAllBytes(out.resolve("model.yaml")));
        try (Stream<Path> s = Files.list(out.resolve("distributions"))) {
            for (Path p : s.sorted().toList()) {
                m.put(out.relativize(p), Files.readAllBytes(p));
            }
        }
        assertTrue(m.size() > 1, "no distributions in " + out);
        return m;
    }

    static void assertSameResult(Path expected, Path actual, String what) throws Exception {
        assertEquals(withoutTimings(expected.resolve("history.csv")), withoutTimings(actual.resolve("history.csv")), what + ": history.csv");
        Map<Path, byte[]> a = results(expected);
        Map<Path, byte[]> b = results(actual);
        assertEquals(a.keySet(), b.keySet(), what);
        for (Path f : a.keySet()) {
            assertArrayEquals(a.get(f), b.get(f), what + ": " + f);
        }
    }

    /** history.csv without columns of wall-clock time (their header names a time or seconds). */
    static String withoutTimings(Path history) throws Exception {
        List<String> lines = Files.readAllLines(history);
        String[] head = lines.get(0).split(",", -1);
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < head.length; i++) {
            String h = head[i].toLowerCase(java.util.Locale.ROOT);
            if (!h.contains("time") && !h.contains("seconds") && !h.equals("s")) {
                keep.add(i);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            String[] c = line.split(",", -1);
            for (int i : keep) {
                sb.append(i < c.length ? c[i] : "").append(',');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
