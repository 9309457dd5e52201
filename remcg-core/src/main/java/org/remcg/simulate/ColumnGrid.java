package org.remcg.simulate;

import java.util.Arrays;
import org.remcg.system.CgTopology;

/**
 * The grid of the list builds in orthorhombic boxes: columns in x and y at least half a list radius wide, the
 * particles of each column sorted by z ({@link #sort}, which also gives the order the particles are stored in).
 * {@link #row} finds the list entries of one particle: the rest of its own column up to z_i + r_list and, in each of
 * the forward columns of a 5 x 5 stencil, a z window |z_j - z_i| &lt; H whose half-height H subtracts the columns' gap
 * in x-y. The windows are moving pointers (i runs up each column in z order) over the column's periodic extension, so a
 * window that wraps in z splits into pieces, and pieces seen through the same periodic image share one segment of the
 * list ({@link PairList} describes the layout).
 */
final class ColumnGrid {
    /** Columns per direction reach beyond the centre one in the list-build stencil. */
    private static final int REACH = 2;

    private final Particles particles;
    private final PairTables tables;
    private final CgTopology.Exclusions excl;
    private final double[] sx;
    private final double[] sy;
    private final double[] sz;
    private final double lx;
    private final double ly;
    private final double lz;
    private final double listCut;
    private int ncx;
    private int ncy;
    private int[] colStart = new int[0];
    /** The sort: internal particle q of the next order is the current particle order[q]. */
    int[] order;
    private int[] colOf;
    /** The forward columns of the half stencil: offsets (dx, dy) and the z half-window of each. */
    private int[] stDx = new int[0];
    private int[] stDy = new int[0];
    private double[] stH = new double[0];
    /** Per block and stencil column: the moving window [lo, hi) in the column's periodically extended index. */
    private final int[][] winLo;
    private final int[][] winHi;
    /** Per block: the candidate pieces of one particle, (shift code, first, end) triples. */
    private final int[][] pieces;

    ColumnGrid(Particles particles, PairTables tables, CgTopology.Exclusions excl, double[][] shifts, double[] lengths, double listCut,
               int blocks) {
        this.particles = particles;
        this.tables = tables;
        this.excl = excl;
        this.sx = shifts[0];
        this.sy = shifts[1];
        this.sz = shifts[2];
        this.lx = lengths[0];
        this.ly = lengths[1];
        this.lz = lengths[2];
        this.listCut = listCut;
        winLo = new int[blocks][0];
        winHi = new int[blocks][0];
        pieces = new int[blocks][0];
    }

    /**
     * Chooses the column grid: columns at least listCut / REACH wide in x and y, so that a 5 x 5 stencil of
     * columns holds every neighbour; false when the box is narrower than 5 such columns (the all-pairs build is
     * used then). The forward half of the stencil (offsets lexicographically greater than (0, 0)) is kept with,
     * for each column, the largest z distance at which a particle in it can still be within listCut of one in
     * the centre column (the columns' xy gap is subtracted).
     */
    boolean choose() {
        int cx = (int) (REACH * lx / listCut);
        int cy = (int) (REACH * ly / listCut);
        if (cx < 2 * REACH + 1 || cy < 2 * REACH + 1) {
            return false;
        }
        if (cx == ncx && cy == ncy && stDx.length > 0) {
            return true;
        }
        ncx = cx;
        ncy = cy;
        double wx = lx / cx;
        double wy = ly / cy;
        int m = 2 * REACH * REACH + 2 * REACH;
        stDx = new int[m];
        stDy = new int[m];
        stH = new double[m];
        int k = 0;
        for (int ox = 0; ox <= REACH; ox++) {
            for (int oy = -REACH; oy <= REACH; oy++) {
                if (ox == 0 && oy <= 0) {
                    continue;
                }
                double gx = Math.max(0, ox - 1) * wx;
                double gy = Math.max(0, Math.abs(oy) - 1) * wy;
                double h2 = listCut * listCut - gx * gx - gy * gy;
                if (h2 <= 0) {
                    continue;
                }
                stDx[k] = ox;
                stDy[k] = oy;
                stH[k] = Math.sqrt(h2);
                k++;
            }
        }
        stDx = Arrays.copyOf(stDx, k);
        stDy = Arrays.copyOf(stDy, k);
        stH = Arrays.copyOf(stH, k);
        for (int p = 0; p < winLo.length; p++) {
            winLo[p] = new int[k];
            winHi[p] = new int[k];
            pieces[p] = new int[3 * (3 * k + 2)];
        }
        return true;
    }

    /**
     * Sorts the (wrapped) particles by column, then by z within a column, into {@link #order}. The first build of a run
     * gives the same order whatever the previous one: ties in z go by the topology's index.
     */
    void sort() {
        int n = particles.n;
        double[] x = particles.x;
        int[] ext = particles.ext;
        int cols = ncx * ncy;
        if (colStart.length != cols + 1) {
            colStart = new int[cols + 1];
        }
        if (order == null) {
            order = new int[n];
            colOf = new int[n];
        }
        Arrays.fill(colStart, 0);
        for (int i = 0; i < n; i++) {
            int cx = Math.min(ncx - 1, (int) (x[3 * i] / lx * ncx));
            int cy = Math.min(ncy - 1, (int) (x[3 * i + 1] / ly * ncy));
            int c = cx * ncy + cy;
            colOf[i] = c;
            colStart[c + 1]++;
        }
        for (int c = 0; c < cols; c++) {
            colStart[c + 1] += colStart[c];
        }
        int[] fill = Arrays.copyOf(colStart, cols);
        for (int i = 0; i < n; i++) {
            order[fill[colOf[i]]++] = i;
        }
        // z order within each column: insertion sort, nearly linear because the previous build left the particles
        // sorted and they have moved little since
        for (int c = 0; c < cols; c++) {
            for (int a = colStart[c] + 1, e = colStart[c + 1]; a < e; a++) {
                int k = order[a];
                double z = x[3 * k + 2];
                int b = a - 1;
                // ties in z by the topology's index: the order must not depend on the previous one (GRO
                // coordinates have three decimals, so equal z are common in a start configuration)
                int ek = ext[k];
                while (b >= colStart[c] && (x[3 * order[b] + 2] > z || x[3 * order[b] + 2] == z && ext[order[b]] > ek)) {
                    order[b + 1] = order[b];
                    b--;
                }
                order[b + 1] = k;
            }
        }
    }

    /** After the particles were stored in {@link #order}: the column of each (internal) particle. */
    void renumber() {
        for (int c = 0, cols = colStart.length - 1; c < cols; c++) {
            for (int q = colStart[c]; q < colStart[c + 1]; q++) {
                colOf[q] = c;
            }
        }
    }

    /**
     * The list entries of particle i from the column grid, appended to {@code lists[p]} (grown there when full) at
     * cnt; returns the new count. {@code state} is carried between the rows of a build: the column of the previous
     * particle, its own-column window end, and the lowest and highest (exclusive) particle index among the candidates
     * so far (the range the list reaches). A method of its own so that the JIT allocates registers for this loop nest
     * alone (inlined into the build loop, the candidate loop kept its counters in memory).
     */
    int row(int[][] lists, int p, int i, int cnt, int[] state) {
        int[] list = lists[p];
        final double[] x = particles.x;
        final int[] type = particles.type;
        final int[] ext = particles.ext;
        final double[] list2Of = tables.list2Of;
        boolean anyExcl = excl.count() > 0;
        int[] wLo = winLo[p];
        int[] wHi = winHi[p];
        int[] pc = pieces[p];
        int curCol = state[0];
        int ownHi = state[1];
        double xi = x[3 * i];
        double yi = x[3 * i + 1];
        double zi = x[3 * i + 2];
        int rowT = type[i] * particles.types;
        // the open segment: header position and shift code (-1: none)
        int head = -1;
        int segCode = -1;
        // the candidates come in pieces (shift code, first, end) of one column each: the rest of i's own
        // column up to z + listCut, then each forward column's window |z_j - z_i| < H, split where it wraps in z
        int c = colOf[i];
        if (c != curCol) {
            curCol = c;
            Arrays.fill(wLo, Integer.MIN_VALUE);
            ownHi = 0;
        }
        int cx = c / ncy;
        int cy = c - cx * ncy;
        int np = 0;
        int s0 = colStart[c];
        int m0 = colStart[c + 1] - s0;
        int e0 = i - s0;
        ownHi = Math.max(ownHi, e0 + 1);
        while (ownHi < e0 + m0 && zExt(x, s0, m0, ownHi) < zi + listCut) {
            ownHi++;
        }
        np = piece(pc, np, 62, i + 1, s0 + Math.min(ownHi, m0));
        np = piece(pc, np, 63, s0, s0 + ownHi - m0);
        for (int k = 0; k < wLo.length; k++) {
            int ax = cx + stDx[k];
            int wx = ax >= ncx ? 1 : 0;
            ax -= wx * ncx;
            int ay = cy + stDy[k];
            int wy = ay < 0 ? -1 : ay >= ncy ? 1 : 0;
            ay -= wy * ncy;
            int cc = ax * ncy + ay;
            int s1 = colStart[cc];
            int m1 = colStart[cc + 1] - s1;
            int wl = wLo[k];
            int wh = wHi[k];
            if (wl == Integer.MIN_VALUE) {
                wl = -m1;
                wh = -m1;
            }
            double h = stH[k];
            while (wl < 2 * m1 && zExt(x, s1, m1, wl) < zi - h) {
                wl++;
            }
            wh = Math.max(wh, wl);
            while (wh < 2 * m1 && zExt(x, s1, m1, wh) < zi + h) {
                wh++;
            }
            wLo[k] = wl;
            wHi[k] = wh;
            int code = (wx + 2) * 25 + (wy + 2) * 5 + 2;
            np = piece(pc, np, code - 1, s1 + m1 + wl, s1 + m1 + Math.min(wh, 0));
            np = piece(pc, np, code, s1 + Math.max(wl, 0), s1 + Math.min(wh, m1));
            np = piece(pc, np, code + 1, s1 + Math.max(wl, m1) - m1, s1 + wh - m1);
        }
        for (int u = 0; u < np; u += 3) {
            state[2] = Math.min(state[2], pc[u + 1]);
            state[3] = Math.max(state[3], pc[u + 2]);
        }
        // pieces seen through the same periodic image go together: they share one segment of the list
        for (int u = 3; u < np; u += 3) {
            int code = pc[u];
            int q = pc[u + 1];
            int qe = pc[u + 2];
            int w = u - 3;
            while (w >= 0 && pc[w] > code) {
                pc[w + 3] = pc[w];
                pc[w + 4] = pc[w + 1];
                pc[w + 5] = pc[w + 2];
                w -= 3;
            }
            pc[w + 3] = code;
            pc[w + 4] = q;
            pc[w + 5] = qe;
        }
        for (int pi = 0; pi < np; pi += 3) {
            int code = pc[pi];
            int q = pc[pi + 1];
            int qe = pc[pi + 2];
            double shx = sx[code] - xi;
            double shy = sy[code] - yi;
            double shz = sz[code] - zi;
            if (cnt + 1 + (qe - q) > list.length) {
                list = lists[p] = Arrays.copyOf(list, Math.max(2 * list.length, cnt + 1 + (qe - q)));
            }
            if (code != segCode) {
                if (head >= 0 && cnt == head + 1) {
                    segCode = code; // the open segment is still empty: reuse its header
                } else {
                    if (head >= 0) {
                        list[head] = (segCode << PairList.SEG_BITS) | (cnt - head - 1);
                    }
                    head = cnt++;
                    segCode = code;
                }
            }
            if (anyExcl) {
                for (int j = q; j < qe; j++) {
                    double dx = x[3 * j] + shx;
                    double dy = x[3 * j + 1] + shy;
                    double dz = x[3 * j + 2] + shz;
                    if (dx * dx + dy * dy + dz * dz < list2Of[rowT + type[j]] && !excl.excluded(ext[i], ext[j])) {
                        list[cnt++] = 3 * j;
                    }
                }
            } else {
                cnt = scan(list, cnt, q, qe, shx, shy, shz, rowT);
            }
        }
        if (head >= 0) {
            if (cnt == head + 1) {
                cnt = head; // drop an empty trailing segment
            } else {
                list[head] = (segCode << PairList.SEG_BITS) | (cnt - head - 1);
            }
        }
        state[0] = curCol;
        state[1] = ownHi;
        return cnt;
    }

    /**
     * Appends 3 j for the candidates j in [q, qe) within the list radius (shift sh = image shift - x_i) and returns the
     * new count; branch-free, as a third or so of the candidates are kept and a branch per candidate would be
     * mispredicted often (the caller leaves room for every candidate).
     */
    private int scan(int[] list, int cnt, int q, int qe, double shx, double shy, double shz, int rowT) {
        final double[] xs = particles.x;
        final int[] ty = particles.type;
        final double[] l2 = tables.list2Of;
        // one bead type: one list radius, no type lookup per candidate (the JIT compiles the loop twice, one copy per
        // value of the test)
        final boolean one = particles.types == 1;
        final double l2One = l2[0];
        int c = cnt;
        for (int j = q; j < qe; j++) {
            double dx = xs[3 * j] + shx;
            double dy = xs[3 * j + 1] + shy;
            double dz = xs[3 * j + 2] + shz;
            list[c] = 3 * j;
            c += dx * dx + dy * dy + dz * dz < (one ? l2One : l2[rowT + ty[j]]) ? 1 : 0;
        }
        return c;
    }

    /** z of index e in the periodic extension [-m, 2m) of the column starting at s with m particles. */
    private double zExt(double[] x, int s, int m, int e) {
        if (e < 0) {
            return x[3 * (s + e + m) + 2] - lz;
        }
        if (e < m) {
            return x[3 * (s + e) + 2];
        }
        return x[3 * (s + e - m) + 2] + lz;
    }

    /** Appends the piece (code, q, qe) to pc when it is not empty; returns the new length. */
    private static int piece(int[] pc, int np, int code, int q, int qe) {
        if (qe <= q) {
            return np;
        }
        pc[np] = code;
        pc[np + 1] = q;
        pc[np + 2] = qe;
        return np + 3;
    }
}
