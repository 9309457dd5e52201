package org.remcg.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The number of CPUs this process may use: the default thread count of every command. The smallest of
 * <ul>
 * <li>the JVM's count ({@link Runtime#availableProcessors()}: the CPU affinity mask, the quota of the process'
 * own control group, or {@code -XX:ActiveProcessorCount});</li>
 * <li>the CPU quotas of the enclosing control groups up to the root of the hierarchy (cgroup v2 {@code cpu.max},
 * v1 {@code cpu.cfs_quota_us} / {@code cpu.cfs_period_us}), rounded up: JDK 17 reads only the innermost group's,
 * so a limit set on a parent group (a job's group, with the process in a task's group below it) is otherwise
 * missed;</li>
 * <li>{@code SLURM_CPUS_PER_TASK} when set (a Slurm job that does not bind its tasks to CPUs).</li>
 * </ul>
 */
public final class Cpus {
    private Cpus() {
    }

    private static volatile int cached;

    /** The CPUs this process may use (at least 1); computed once. */
    public static int available() {
        int c = cached;
        if (c == 0) {
            c = available(Runtime.getRuntime().availableProcessors(), System.getenv(),
                    cgroupQuota(Path.of("/proc/self/cgroup"), Path.of("/proc/self/mountinfo")));
            cached = c;
        }
        return c;
    }

    /**
     * The smallest of the JVM's count {@code jvm}, {@code SLURM_CPUS_PER_TASK} in {@code env} (ignored unless a
     * positive integer) and the control-group quota {@code quota} in CPUs (0: none); at least 1.
     */
    static int available(int jvm, Map<String, String> env, int quota) {
        int n = Math.max(1, jvm);
        int slurm = positiveInt(env.get("SLURM_CPUS_PER_TASK"));
        if (slurm > 0) {
            n = Math.min(n, slurm);
        }
        if (quota > 0) {
            n = Math.min(n, quota);
        }
        return n;
    }

    private static int positiveInt(String s) {
        if (s == null) {
            return 0;
        }
        try {
            int v = Integer.parseInt(s.trim());
            return Math.max(0, v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** CPUs allowed by a cgroup v2 {@code cpu.max} line ("QUOTA PERIOD" or "max PERIOD"), rounded up; 0: no limit or unreadable. */
    static int cpuMax(String line) {
        if (line == null) {
            return 0;
        }
        String[] f = line.trim().split("\\s+");
        if (f.length < 1 || f[0].equals("max")) {
            return 0;
        }
        return quota(f[0], f.length > 1 ? f[1] : "100000");
    }

    /** CPUs allowed by a quota and period in microseconds (cgroup v1: quota -1 is no limit), rounded up; 0: no limit or unreadable. */
    static int quota(String quotaUs, String periodUs) {
        try {
            long q = Long.parseLong(quotaUs.trim());
            long p = Long.parseLong(periodUs.trim());
            if (q <= 0 || p <= 0) {
                return 0;
            }
            return (int) Math.min(Integer.MAX_VALUE, (q + p - 1) / p);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The smallest CPU quota (in CPUs, rounded up) of this process' control group and its ancestors, read through
     * {@code /proc/self/cgroup} and {@code /proc/self/mountinfo} (given as {@code cgroupFile} and {@code mountinfo});
     * 0 when there is none or the files cannot be read (not Linux).
     */
    static int cgroupQuota(Path cgroupFile, Path mountinfo) {
        List<String> groups;
        List<String> mounts;
        try {
            groups = Files.readAllLines(cgroupFile, StandardCharsets.UTF_8);
            mounts = Files.readAllLines(mountinfo, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        int best = 0;
        for (String g : groups) {
            // hierarchy-id:controllers:path; v2 has id 0 and no controllers
            String[] f = g.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            boolean v2 = f[0].equals("0") && f[1].isEmpty();
            boolean v1cpu = List.of(f[1].split(",")).contains("cpu");
            if (!v2 && !v1cpu) {
                continue;
            }
            for (String m : mounts) {
                Mount mount = Mount.parse(m);
                if (mount == null || !(v2 ? mount.fsType.equals("cgroup2") : mount.fsType.equals("cgroup") && mount.options.contains("cpu"))) {
                    continue;
                }
                int q = walk(mount, f[2], v2);
                if (q > 0 && (best == 0 || q < best)) {
                    best = q;
                }
            }
        }
        return best;
    }

    /** The smallest quota from the group at {@code path} up to the mount's root. */
    private static int walk(Mount mount, String path, boolean v2) {
        // the mount shows the hierarchy from mount.root on; without a cgroup namespace the path includes that root
        String rel = path;
        if (!mount.root.equals("/") && (rel.equals(mount.root) || rel.startsWith(mount.root + "/"))) {
            rel = rel.substring(mount.root.length());
        }
        Path top = Path.of(mount.point);
        Path dir = top;
        for (String part : rel.split("/")) {
            if (!part.isEmpty()) {
                dir = dir.resolve(part);
            }
        }
        if (!dir.normalize().startsWith(top)) {
            return 0;
        }
        int best = 0;
        for (Path d = dir; d != null && d.startsWith(top); d = d.getParent()) {
            int q = v2 ? cpuMax(read(d.resolve("cpu.max"))) : quotaV1(d);
            if (q > 0 && (best == 0 || q < best)) {
                best = q;
            }
        }
        return best;
    }

    private static int quotaV1(Path d) {
        String q = read(d.resolve("cpu.cfs_quota_us"));
        String p = read(d.resolve("cpu.cfs_period_us"));
        return q == null || p == null ? 0 : quota(q, p);
    }

    private static String read(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** One line of /proc/self/mountinfo: the mounted root, the mount point, the file system type and its options. */
    private record Mount(String root, String point, String fsType, List<String> options) {
        static Mount parse(String line) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                return null;
            }
            String[] a = line.substring(0, dash).split(" ");
            String[] b = line.substring(dash + 3).split(" ");
            if (a.length < 5 || b.length < 3) {
                return null;
            }
            return new Mount(unescape(a[3]), unescape(a[4]), b[0], List.of(b[2].split(",")));
        }

        /** mountinfo writes space, tab, newline and backslash as octal escapes. */
        private static String unescape(String s) {
            if (s.indexOf('\\') < 0) {
                return s;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
    }
}
