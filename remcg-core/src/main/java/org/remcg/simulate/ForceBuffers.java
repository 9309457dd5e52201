package org.remcg.simulate;

import java.util.Arrays;

/**
 * One force buffer per particle block, and their reduction into the particles' forces. A block's buffer is written
 * only over the particles its work can reach, [touchLo, touchHi): its own particles and the candidate range of its
 * list build, or all particles when there are bonded terms. The buffer is zero outside, so a force pass clears only
 * that range ({@link #clear}) and the sum over blocks ({@link #sum}) skips the rest: less traffic between the cores,
 * whose buffers the other core reads. Buffers are summed in block order, so the forces do not depend on which thread
 * ran which block.
 */
final class ForceBuffers {
    private final int nb;
    final double[][] buf;
    private final int[] touchLo;
    private final int[] touchHi;

    ForceBuffers(int blocks, int n) {
        nb = blocks;
        buf = new double[blocks][3 * n];
        touchLo = new int[blocks];
        touchHi = new int[blocks];
        Arrays.fill(touchHi, n);
    }

    /** Block p will write the particles [lo, hi) from now on; its buffer starts clear (the new range may be narrower). */
    void touch(int p, int lo, int hi) {
        touchLo[p] = lo;
        touchHi[p] = hi;
        Arrays.fill(buf[p], 0);
    }

    /** Clears the range block p writes, before its force pass; returns its buffer. */
    double[] clear(int p) {
        double[] fb = buf[p];
        Arrays.fill(fb, 3 * touchLo[p], 3 * touchHi[p], 0);
        return fb;
    }

    /**
     * f = the sum of the blocks' buffers for the particles [lo, hi), buffers in block order. The range is cut where a
     * buffer's touched range begins or ends, so that each piece adds a fixed set of buffers without a test per particle
     * (the sums are those of a test per particle, to the bit: 0 + a + b + ...).
     */
    void sum(double[] fs, int lo, int hi) {
        int s = lo;
        while (s < hi) {
            // the piece [s, e): up to the next touched-range bound after s
            int e = hi;
            for (int b = 0; b < nb; b++) {
                if (touchLo[b] > s && touchLo[b] < e) {
                    e = touchLo[b];
                }
                if (touchHi[b] > s && touchHi[b] < e) {
                    e = touchHi[b];
                }
            }
            // the buffers whose touched range holds the piece, in block order: the first two (the usual case has one or
            // two) and their count
            double[] a0 = null;
            double[] a1 = null;
            int k = 0;
            for (int b = 0; b < nb; b++) {
                if (touches(b, s, e)) {
                    if (k == 0) {
                        a0 = buf[b];
                    } else if (k == 1) {
                        a1 = buf[b];
                    }
                    k++;
                }
            }
            int o0 = 3 * s;
            int o1 = 3 * e;
            if (k == 0) {
                Arrays.fill(fs, o0, o1, 0);
            } else if (k == 1) {
                for (int o = o0; o < o1; o++) {
                    fs[o] = 0.0 + a0[o];
                }
            } else {
                for (int o = o0; o < o1; o++) {
                    fs[o] = 0.0 + a0[o] + a1[o];
                }
                // more buffers (more than two blocks): added one after another, in block order
                for (int b = 0, seen = 0; b < nb && k > 2; b++) {
                    if (touches(b, s, e) && ++seen > 2) {
                        double[] ab = buf[b];
                        for (int o = o0; o < o1; o++) {
                            fs[o] += ab[o];
                        }
                    }
                }
            }
            s = e;
        }
    }

    /** Whether block b's buffer may be nonzero for the particles [s, e) (a piece of {@link #sum}). */
    private boolean touches(int b, int s, int e) {
        return touchLo[b] <= s && e <= touchHi[b];
    }
}
