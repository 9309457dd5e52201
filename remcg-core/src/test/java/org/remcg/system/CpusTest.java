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

    /** cgroup v1: the quota is set on the job's group, the process sits in a task's group below it (quota -1). */
    @Test
    void aParentGroupsQuotaCountsInCgroupV1() throws Exception {
        Path cpu = dir.resolve("cpu");
        Path job = Files.createDirectories(cpu.resolve("job"));
        Path task = Files.createDirectories(job.resolve("task"));
        Files.writeString(job.resolve("cpu.cfs_quota_us"), "150000\n");
        Files.writeString(job.resolve("cpu.cfs_period_us"), "100000\n");
        Files.writeString(task.resolve("cpu.cfs_quota_us"), "-1\n");
        Files.writeString(task.resolve("cpu.cfs_period_us"), "100000\n");
        Path cgroup = Files.writeString(dir.resolve("cgroup"), "4:memory:/job/task\n2:cpu,cpuacct:/job/task\n0::/\n");
        Path mountinfo = Files.writeString(dir.resolve("mountinfo"), "31 23 0:28 / " + dir + " rw,relatime - tmpfs tmpfs rw,mode=755\n"
                + "32 31 0:29 / " + cpu + " rw,relatime shared:7 - cgroup cgroup rw,cpu,cpuacct\n");
        assertEquals(2, Cpus.cgroupQuota(cgroup, mountinfo));
        // no quota anywhere
        Files.writeString(job.resolve("cpu.cfs_quota_us"), "-1\n");
        assertEquals(0, Cpus.cgroupQuota(cgroup, mountinfo));
    }

    /** cgroup v2, mounted from a sub-group (a container without a cgroup namespace): the group's path starts with the mount's root. */
    @Test
    void theSmallestQuotaUpTheTreeInCgroupV2() throws Exception {
        Path root = dir.resolve("unified");
        Path pod = Files.createDirectories(root.resolve("pod"));
        Path ctr = Files.createDirectories(pod.resolve("ctr"));
        Files.writeString(root.resolve("cpu.max"), "300000 100000\n");
        Files.writeString(pod.resolve("cpu.max"), "100000 100000\n");
        Files.writeString(ctr.resolve("cpu.max"), "max 100000\n");
        Path cgroup = Files.writeString(dir.resolve("cgroup"), "0::/kubepods/pod/ctr\n");
        Path mountinfo = Files.writeString(dir.resolve("mountinfo"), "40 30 0:35 /kubepods " + root + " rw,nosuid - cgroup2 cgroup2 rw\n");
        assertEquals(1, Cpus.cgroupQuota(cgroup, mountinfo));
        Files.writeString(pod.resolve("cpu.max"), "max 100000\n");
        assertEquals(3, Cpus.cgroupQuota(cgroup, mountinfo));
        // unreadable or missing files: no limit known
        assertEquals(0, Cpus.cgroupQuota(dir.resolve("missing"), mountinfo));
    }
}
