package org.remcg.dynamics;

import java.util.SplittableRandom;
import org.remcg.parallel.BlockReduce;

/**
 * Integrates Ito SDEs dX = a(X) dt + sigma(X) dW.
 *
 * <ul>
 *   <li>{@link Scheme#EULER_MARUYAMA}: X' = X + a(X) h + sigma(X) sqrt(h) N; weak order 1, any sigma.</li>
 *   <li>{@link Scheme#WEAK2}: the explicit order-2.0 weak scheme for additive noise (Kloeden and Platen,
 *       section 15.1): Y = X + a(X) h + sigma dW, X' = X + (a(X) + a(Y)) h / 2 + sigma dW with the same
 *       Gaussian dW; requires a constant sigma.</li>
 * </ul>
 * A system with a {@link SdeSystem.Boundary} has it applied after every step. The state and scratch live in flat arrays allocated once per trajectory; every trajectory has its
 * own seed, and ensembles run on several threads with results kept in input order, so the output
 * does not depend on the thread count.
 */
public final class SdeIntegrator {

    /** Integration scheme. */
    public enum Scheme { EULER_MARUYAMA, WEAK2;
        /** Parses {@code em} / {@code euler} or {@code weak2}. */
        public static Scheme parse(String s) {
            switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "em": case "euler": case "euler-maruyama": return EULER_MARUYAMA;
                case "weak2": case "heun": return WEAK2;
                default: throw new IllegalArgumentException("unknown scheme '" + s + "'; known: em, weak2");
            }
        }
    }

    private SdeIntegrator() {
    }

    /**
     * Runs one trajectory.
     *
     * @param x0        start point (null: the system's start)
     * @param dt        time step (&gt; 0)
     * @param steps     number of steps
     * @param stride    store every stride-th state (the start is frame 0)
     * @param seed      random seed
     * @param withDrift store a(x) at each stored frame
     */
    public static Trajectory run(SdeSystem sys, Scheme scheme, double[] x0, double dt, long steps, int stride,
                                 long seed, boolean withDrift) {
        int d = sys.dimension();
        if (!(dt > 0) || !Double.isFinite(dt)) {
            throw new IllegalArgumentException("time step must be finite and positive, got " + dt);
        }
        if (steps < 1 || stride < 1) {
            throw new IllegalArgumentException("steps and stride must be >= 1");
        }
        if (scheme == Scheme.WEAK2 && !sys.diffusion().constant()) {
            throw new IllegalArgumentException("the weak2 scheme needs a constant diffusion; use em for state-dependent noise");
        }
        long nFrames = steps / stride + 1;
        if (nFrames * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many stored frames: " + nFrames + "; raise the stride");
        }
        int n = (int) nFrames;
        double[] t = new double[n];
        double[] xs = new double[n * d];
        double[] as = withDrift ? new double[n * d] : null;
        double[] x = (x0 == null ? sys.start() : x0).clone();
        if (x.length != d) {
            throw new IllegalArgumentException("start point has " + x.length + " coordinates, the system " + d);
        }
        double[] a = new double[d];
        double[] a2 = new double[d];
        double[] y = new double[d];
        double[] noise = new double[d];
        double[] dw = new double[d];
        double[] sig = new double[d * d];
        SplittableRandom rng = new SplittableRandom(seed);
        Drift drift = sys.drift();
        Diffusion diff = sys.diffusion();
        SdeSystem.Boundary boundary = sys.boundary();
        boolean constant = diff.constant();
        if (constant) {
            diff.sigma(x, sig);
        }
        double sq = Math.sqrt(dt);
        System.arraycopy(x, 0, xs, 0, d);
        drift.evaluate(x, a);
        if (withDrift) {
            System.arraycopy(a, 0, as, 0, d);
        }
        int frame = 1;
        for (long s = 1; s <= steps; s++) {
            // a holds a(x) here
            if (!constant) {
                diff.sigma(x, sig);
            }
            for (int i = 0; i < d; i++) {
                dw[i] = sq * rng.nextGaussian();
            }
            for (int i = 0; i < d; i++) {
                double v = 0;
                for (int k = 0; k < d; k++) {
                    v += sig[i * d + k] * dw[k];
                }
                noise[i] = v;
            }
            if (scheme == Scheme.EULER_MARUYAMA) {
                for (int i = 0; i < d; i++) {
                    x[i] += a[i] * dt + noise[i];
                }
            } else {
                for (int i = 0; i < d; i++) {
                    y[i] = x[i] + a[i] * dt + noise[i];
                }
                drift.evaluate(y, a2);
                for (int i = 0; i < d; i++) {
                    x[i] += 0.5 * (a[i] + a2[i]) * dt + noise[i];
                }
            }
            if (boundary != null) {
                boundary.apply(x);
            }
            drift.evaluate(x, a);
            if (s % stride == 0) {
                for (int i = 0; i < d; i++) {
                    if (!Double.isFinite(x[i])) {
                        throw new IllegalStateException(sys.name() + ": the integration diverged at step " + s
                                + " (t = " + s * dt + "); reduce the time step");
                    }
                }
                t[frame] = s * dt;
                System.arraycopy(x, 0, xs, frame * d, d);
                if (withDrift) {
                    System.arraycopy(a, 0, as, frame * d, d);
                }
                frame++;
            }
        }
        return new Trajectory(sys.name(), d, t, xs, as);
    }

    /**
     * Runs independent trajectories, trajectory i with seed {@code seeds[i]} and start {@code starts[i]}
     * (or the system's start when starts is null), on up to {@code threads} threads; results in input order.
     */
    public static Trajectory[] ensemble(SdeSystem sys, Scheme scheme, double[][] starts, double dt, long steps, int stride,
                                        long[] seeds, boolean withDrift, int threads) {
        return BlockReduce.map("remcg-sde", seeds.length, threads,
                i -> run(sys, scheme, starts == null ? null : starts[i], dt, steps, stride, seeds[i], withDrift)).toArray(new Trajectory[0]);
    }

    /** Seeds seed, seed+1, ..., mixed so neighbouring seeds give unrelated streams. */
    public static long[] seeds(long seed, int count) {
        long[] s = new long[count];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            s[i] = r.nextLong();
        }
        return s;
    }
}
