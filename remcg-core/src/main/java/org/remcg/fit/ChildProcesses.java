package org.remcg.fit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.remcg.io.AtomicFiles;

/**
 * The external processes a fit has running (LAMMPS, {@code mpirun}, {@code srun}), listed in a file of the output
 * directory while they run: one line {@code PID START_MILLIS COMMAND} each, rewritten atomically at every start and
 * end. A fit killed with {@code kill -9} leaves the file behind with the processes that outlived it; the next fit in
 * that directory ({@link #endOrphans}) ends every listed process that still runs and is the same process (its start
 * time matches, so a reused PID is left alone), together with its descendants, before it starts anything. Processes
 * still listed when the JVM shuts down normally (an interrupt, an error) are ended by a shutdown hook.
 */
public final class ChildProcesses {
    /** The file's name in the output directory. */
    public static final String FILE = "children.txt";

    private final Path file;
    private final Map<Long, Process> live = new LinkedHashMap<>();
    private Thread hook;

    public ChildProcesses(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Records a started process. */
    public synchronized void started(Process p) throws IOException {
        live.put(p.pid(), p);
        if (hook == null) {
            hook = new Thread(this::endAll, "remcg-end-children");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        write();
    }

    /** Records that a process has ended (or was waited for); with none left, the shutdown hook goes too. */
    public synchronized void ended(Process p) throws IOException {
        live.remove(p.pid());
        write();
        if (live.isEmpty() && hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                hook = null;
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs anyway and finds nothing to end
            }
        }
    }

    private void write() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Process p : live.values()) {
            sb.append(Entry.of(p)).append('\n');
        }
        if (live.isEmpty()) {
            Files.deleteIfExists(file);
        } else {
            AtomicFiles.writeString(file, sb.toString());
        }
    }

    /** Ends the processes still recorded and their descendants (the shutdown hook). */
    private synchronized void endAll() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : live.values()) {
            all.addAll(family(p.toHandle()));
        }
        end(all);
    }

    /**
     * Ends the processes an earlier fit listed in {@code file} that still run (and their descendants), then removes the
     * file. Returns a line for the log naming what was ended, or null when nothing was left.
     *
     * @throws IllegalStateException when one of them does not end (e.g. it belongs to another user)
     */
    public static String endOrphans(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        List<ProcessHandle> orphans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String line : lines) {
            Entry e = Entry.parse(line);
            Optional<ProcessHandle> h = e == null ? Optional.empty() : ProcessHandle.of(e.pid());
            if (h.isEmpty() || !h.get().isAlive()) {
                continue;
            }
            long now = h.get().info().startInstant().map(Instant::toEpochMilli).orElse(-2L);
            if (now != e.start()) {
                continue;   // the PID now belongs to another process
            }
            orphans.addAll(family(h.get()));
            names.add(e.pid() + " (" + e.command() + ")");
        }
        if (!orphans.isEmpty()) {
            end(orphans);
            for (ProcessHandle p : orphans) {
                if (p.isAlive()) {
                    throw new IllegalStateException("process " + p.pid() + " left running by an earlier fit (" + file + ") does not end: end it "
                            + "yourself before resuming");
                }
            }
        }
        Files.deleteIfExists(file);
        return names.isEmpty() ? null : "ended " + names.size() + " process" + (names.size() == 1 ? "" : "es") + " left running by an earlier "
                + "fit: " + String.join(", ", names);
    }

    /**
     * A line of the registry: {@code PID START COMMAND}, the start in epoch milliseconds (-1 when unknown), the command
     * line on one line ("?" when unknown).
     */
    private record Entry(long pid, long start, String command) {
        static Entry of(Process p) {
            long start = p.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
            return new Entry(p.pid(), start, p.info().commandLine().orElse("?").replace('\n', ' '));
        }

        /** The entry of a line, or null when the line does not start with two numbers. */
        static Entry parse(String line) {
            String[] f = line.strip().split(" ", 3);
            if (f.length < 2) {
                return null;
            }
            try {
                return new Entry(Long.parseLong(f[0]), Long.parseLong(f[1]), f.length > 2 ? f[2] : "?");
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return pid + " " + start + " " + command;
        }
    }

    /** A process and all its descendants, the process first. */
    static List<ProcessHandle> family(ProcessHandle p) {
        List<ProcessHandle> out = new ArrayList<>();
        out.add(p);
        p.descendants().forEach(out::add);
        return out;
    }

    /** SIGTERM to all, up to 10 s for them to end, then SIGKILL to what remains. */
    static void end(List<ProcessHandle> all) {
        for (ProcessHandle p : all) {
            p.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ProcessHandle p : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    p.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // killed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (ProcessHandle p : all) {
            if (p.isAlive()) {
                p.destroyForcibly();
                try {
                    p.onExit().get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    // reported by the caller
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
