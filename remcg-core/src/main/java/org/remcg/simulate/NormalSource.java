package org.remcg.simulate;

/**
 * Standard normal deviates for the Langevin noise: the ziggurat method (Marsaglia and Tsang,
 * J. Stat. Softw. 5(8), 2000) with 128 strips, fed by a SplitMix64 bit stream. One 64-bit draw
 * supplies both the strip (low 7 bits) and the signed abscissa (high 53 bits); about 99 % of the
 * draws end on the fast path with one multiply and one compare, small enough for the JIT to inline
 * into the integrator's loop. Deterministic for a given seed; one instance per block (not
 * thread-safe).
 */
final class NormalSource {
    private static final int STRIPS = 128;
    /** Right edge of the base strip; the tail lies beyond it. */
    static final double R = 3.442619855899;
    /** Area of every strip (the base strip including the tail) under exp(-x^2/2). */
    static final double V = 9.91256303526217e-3;
    /** X[i]: right edge of strip i (X[0]: the base strip's equivalent width V / f(R)); X[STRIPS] = 0. */
    private static final double[] X = new double[STRIPS + 1];
    /** X[i + 1] / X[i]: below this fraction of strip i's width a point lies under the density for sure. */
    private static final double[] RATIO = new double[STRIPS];
    /** exp(-X[i]^2 / 2). */
    private static final double[] F = new double[STRIPS + 1];

    static {
        double f = Math.exp(-0.5 * R * R);
        X[0] = V / f;
        X[1] = R;
        for (int i = 2; i < STRIPS; i++) {
            X[i] = Math.sqrt(-2 * Math.log(V / X[i - 1] + f));
            f = Math.exp(-0.5 * X[i] * X[i]);
        }
        X[STRIPS] = 0;
        for (int i = 0; i <= STRIPS; i++) {
            F[i] = Math.exp(-0.5 * X[i] * X[i]);
        }
        for (int i = 0; i < STRIPS; i++) {
            RATIO[i] = X[i + 1] / X[i];
        }
    }

    private long state;

    NormalSource(long seed) {
        state = seed;
    }

    /** The next 64 random bits (SplitMix64). */
    long nextLong() {
        return mix(state += GOLDEN);
    }

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** The SplitMix64 output function of one state. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in (0, 1]. */
    private double nextOpenUniform() {
        return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
    }

    /** A standard normal deviate. */
    double next() {
        long z = nextLong();
        int i = (int) z & (STRIPS - 1);
        double u = (z >> 11) * 0x1.0p-52; // signed, in [-1, 1)
        if (Math.abs(u) < RATIO[i]) {
            return u * X[i];
        }
        return edge(i, u);
    }

    /**
     * Writes {@code count} deviates to out[from ..]: the same values in the same order as that many calls of
     * {@link #next}. The state stays in a register for the loop and the object is written once, not once per
     * deviate (the generators of the blocks sit next to each other in memory, and the blocks' threads would
     * otherwise keep taking the cache line from each other).
     */
    void fill(double[] out, int from, int count) {
        long s = state;
        for (int k = from, e = from + count; k < e; k++) {
            long z = mix(s += GOLDEN);
            int i = (int) z & (STRIPS - 1);
            double u = (z >> 11) * 0x1.0p-52;
            if (Math.abs(u) < RATIO[i]) {
                out[k] = u * X[i];
            } else {
                state = s;
                out[k] = edge(i, u);
                s = state;
            }
        }
        state = s;
    }

    /** The rare draws: the tail beyond R (strip 0) or the wedge of strip i; retries with fresh bits. */
    private double edge(int i, double u) {
        while (true) {
            if (i == 0) {
                // the tail beyond R (Marsaglia 1964): exponential proposal, accepted with the Gaussian ratio
                double t;
                double y;
                do {
                    t = -Math.log(nextOpenUniform()) / R;
                    y = -Math.log(nextOpenUniform());
                } while (2 * y < t * t);
                return u < 0 ? -(R + t) : R + t;
            }
            double x = u * X[i];
            // a uniform height in the strip's box, between f(X[i]) (below it: under the curve for sure) and f(X[i + 1])
            double h = F[i] + nextOpenUniform() * (F[i + 1] - F[i]);
            if (h < Math.exp(-0.5 * x * x)) {
                return x;
            }
            long z = nextLong();
            i = (int) z & (STRIPS - 1);
            u = (z >> 11) * 0x1.0p-52;
            if (Math.abs(u) < RATIO[i]) {
                return u * X[i];
            }
        }
    }

    /** Area of the top strip, [0, X[127]] x [f(X[127]), 1]: equals V when the constants R and V are consistent. */
    static double topStripArea() {
        return X[STRIPS - 1] * (1 - F[STRIPS - 1]);
    }
}
