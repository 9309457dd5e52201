package org.remcg.parallel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * Runs numbered blocks of work on a few threads with a result that does not depend on the number of
 * threads, bit for bit.
 *
 * <p>Blocks 0, 1, 2, ... are handed out in increasing order to the workers (worker ids 0 to
 * {@code workers - 1}; a worker is one thread, so per-worker scratch needs no locking). What a block
 * computes must depend only on the block, never on the worker. After block k is computed, its merge
 * step (if any) runs once the merges of all blocks before k are done: merges run one at a time and in
 * block order, so a reduction that merges every block's partial result into one target performs the
 * same floating-point operations in the same order for any thread count. Only the cut into blocks,
 * which the caller decides, can change the last bits of such a sum.
 *
 * <p>The number of blocks is either known in advance or decided on the way by a claim step, which runs
 * under the hand-out lock, strictly in block order, before the block is computed: a claim that reads the
 * block's input from a sequential source (a trajectory file) thus reads the input in file order, and a
 * claim that finds no more input ends the run.
 *
 * <p>Threads: with one worker (one thread asked for, or a single block) everything runs on the calling
 * thread, in block order. Otherwise the run starts {@code min(threads, blocks)} daemon threads of its own
 * and waits for them; they have ended when it returns. The caller does no block work itself, so it can
 * answer an interrupt at once.
 *
 * <p>Failures: the first exception of a block (in its claim, compute or merge step) fails that block.
 * Blocks after the lowest failed one are not started, their merges do not run, and a long block can ask
 * {@link #abandoned} to stop early; blocks before it still finish, so which failure is reported does not
 * depend on timing. The failure of the lowest-numbered failed block is rethrown as it was thrown, not
 * wrapped. If the calling thread is interrupted while it waits, every block is abandoned and
 * {@link InterruptedException} is thrown at once; the workers stop at their next hand-out, merge or look
 * at {@link #abandoned}.
 *
 * <p>One object runs one set of blocks ({@link #run} or {@link #forEach} once).
 */
public final class BlockReduce {

    /** One step of a block, run by worker {@code worker}. */
    @FunctionalInterface
    public interface Step<E extends Exception> {
        void run(int worker, int block) throws E;
    }

    /** Prepares block {@code block} under the hand-out lock; false when there is no such block (the run ends). */
    @FunctionalInterface
    public interface Claim<E extends Exception> {
        boolean claim(int worker, int block) throws E;
    }

    /** Blocks of a run whose count a claim step decides. */
    public static final int UNTIL_CLAIM_FAILS = Integer.MAX_VALUE;

    private final String name;
    private final int threads;

    private final Object lock = new Object();
    private boolean started;
    private int next;
    private boolean exhausted;
    private int merged;
    private volatile int failedAt = Integer.MAX_VALUE;
    private Throwable failure;

    /**
     * @param name    prefix of the worker threads' names
     * @param threads most threads to run on, at least 1
     */
    public BlockReduce(String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be positive, not " + threads);
        }
        this.name = name;
        this.threads = threads;
    }

    /** Workers a run of {@code blocks} blocks on {@code threads} threads uses. */
    public static int workers(int blocks, int threads) {
        return Math.max(1, Math.min(threads, blocks));
    }

    /** Whether block {@code block} may stop: a block before it failed, or the caller was interrupted. */
    public boolean abandoned(int block) {
        return failedAt < block;
    }

    /** Runs {@code compute} for blocks 0 to {@code blocks - 1}, with no merge step. */
    public <E extends Exception> void forEach(int blocks, Step<E> compute) throws E, InterruptedException {
        run(blocks, null, compute, null);
    }

    /**
     * Runs the blocks: for each, the claim (if any, in block order under the hand-out lock), then
     * {@code compute}, then the merge (if any, in block order).
     *
     * @param blocks number of blocks, or {@link #UNTIL_CLAIM_FAILS} to let the claim step end the run
     * @param claim  null, or the step that prepares each block and says whether it exists
     * @param merge  null, or the step that merges each block's result
     */
    public <E extends Exception> void run(int blocks, Claim<E> claim, Step<E> compute, Step<E> merge) throws E, InterruptedException {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("a BlockReduce runs once");
            }
            started = true;
        }
        if (blocks <= 0) {
            return;
        }
        int workers = workers(blocks, threads);
        if (workers == 1) {
            for (int k = 0; k < blocks; k++) {
                try {
                    if (claim != null && !claim.claim(0, k)) {
                        return;
                    }
                    compute.run(0, k);
                    if (merge != null) {
                        merge.run(0, k);
                    }
                } catch (Throwable t) {
                    fail(k, t);
                    throw t;
                }
            }
            return;
        }
        Thread[] team = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            int id = w;
            team[w] = new Thread(() -> work(id, blocks, claim, compute, merge), name + "-" + w);
            team[w].setDaemon(true);
            team[w].start();
        }
        try {
            for (Thread t : team) {
                t.join();
            }
        } catch (InterruptedException e) {
            synchronized (lock) {
                failedAt = -1;
                lock.notifyAll();
            }
            throw e;
        }
        rethrow();
    }

    /** The work of one worker thread: blocks until none is left; never throws. */
    private <E extends Exception> void work(int worker, int blocks, Claim<E> claim, Step<E> compute, Step<E> merge) {
        while (true) {
            int k = handOut(worker, blocks, claim);
            if (k < 0) {
                return;
            }
            try {
                compute.run(worker, k);
                if (merge != null && awaitTurn(k)) {
                    merge.run(worker, k);
                    synchronized (lock) {
                        merged++;
                        lock.notifyAll();
                    }
                }
            } catch (Throwable t) {
                fail(k, t);
            }
        }
    }

    /** The next block for a worker, claimed if there is a claim step, or -1 when none is left. */
    private <E extends Exception> int handOut(int worker, int blocks, Claim<E> claim) {
        synchronized (lock) {
            if (exhausted || next >= blocks || failedAt < next) {
                return -1;
            }
            int k = next++;
            try {
                if (claim != null && !claim.claim(worker, k)) {
                    exhausted = true;
                    return -1;
                }
            } catch (Throwable t) {
                exhausted = true;
                fail(k, t);
                return -1;
            }
            return k;
        }
    }

    /** Waits until all blocks before k are merged; false if k was abandoned meanwhile. */
    private boolean awaitTurn(int k) throws InterruptedException {
        synchronized (lock) {
            while (merged < k && failedAt > k) {
                lock.wait();
            }
            return failedAt > k;
        }
    }

    private void fail(int k, Throwable t) {
        synchronized (lock) {
            if (k < failedAt) {
                failedAt = k;
                failure = t;
            }
            lock.notifyAll();
        }
    }

    @SuppressWarnings("unchecked")
    private <E extends Exception> void rethrow() throws E {
        Throwable t;
        synchronized (lock) {
            t = failure;
        }
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error er) {
            throw er;
        }
        throw (E) t; // the steps throw nothing else
    }

    // ------------------------------------------------------------------------------ tasks without a merge

    /**
     * Runs {@code task.accept(i)} for i in [0, n) on up to {@code threads} threads (each index writes
     * only its own results; fewer than one thread counts as one); the failure of the lowest failing
     * index is rethrown.
     *
     * @throws IllegalStateException if the calling thread is interrupted (its interrupt status is kept)
     */
    public static void forEach(String name, int n, int threads, IntConsumer task) {
        try {
            new BlockReduce(name, Math.max(1, threads)).forEach(n, (w, i) -> task.accept(i));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The results of {@code f.apply(i)} for i in [0, n), in index order, computed as in {@link #forEach(String, int, int, IntConsumer)}. */
    public static <T> List<T> map(String name, int n, int threads, IntFunction<T> f) {
        Object[] out = new Object[n];
        forEach(name, n, threads, i -> out[i] = f.apply(i));
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) new ArrayList<>(Arrays.asList(out));
        return list;
    }
}
