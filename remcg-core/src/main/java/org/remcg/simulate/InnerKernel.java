package org.remcg.simulate;

/**
 * Pair forces between prunings: one pass over the {@link InnerLists}, whose entries lie within the cutoff but for
 * about a tenth. Every entry is evaluated without a cutoff test: beyond the cutoff the table holds zeros up to
 * cutoff + 3 PRUNE, and an entry stays within cutoff + 2 PRUNE while the inner lists are valid. The pairs within the
 * cutoff and their order are those of the {@link TwoPassKernel} and the others add zero, so the forces are the same to
 * the last bit. A variant for one table keeps the table's constants in registers.
 *
 * <p>The one-table variant is written out as a loop of its own on purpose: one loop for both cases behind a flag made
 * the step measurably slower (docs/BENCHMARKS.md, the engine in parts). The two loops must stay the same pair for
 * pair ({@code PairKernelsTest} compares them bit for bit).
 */
final class InnerKernel extends PairKernel {
    InnerKernel(Particles particles, PairTables tables, PairList lists, InnerLists inner, boolean single) {
        super(particles, tables, lists, inner, single);
    }

    @Override
    void run(int p, double[] fb) {
        if (single) {
            single(p, fb);
        } else {
            general(p, fb);
        }
    }

    private void general(int p, double[] fb) {
        int lo = lists.blockStart[p];
        int[] start = inner.start[p];
        int[] list = inner.list[p];
        final double[] sx = lists.sx;
        final double[] sy = lists.sy;
        final double[] sz = lists.sz;
        final double[] xs = particles.x;
        final PairTables tb = tables;
        final double[] tab = tb.ftable;
        final int[] ty = particles.type;
        final int[] tOf = tb.tabOf;
        final int ntypes = particles.types;
        // walk written out per kernel and variant: a shared one needs a call per pair, one behind a flag measured slower (BENCHMARKS.md)
        for (int i = lo, hi = lists.blockStart[p + 1]; i < hi; i++) {
            double xi = xs[3 * i];
            double yi = xs[3 * i + 1];
            double zi = xs[3 * i + 2];
            int row = ty[i] * ntypes;
            double fxi = 0;
            double fyi = 0;
            double fzi = 0;
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
                    // no cutoff test (see the class comment)
                    double g = tb.force(t, r2, tab);
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
            }
            fb[3 * i] += fxi;
            fb[3 * i + 1] += fyi;
            fb[3 * i + 2] += fzi;
        }
    }

    private void single(int p, double[] fb) {
        int lo = lists.blockStart[p];
        int[] start = inner.start[p];
        int[] list = inner.list[p];
        final double[] sx = lists.sx;
        final double[] sy = lists.sy;
        final double[] sz = lists.sz;
        final double[] xs = particles.x;
        final PairTables tb = tables;
        final double[] tab = tb.ftable;
        final double qmin = tb.qmin[0];
        final double ih = tb.invH[0];
        final int base = tb.base[0];
        // walk written out per kernel and variant: a shared one needs a call per pair, one behind a flag measured slower (BENCHMARKS.md)
        for (int i = lo, hi = lists.blockStart[p + 1]; i < hi; i++) {
            double xi = xs[3 * i];
            double yi = xs[3 * i + 1];
            double zi = xs[3 * i + 2];
            double fxi = 0;
            double fyi = 0;
            double fzi = 0;
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
                    // no cutoff test: beyond the cutoff the table is zero (an unpredictable branch per pair cost more)
                    double g = TwoPassKernel.singleForce(tb, r2, tab, qmin, ih, base);
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
            }
            fb[3 * i] += fxi;
            fb[3 * i + 1] += fyi;
            fb[3 * i + 2] += fzi;
        }
    }
}
