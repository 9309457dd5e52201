package org.remcg.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How external runs are started: shell-like splitting of the configured command (without a shell), the ranks of an
 * mpirun command, the SLURM allocation's CPUs, the srun line of a step, and which inherited variables a step must not
 * see. Also the table styles read from {@code lmp -h}.
 */
class LauncherTest {

    @Test
    void commandsSplitLikeAShellWithoutOne() {
        assertEquals(List.of("mpirun", "-np", "2", "lmp"), Launcher.split("  mpirun -np 2\tlmp "));
        assertEquals(List.of("lmp", "-var", "x", "a b", "c\"d", "$HOME"), Launcher.split("lmp -var x 'a b' \"c\\\"d\" '$HOME'"));
        assertEquals(List.of("my lmp", "-sf", "omp"), Launcher.split("my\\ lmp -sf omp"));
        assertEquals(List.of("ab"), Launcher.split("a\"\"b"));
        for (String bad : List.of("lmp | tee log", "lmp > out", "lmp; rm x", "lmp &", "lmp -v x $X", "lmp -v x \"$X\"", "lmp -in *.in", "~/bin/lmp",
                "`which lmp`", "lmp 'open", "lmp \"open", "", "   ", "lmp \\")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Launcher.split(bad), bad);
            assertFalse(e.getMessage().isBlank());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Launcher.split("lmp | tee")).getMessage().contains("'|'"));
    }

    @Test
    void ranksOfAnMpiCommand() {
        assertEquals(2, Launcher.mpiRanks(List.of("mpirun", "-np", "2", "lmp")));
        assertEquals(4, Launcher.mpiRanks(List.of("/usr/bin/mpiexec", "--allow-run-as-root", "-n", "4", "lmp")));
        assertEquals(8, Launcher.mpiRanks(List.of("mpirun.openmpi", "--np=8", "lmp")));
        assertEquals(0, Launcher.mpiRanks(List.of("mpirun", "lmp")));
        assertEquals(0, Launcher.mpiRanks(List.of("lmp", "-np", "2")));
        assertEquals(0, Launcher.mpiRanks(List.of("mpirun", "-np", "x", "lmp")));
    }

    @Test
    void programsAreFoundOnPath() {
        assertEquals(Path.of("/bin/sh"), Launcher.program("sh", Map.of("PATH", "/nonexistent:/bin")));
        assertNull(Launcher.program("sh", Map.of("PATH", "/nonexistent")));
        assertNull(Launcher.program("no-such-program-here", Map.of("PATH", "/bin:/usr/bin")));
        assertEquals(Path.of("/bin/sh"), Launcher.program("/bin/sh", Map.of()));
    }

    @Test
    void localLauncherRunsWhatFitsOnItsCpus() {
        Launcher.Local l = new Launcher.Local(8);
        assertEquals(4, l.slots(2));
        assertEquals(1, l.slots(16), "a run larger than the machine still runs, alone");
        var pb = l.builder(List.of("lmp", "-h"), 2, 1, Path.of("/tmp"), Path.of("/tmp/out.txt"));
        assertEquals(List.of("lmp", "-h"), pb.command());
        if (System.getenv("OMPI_MCA_hwloc_base_binding_policy") == null) {
            assertEquals("none", pb.environment().get("OMPI_MCA_hwloc_base_binding_policy"), "concurrent mpiruns must not bind to the same cores");
        }
        if (System.getenv("OMPI_MCA_mpi_yield_when_idle") == null) {
            assertEquals("1", pb.environment().get("OMPI_MCA_mpi_yield_when_idle"), "waiting ranks yield the CPU");
        }
    }

    @Test
    void slurmAllocationAndStepLine() {
        assertArrayEquals(new int[] {32, 32, 16}, Launcher.Slurm.cpusPerNode("32(x2),16"));
        assertArrayEquals(new int[] {2}, Launcher.Slurm.cpusPerNode("2"));
        assertNull(Launcher.Slurm.cpusPerNode("2(x"));
        assertNull(Launcher.Slurm.cpusPerNode("abc"));
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> Launcher.Slurm.of(Map.of("PATH", "/bin")));
        assertTrue(outside.getMessage().contains("SLURM_JOB_ID is not set"), outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Launcher.Slurm.of(Map.of("SLURM_JOB_ID", "7")));

        Map<String, String> env = new HashMap<>(Map.of("SLURM_JOB_ID", "1234", "SLURM_JOB_CPUS_PER_NODE", "4(x2)", "SLURM_NNODES", "2"));
        Launcher.Slurm s = Launcher.Slurm.of(env);
        assertEquals(8, s.cpus());
        assertEquals(4, s.slots(2), "two runs of 2 CPUs on each of the two nodes");
        assertEquals(2, s.slots(3), "a run of 3 CPUs stays on one node: one per node");
        assertEquals(1, s.slots(8), "a run of 8 CPUs spans both nodes");
        assertEquals(0, s.slots(9));
        var pb = s.builder(List.of("lmp", "-in", "in.run"), 2, 1, Path.of("/tmp"), Path.of("/tmp/o"));
        assertEquals(List.of("srun", "--exact", "--ntasks=2", "--cpus-per-task=1", "--nodes=1", "--kill-on-bad-exit=1", "--job-name=remcg-lammps", "lmp",
                "-in", "in.run"), pb.command());
        assertTrue(s.builder(List.of("lmp"), 6, 1, Path.of("/tmp"), Path.of("/tmp/o")).command().contains("--nodes=2"), "6 CPUs need both nodes");
    }

    @Test
    void stepVariablesAreRemovedJobVariablesKept() {
        Map<String, String> env = new HashMap<>();
        for (String v : List.of("SLURM_STEP_ID", "SLURM_STEPID", "SLURM_STEP_NODELIST", "SLURM_STEP_NUM_TASKS", "SLURM_STEP_TASKS_PER_NODE",
                "SLURM_STEP_LAUNCHER_PORT", "SLURM_PROCID", "SLURM_LOCALID", "SLURM_NODEID", "SLURM_TASK_PID", "SLURM_GTIDS", "SLURM_CPU_BIND",
                "SLURM_CPU_BIND_TYPE", "SLURM_CPU_BIND_LIST", "SLURM_DISTRIBUTION", "SLURM_NTASKS", "SLURM_NPROCS", "SLURM_NTASKS_PER_NODE",
                "SLURM_TASKS_PER_NODE", "SLURM_CPUS_PER_TASK", "SLURM_SRUN_COMM_HOST", "SLURM_SRUN_COMM_PORT", "SLURM_LAUNCH_NODE_IPADDR", "SLURM_EXACT",
                "PMIX_RANK", "PMIX_NAMESPACE", "PMIX_SERVER_URI41", "PMI_RANK", "PMI_SIZE", "PMI_FD")) {
            env.put(v, "x");
        }
        Set<String> kept = Set.of("SLURM_JOB_ID", "SLURM_JOBID", "SLURM_JOB_NODELIST", "SLURM_NNODES", "SLURM_JOB_NUM_NODES", "SLURM_JOB_CPUS_PER_NODE",
                "SLURM_MEM_PER_CPU", "SLURM_CLUSTER_NAME", "SLURM_JOB_PARTITION", "SLURM_SUBMIT_DIR", "SLURM_UMASK", "PMI_FANOUT", "PATH", "HOME");
        for (String v : kept) {
            env.put(v, "y");
        }
        Launcher.stepEnvironment(env);
        assertEquals(kept, env.keySet());
    }

    @Test
    void tableStylesFromLammpsHelp() {
        String help = """
                List of individual style options included in this LAMMPS executable

                * Atom styles:

                atomic          body            charge

                * Pair styles:

                born            lj/cut          table           zero

                * Bond styles:

                fene            harmonic

                * Angle styles:

                harmonic        table

                * Dihedral styles:

                * Improper styles:
                """;
        assertEquals("", LammpsSampler.missingStyles(help, Set.of("pair")));
        assertEquals("bond_style table", LammpsSampler.missingStyles(help, Set.of("pair", "bond", "angle")));
        assertEquals("bond_style table, dihedral_style table", LammpsSampler.missingStyles(help, Set.of("bond", "dihedral")));
        assertNull(LammpsSampler.missingStyles("mpirun was unable to find the specified executable file", Set.of("pair")));
        assertEquals("pair_style table", LammpsSampler.missingStyles(help.replace("table           zero", "zero"), Set.of("pair")));
    }
}
