package org.remcg.observe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.remcg.io.Frame;
import org.remcg.io.IndexedTrajectory;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.io.TrajectoryReader;

/**
 * Feeds the frames of a trajectory to a {@link FrameAccumulator} on several threads with a
 * result that does not depend on the number of threads, bit for bit.
 *
 * <p>The frames are cut into batches of a fixed number of consecutive frames (the batch size,
 * never the thread count, decides the cut). Each batch is accumulated into a worker's own
 * (reset) copy of the accumulator, and the copies are merged into the target strictly in batch
 * order. So the target sees the same sequence of operations -- merge(batch 0), merge(batch 1),
 * ... -- whether one thread or many did the work. Memory does not grow with the number of
 * frames: a worker holds one accumulator copy, and frames live in a bounded pool of reusable
 * {@link Frame} objects (at most 2 x threads batches in flight).
 *
 * <p>Two sources: a sequential {@link TrajectoryReader} (read on the calling thread, accumulated
 * by the workers), or an {@link IndexedTrajectory}, where every worker opens its own reader and
 * reads batches t, t + T, t + 2T, ... itself, skipping the others' frames without decoding.
 */
public final class FrameDriver {
    /** Default number of frames per batch. */
    public static final int DEFAULT_BATCH = 16;

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
        if (threads == 1) {
            return runSerial(reader, target);
        }
        int poolSize = 2 * threads;
        BlockingQueue<Batch> free = new ArrayBlockingQueue<>(poolSize);
        BlockingQueue<Batch> work = new ArrayBlockingQueue<>(poolSize + threads);
        for (int b = 0; b < poolSize; b++) {
            free.add(new Batch(batch));
        }
        Sequencer seq = new Sequencer();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            A acc = target.emptyCopy();
            Thread th = new Thread(() -> {
                try {
                    while (true) {
                        Batch b = work.take();
                        if (b.seq < 0) {
                            return;
                        }
                        acc.reset();
                        for (int f = 0; f < b.size; f++) {
                            acc.accept(b.frames[f]);
                        }
                        seq.await(b.seq);
                        target.merge(acc);
                        seq.advance();
                        free.add(b);
                    }
                } catch (Throwable e) {
                    seq.fail(e);
                }
            }, "remcg-frames-" + t);
            th.setDaemon(true);
            workers.add(th);
            th.start();
        }
        long frames = 0;
        Throwable readError = null;
        try {
            long seqNo = 0;
            boolean more = true;
            while (more && !seq.failed()) {
                Batch b = free.poll(50, TimeUnit.MILLISECONDS);
                if (b == null) {
                    continue;
                }
                b.size = 0;
                while (b.size < batch && (more = reader.next(b.frames[b.size]))) {
                    b.size++;
                }
                if (b.size > 0) {
                    b.seq = seqNo++;
                    frames += b.size;
                    work.add(b);
                }
            }
        } catch (IOException | TrajectoryFormatException | RuntimeException e) {
            readError = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            readError = e;
        } finally {
            for (int t = 0; t < threads; t++) {
                work.add(Batch.END);
            }
            for (Thread th : workers) {
                joinQuietly(th);
            }
        }
        if (readError != null) {
            rethrow(readError);
        }
        if (seq.error != null) {
            rethrow(seq.error);
        }
        return frames;
    }

    private <A extends FrameAccumulator<A>> long runSerial(TrajectoryReader reader, A target) throws IOException, TrajectoryFormatException {
        A acc = target.emptyCopy();
        Frame frame = new Frame();
        long frames = 0;
        boolean more = true;
        while (more) {
            acc.reset();
            int n = 0;
            while (n < batch && (more = reader.next(frame))) {
                acc.accept(frame);
                n++;
            }
            if (n > 0) {
                target.merge(acc);
                frames += n;
            }
        }
        return frames;
    }

    /**
     * Accumulates all frames of an indexed trajectory: each worker opens its own reader
     * ({@link IndexedTrajectory#openAt}) and reads its batches.
     *
     * @return the number of frames accumulated
     */
    public <A extends FrameAccumulator<A>> long run(IndexedTrajectory traj, A target) throws IOException, TrajectoryFormatException {
        int total = traj.frames();
        int batches = (total + batch - 1) / batch;
        int workersUsed = Math.max(1, Math.min(threads, batches));
        Sequencer seq = new Sequencer();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < workersUsed; t++) {
            final int first = t;
            A acc = target.emptyCopy();
            Runnable job = () -> {
                if (first >= batches) {
                    return;
                }
                Frame frame = new Frame();
                try (TrajectoryReader r = traj.openAt(first * batch)) {
                    for (int k = first; k < batches && !seq.failed(); k += workersUsed) {
                        if (k != first) {
                            for (int s = 0; s < (workersUsed - 1) * batch; s++) {
                                if (!r.skip()) {
                                    throw new TrajectoryFormatException(r.file(), (long) k * batch, -1, "file ends before the "
                                            + total + " frames its index lists");
                                }
                            }
                        }
                        acc.reset();
                        int end = Math.min(total, (k + 1) * batch);
                        for (int f = k * batch; f < end; f++) {
                            if (!r.next(frame)) {
                                throw new TrajectoryFormatException(r.file(), f, -1, "file ends before the " + total + " frames its index lists");
                            }
                            acc.accept(frame);
                        }
                        seq.await(k);
                        target.merge(acc);
                        seq.advance();
                    }
                } catch (Throwable e) {
                    seq.fail(e);
                }
            };
            if (workersUsed == 1) {
                job.run();
            } else {
                Thread th = new Thread(job, "remcg-frames-" + t);
                th.setDaemon(true);
                workers.add(th);
                th.start();
            }
        }
        for (Thread th : workers) {
            joinQuietly(th);
        }
        if (seq.error != null) {
            rethrow(seq.error);
        }
        return total;
    }

    private static void joinQuietly(Thread th) {
        boolean interrupted = false;
        while (true) {
            try {
                th.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rethrow(Throwable e) throws IOException, TrajectoryFormatException {
        if (e instanceof IOException io) {
            throw io;
        }
        if (e instanceof TrajectoryFormatException tf) {
            throw tf;
        }
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException("frame processing interrupted", e);
    }

    /** A reusable group of frames. */
    private static final class Batch {
        static final Batch END = new Batch(0);
        final Frame[] frames;
        int size;
        long seq = -1;

        Batch(int n) {
            frames = new Frame[n];
            for (int i = 0; i < n; i++) {
                frames[i] = new Frame();
            }
        }
    }

    /** Lets merges happen in batch order; the first failure wakes and stops everybody. */
    private static final class Sequencer {
        private long next;
        volatile Throwable error;

        synchronized void await(long k) throws InterruptedException {
            while (next != k && error == null) {
                wait();
            }
            if (error != null) {
                throw new CancelledException();
            }
        }

        synchronized void advance() {
            next++;
            notifyAll();
        }

        synchronized void fail(Throwable e) {
            if (error == null && !(e instanceof CancelledException)) {
                error = e;
            }
            notifyAll();
        }

        boolean failed() {
            return error != null;
        }
    }

    /** Thrown inside a worker that stops because another one failed. */
    private static final class CancelledException extends RuntimeException {
        CancelledException() {
            super("cancelled", null, false, false);
        }
    }
}
