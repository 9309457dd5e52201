package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.fit.ChildProcesses;
import org.remcg.testing.Peers;

/**
 * A fit with two LAMMPS replicas killed with SIGKILL while its LAMMPS processes run: they outlive it (listed in
 * {@code children.txt}), and the {@code --resume} that follows ends them before it starts anything, then ends with
 * exactly the model and history of an uninterrupted run (LAMMPS on one rank repeats a run bit for bit; the replicas'
 * configurations travel in the checkpoint).
 */
class LammpsResumeTest {
    @TempDir
    Path dir;

    Path config(String name) throws Exception {
        FitCliTest cli = new FitCliTest();
        cli.dir = dir;
        Path conf = cli.config(name, "out-" + name, "sampler: {kind: lammps, command: lmp, replicas: 2}\n");
        Files.writeString(conf, Files.readString(conf).replace("knots: 28", "knots: 20")
                .replace("steps: 2000, equilibrate: 500, sample_every: 10, seed: 3", "steps: 4000, equilibrate: 500, sample_every: 20, seed: 3")
                .replace("max_iterations: 4", "max_iterations: 3"));
        return conf;
    }

    @Test
    void killedFitLeavesNoOrphanAndResumesToTheSameModel() throws Exception {
        Peers.lammps();
        Path whole = config("whole.yaml");
        CliRun r = CliRun.run("fit", whole.toString(), "--quiet");
        assertTrue(r.code() == 0 || r.code() == 3, r.err());
        Path wout = dir.resolve("out-whole.yaml");

        Path killed = config("killed.yaml");
        Path out = dir.resolve("out-killed.yaml");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "fit", killed.toString(), "--quiet"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path cp = out.resolve("checkpoint.json");
        Path children = out.resolve(ChildProcesses.FILE);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        List<Long> pids = new ArrayList<>();
        while (p.isAlive() && System.nanoTime() < deadline) {
            // the second simulation's LAMMPS processes are running
            if (Files.exists(cp) && Files.readString(cp).contains("\"simulations\":1") && Files.exists(children)) {
                pids.clear();
                try {
                    for (String line : Files.readAllLines(children)) {
                        pids.add(Long.parseLong(line.split(" ")[0]));
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    continue;
                }
                if (!pids.isEmpty() && pids.stream().allMatch(q -> ProcessHandle.of(q).map(ProcessHandle::isAlive).orElse(false))) {
                    break;
                }
            }
            Thread.sleep(20);
        }
        boolean midway = p.isAlive();
        p.destroyForcibly().waitFor();
        assertTrue(midway && !pids.isEmpty(), "the fit was not caught with LAMMPS running: " + Files.readString(dir.resolve("child.log")));
        List<ProcessHandle> orphans = new ArrayList<>();
        for (long q : pids) {
            Optional<ProcessHandle> h = ProcessHandle.of(q);
            h.filter(ProcessHandle::isAlive).ifPresent(orphans::add);
        }
        assertFalse(orphans.isEmpty(), "LAMMPS outlived the killed fit (the case to clean up)");

        CliRun resumed = CliRun.run("fit", killed.toString(), "--resume");
        assertEquals(r.code(), resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("left running by an earlier fit"), resumed.err());
        for (ProcessHandle h : orphans) {
            assertFalse(h.isAlive(), "process " + h.pid() + " left by the killed fit still runs");
        }
        assertFalse(Files.exists(children), "no child listed after the fit");
        assertEquals(Files.readString(wout.resolve("model.yaml")).replace("whole.yaml", "X"), Files.readString(out.resolve("model.yaml"))
                .replace("killed.yaml", "X"));
        assertEquals(FitResumeTest.withoutTimings(wout.resolve("history.csv")), FitResumeTest.withoutTimings(out.resolve("history.csv")));
    }
}
