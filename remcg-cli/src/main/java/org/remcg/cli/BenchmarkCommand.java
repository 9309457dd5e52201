package org.remcg.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand of {@code remcg bench}: its report stream, the machine it ran on, wall times of repeated runs
 * ({@link Timings}) and the peak heap in use.
 */
abstract class BenchmarkCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** Where the report goes (standard output). */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** "N cores, java V": the machine a report's numbers come from. */
    static String machine() {
        return org.remcg.system.Cpus.available() + " cores, java " + System.getProperty("java.version");
    }

    /** One run of a timed task; {@code k} counts the runs from 0. */
    @FunctionalInterface
    interface Run<T> {
        T run(int k) throws Exception;
    }

    /** Sorted wall times (seconds) of repeated runs of one task, and what its last run returned. */
    record Timings<T>(double[] seconds, T last) {
        /** Times {@code repeat} runs of {@code task}, one after the other. */
        static <T> Timings<T> of(int repeat, Run<T> task) throws Exception {
            double[] t = new double[repeat];
            T last = null;
            for (int k = 0; k < repeat; k++) {
                long t0 = System.nanoTime();
                last = task.run(k);
                t[k] = (System.nanoTime() - t0) * 1e-9;
            }
            Arrays.sort(t);
            return new Timings<>(t, last);
        }

        /** "min A s, median B s, max C s over N runs", each time in the format {@code number} (e.g. "%.3f"). */
        String spread(String number) {
            return String.format(Locale.ROOT, "min " + number + " s, median " + number + " s, max " + number + " s over %d runs",
                    seconds[0], seconds[seconds.length / 2], seconds[seconds.length - 1], seconds.length);
        }
    }

    /** Resets the peak usage of the heap's memory pools (after a collection), for {@link #peakHeap}. */
    static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Peak heap in use (bytes) since the last {@link #resetPeaks}. */
    static long peakHeap() {
        long s = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                s += p.getPeakUsage().getUsed();
            }
        }
        return s;
    }
}
