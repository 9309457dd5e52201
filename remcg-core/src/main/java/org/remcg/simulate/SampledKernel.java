package org.remcg.simulate;

import java.util.Arrays;
import org.remcg.model.Potential;

/**
 * Pair forces together with everything a sampled frame needs: potential energy, virial, Laplacian of U and the
 * feature vector (dU/dtheta of every fitted pair potential, {@link Potential#parameterGradient}), into the block's
 * {@link BlockSums}. Runs over the inner lists while these are valid (they hold every pair within the cutoff in the
 * order of the full lists), otherwise over the Verlet lists, testing the cutoff per pair. The force of a pair is the
 * one the force-only kernels compute, so sampling does not change the trajectory; energy and Laplacian come from the
 * energy table (or the potential itself below the table).
 */
final class SampledKernel extends PairKernel {
    private final BlockSums sums;
    private final Potential[] potential;
    private final int[] window;
    /** Per block: the parameter derivatives of one pair. */
    private final double[][] scratch;

    SampledKernel(Particles particles, PairTables tables, PairList lists, InnerLists inner, BlockSums sums) {
        super(particles, tables, lists, inner, false);
        this.sums = sums;
        potential = new Potential[tables.ntab];
        window = new int[tables.ntab];
        int widest = 0;
        for (int t = 0; t < tables.ntab; t++) {
            potential[t] = tables.interaction[t].potential();
            window[t] = potential[t].parameterWindow();
            widest = Math.max(widest, window[t]);
        }
        scratch = new double[lists.blockStart.length - 1][widest];
    }

    @Override
    void run(int p, double[] fb) {
        int lo = lists.blockStart[p];
        boolean useInner = inner.useForSampling();
        int[] start = useInner ? inner.start[p] : lists.start[p];
        int[] list = useInner ? inner.list[p] : lists.list[p];
        final double[] x = particles.x;
        final int[] type = particles.type;
        final int nt = particles.types;
        final double[] sx = lists.sx;
        final double[] sy = lists.sy;
        final double[] sz = lists.sz;
        final PairTables tb = tables;
        final int[] tabOf = tb.tabOf;
        final double[] cut2 = tb.cut2;
        final double[] tab = tb.table;
        final double[] ftab = tb.ftable;
        final int[] feat = tb.featureOffset;
        double[] ph = sums.features[p];
        Arrays.fill(ph, 0);
        double[] val = scratch[p];
        double en = 0;
        double vir = 0;
        double lap = 0;
        // walk written out per kernel and variant: a shared one needs a call per pair, one behind a flag measured slower (BENCHMARKS.md)
        for (int i = lo, hi = lists.blockStart[p + 1]; i < hi; i++) {
            double xi = x[3 * i];
            double yi = x[3 * i + 1];
            double zi = x[3 * i + 2];
            int rowT = type[i] * nt;
            for (int k = start[i - lo], ke = start[i - lo + 1]; k < ke;) {
                int h = list[k];
                int c = h >>> PairList.SEG_BITS;
                for (int end = ++k + (h & PairList.SEG_MASK); k < end; k++) {
                    int j = list[k] / 3;
                    double dx = x[3 * j] + sx[c] - xi;
                    double dy = x[3 * j + 1] + sy[c] - yi;
                    double dz = x[3 * j + 2] + sz[c] - zi;
                    double r2 = dx * dx + dy * dy + dz * dz;
                    int t = tabOf[rowT + type[j]];
                    if (r2 >= cut2[t]) {
                        continue;
                    }
                    double r = Math.sqrt(r2);
                    double s = (r2 - tb.qmin[t]) * tb.invH[t];
                    double uu;
                    double dudr;
                    double d2u;
                    double g;
                    if (s >= 0) {
                        int idx = (int) s;
                        double u = s - idx;
                        int b = tb.base[t] + 4 * idx;
                        double ih = tb.invH[t];
                        uu = tab[b] + u * (tab[b + 1] + u * (tab[b + 2] + u * tab[b + 3]));
                        // the same (1/r) dU/dr as the force-only kernels, so sampling does not change the trajectory
                        g = ftab[b] + u * (ftab[b + 1] + u * ftab[b + 2]);
                        double uqq = (2 * tab[b + 2] + 6 * u * tab[b + 3]) * ih * ih;
                        dudr = r * g;
                        d2u = 4 * r2 * uqq + g;
                    } else {
                        uu = tb.coreEnergy(t, r);
                        dudr = tb.coreDerivative(t, r);
                        d2u = tb.coreSecond(t, r);
                        g = dudr / r;
                    }
                    en += uu;
                    vir -= dudr * r;
                    lap += 2 * (d2u + 2 * g);
                    fb[3 * i] += g * dx;
                    fb[3 * i + 1] += g * dy;
                    fb[3 * i + 2] += g * dz;
                    fb[3 * j] -= g * dx;
                    fb[3 * j + 1] -= g * dy;
                    fb[3 * j + 2] -= g * dz;
                    int fo = feat[t];
                    if (fo >= 0) {
                        int off = potential[t].parameterGradient(r, val);
                        if (off >= 0) {
                            for (int q = 0, w = window[t]; q < w; q++) {
                                ph[fo + off + q] += val[q];
                            }
                        }
                    }
                }
            }
        }
        sums.energy[p] = en;
        sums.virial[p] = vir;
        sums.laplacian[p] = lap;
    }
}
