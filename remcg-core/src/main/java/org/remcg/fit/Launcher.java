package org.remcg.fit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the fit starts an external simulation program (LAMMPS) for one run of {@code ranks} MPI ranks with
 * {@code cpusPerRank} CPUs each, and how many such runs may go at once.
 * <ul>
 * <li>{@link Local}: the command as it is, on this machine; as many runs at once as its CPUs hold (at least one).
 *     Open MPI's ranks are told to yield the CPU while they wait ({@code OMPI_MCA_mpi_yield_when_idle=1}) and not to
 *     bind to cores ({@code OMPI_MCA_hwloc_base_binding_policy=none}), unless the environment sets these: the runs
 *     share the machine with remcg, with each other (two {@code mpirun}s that know nothing of each other bind their
 *     ranks to the same cores) and often with other work, and a rank that spins while its partner waits for a CPU
 *     stalls both. On a shared 2-core machine (load 10) one 510-bead run on 2 ranks took 112 s with Open MPI's
 *     defaults, 25 s yielding, 11.5 s yielding and unbound (one rank: 4.4 s).</li>
 * <li>{@link Slurm}: a job step of the current allocation, {@code srun --exact --ntasks=R --cpus-per-task=C
 *     --nodes=N --kill-on-bad-exit=1 COMMAND}; the step's resources are all stated, and the variables that describe the
 *     step remcg itself may run in (or the options it was started with) are removed from the step's environment
 *     ({@link #stepEnvironment}), so they cannot leak into the new step.</li>
 * </ul>
 */
public sealed interface Launcher permits Launcher.Local, Launcher.Slurm {

    /** Runs of {@code cpusPerRun} CPUs each that may go at once (at least 1 for a launcher that accepts such a run). */
    int slots(int cpusPerRun);

    /** The process of one run of {@code command} in {@code dir}, its output (standard output and error) to {@code output}. */
    ProcessBuilder builder(List<String> command, int ranks, int cpusPerRank, Path dir, Path output);

    /** A few words for messages: "local" or "slurm (job 1234)". */
    String describe();

    /** This machine: the command as it is. */
    record Local(int cpus) implements Launcher {
        public Local {
            if (cpus < 1) {
                throw new IllegalArgumentException("a local launcher needs at least one CPU, got " + cpus);
            }
        }

        @Override
        public int slots(int cpusPerRun) {
            return Math.max(1, cpus / Math.max(1, cpusPerRun));
        }

        @Override
        public ProcessBuilder builder(List<String> command, int ranks, int cpusPerRank, Path dir, Path output) {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().putIfAbsent("OMPI_MCA_mpi_yield_when_idle", "1");
            pb.environment().putIfAbsent("OMPI_MCA_hwloc_base_binding_policy", "none");
            return pb;
        }

        @Override
        public String describe() {
            return "local";
        }
    }

    /**
     * Job steps of the SLURM allocation described by {@code env} (the process environment): {@code SLURM_JOB_ID} must
     * be set; the CPUs per node come from {@code SLURM_JOB_CPUS_PER_NODE} (e.g. {@code 32(x2),16}).
     */
    record Slurm(Map<String, String> env, String jobId, int[] cpusPerNode) implements Launcher {

        /** The allocation remcg runs in; an {@link IllegalArgumentException} outside one. */
        public static Slurm of(Map<String, String> env) {
            String job = env.get("SLURM_JOB_ID");
            if (job == null || job.isBlank()) {
                throw new IllegalArgumentException("launcher slurm runs LAMMPS as job steps of the current allocation, but SLURM_JOB_ID is not set: "
                        + "start remcg inside sbatch or salloc (see examples/cluster), or use launcher: local");
            }
            String cpn = env.get("SLURM_JOB_CPUS_PER_NODE");
            int[] cpus = cpn == null ? null : cpusPerNode(cpn);
            if (cpus == null) {
                throw new IllegalArgumentException("SLURM_JOB_ID is " + job + " but SLURM_JOB_CPUS_PER_NODE is " + (cpn == null ? "not set" : "'" + cpn + "'")
                        + ": cannot tell how many CPUs the allocation holds");
            }
            return new Slurm(Map.copyOf(env), job.strip(), cpus);
        }

        /** CPUs of each node from SLURM's {@code 32(x2),16} form; null when it cannot be read. */
        static int[] cpusPerNode(String spec) {
            List<Integer> out = new ArrayList<>();
            for (String part : spec.strip().split(",")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(?:\\(x(\\d+)\\))?").matcher(part.strip());
                if (!m.matches()) {
                    return null;
                }
                int c = Integer.parseInt(m.group(1));
                int times = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                if (c < 1 || times < 1 || times > 100_000) {
                    return null;
                }
                for (int i = 0; i < times; i++) {
                    out.add(c);
                }
            }
            return out.isEmpty() ? null : out.stream().mapToInt(Integer::intValue).toArray();
        }

        /** All CPUs of the allocation. */
        public int cpus() {
            int n = 0;
            for (int c : cpusPerNode) {
                n += c;
            }
            return n;
        }

        /** A run that fits on one node stays on one node; a larger one spans nodes (0 when even the allocation cannot hold it). */
        @Override
        public int slots(int cpusPerRun) {
            int per = Math.max(1, cpusPerRun);
            int fit = 0;
            int max = 0;
            for (int c : cpusPerNode) {
                fit += c / per;
                max = Math.max(max, c);
            }
            return per <= max ? fit : cpus() / per;
        }

        @Override
        public ProcessBuilder builder(List<String> command, int ranks, int cpusPerRank, Path dir, Path output) {
            int need = ranks * cpusPerRank;
            int smallest = Integer.MAX_VALUE;
            for (int c : cpusPerNode) {
                smallest = Math.min(smallest, c);
            }
            // pack a run onto as few nodes as the smallest node allows (an explicit --nodes also overrides the
            // job's SLURM_NNODES, which srun would otherwise read as the step's node count)
            int nodes = Math.max(1, Math.min(cpusPerNode.length, (need + smallest - 1) / smallest));
            List<String> cmd = new ArrayList<>(List.of("srun", "--exact", "--ntasks=" + ranks, "--cpus-per-task=" + cpusPerRank,
                    "--nodes=" + nodes, "--kill-on-bad-exit=1", "--job-name=remcg-lammps"));
            cmd.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
            stepEnvironment(pb.environment());
            return pb;
        }

        @Override
        public String describe() {
            return "slurm (job " + jobId + ", " + cpus() + " CPUs on " + cpusPerNode.length + " node" + (cpusPerNode.length == 1 ? "" : "s") + ")";
        }
    }

    /**
     * Removes from {@code env} what describes the job step (or the task of it) a process runs in, and the variables srun
     * reads as the options of a new step that remcg states itself: {@code SLURM_STEP_*} and the step's ids, task ids,
     * ports and node list; the CPU binding and task layout ({@code SLURM_CPU_BIND*}, {@code SLURM_DISTRIBUTION}); the
     * task counts and CPUs per task ({@code SLURM_NTASKS}, {@code SLURM_NPROCS}, {@code SLURM_NTASKS_PER_*},
     * {@code SLURM_TASKS_PER_NODE}, {@code SLURM_CPUS_PER_TASK}: a batch script's {@code -n 8} would otherwise become
     * the step's); {@code SLURM_EXACT}, {@code SLURM_OVERLAP}; and a parent step's process-management handles
     * ({@code PMIX_*}, {@code PMI_RANK}, {@code PMI_SIZE}, {@code PMI_FD}, ...). The job's own variables stay:
     * {@code SLURM_JOB_ID} (the allocation the step joins), its node list and node count (overridden by an explicit
     * {@code --nodes}), memory per CPU or node, account, partition.
     */
    static void stepEnvironment(Map<String, String> env) {
        env.keySet().removeIf(Launcher::stepVariable);
    }

    /** Whether a variable belongs to a step or task rather than to the job ({@link #stepEnvironment}). */
    static boolean stepVariable(String name) {
        if (name.startsWith("SLURM_STEP_") || name.startsWith("SLURM_CPU_BIND") || name.startsWith("SLURM_NTASKS_PER_") || name.startsWith("PMIX_")
                || name.startsWith("SLURM_SRUN_COMM_")) {
            return true;
        }
        if (name.startsWith("PMI_")) {
            return !name.equals("PMI_FANOUT") && !name.equals("PMI_FANOUT_OFF_HOST") && !name.equals("PMI_TIME");
        }
        return switch (name) {
            case "SLURM_STEPID", "SLURM_PROCID", "SLURM_LOCALID", "SLURM_NODEID", "SLURM_TASK_PID", "SLURM_GTIDS", "SLURM_LAUNCH_NODE_IPADDR",
                 "SLURM_PRIO_PROCESS", "SLURM_TOPOLOGY_ADDR", "SLURM_TOPOLOGY_ADDR_PATTERN", "SLURM_DISTRIBUTION", "SLURM_NTASKS", "SLURM_NPROCS",
                 "SLURM_TASKS_PER_NODE", "SLURM_CPUS_PER_TASK", "SLURM_EXACT", "SLURM_OVERLAP" -> true;
            default -> false;
        };
    }

    /**
     * Splits a command line into words the way a POSIX shell would, without running one: blanks separate words;
     * single quotes keep everything literally; in double quotes a backslash escapes {@code " \ $ `}; outside quotes a
     * backslash escapes the next character. Characters that only a shell would give a meaning (pipes, redirections,
     * {@code ; & ( ) $ `}, globs {@code * ? [}, a leading {@code ~}) are refused unquoted, naming the character.
     */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated ' in: " + line);
                }
                w.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = line.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        w.append(line.charAt(i + 1));
                        i += 2;
                    } else if (d == '$' || d == '`') {
                        throw new IllegalArgumentException("'" + d + "' in double quotes would be expanded by a shell; remcg runs the command without "
                                + "one: write the value itself, or use single quotes: " + line);
                    } else {
                        w.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated \" in: " + line);
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("a lone \\ at the end of: " + line);
                }
                w.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if ("|&;<>()$`*?[".indexOf(c) >= 0 || (c == '~' && !inWord)) {
                throw new IllegalArgumentException("'" + c + "' means something only to a shell, and remcg runs the command without one (quote it if "
                        + "it is part of an argument): " + line);
            } else {
                w.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("the command is empty");
        }
        return List.copyOf(words);
    }

    /** The program file a command starts, from PATH (as {@code env}'s PATH lists it) unless it names a path; null when not found. */
    public static Path program(String name, Map<String, String> env) {
        if (name.indexOf('/') >= 0) {
            Path p = Path.of(name);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The ranks an {@code mpirun}/{@code mpiexec} command asks for ({@code -np N}, {@code -n N}, {@code --np N},
     * {@code -c N}, {@code --n=N}); 0 when the command does not start with one of these or names no count.
     */
    public static int mpiRanks(List<String> command) {
        String prog = Path.of(command.get(0)).getFileName().toString().toLowerCase(Locale.ROOT);
        if (!prog.equals("mpirun") && !prog.equals("mpiexec") && !prog.startsWith("mpirun.") && !prog.startsWith("mpiexec.")) {
            return 0;
        }
        for (int i = 1; i < command.size(); i++) {
            String a = command.get(i);
            String value = null;
            if ((a.equals("-np") || a.equals("-n") || a.equals("--np") || a.equals("--n") || a.equals("-c")) && i + 1 < command.size()) {
                value = command.get(i + 1);
            } else if (a.startsWith("--np=") || a.startsWith("--n=") || a.startsWith("-np=")) {
                value = a.substring(a.indexOf('=') + 1);
            }
            if (value != null) {
                try {
                    int r = Integer.parseInt(value);
                    return r > 0 ? r : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
