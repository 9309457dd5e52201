package org.remcg.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.remcg.optimize.IterativeRem;
import org.remcg.optimize.Samples;

/**
 * K independent chains (replicas) per simulation, merged in replica order: every chain has its own seed
 * ({@link #replicaSeed}) and its own configuration, which it carries from one accepted simulation to the next. A
 * simulation runs in two phases per chain: {@link Chain#start} (the simulation itself; up to {@code concurrent}
 * chains at once, e.g. LAMMPS processes) and {@link Pending#finish} (the frame pass, called in replica order on the
 * calling thread, where the frames also go to the sink). The merged {@link Samples} hold chain 0's frames, then
 * chain 1's, ... and know their chains, so each block of the error estimates lies within one replica. Nothing
 * depends on which chain finished first: the result depends on the seeds and K only.
 *
 * <p>A chain whose run dies without an error of the program's own ({@link ChainFailure#retry}) is run once more
 * (the same seed: the same run), with a warning carrying its output's tail; a second failure, or any failure the
 * program reported itself (a blow-up), fails the simulation.
 */
public final class ReplicaSampler implements FitSampler {

    /** One chain of a replica sampler. */
    public interface Chain {
        /**
         * The simulation (may run beside the other chains' starts); its frames are read by the returned pending. A
         * {@link ChainFailure} is a failed run that may be retried once.
         */
        Pending start(double[] theta, int sim, double length) throws IterativeRem.SamplingException, ChainFailure;

        /** MD steps (equilibration included) of one simulation of that length. */
        long steps(double length);

        double[] positions();

        void setPositions(double[] p);

        /** The last simulation's end becomes the next start only when its parameters were accepted. */
        void verdict(boolean accepted);
    }

    /** A chain's finished simulation whose frames have not been read yet. */
    @FunctionalInterface
    public interface Pending {
        /** Reads the frames (to {@code sink} too, when not null) into samples. */
        Samples finish(EngineSampler.FrameSink sink) throws IterativeRem.SamplingException;
    }

    /** A failed chain run; {@code retry} when the failure was not the simulated model's (a killed or crashed process). */
    public static final class ChainFailure extends Exception {
        private final boolean retry;

        public ChainFailure(String message, boolean retry) {
            super(message);
            this.retry = retry;
        }

        public boolean retry() {
            return retry;
        }
    }

    private final List<Chain> chains;
    private final int size;
    private final int threads;
    private final Consumer<String> warn;
    private EngineSampler.FrameSink sink;
    private EngineSampler.Progress progress;
    private long stepsRun;

    /**
     * @param chains     the replicas, in merge order
     * @param size       configuration length of one chain (3 x beads)
     * @param concurrent chains whose {@link Chain#start} may run at once (1: one after another on the calling thread)
     * @param warn       receives a line for every retried chain (null: dropped)
     */
    public ReplicaSampler(List<? extends Chain> chains, int size, int concurrent, Consumer<String> warn) {
        if (chains.isEmpty() || concurrent < 1) {
            throw new IllegalArgumentException("need at least one chain and one slot, got " + chains.size() + " and " + concurrent);
        }
        this.chains = List.copyOf(chains);
        this.size = size;
        this.threads = Math.min(concurrent, chains.size());
        this.warn = warn == null ? s -> { } : warn;
    }

    /**
     * The seed of replica {@code replica} of a fit with seed {@code seed}: the fit's own for replica 0 (one replica is
     * the plain fit), a SplitMix64 mix of both for the others. Each simulation then derives its seeds from it
     * ({@link EngineSampler#seedFor}).
     */
    public static long replicaSeed(long seed, int replica) {
        if (replica == 0) {
            return seed;
        }
        long z = seed + replica * 0xD1B54A32D192ED03L + 0x8CB92BA72F3D8DD7L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public int replicas() {
        return chains.size();
    }

    @Override
    public Samples sample(double[] theta, int sim) throws IterativeRem.SamplingException {
        return sample(theta, sim, 1.0);
    }

    @Override
    public Samples sample(double[] theta, int sim, double length) throws IterativeRem.SamplingException {
        ExecutorService pool = threads <= 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "remcg-replica");
            t.setDaemon(true);
            return t;
        });
        try {
            return sample(theta, sim, length, pool);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** Starts on the pool (null: one after another here), frame passes in replica order. */
    private Samples sample(double[] theta, int sim, double length, ExecutorService pool) throws IterativeRem.SamplingException {
        int k = chains.size();
        Pending[] direct = new Pending[k];
        IterativeRem.SamplingException[] failed = new IterativeRem.SamplingException[k];
        long perChain = chains.get(0).steps(length);
        long total = k * perChain;
        List<Future<Pending>> started = new ArrayList<>();
        if (pool == null) {
            for (int r = 0; r < k; r++) {
                try {
                    direct[r] = startWithRetry(r, theta, sim, length);
                } catch (IterativeRem.SamplingException e) {
                    failed[r] = e;
                    break;
                }
            }
        } else {
            for (int r = 0; r < k; r++) {
                int replica = r;
                started.add(pool.submit(() -> startWithRetry(replica, theta, sim, length)));
            }
        }
        // frames in replica order; every started chain is waited for, even after a failure
        List<Samples> parts = new ArrayList<>();
        IterativeRem.SamplingException first = null;
        int firstReplica = -1;
        for (int r = 0; r < k; r++) {
            Pending p = null;
            if (pool == null) {
                p = direct[r];
                if (failed[r] != null && first == null) {
                    first = failed[r];
                    firstReplica = r;
                }
            } else {
                try {
                    p = started.get(r).get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IterativeRem.SamplingException se) {
                        if (first == null) {
                            first = se;
                            firstReplica = r;
                        }
                    } else if (e.getCause() instanceof RuntimeException re) {
                        waitAll(started);
                        throw re;
                    } else if (e.getCause() instanceof Error er) {
                        waitAll(started);
                        throw er;
                    } else {
                        waitAll(started);
                        throw new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    started.forEach(f -> f.cancel(true));
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the replicas ran", e);
                }
            }
            if (p == null || first != null) {
                continue;
            }
            try {
                parts.add(p.finish(sink));
            } catch (IterativeRem.SamplingException e) {
                first = e;
                firstReplica = r;
            }
            stepsRun += perChain;
            if (progress != null) {
                progress.at(sim, (r + 1) * perChain, total);
            }
        }
        if (first != null) {
            throw k == 1 ? first : new IterativeRem.SamplingException("replica " + firstReplica + ": " + first.getMessage());
        }
        return merge(theta, parts);
    }

    private Pending startWithRetry(int r, double[] theta, int sim, double length) throws IterativeRem.SamplingException {
        try {
            return chains.get(r).start(theta, sim, length);
        } catch (ChainFailure e) {
            if (!e.retry()) {
                throw new IterativeRem.SamplingException(e.getMessage());
            }
            warn.accept("replica " + r + " of simulation " + sim + " failed (" + e.getMessage() + "); running it once more");
        }
        try {
            return chains.get(r).start(theta, sim, length);
        } catch (ChainFailure e) {
            throw new IterativeRem.SamplingException(e.getMessage() + " (the second attempt)");
        }
    }

    private static void waitAll(List<Future<Pending>> futures) {
        for (Future<Pending> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                // reported through the first failure
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The chains' frames one after another, as samples of {@code parts.size()} chains. */
    static Samples merge(double[] theta, List<Samples> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int m = theta.length;
        int per = parts.get(0).frames();
        for (Samples s : parts) {
            if (s.frames() != per || s.features() != m) {
                throw new IllegalStateException("replicas gave " + s.frames() + " and " + per + " frames: they must run alike");
            }
        }
        double[] phi = new double[Math.multiplyExact(per * parts.size(), m)];
        int at = 0;
        for (Samples s : parts) {
            for (int t = 0; t < per; t++) {
                for (int k = 0; k < m; k++) {
                    phi[at++] = s.phi(t, k);
                }
            }
        }
        return new Samples(theta, phi, per * parts.size(), parts.size());
    }

    @Override
    public long steps(double length) {
        return chains.size() * chains.get(0).steps(length);
    }

    @Override
    public void verdict(boolean accepted) {
        for (Chain c : chains) {
            c.verdict(accepted);
        }
    }

    @Override
    public double[] positions() {
        double[] all = new double[chains.size() * size];
        for (int r = 0; r < chains.size(); r++) {
            System.arraycopy(chains.get(r).positions(), 0, all, r * size, size);
        }
        return all;
    }

    @Override
    public void setPositions(double[] p) {
        if (p.length != chains.size() * size) {
            throw new IllegalArgumentException("expected the configurations of " + chains.size() + " replicas (" + chains.size() * size
                    + " coordinates), got " + p.length);
        }
        for (int r = 0; r < chains.size(); r++) {
            chains.get(r).setPositions(Arrays.copyOfRange(p, r * size, (r + 1) * size));
        }
    }

    @Override
    public void setSink(EngineSampler.FrameSink sink) {
        this.sink = sink;
    }

    @Override
    public void setProgress(EngineSampler.Progress progress) {
        this.progress = progress;
    }

    @Override
    public long stepsRun() {
        return stepsRun;
    }
}
