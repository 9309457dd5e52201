package org.remcg.cli;

/**
 * Bounds on the options that size arrays (bins, frames, samples, repetitions), checked before
 * any work, so that an absurd value is a one-line error rather than an out-of-memory crash.
 */
public final class Limits {
    /** Most bins of any histogram option (a 1e6-row CSV is already far finer than any data supports). */
    static final int MAX_BINS = 1_000_000;
    /** Most worker threads. */
    static final int MAX_THREADS = 1024;

    private Limits() {
    }

    /** A number of bins between 1 and {@link #MAX_BINS}. */
    static void bins(String option, long bins) {
        range(option, bins, 1, MAX_BINS);
    }

    /** Any count option between min and max. */
    static void range(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new Main.BadInputException(option + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    /** A thread count between 1 and {@link #MAX_THREADS} (null: the default). */
    static void threads(String option, Integer threads) {
        if (threads != null) {
            range(option, threads, 1, MAX_THREADS);
        }
    }

    /**
     * Refuses a run whose stored data would take more than half of the memory the Java heap may
     * use, naming what is stored and how to make it smaller.
     *
     * @param what   what the options make the run store, e.g. "--steps / --stride: 3e9 frames"
     * @param bytes  its size
     * @param advice how to need less, e.g. "raise --stride"
     */
    static void memory(String what, double bytes, String advice) {
        String problem = org.remcg.system.Memory.tooLarge(bytes);
        if (problem != null) {
            throw new Main.BadInputException(what + " " + problem + "; " + advice + " (or give Java more memory, e.g. REMCG_JAVA_OPTS=-Xmx16g for the remcg launcher)");
        }
    }
}
