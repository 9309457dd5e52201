package org.remcg.simulate;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads that runs one task over a fixed number of parts. Thread t (the caller is
 * thread 0) first runs its own parts t, t + T, t + 2T, ..., then any part no thread has taken yet: on a
 * quiet machine every thread keeps to its own parts (and their data stays in its core's cache), while a
 * worker that the system has descheduled leaves its parts to the caller instead of holding up the step.
 * A part's work depends only on the part, never on the thread that runs it, so every result is the
 * same for any number of threads and any interleaving.
 *
 * <p>Every wait, of a worker for the next task and of the caller for parts still running elsewhere,
 * spins for a while, then parks until the other side unparks it: on a busy or oversubscribed machine a
 * waiting thread gives its core up instead of burning it, and an idle engine (e.g. between the
 * simulations of a fit) takes no CPU time. How long a wait spins adapts, separately for each waiting
 * thread, between {@link #MIN_SPIN_NANOS} and {@link #MAX_SPIN_NANOS}: on a quiet machine the waits for
 * the other half of a step are short (tens of microseconds) and spinning through them saves the cost of
 * a wake-up; on a busy one many waits last a time slice of another process, and each such wait halves the
 * spin.
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
    /** Per part, the last generation in which a thread took it: a part is taken by the compare-and-set that stamps it. */
    private final AtomicLongArray taken;
    /** Parts of the current generation not yet finished. */
    private final AtomicInteger remaining = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** The caller while it parks waiting for the parts, else null; whoever finishes the last part unparks it. */
    private volatile Thread sleeper;
    /** The spin of the caller's next wait (only the calling thread uses it). */
    private long callerSpin = MAX_SPIN_NANOS;

    Team(int threads, int parts) {
        this(threads, parts, null);
    }

    /** For tests: the workers start working only once {@code gate} opens (a worker the system has not scheduled yet). */
    Team(int threads, int parts, java.util.concurrent.CountDownLatch gate) {
        this.threads = Math.max(1, Math.min(threads, parts));
        this.parts = parts;
        taken = new AtomicLongArray(parts);
        workers = new Thread[this.threads - 1];
        for (int t = 1; t < this.threads; t++) {
            final int id = t;
            Thread w = new Thread(() -> {
                if (gate != null) {
                    awaitGate(gate);
                }
                work(id);
            }, "remcg-engine-" + t);
            w.setDaemon(true);
            workers[t - 1] = w;
            w.start();
        }
    }

    private static void awaitGate(java.util.concurrent.CountDownLatch gate) {
        while (true) {
            try {
                gate.await();
                return;
            } catch (InterruptedException e) {
                // keep waiting: only the gate starts a worker
            }
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
            // read after the generation it belongs to; a part of that generation can only be taken while it runs, so
            // a worker that comes late (the caller has moved on) takes nothing and never runs a stale task
            runParts(id, seen, task);
        }
    }

    /** Runs the parts of thread id in generation g, then any part nobody has taken. */
    private void runParts(int id, long g, IntConsumer t) {
        for (int p = id; p < parts; p += threads) {
            runPart(p, g, t);
        }
        for (int p = 0; p < parts; p++) {
            runPart(p, g, t);
        }
    }

    private void runPart(int p, long g, IntConsumer t) {
        long was = taken.get(p);
        if (was >= g || !taken.compareAndSet(p, was, g)) {
            return;
        }
        try {
            t.accept(p);
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
        if (remaining.decrementAndGet() == 0) {
            // the caller announces itself before its last look at remaining (both volatile): either it sees 0
            // there, or this read sees it
            Thread s = sleeper;
            if (s != null) {
                LockSupport.unpark(s);
            }
        }
    }

    /** Runs task(p) for every part p and returns when all are done; rethrows the first failure. */
    void run(IntConsumer t) {
        if (threads == 1) {
            for (int p = 0; p < parts; p++) {
                t.accept(p);
            }
            return;
        }
        task = t;
        remaining.set(parts);
        long g = generation + 1;
        generation = g;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        runParts(0, g, t);
        awaitParts();
        Throwable f = failure.getAndSet(null);
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

    private void awaitParts() {
        long t0 = System.nanoTime();
        int spins = 0;
        boolean parked = false;
        while (remaining.get() != 0) {
            if (++spins % CLOCK_EVERY != 0 || System.nanoTime() - t0 < callerSpin) {
                Thread.onSpinWait();
            } else {
                parked = true;
                sleeper = Thread.currentThread();
                if (remaining.get() != 0) {
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
