package org.remcg.simulate;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads that runs one task over a fixed number of parts: thread t (the caller
 * is thread 0) runs parts t, t + T, t + 2T, ... The work per part, and so every result, does not
 * depend on the number of threads. Every wait, of a worker for the next task and of the caller for
 * the workers, spins for at most {@link #SPIN_NANOS}, then parks until the other side unparks it: on a
 * busy or oversubscribed machine a thread whose partner was descheduled gives its core up instead of
 * burning it, and an idle engine (e.g. between the simulations of a fit) takes no CPU time.
 */
final class Team implements AutoCloseable {
    /**
     * How long a wait spins before it parks. Long enough to cover the usual imbalance of a step's
     * parts on a quiet machine (a park and wake-up cost tens of microseconds), short enough that a
     * descheduled partner does not cost a whole time slice of spinning.
     */
    static final long SPIN_NANOS = 50_000;

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
        while (true) {
            long t0 = System.nanoTime();
            int spins = 0;
            while (generation == seen && !closed) {
                if (++spins % CLOCK_EVERY != 0 || System.nanoTime() - t0 < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    // run() and close() unpark after changing the state: a wake-up between the test and park() leaves
                    // a permit, so park() returns at once
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
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
        while (pending.get() != 0) {
            if (++spins % CLOCK_EVERY != 0 || System.nanoTime() - t0 < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                sleeper = Thread.currentThread();
                if (pending.get() != 0) {
                    LockSupport.park(this);
                }
                sleeper = null;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
