package org.remcg.simulate;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads that runs one task over a fixed number of parts: thread t (the caller
 * is thread 0) runs parts t, t + T, t + 2T, ... The work per part, and so every result, does not
 * depend on the number of threads. Every wait, of a worker for the next task and of the caller for
 * the workers, spins for a while, then parks until the other side unparks it: on a busy or
 * oversubscribed machine a thread whose partner was descheduled gives its core up instead of burning
 * it, and an idle engine (e.g. between the simulations of a fit) takes no CPU time.
 *
 * <p>How long a wait spins adapts, separately for each waiting thread, between {@link #MIN_SPIN_NANOS}
 * and {@link #MAX_SPIN_NANOS}: on a quiet machine the waits for the other half of a step are short
 * (tens of microseconds) and spinning through them saves the cost of a wake-up; on a busy one many waits
 * last a time slice of another process, and each such wait halves the spin.
 */
final class Team implements AutoCloseable {
    /** Longest spin of a wait before it parks, in nanoseconds: the spin of every wait starts here. */
    static final long MAX_SPIN_NANOS = 200_000;

    /** Shortest spin, in nanoseconds: a park and wake-up costs tens of microseconds, a shorter spin buys little. */
    static final long MIN_SPIN_NANOS = 20_000;

    /** Spins between two looks at the clock. */
    private static final int CLOCK_EVERY = 64;

    private final int threads;
    private final int parts;
    private final Thread[] workers;
    private volatile IntConsumer task;
    private volatile long generation;
    private volatile boolean closed;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Throwable failure;
    /** The caller while it parks waiting for the workers, else null; the worker that finishes last unparks it. */
    private volatile Thread sleeper;
    /** The spin of the caller's next wait for the workers (only the calling thread uses it). */
    private long callerSpin = MAX_SPIN_NANOS;

    Team(int threads, int parts) {
        this.threads = Math.max(1, Math.min(threads, parts));
        this.parts = parts;
        workers = new Thread[this.threads - 1];
        for (int t = 1; t < this.threads; t++) {
            final int id = t;
            Thread w = new Thread(() -> work(id), "remcg-engine-" + t);
            w.setDaemon(true);
            workers[t - 1] = w;
            w.start();
        }
    }

    int threads() {
        return threads;
    }

    private void work(int id) {
        long seen = 0;
        long spin = MAX_SPIN_NANOS;
        while (true) {
            long t0 = System.nanoTime();
            int spins = 0;
            boolean parked = false;
            while (generation == seen && !closed) {
                if (++spins % CLOCK_EVERY != 0 || System.nanoTime() - t0 < spin) {
                    Thread.onSpinWait();
                } else {
                    // run() and close() unpark after changing the state: a wake-up between the test and park() leaves
                    // a permit, so park() returns at once
                    parked = true;
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            spin = nextSpin(spin, parked, System.nanoTime() - t0);
            seen = generation;
            try {
                runParts(id, task);
            } catch (Throwable e) {
                failure = e;
            }
            if (pending.decrementAndGet() == 0) {
                // the caller announces itself before its last look at pending (both volatile): either it sees 0
                // there, or this read sees it
                Thread s = sleeper;
                if (s != null) {
                    LockSupport.unpark(s);
                }
            }
        }
    }

    private void runParts(int id, IntConsumer t) {
        for (int p = id; p < parts; p += threads) {
            t.accept(p);
        }
    }

    /** Runs task(p) for every part p and returns when all are done; rethrows the first failure. */
    void run(IntConsumer t) {
        if (threads == 1) {
            runParts(0, t);
            return;
        }
        task = t;
        pending.set(threads - 1);
        generation = generation + 1;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        Throwable mine = null;
        try {
            runParts(0, t);
        } catch (Throwable e) {
            mine = e;
        }
        awaitWorkers();
        Throwable f = mine != null ? mine : failure;
        failure = null;
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error er) {
            throw er;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }

    private void awaitWorkers() {
        long t0 = System.nanoTime();
        int spins = 0;
        boolean parked = false;
        while (pending.get() != 0) {
            if (++spins % CLOCK_EVERY != 0 || System.nanoTime() - t0 < callerSpin) {
                Thread.onSpinWait();
            } else {
                parked = true;
                sleeper = Thread.currentThread();
                if (pending.get() != 0) {
                    LockSupport.park(this);
                }
                sleeper = null;
            }
        }
        callerSpin = nextSpin(callerSpin, parked, System.nanoTime() - t0);
    }

    /**
     * The spin of a thread's next wait, from its last one: a quarter longer after a wait that ended while spinning,
     * twice as long after one that parked but would have ended within the longest spin, half as long after one that
     * outlasted the longest spin (the other side was not running: spinning only took a core from it or from another
     * process). In [{@link #MIN_SPIN_NANOS}, {@link #MAX_SPIN_NANOS}].
     */
    static long nextSpin(long spin, boolean parked, long waited) {
        long next = !parked ? spin + (spin >> 2) : waited <= MAX_SPIN_NANOS ? 2 * spin : spin >> 1;
        return Math.max(MIN_SPIN_NANOS, Math.min(MAX_SPIN_NANOS, next));
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
