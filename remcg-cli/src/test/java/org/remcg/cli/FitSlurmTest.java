package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.testing.Peers;

/**
 * A fit with two LAMMPS replicas per simulation under {@code launcher: slurm}, inside a real allocation
 * ({@code salloc -n2} of the cluster {@code scripts/slurm-test-cluster.sh} starts; skipped with the reason when no
 * SLURM runs, failed under REMCG_REQUIRE_SLURM=1). The fit runs in its own JVM inside the allocation; LAMMPS is
 * started through a wrapper that writes the step's SLURM variables and its start and end times into the run
 * directory. Every run must be a job step of that allocation (its own step id, one task of one CPU as stated, not the
 * allocation's two tasks), the two replicas of a simulation must have run at the same time, and the merged frames
 * are both replicas'. A third replica, which the two CPUs cannot hold, is refused before the first simulation.
 */
class FitSlurmTest {
    @TempDir
    Path dir;

    @BeforeEach
    void peers() {
        Peers.slurm();
        Peers.lammps();
    }

    /** LAMMPS behind a wrapper that records the job step it runs in. */
    Path wrapper() throws Exception {
        Path w = dir.resolve("lmp-step.sh");
        Files.writeString(w, """
                #!/bin/sh
                if [ "$1" = "-h" ]; then exec lmp -h; fi
                { echo "job=$SLURM_JOB_ID"; echo "step=$SLURM_STEP_ID"; echo "ntasks=$SLURM_NTASKS"; echo "cpus=$SLURM_CPUS_PER_TASK"; \
                  echo "start=$(date +%s.%N)"; } > step.env
                lmp "$@"
                code=$?
                echo "end=$(date +%s.%N)" >> step.env
                exit $code
                """);
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
        return w;
    }

    Path config(String name, int replicas) throws Exception {
        FitCliTest cli = new FitCliTest();
        cli.dir = dir;
        Path conf = cli.config(name, "out-" + name, "sampler: {kind: lammps, launcher: slurm, command: " + wrapper() + ", replicas: " + replicas + "}\n");
        Files.writeString(conf, Files.readString(conf).replace("knots: 28", "knots: 20")
                .replace("steps: 2000, equilibrate: 500, sample_every: 10, seed: 3", "steps: 2000, equilibrate: 500, sample_every: 20, seed: 3")
                .replace("max_iterations: 4", "max_iterations: 3"));
        return conf;
    }

    /** {@code remcg fit CONF --quiet} in a JVM of its own inside {@code salloc -n2}; exit code, output in log. */
    int fitInAllocation(Path conf, Path log, String... more) throws Exception {
        Process p = startInAllocation(conf, log, more);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroy();
            throw new AssertionError("the fit in the allocation did not end within 10 minutes: " + Files.readString(log));
        }
        return p.exitValue();
    }

    /** {@code fitInAllocation} of the configuration NAME with two replicas, which must end (exit 0, or 3: not converged); its exit code. */
    int fitToTheEnd(String name) throws Exception {
        Path log = dir.resolve(name.replace(".yaml", ".log"));
        int code = fitInAllocation(config(name, 2), log);
        assertTrue(code == 0 || code == 3, "exit " + code + ": " + Files.readString(log));
        return code;
    }

    /** The same, started: the salloc process (the fit's JVM is its descendant). */
    Process startInAllocation(Path conf, Path log, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("salloc", "-n2", "--immediate=60", "--time=10", "--job-name=remcg-test",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "fit", conf.toString(), "--quiet"));
        cmd.addAll(List.of(more));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Under the slurm launcher too, a fit killed (kill -9 of its JVM, in the middle of the second simulation's job
     * steps) and resumed with --resume in a new allocation ends with exactly the model and history of an
     * uninterrupted run (LAMMPS on one rank repeats a run bit for bit; the replicas' configurations travel in the
     * checkpoint). The killed fit's job steps end with its allocation, which ends when the JVM it ran dies.
     */
    @Test
    void killedFitResumesToTheSameModelInANewAllocation() throws Exception {
        int code = fitToTheEnd("whole.yaml");
        Path wout = dir.resolve("out-whole.yaml");

        Path killed = config("killed.yaml", 2);
        Path out = dir.resolve("out-killed.yaml");
        Process p = startInAllocation(killed, dir.resolve("killed.log"));
        Path cp = out.resolve("checkpoint.json");
        Path children = out.resolve(org.remcg.fit.ChildProcesses.FILE);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        boolean caught = false;
        while (p.isAlive() && System.nanoTime() < deadline && !caught) {
            caught = Files.exists(cp) && Files.readString(cp).contains("\"simulations\":1") && Files.exists(children);
            Thread.sleep(20);
        }
        List<Long> pids = new ArrayList<>();
        if (caught) {
            for (String line : Files.readAllLines(children)) {
                pids.add(Long.parseLong(line.split(" ")[0]));
            }
        }
        // kill -9 of the fit's JVM inside the allocation (salloc then ends, and with it the job's steps)
        List<ProcessHandle> jvms = p.toHandle().descendants().filter(h -> h.info().commandLine().orElse("").contains(Main.class.getName())).toList();
        jvms.forEach(ProcessHandle::destroyForcibly);
        assertTrue(caught && !jvms.isEmpty(), "the fit was not caught in its second simulation: " + Files.readString(dir.resolve("killed.log")));
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "salloc ended after its command was killed");
        assertFalse(Files.exists(out.resolve("model.yaml")), "the killed fit did not finish");
        // the steps' processes (srun and what it started) do not outlive the allocation
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pids.stream().anyMatch(q -> ProcessHandle.of(q).map(ProcessHandle::isAlive).orElse(false)) && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        for (long q : pids) {
            assertFalse(ProcessHandle.of(q).map(ProcessHandle::isAlive).orElse(false), "process " + q + " of the killed fit still runs");
        }

        Path rlog = dir.resolve("resumed.log");
        int resumed = fitInAllocation(killed, rlog, "--resume");
        assertEquals(code, resumed, Files.readString(rlog));
        assertEquals(Files.readString(wout.resolve("model.yaml")).replace("whole.yaml", "X"), Files.readString(out.resolve("model.yaml"))
                .replace("killed.yaml", "X"));
        assertEquals(FitResumeTest.withoutTimings(wout.resolve("history.csv")), FitResumeTest.withoutTimings(out.resolve("history.csv")));
    }

    static Map<String, String> env(Path file) throws Exception {
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    @Test
    void twoReplicasRunAsConcurrentJobSteps() throws Exception {
        long t0 = System.nanoTime();
        fitToTheEnd("two.yaml");
        double seconds = (System.nanoTime() - t0) * 1e-9;
        Path runs = dir.resolve("out-two.yaml").resolve("runs");
        List<String> history = Files.readAllLines(dir.resolve("out-two.yaml").resolve("history.csv"));
        assertTrue(history.size() >= 3, "simulations: " + history);
        Set<String> steps = new HashSet<>();
        String job = null;
        int overlapping = 0;
        int sims = 0;
        try (var s = Files.list(runs)) {
            for (Path sim : s.sorted().toList()) {
                Map<String, String> a = env(sim.resolve("replica-0").resolve("step.env"));
                Map<String, String> b = env(sim.resolve("replica-1").resolve("step.env"));
                for (Map<String, String> e : List.of(a, b)) {
                    assertFalse(e.get("job").isEmpty(), sim + ": not in a job");
                    job = job == null ? e.get("job") : job;
                    assertEquals(job, e.get("job"), "every run is a step of the one allocation");
                    assertTrue(steps.add(e.get("step")), "each run is its own step: " + e);
                    assertEquals("1", e.get("ntasks"), "the step's own task count, not the allocation's 2");
                    assertEquals("1", e.get("cpus"), "--cpus-per-task as stated");
                }
                double s0 = Double.parseDouble(a.get("start"));
                double e0 = Double.parseDouble(a.get("end"));
                double s1 = Double.parseDouble(b.get("start"));
                double e1 = Double.parseDouble(b.get("end"));
                overlapping += Math.max(s0, s1) < Math.min(e0, e1) ? 1 : 0;
                sims++;
            }
        }
        // history.csv: a header and a row per simulation; run directories: one per simulation and the validation run's
        assertEquals(history.size(), sims, "a run directory per simulation and the validation run");
        assertTrue(overlapping >= sims - 1, "the replicas of a simulation run at the same time: " + overlapping + " of " + sims);
        // the merged frames are both replicas': 2000 / 20 frames each at full length, at least 20 each for the shortest
        String[] first = history.get(1).split(",");
        int frames = Integer.parseInt(first[1]);
        assertEquals(0, frames % 2, "frames of two equal replicas");
        assertTrue(frames >= 40, "both replicas' frames: " + frames);
        System.out.printf(java.util.Locale.ROOT, "fit with 2 replicas as SLURM job steps: %d simulations in %.1f s (job %s, steps %s)%n", sims,
                seconds, job, steps.size());

        // three replicas of one CPU do not fit two CPUs at once: refused before any simulation
        Path three = config("three.yaml", 3);
        Path log3 = dir.resolve("three.log");
        assertEquals(2, fitInAllocation(three, log3), Files.readString(log3));
        String err = Files.readString(log3);
        assertTrue(err.contains("3 replicas of 1 rank x 1 CPU need 3 CPUs at once"), err);
        assertFalse(Files.exists(dir.resolve("out-three.yaml").resolve("runs")), "no simulation ran");
    }
}
