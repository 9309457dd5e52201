package org.remcg.observe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.remcg.io.Frame;
import org.remcg.io.IndexedTrajectory;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.io.TrajectoryReader;
import org.remcg.parallel.BlockReduce;

/**
 * Feeds the frames of a trajectory to a {@link FrameAccumulator} on several threads with a
 * result that does not depend on the number of threads, bit for bit.
 *
 * <p>The frames are cut into batches of a fixed number of consecutive frames (the batch size,
 * never the thread count, decides the cut), and the batches are the blocks of a {@link BlockReduce}:
 * each batch is accumulated into a worker's own (reset) copy of the accumulator, and the copies are
 * merged into the target strictly in batch order. So the target sees the same sequence of operations
 * -- merge(batch 0), merge(batch 1), ... -- whether one thread or many did the work. Memory does not
 * grow with the number of frames: a worker holds one accumulator copy and one batch of reusable
 * {@link Frame} objects.
 *
 * <p>Two sources: a sequential {@link TrajectoryReader}, from which the workers take turns to read
 * the next batch (in file order, under the block hand-out lock), or an {@link IndexedTrajectory},
 * where every worker opens its own reader and reads the batches it is handed itself, skipping the
 * frames in between without decoding them.
 */
public final class FrameDriver {
    /** Default number of frames per batch. */
    public static final int DEFAULT_BATCH = 16;

    private static final String THREAD_NAME = "remcg-frames";

    private final int threads;
    private final int batch;

    /**
     * @param threads worker threads (at least 1)
     * @param batch   frames per batch (at least 1); changing it may change the last bits of
     *                floating-point sums, changing the thread count never does
     */
    public FrameDriver(int threads, int batch) {
        if (threads < 1 || batch < 1) {
            throw new IllegalArgumentException("need at least one thread and one frame per batch, got " + threads + " and " + batch);
        }
        this.threads = threads;
        this.batch = batch;
    }

    /** The CPUs this process may use ({@link org.remcg.system.Cpus}), batches of {@value #DEFAULT_BATCH}. */
    public FrameDriver() {
        this(org.remcg.system.Cpus.available(), DEFAULT_BATCH);
    }

    public int threads() {
        return threads;
    }

    public int batch() {
        return batch;
    }

    /**
     * Reads all remaining frames of {@code reader} and accumulates them into {@code target}.
     *
     * @return the number of frames accumulated
     */
    public <A extends FrameAccumulator<A>> long run(TrajectoryReader reader, A target) throws IOException, TrajectoryFormatException {
        int workers = BlockReduce.workers(BlockReduce.UNTIL_CLAIM_FAILS, threads);
        List<A> acc = copies(target, workers);
        Frame[][] frames = new Frame[workers][];
        int[] size = new int[workers];
        long[] read = {0};
        boolean[] more = {true};
        run(new BlockReduce(THREAD_NAME, threads), BlockReduce.UNTIL_CLAIM_FAILS, (w, k) -> {
            // under the hand-out lock: the batches are read in file order
            if (!more[0]) {
                return false;
            }
            if (frames[w] == null) {
                frames[w] = newFrames(batch);
            }
            int n = 0;
            while (n < batch && (more[0] = reader.next(frames[w][n]))) {
                n++;
            }
            size[w] = n;
            read[0] += n;
            return n > 0;
        }, (w, k) -> {
            A a = acc.get(w);
            a.reset();
            for (int f = 0; f < size[w]; f++) {
                a.accept(frames[w][f]);
            }
        }, (w, k) -> target.merge(acc.get(w)));
        return read[0];
    }

    /**
     * Accumulates all frames of an indexed trajectory: each worker opens its own reader
     * ({@link IndexedTrajectory#openAt}) at its first batch and skips forward to its later ones.
     *
     * @return the number of frames accumulated
     */
    public <A extends FrameAccumulator<A>> long run(IndexedTrajectory traj, A target) throws IOException, TrajectoryFormatException {
        int total = traj.frames();
        int batches = (total + batch - 1) / batch;
        int workers = BlockReduce.workers(batches, threads);
        List<A> acc = copies(target, workers);
        TrajectoryReader[] readers = new TrajectoryReader[workers];
        int[] at = new int[workers]; // the frame each worker's reader is at
        Frame[] frame = new Frame[workers];
        Throwable failed = null;
        try {
            run(new BlockReduce(THREAD_NAME, threads), batches, null, (w, k) -> {
                int from = k * batch;
                int end = Math.min(total, from + batch);
                TrajectoryReader r = readers[w];
                if (r == null) {
                    r = traj.openAt(from);
                    readers[w] = r;
                    frame[w] = new Frame();
                    at[w] = from;
                }
                for (; at[w] < from; at[w]++) {
                    if (!r.skip()) {
                        throw new TrajectoryFormatException(r.file(), from, -1, "file ends before the " + total + " frames its index lists");
                    }
                }
                A a = acc.get(w);
                a.reset();
                for (int f = from; f < end; f++) {
                    if (!r.next(frame[w])) {
                        throw new TrajectoryFormatException(r.file(), f, -1, "file ends before the " + total + " frames its index lists");
                    }
                    a.accept(frame[w]);
                }
                at[w] = end;
            }, (w, k) -> target.merge(acc.get(w)));
        } catch (Throwable t) {
            failed = t;
            throw t;
        } finally {
            closeAll(readers, failed);
        }
        return total;
    }

    /** Runs the blocks, rethrowing what a block threw; an interrupt ends the run with the interrupt status kept. */
    private static void run(BlockReduce job, int blocks, BlockReduce.Claim<Exception> claim, BlockReduce.Step<Exception> compute,
            BlockReduce.Step<Exception> merge) throws IOException, TrajectoryFormatException {
        try {
            job.run(blocks, claim, compute, merge);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("frame processing interrupted", e);
        } catch (IOException | TrajectoryFormatException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // the steps throw nothing else
        }
    }

    private static <A extends FrameAccumulator<A>> List<A> copies(A target, int n) {
        List<A> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(target.emptyCopy());
        }
        return out;
    }

    private static Frame[] newFrames(int n) {
        Frame[] f = new Frame[n];
        for (int i = 0; i < n; i++) {
            f[i] = new Frame();
        }
        return f;
    }

    /**
     * Closes every reader opened. A failure to close is added to {@code failed} when the run failed,
     * else the first one is thrown once all are closed.
     */
    private static void closeAll(TrajectoryReader[] readers, Throwable failed) throws IOException {
        IOException first = null;
        for (TrajectoryReader r : readers) {
            if (r != null) {
                try {
                    r.close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
        }
        if (first != null && failed != null) {
            failed.addSuppressed(first);
        } else if (first != null) {
            throw first;
        }
    }
}
