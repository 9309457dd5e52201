package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default thread count follows the CPUs the process may use: here a Slurm task's CPU count (in a fresh JVM, which reads its environment). */
class CpuDefaultsCliTest {
    @TempDir
    Path dir;

    String simulate(String slurmCpus) throws Exception {
        SimulateCliTest s = SimulateCliTest.in(dir);
        Path start = s.startGro();
        Path model = s.argonModel();
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "simulate", "--model", model.toString(), "--conf", start.toString(),
                "--steps", "20", "--sample-every", "10", "--out", dir.resolve("out").toString())).redirectErrorStream(true);
        pb.environment().remove("SLURM_CPUS_PER_TASK");
        if (slurmCpus != null) {
            pb.environment().put("SLURM_CPUS_PER_TASK", slurmCpus);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void simulateUsesOneThreadInAOneCpuSlurmTask() throws Exception {
        Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs a machine with two CPUs to tell the difference");
        String one = simulate("1");
        assertTrue(one.contains(", 1 thread(s)"), one);
        String all = simulate(null);
        assertTrue(all.contains(", 2 thread(s)"), all);
    }
}
