package org.remcg.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpusTest {
    @TempDir
    Path dir;

    @Test
    void theSmallestOfTheJvmSlurmAndTheQuota() {
        assertEquals(8, Cpus.available(8, Map.of(), 0));
        assertEquals(3, Cpus.available(8, Map.of("SLURM_CPUS_PER_TASK", "3"), 0));
        assertEquals(8, Cpus.available(8, Map.of("SLURM_CPUS_PER_TASK", "16"), 0), "Slurm never raises the count");
        assertEquals(2, Cpus.available(8, Map.of("SLURM_CPUS_PER_TASK", "3"), 2));
        assertEquals(8, Cpus.available(8, Map.of("SLURM_CPUS_PER_TASK", "lots"), 0), "a value that is no count is ignored");
        assertEquals(8, Cpus.available(8, Map.of("SLURM_CPUS_PER_TASK", "0"), 0));
        assertEquals(1, Cpus.available(0, Map.of(), 0), "at least one");
    }

    @Test
    void quotasRoundUpAndMaxIsNoLimit() {
        assertEquals(0, Cpus.cpuMax("max 100000\n"));
        assertEquals(2, Cpus.cpuMax("150000 100000\n"));
        assertEquals(1, Cpus.cpuMax("50000 100000"));
        assertEquals(4, Cpus.cpuMax("400000 100000"));
        assertEquals(0, Cpus.cpuMax("garbage"));
        assertEquals(0, Cpus.cpuMax(null));
        assertEquals(0, Cpus.quota("-1", "100000"), "cgroup v1: -1 is no limit");
        assertEquals(3, Cpus.quota("250000\n", "100000\n"));
    }

    /** The groups root, root/names[0], root/names[0]/names[1], ... (created). */
    private static Path[] groups(Path root, String... names) throws java.io.IOException {
        Path[] g = new Path[names.length + 1];
        g[0] = Files.createDirectories(root);
        for (int i = 0; i < names.length; i++) {
            g[i + 1] = Files.createDirectories(g[i].resolve(names[i]));
        }
        return g;
    }

    /** Writes values[i] (one line) to the file in group i; a null value leaves that group's file as it is. */
    private static void settings(Path[] groups, String file, String... values) throws java.io.IOException {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                Files.writeString(groups[i].resolve(file), values[i] + "\n");
            }
        }
    }

    /** cgroup v1: the quota is set on the job's group, the process sits in a task's group below it (quota -1). */
    @Test
    void aParentGroupsQuotaCountsInCgroupV1() throws Exception {
        Path cpu = dir.resolve("cpu");
        Path[] g = groups(cpu, "job", "task");
        settings(g, "cpu.cfs_quota_us", null, "150000", "-1");
        settings(g, "cpu.cfs_period_us", null, "100000", "100000");
        Path cgroup = Files.writeString(dir.resolve("cgroup"), "4:memory:/job/task\n2:cpu,cpuacct:/job/task\n0::/\n");
        Path mountinfo = Files.writeString(dir.resolve("mountinfo"), "31 23 0:28 / " + dir + " rw,relatime - tmpfs tmpfs rw,mode=755\n"
                + "32 31 0:29 / " + cpu + " rw,relatime shared:7 - cgroup cgroup rw,cpu,cpuacct\n");
        assertEquals(2, Cpus.cgroupQuota(cgroup, mountinfo));
        // no quota anywhere
        settings(g, "cpu.cfs_quota_us", null, "-1", null);
        assertEquals(0, Cpus.cgroupQuota(cgroup, mountinfo));
    }

    /** cgroup v2, mounted from a sub-group (a container without a cgroup namespace): the group's path starts with the mount's root. */
    @Test
    void theSmallestQuotaUpTheTreeInCgroupV2() throws Exception {
        Path root = dir.resolve("unified");
        Path[] g = groups(root, "pod", "ctr");
        settings(g, "cpu.max", "300000 100000", "100000 100000", "max 100000");
        Path cgroup = Files.writeString(dir.resolve("cgroup"), "0::/kubepods/pod/ctr\n");
        Path mountinfo = Files.writeString(dir.resolve("mountinfo"), "40 30 0:35 /kubepods " + root + " rw,nosuid - cgroup2 cgroup2 rw\n");
        assertEquals(1, Cpus.cgroupQuota(cgroup, mountinfo));
        settings(g, "cpu.max", null, "max 100000", null);
        assertEquals(3, Cpus.cgroupQuota(cgroup, mountinfo));
        // unreadable or missing files: no limit known
        assertEquals(0, Cpus.cgroupQuota(dir.resolve("missing"), mountinfo));
    }
}
