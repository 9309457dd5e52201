package org.remcg.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.remcg.io.Frame;
import org.remcg.io.TrajectoryReader;
import org.remcg.io.XtcIndex;
import org.remcg.io.XtcReader;
import org.remcg.simulate.EngineBenchmark;
import picocli.CommandLine.Parameters;

/** {@code remcg bench}: end-to-end timings of remcg's workloads on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks of remcg workloads.",
        subcommands = {BenchDensityCommand.class, BenchCommand.Xtc.class, BenchCommand.EngineBench.class, BenchDriftCommand.class,
                BenchSamplerCommand.class})
public final class BenchCommand extends CommandGroup {
    @Command(name = "xtc", mixinStandardHelpOptions = true,
            description = "Time decoding every frame of an XTC file: one sequential pass, then a frame index and contiguous frame ranges on T threads.")
    static final class Xtc extends BenchmarkCommand {
        @Parameters(index = "0", converter = InputFile.class, description = "The XTC file.") Path file;
        @Option(names = "--threads", defaultValue = "2", description = "Threads for the indexed pass (default ${DEFAULT-VALUE}).") int threads;
        @Option(names = "--repeat", defaultValue = "3", description = "Timed repetitions of each pass (default ${DEFAULT-VALUE}).") int repeat;

        @Override
        public Integer call() throws Exception {
            Limits.threads("--threads", threads);
            Limits.range("--repeat", repeat, 1, 1000);
            var out = out();
            double mb = Files.size(file) / 1e6;
            resetPeaks();
            Timings<Pass> seq = Timings.of(repeat, k -> {
                long frames = 0;
                double checksum = 0;
                Frame f = new Frame();
                try (XtcReader r = XtcReader.open(file)) {
                    while (r.next(f)) {
                        frames++;
                        checksum += f.x[0];
                    }
                }
                return new Pass(frames, checksum);
            });
            long frames = seq.last().frames();
            double checksum = seq.last().checksum();
            out.printf(Locale.ROOT, "xtc decode: %s, %.1f MB, %d frames, java %s, %d cores%n", file, mb, frames,
                    System.getProperty("java.version"), org.remcg.system.Cpus.available());
            out.printf(Locale.ROOT, "sequential: best %.3f s = %.0f frames/s = %.0f MB/s (median %.3f s; checksum %.6f)%n", seq.seconds()[0],
                    frames / seq.seconds()[0], mb / seq.seconds()[0], seq.seconds()[repeat / 2], checksum);
            double[] par = new double[repeat];
            double[] index = new double[repeat];
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int k = 0; k < repeat; k++) {
                    long t0 = System.nanoTime();
                    XtcIndex idx = XtcIndex.build(file);
                    index[k] = (System.nanoTime() - t0) * 1e-9;
                    int n = idx.frames();
                    List<Future<Double>> parts = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        int first = (int) ((long) n * t / threads);
                        int last = (int) ((long) n * (t + 1) / threads);
                        parts.add(pool.submit(() -> {
                            double c = 0;
                            Frame f = new Frame();
                            try (TrajectoryReader r = idx.openAt(first)) {
                                for (int i = first; i < last && r.next(f); i++) {
                                    c += f.x[0];
                                }
                            }
                            return c;
                        }));
                    }
                    double c = 0;
                    for (Future<Double> p : parts) {
                        c += p.get();
                    }
                    par[k] = (System.nanoTime() - t0) * 1e-9;
                    checksum = c;
                }
            } finally {
                pool.shutdown();
            }
            Arrays.sort(par);
            Arrays.sort(index);
            out.printf(Locale.ROOT, "indexed, %d threads: best %.3f s = %.0f frames/s = %.0f MB/s, of which the index scan %.3f s (checksum %.6f)%n",
                    threads, par[0], frames / par[0], mb / par[0], index[0], checksum);
            out.printf(Locale.ROOT, "peak heap in use: %.1f MB%n", peakHeap() / 1e6);
            return 0;
        }

        /** What one sequential decoding pass read: its frames and the sum of their first coordinates. */
        private record Pass(long frames, double checksum) {
        }
    }

    @Command(name = "engine", mixinStandardHelpOptions = true,
            description = "Time the built-in engine against LAMMPS on the same water-like tabulated fluid (2180 beads, 4.031 nm box, Langevin, dt 2 fs).")
    static final class EngineBench extends BenchmarkCommand {
        @Option(names = "--steps", defaultValue = "10000", description = "Timed steps (default ${DEFAULT-VALUE}).") long steps;
        @Option(names = "--warmup", defaultValue = "1000", description = "Steps before timing, both programs (default ${DEFAULT-VALUE}).")
        long warmup;
        @Option(names = "--no-lammps", description = "Skip the LAMMPS runs.") boolean noLammps;
        @Option(names = "--rounds", defaultValue = "3", description = "Rounds, each timing --steps steps of every program (remcg 1 thread, remcg 2 "
                + "threads, LAMMPS); the ratios are taken within each round (default ${DEFAULT-VALUE}).")
        int rounds;
        @Option(names = "--pieces", defaultValue = "10", description = "Pieces each round's steps are cut into; the programs take turns piece by "
                + "piece, in rotating order, so that all of them see the same minutes of a machine whose speed drifts (default ${DEFAULT-VALUE}).")
        int pieces;
        @Option(names = "--scaling", description = "Also time 10^3, 10^4 and 10^5 particles (remcg, one thread).") boolean scaling;

        @Override
        public Integer call() throws Exception {
            var out = out();
            if (rounds < 1 || rounds > 1000 || steps < 1 || warmup < 0 || pieces < 1 || pieces > steps) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--rounds must be between 1 and 1000, --steps at least 1, --warmup at least 0, --pieces between 1 and --steps");
            }
            int n = 2180;
            out.printf(Locale.ROOT, "engine benchmark: %d beads, %.3f nm box, table cutoff %.1f nm, ~%.0f pairs in range, %d steps after %d warm-up, "
                    + "%d round(s) of %d pieces each, %s%n", n, EngineBenchmark.edge(n), EngineBenchmark.CUTOFF, EngineBenchmark.pairs(n), steps,
                    warmup, rounds, pieces, machine());
            double[] one = new double[rounds];
            double[] two = new double[rounds];
            LammpsBenchmarkRun lmp = null;
            if (!noLammps) {
                lmp = LammpsBenchmarkRun.start(n, warmup, Files.createTempDirectory("remcg-bench-lammps"));
                if (lmp == null) {
                    out.println("LAMMPS: lmp not found, skipped");
                }
            }
            try (var l = lmp; var r1 = new EngineBenchmark.RemcgRun(n, 1, warmup); var r2 = new EngineBenchmark.RemcgRun(n, 2, warmup)) {
                for (int r = 0; r < rounds; r++) {
                    String tag = rounds > 1 ? "round " + (r + 1) + ": " : "";
                    double trip = EngineBenchmark.coreRoundTripNanos(5);
                    EngineBenchmark.Timing[] t = new EngineBenchmark.Timing[3];
                    for (int k = 0; k < pieces; k++) {
                        long st = steps / pieces + (k < steps % pieces ? 1 : 0);
                        for (int q = 0; q < 3; q++) {
                            // the order rotates from piece to piece: no program always follows the same one
                            int prog = (q + k + r) % 3;
                            EngineBenchmark.Timing x = prog == 0 ? r1.run(st) : prog == 1 ? r2.run(st) : l != null ? l.run(st) : null;
                            if (x != null) {
                                t[prog] = t[prog] == null ? x : t[prog].plus(x);
                            }
                        }
                    }
                    double trip2 = EngineBenchmark.coreRoundTripNanos(5);
                    print(out, tag + "remcg, 1 thread", t[0]);
                    print(out, tag + "remcg, 2 threads", t[1]);
                    out.printf(Locale.ROOT, "%-36s %9.0f ns before, %.0f ns after the round (cache line between two threads)%n", tag + "core-to-core round trip",
                            trip, trip2);
                    if (l != null) {
                        print(out, tag + "LAMMPS, 1 core", t[2]);
                        one[r] = t[2].seconds() / t[0].seconds();
                        two[r] = t[2].seconds() / t[1].seconds();
                        out.printf(Locale.ROOT, "%sspeed-up over single-core LAMMPS (wall time): %.2fx (1 thread), %.2fx (2 threads); per CPU-second, 1 thread: %.2fx%n",
                                tag, one[r], two[r], t[2].cpuSeconds() / t[0].cpuSeconds());
                    }
                    out.flush();
                }
                if (l != null && rounds > 1) {
                    out.printf(Locale.ROOT, "median over %d rounds: %.2fx (1 thread, range %.2f-%.2f), %.2fx (2 threads, range %.2f-%.2f)%n", rounds, median(one),
                            min(one), max(one), median(two), min(two), max(two));
                }
            }
            if (scaling) {
                for (int m : new int[] {1000, 10000, 100000}) {
                    long st = Math.max(100, steps * 2180 / m / 5);
                    var r = EngineBenchmark.remcg(m, Math.max(50, st / 10), st, 1);
                    print(out, "remcg, 1 thread, N=" + m, r);
                }
            }
            return 0;
        }

        private static double median(double[] a) {
            double[] s = a.clone();
            java.util.Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
        }

        private static double min(double[] a) {
            return java.util.Arrays.stream(a).min().orElse(Double.NaN);
        }

        private static double max(double[] a) {
            return java.util.Arrays.stream(a).max().orElse(Double.NaN);
        }

        private static void print(java.io.PrintWriter out, String what, EngineBenchmark.Timing t) {
            out.printf(Locale.ROOT, "%-36s %9.1f steps/s  %7.2f ns/pair  (%.2f s wall, %.2f s CPU for %d steps, N=%d; %.1f steps per CPU-second)%n", what,
                    t.stepsPerSecond(), t.nsPerPair(), t.seconds(), t.cpuSeconds(), t.steps(), t.particles(), t.steps() / t.cpuSeconds());
        }
    }
}
