package org.remcg.simulate;

import java.util.Arrays;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * The half Verlet lists (radius cutoff + skin per pair table), one per particle block, and their builds.
 *
 * <p>Layout: the entries of particle i (local index i - lo of its block) are {@code list[start[i - lo] .. start[i - lo +
 * 1])}, a run of segments. A segment is a header (shift code &lt;&lt; {@link #SEG_BITS} | count) followed by count
 * entries 3 j: all j of one segment are seen through the same periodic image, whose shift is {@code sx/sy/sz[code]}
 * (code = (a + 2) 25 + (b + 2) 5 + (c + 2) for the lattice vector a A + b B + c C), so a pair loop adds one shift per
 * segment and nothing per pair.
 *
 * <p>Builds: {@link #arrange} wraps the positions into the box and, in orthorhombic boxes at least 2.5 list radii wide
 * in x and y, sorts the particles by the {@link ColumnGrid}'s columns and z (the particles are stored in that order);
 * then each block builds its list ({@link #build}) from the grid, or from all other particles by index parity in
 * narrower or triclinic boxes (each pair once). A build records the positions ({@link #xBuild}); the engine builds
 * again once a particle has moved more than half the skin since.
 */
final class PairList {
    static final int SEG_BITS = 24;
    static final int SEG_MASK = (1 << SEG_BITS) - 1;

    private final Particles particles;
    private final PairTables tables;
    private final CgTopology.Exclusions excl;
    private final Box box;
    private final boolean ortho;
    final int[] blockStart;
    /** Periodic image shift per code (125 = 5 x 5 x 5 lattice vectors). */
    final double[] sx = new double[125];
    final double[] sy = new double[125];
    final double[] sz = new double[125];
    final int[][] start;
    int[][] list;
    /** Positions at the last build. */
    final double[] xBuild;
    private final ColumnGrid grid;
    private boolean allPairs;
    /**
     * Per block, carried between the rows of a build: the column of the previous particle, its own-column window end,
     * and the lowest and highest (exclusive) particle index among the candidates so far (the range the list reaches).
     */
    private final int[][] rowState;
    private final double[][] scratch;
    /** Padding (array elements) that keeps small per-block arrays written by different threads off each other's cache lines. */
    static final int PAD = 8;

    PairList(Particles particles, PairTables tables, CgTopology.Exclusions excl, Box box, int[] blockStart, double listCut) {
        this.particles = particles;
        this.tables = tables;
        this.excl = excl;
        this.box = box;
        this.blockStart = blockStart;
        int nb = blockStart.length - 1;
        double[] m = box.matrix();
        ortho = box.isOrthorhombic();
        for (int c = 0; c < 125; c++) {
            int ia = c / 25 - 2;
            int ib = (c / 5) % 5 - 2;
            int ic = c % 5 - 2;
            sx[c] = ia * m[0] + ib * m[3] + ic * m[6];
            sy[c] = ib * m[4] + ic * m[7];
            sz[c] = ic * m[8];
        }
        xBuild = new double[3 * particles.n];
        start = new int[nb][];
        list = new int[nb][];
        for (int p = 0; p < nb; p++) {
            start[p] = new int[blockStart[p + 1] - blockStart[p] + 1];
            list[p] = new int[1024];
        }
        rowState = new int[nb][4 + 2 * PAD];
        scratch = new double[nb][3];
        grid = new ColumnGrid(particles, tables, excl, new double[][] {sx, sy, sz}, new double[] {m[0], m[4], m[8]}, listCut, nb);
    }

    /**
     * Wraps the positions into the box, chooses the build (column grid or all pairs) and, for the grid, stores the
     * particles in column order; records the positions. Returns whether the particles were re-ordered.
     */
    boolean arrange() {
        particles.wrap(box);
        boolean sorted = false;
        if (tables.ntab > 0) {
            allPairs = !ortho || !grid.choose();
            if (!allPairs) {
                grid.sort();
                particles.permute(grid.order);
                grid.renumber();
                sorted = true;
            }
        } else {
            for (int[] s : start) {
                Arrays.fill(s, 0);
            }
        }
        System.arraycopy(particles.x, 0, xBuild, 0, xBuild.length);
        return sorted;
    }

    /** Builds block p's list (after {@link #arrange}). */
    void build(int p) {
        int lo = blockStart[p];
        int hi = blockStart[p + 1];
        int[] s = start[p];
        int cnt = 0;
        int[] state = rowState[p];
        state[0] = -1;
        state[2] = lo;
        state[3] = hi;
        for (int i = lo; i < hi; i++) {
            s[i - lo] = cnt;
            cnt = allPairs ? allPairsRow(p, i, cnt) : grid.row(list, p, i, cnt, state);
        }
        s[hi - lo] = cnt;
    }

    /** First particle whose forces block p's list can reach (after {@link #build}). */
    int reachLo(int p) {
        return allPairs ? 0 : rowState[p][2];
    }

    /** One past the last particle whose forces block p's list can reach. */
    int reachHi(int p) {
        return allPairs ? particles.n : rowState[p][3];
    }

    /** Entries (segment headers included) of the longest row of block p's list. */
    int longestRow(int p) {
        int[] s = start[p];
        int longest = 0;
        for (int k = 0; k + 1 < s.length; k++) {
            longest = Math.max(longest, s[k + 1] - s[k]);
        }
        return longest;
    }

    /** The list entries of particle i from all other particles (small or triclinic boxes), appended at cnt; returns the new count. */
    private int allPairsRow(int p, int i, int cnt) {
        int[] lst = list[p];
        final double[] x = particles.x;
        final int[] type = particles.type;
        final int[] ext = particles.ext;
        final int[] tabOf = tables.tabOf;
        final double[] tabList2 = tables.list2;
        int n = particles.n;
        boolean anyExcl = excl.count() > 0;
        double xi = x[3 * i];
        double yi = x[3 * i + 1];
        double zi = x[3 * i + 2];
        int rowT = type[i] * particles.types;
        // the open segment: header position and shift code (-1: none)
        int head = -1;
        int segCode = -1;
        double[] d = scratch[p];
        for (int j = 0; j < n; j++) {
            if (j == i || (j > i) != (((i + j) & 1) == 0)) {
                continue;
            }
            int t = tabOf[rowT + type[j]];
            if (t < 0) {
                continue;
            }
            d[0] = x[3 * j] - xi;
            d[1] = x[3 * j + 1] - yi;
            d[2] = x[3 * j + 2] - zi;
            double ox = d[0];
            double oy = d[1];
            double oz = d[2];
            box.minimumImage(d, 0);
            double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if (r2 >= tabList2[t] || (anyExcl && excl.excluded(ext[i], ext[j]))) {
                continue;
            }
            int code = shiftCode(d[0] - ox, d[1] - oy, d[2] - oz);
            if (cnt + 2 > lst.length) {
                lst = list[p] = Arrays.copyOf(lst, 2 * lst.length);
            }
            if (code != segCode) {
                if (head >= 0) {
                    lst[head] = (segCode << SEG_BITS) | (cnt - head - 1);
                }
                head = cnt++;
                segCode = code;
            }
            lst[cnt++] = 3 * j;
        }
        if (head >= 0) {
            lst[head] = (segCode << SEG_BITS) | (cnt - head - 1);
        }
        return cnt;
    }

    private int shiftCode(double dx, double dy, double dz) {
        double[] m = box.matrix();
        int ic = (int) Math.rint(dz / m[8]);
        int ib = (int) Math.rint((dy - ic * m[7]) / m[4]);
        int ia = (int) Math.rint((dx - ic * m[6] - ib * m[3]) / m[0]);
        if (Math.abs(ia) > 2 || Math.abs(ib) > 2 || Math.abs(ic) > 2) {
            throw new IllegalStateException("periodic image beyond +-2 box vectors; the box is too skewed");
        }
        return (ia + 2) * 25 + (ib + 2) * 5 + (ic + 2);
    }
}
