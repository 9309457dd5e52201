package org.remcg.simulate;

/**
 * Pair forces over the Verlet lists in two passes per particle i (used without pruning, and for forces outside a run):
 * the first computes the distance to every list entry and keeps those within the cutoff (a branch-free compaction:
 * about a quarter of a Verlet list lies in the skin, and an unpredictable branch per pair costs more than the copy);
 * the second evaluates the force table for the kept pairs only. A variant for one table keeps the table's constants in
 * registers.
 *
 * <p>The one-table variant is written out as a loop of its own on purpose: one loop for both cases behind a flag made
 * the step measurably slower (docs/BENCHMARKS.md, the engine in parts). The two loops must stay the same pair for
 * pair ({@code PairKernelsTest} compares them bit for bit).
 */
final class TwoPassKernel extends PairKernel {
    /**
     * Per block, the in-range pairs of one particle found by the first pass: j3 and table index, and dx, dy, dz, r^2
     * interleaved; sized to the longest list row at each build ({@link #fit}).
     */
    private final int[][] rowJ;
    private final int[][] rowTab;
    private final double[][] rowD;

    TwoPassKernel(Particles particles, PairTables tables, PairList lists, InnerLists inner, boolean single, int blocks) {
        super(particles, tables, lists, inner, single);
        rowJ = new int[blocks][0];
        rowTab = new int[blocks][0];
        rowD = new double[blocks][0];
    }

    /** Makes block p's row buffers hold a row of {@code longest} entries. */
    void fit(int p, int longest) {
        if (rowJ[p].length < longest) {
            rowJ[p] = new int[longest + longest / 4];
            rowTab[p] = new int[rowJ[p].length];
            rowD[p] = new double[4 * rowJ[p].length];
        }
    }

    @Override
    void run(int p, double[] fb) {
        if (single) {
            single(p, fb);
        } else {
            general(p, fb);
        }
    }

    /** Any number of bead types and tables. */
    private void general(int p, double[] fb) {
        int lo = lists.blockStart[p];
        int hi = lists.blockStart[p + 1];
        int[] start = lists.start[p];
        int[] list = lists.list[p];
        final double[] sx = lists.sx;
        final double[] sy = lists.sy;
        final double[] sz = lists.sz;
        final double[] xs = particles.x;
        final PairTables tb = tables;
        final double[] tab = tb.ftable;
        final double[] cut2 = tb.cut2;
        final int[] ty = particles.type;
        final int[] tOf = tb.tabOf;
        final int ntypes = particles.types;
        final int[] kj = rowJ[p];
        final int[] kt = rowTab[p];
        final double[] kd = rowD[p];
        // walk written out per kernel and variant: a shared one needs a call per pair, one behind a flag measured slower (BENCHMARKS.md)
        for (int i = lo; i < hi; i++) {
            double xi = xs[3 * i];
            double yi = xs[3 * i + 1];
            double zi = xs[3 * i + 2];
            int row = ty[i] * ntypes;
            int m = 0;
            for (int k = start[i - lo], ke = start[i - lo + 1]; k < ke;) {
                int h = list[k];
                int c = h >>> PairList.SEG_BITS;
                double ox = sx[c] - xi;
                double oy = sy[c] - yi;
                double oz = sz[c] - zi;
                for (int end = ++k + (h & PairList.SEG_MASK); k < end; k++) {
                    int j3 = list[k];
                    double dx = xs[j3] + ox;
                    double dy = xs[j3 + 1] + oy;
                    double dz = xs[j3 + 2] + oz;
                    double r2 = dx * dx + dy * dy + dz * dz;
                    int t = tOf[row + ty[j3 / 3]];
                    kj[m] = j3;
                    kt[m] = t;
                    int m4 = 4 * m;
                    kd[m4] = dx;
                    kd[m4 + 1] = dy;
                    kd[m4 + 2] = dz;
                    kd[m4 + 3] = r2;
                    m += r2 < cut2[t] ? 1 : 0;
                }
            }
            double fxi = 0;
            double fyi = 0;
            double fzi = 0;
            for (int q = 0; q < m; q++) {
                int j3 = kj[q];
                int t = kt[q];
                double g = tb.force(t, kd[4 * q + 3], tab);
                double fx = g * kd[4 * q];
                double fy = g * kd[4 * q + 1];
                double fz = g * kd[4 * q + 2];
                fxi += fx;
                fyi += fy;
                fzi += fz;
                fb[j3] -= fx;
                fb[j3 + 1] -= fy;
                fb[j3 + 2] -= fz;
            }
            fb[3 * i] += fxi;
            fb[3 * i + 1] += fyi;
            fb[3 * i + 2] += fzi;
        }
    }

    /** One bead type with one pair table: the table constants stay in registers. */
    private void single(int p, double[] fb) {
        int lo = lists.blockStart[p];
        int hi = lists.blockStart[p + 1];
        int[] start = lists.start[p];
        int[] list = lists.list[p];
        final double[] sx = lists.sx;
        final double[] sy = lists.sy;
        final double[] sz = lists.sz;
        final double[] xs = particles.x;
        final PairTables tb = tables;
        final double[] tab = tb.ftable;
        final double cut2 = tb.cut2[0];
        final double qmin = tb.qmin[0];
        final double ih = tb.invH[0];
        final int base = tb.base[0];
        final int[] kj = rowJ[p];
        final double[] kd = rowD[p];
        // walk written out per kernel and variant: a shared one needs a call per pair, one behind a flag measured slower (BENCHMARKS.md)
        for (int i = lo; i < hi; i++) {
            double xi = xs[3 * i];
            double yi = xs[3 * i + 1];
            double zi = xs[3 * i + 2];
            int m = 0;
            for (int k = start[i - lo], ke = start[i - lo + 1]; k < ke;) {
                int h = list[k];
                int c = h >>> PairList.SEG_BITS;
                double ox = sx[c] - xi;
                double oy = sy[c] - yi;
                double oz = sz[c] - zi;
                for (int end = ++k + (h & PairList.SEG_MASK); k < end; k++) {
                    int j3 = list[k];
                    double dx = xs[j3] + ox;
                    double dy = xs[j3 + 1] + oy;
                    double dz = xs[j3 + 2] + oz;
                    double r2 = dx * dx + dy * dy + dz * dz;
                    kj[m] = j3;
                    int m4 = 4 * m;
                    kd[m4] = dx;
                    kd[m4 + 1] = dy;
                    kd[m4 + 2] = dz;
                    kd[m4 + 3] = r2;
                    m += r2 < cut2 ? 1 : 0;
                }
            }
            double fxi = 0;
            double fyi = 0;
            double fzi = 0;
            for (int q = 0; q < m; q++) {
                int j3 = kj[q];
                double dx = kd[4 * q];
                double dy = kd[4 * q + 1];
                double dz = kd[4 * q + 2];
                double g = singleForce(tb, kd[4 * q + 3], tab, qmin, ih, base);
                double fx = g * dx;
                double fy = g * dy;
                double fz = g * dz;
                fxi += fx;
                fyi += fy;
                fzi += fz;
                fb[j3] -= fx;
                fb[j3 + 1] -= fy;
                fb[j3 + 2] -= fz;
            }
            fb[3 * i] += fxi;
            fb[3 * i + 1] += fyi;
            fb[3 * i + 2] += fzi;
        }
    }

    /** {@link PairTables#force} of the only table, its constants passed in (they stay in registers in the loops). */
    static double singleForce(PairTables tb, double r2, double[] tab, double qmin, double ih, int base) {
        double s = (r2 - qmin) * ih;
        if (s >= 0) {
            int idx = (int) s;
            double u = s - idx;
            int b = base + 4 * idx;
            return tab[b] + u * (tab[b + 1] + u * tab[b + 2]);
        }
        double r = Math.sqrt(r2);
        return tb.coreDerivative(0, r) / r;
    }
}
