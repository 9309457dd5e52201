package org.remcg.simulate;

/**
 * Dynamic pruning of the Verlet lists (GROMACS's idea, with an exact criterion): when the skin is at least 2
 * {@link #PRUNE}, every few steps a branch-free pass over each block's Verlet list ({@link #prune}) writes an inner
 * list holding the entries closer than cutoff + PRUNE (same segments, same order, empty segments dropped) and records
 * the positions; the force passes in between make one pass over the inner lists without a cutoff test (the pair tables
 * are zero from the cutoff to cutoff + 3 PRUNE, and an entry stays within cutoff + 2 PRUNE while the inner lists are
 * valid). The inner lists are stale once a particle has moved more than PRUNE / 2 since they were written (two
 * particles can then have closed the gap), and after every list build. The pairs within the cutoff and their order are
 * those of the full lists, so forces and trajectories are the same to the bit with and without pruning.
 */
final class InnerLists {
    /** Inner-list buffer beyond the cutoff (nm); pruning is on when the skin is at least twice as wide. */
    static final double PRUNE = 0.03;

    private final Particles particles;
    private final PairTables tables;
    private final PairList lists;
    /** Whether pruning applies at all (pair tables and a skin of at least 2 PRUNE). */
    final boolean on;
    private boolean enabled = true;
    private boolean valid;
    private boolean now;
    private long prunings;
    /** Positions at the last pruning (null without pruning). */
    final double[] xPrune;
    final int[][] start;
    final int[][] list;

    InnerLists(Particles particles, PairTables tables, PairList lists, double skin) {
        this.particles = particles;
        this.tables = tables;
        this.lists = lists;
        on = tables.ntab > 0 && skin >= 2 * PRUNE;
        xPrune = on ? new double[3 * particles.n] : null;
        int nb = lists.blockStart.length - 1;
        start = new int[nb][];
        list = new int[nb][];
        for (int p = 0; p < nb; p++) {
            start[p] = new int[lists.blockStart[p + 1] - lists.blockStart[p] + 1];
            list[p] = new int[0];
        }
    }

    /** Switches pruning off or on (the trajectory is the same either way). */
    void setEnabled(boolean e) {
        enabled = e;
        valid = false;
    }

    /** The lists are stale (after a list build). */
    void invalidate() {
        valid = false;
    }

    /**
     * Decides whether this step's force pass prunes: the inner lists are stale once a particle has moved more than
     * PRUNE / 2 since they were written ({@code displacement2}: the largest squared displacement of any block's
     * particles); sampled steps use the lists as they are and leave the pruning to the next step.
     */
    void decide(double[] displacement2, boolean sampling) {
        if (!on) {
            return;
        }
        double lim = 0.25 * PRUNE * PRUNE;
        boolean stale = !valid;
        for (double d : displacement2) {
            stale |= d > lim;
        }
        if (stale) {
            valid = false;
        }
        now = enabled && stale && !sampling;
    }

    /** Whether this step's force pass writes the inner lists first. */
    boolean pruneNow() {
        return now;
    }

    /** Whether the force-only pass of this step runs over the inner lists. */
    boolean useForForces() {
        return now || (valid && enabled);
    }

    /** Whether a sampled pass may run over the inner lists (they hold every pair within the cutoff, in list order). */
    boolean useForSampling() {
        return valid && enabled;
    }

    /** After a force pass: the lists written by it are valid. */
    void done() {
        if (now) {
            valid = true;
            now = false;
            prunings++;
        }
    }

    /** Force passes that wrote the inner lists. */
    long prunings() {
        return prunings;
    }

    /**
     * Writes block p's inner lists: the Verlet-list entries closer than cutoff + PRUNE, segment by segment in list order
     * (empty segments dropped), and records the block's positions. A branch-free pass over the Verlet list.
     */
    void prune(int p) {
        int lo = lists.blockStart[p];
        int hi = lists.blockStart[p + 1];
        int[] st = lists.start[p];
        int[] lst = lists.list[p];
        int[] il = list[p];
        if (il.length < lst.length) {
            il = list[p] = new int[lst.length];
        }
        int[] is = start[p];
        final double[] xs = particles.x;
        System.arraycopy(xs, 3 * lo, xPrune, 3 * lo, 3 * (hi - lo));
        final int[] ty = particles.type;
        final int nt = particles.types;
        final int[] tOf = tables.tabOf;
        final double[] in2 = tables.inner2;
        final double[] sx = lists.sx;
        final double[] sy = lists.sy;
        final double[] sz = lists.sz;
        // one table: one radius, no type lookup per entry (the JIT compiles the loop once per value of the test)
        final boolean one = tables.ntab == 1;
        final double in2One = in2[0];
        int ic = 0;
        // walk written out per kernel and variant: a shared one needs a call per pair, one behind a flag measured slower (BENCHMARKS.md)
        for (int i = lo; i < hi; i++) {
            double xi = xs[3 * i];
            double yi = xs[3 * i + 1];
            double zi = xs[3 * i + 2];
            int row = ty[i] * nt;
            is[i - lo] = ic;
            for (int k = st[i - lo], ke = st[i - lo + 1]; k < ke;) {
                int h = lst[k];
                int c = h >>> PairList.SEG_BITS;
                double ox = sx[c] - xi;
                double oy = sy[c] - yi;
                double oz = sz[c] - zi;
                int head = ic++;
                for (int end = ++k + (h & PairList.SEG_MASK); k < end; k++) {
                    int j3 = lst[k];
                    double dx = xs[j3] + ox;
                    double dy = xs[j3 + 1] + oy;
                    double dz = xs[j3 + 2] + oz;
                    double r2 = dx * dx + dy * dy + dz * dz;
                    il[ic] = j3;
                    ic += r2 < (one ? in2One : in2[tOf[row + ty[j3 / 3]]]) ? 1 : 0;
                }
                if (ic == head + 1) {
                    ic = head;
                } else {
                    il[head] = (c << PairList.SEG_BITS) | (ic - head - 1);
                }
            }
        }
        is[hi - lo] = ic;
    }
}
