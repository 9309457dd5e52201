package org.remcg.simulate;

/**
 * The running part of the engine's dynamics, per particle block: the {@link Integrator}'s move with the block's random
 * stream and noise, then the displacements the engine watches (since the last list build and the last pruning, and
 * the largest single move, for the blow-up check); and the closing half kick fused with the sum of the block force
 * buffers and the kinetic energy ({@link #reduce}). Public only as the type of the integrators' hooks.
 */
public final class Dynamics {
    /** Padding (array elements) that keeps per-block arrays written by different threads off each other's cache lines. */
    static final int PAD = PairList.PAD;

    final Particles particles;
    private final ForceBuffers buffers;
    private final BlockSums sums;
    private final int[] blockStart;
    private final double[] xBuild;
    /** Positions at the last pruning, or null without pruning. */
    private final double[] xPrune;
    private final double[][] moved;
    final NormalSource[] rng;
    /** Per block: this step's Langevin noise, three deviates per particle, after PAD leading elements. */
    final double[][] noise;
    long rngSeed = Long.MIN_VALUE;
    double ouC;
    double ouKt;
    double halfStep;
    private Integrator integrator;
    /** Degrees of freedom of the kinetic temperature. */
    int dof;
    /** The force buffers must be summed before the next move (the forces of the last pass are not in f yet). */
    boolean reduceNeeded;
    /** The last step's closing half kick is still to be given (by the next move, or by {@link #reduce}). */
    boolean kickNeeded;
    /** Per block: largest squared displacement since the last list build. */
    final double[] buildDisplacement;
    /** Per block: largest squared displacement since the last pruning. */
    final double[] pruneDisplacement;
    /** Per block: largest squared move of one step, and the particle that made it. */
    final double[] largestMove;
    final int[] largestMover;

    Dynamics(Particles particles, ForceBuffers buffers, BlockSums sums, int[] blockStart, double[] xBuild, double[] xPrune) {
        this.particles = particles;
        this.buffers = buffers;
        this.sums = sums;
        this.blockStart = blockStart;
        this.xBuild = xBuild;
        this.xPrune = xPrune;
        int nb = blockStart.length - 1;
        moved = new double[nb][];
        rng = new NormalSource[nb];
        noise = new double[nb][];
        for (int p = 0; p < nb; p++) {
            moved[p] = new double[blockStart[p + 1] - blockStart[p]];
            // PAD doubles before and after: the blocks' arrays do not share a cache line
            noise[p] = new double[3 * (blockStart[p + 1] - blockStart[p]) + 2 * PAD];
        }
        buildDisplacement = new double[nb];
        pruneDisplacement = new double[nb];
        largestMove = new double[nb];
        largestMover = new int[nb];
        dof = 3 * particles.n;
    }

    /** Block p's squared displacements of this step, index i - lo. */
    double[] moved(int p) {
        return moved[p];
    }

    /** v after the opening half kick h f / m of a step, preceded by the last step's closing one when {@code twice}. */
    static double kick(double v, double f, double h, double invMass, boolean twice) {
        if (twice) {
            v += h * f * invMass;
        }
        return v + h * f * invMass;
    }

    /** Starts a run with {@code in}. */
    void begin(Integrator in) {
        integrator = in;
        halfStep = 0.5 * in.dt();
        in.begin(this);
    }

    /** One step's move of block p (after summing the last force pass's buffers when that is still to do). */
    void move(int p) {
        int lo = blockStart[p];
        int hi = blockStart[p + 1];
        if (reduceNeeded) {
            buffers.sum(particles.f, lo, hi);
        }
        integrator.move(this, p, lo, hi, kickNeeded);
        track(p, lo, hi);
    }

    /** The displacements of block p's particles since the last list build and pruning, and the step's largest move. */
    private void track(int p, int lo, int hi) {
        final double[] xs = particles.x;
        final double[] xb = xBuild;
        final double[] xp = xPrune;
        final double[] mvs = moved[p];
        double maxD = 0;
        double maxP = 0;
        double maxMove = 0;
        int maxI = lo;
        for (int i = lo; i < hi; i++) {
            int o = 3 * i;
            double ddx = xs[o] - xb[o];
            double ddy = xs[o + 1] - xb[o + 1];
            double ddz = xs[o + 2] - xb[o + 2];
            double d2 = ddx * ddx + ddy * ddy + ddz * ddz;
            if (d2 > maxD) {
                maxD = d2;
            }
            if (xp != null) {
                double px = xs[o] - xp[o];
                double py = xs[o + 1] - xp[o + 1];
                double pz = xs[o + 2] - xp[o + 2];
                maxP = Math.max(maxP, px * px + py * py + pz * pz);
            }
            double mv = mvs[i - lo];
            if (!(mv <= maxMove)) {
                // the first non-finite move wins; otherwise the largest
                if (maxMove == maxMove && (mv != mv || mv > maxMove)) {
                    maxMove = mv;
                    maxI = i;
                }
            }
        }
        buildDisplacement[p] = maxD;
        pruneDisplacement[p] = maxP;
        largestMove[p] = maxMove;
        largestMover[p] = maxI;
    }

    /**
     * Block p: f = the sum of the block buffers, then (when {@code kick}) the closing half kick, and the kinetic energy
     * and |F|^2 into the block sums.
     */
    void reduce(int p, boolean kick) {
        int lo = blockStart[p];
        int hi = blockStart[p + 1];
        final double[] f = particles.f;
        final double[] v = particles.v;
        final double[] invMass = particles.invMass;
        final double[] mass = particles.mass;
        buffers.sum(f, lo, hi);
        double kin = 0;
        double f2 = 0;
        double h = halfStep;
        for (int i = lo; i < hi; i++) {
            double im = invMass[i];
            double vi2 = 0;
            for (int d = 0; d < 3; d++) {
                int o = 3 * i + d;
                double fo = f[o];
                f2 += fo * fo;
                if (kick) {
                    v[o] += h * fo * im;
                }
                vi2 += v[o] * v[o];
            }
            kin += 0.5 * mass[i] * vi2;
        }
        sums.kinetic[p] = kin;
        sums.forceSquared[p] = f2;
    }
}
