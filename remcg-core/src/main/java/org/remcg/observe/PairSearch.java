package org.remcg.observe;

import java.util.Arrays;
import org.remcg.io.Frame;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * Finds, in one frame, every non-excluded particle pair closer than a cutoff under periodic
 * boundary conditions, with a cell list that works for orthorhombic and triclinic boxes alike.
 *
 * <p>Method. Positions are converted to fractional coordinates s = x B^-1 (B = box rows a, b,
 * c) and wrapped into the box by subtracting the integer lattice vector (so the wrapped
 * Cartesian positions keep full precision). The box is cut into n_a x n_b x n_c cells along the
 * fractional axes with n_i = floor(2 h_i / cutoff), h_i the height of the box perpendicular to
 * the other two vectors (h_c = c_z, h_b = b_y c_z / |(c_y, c_z)|, h_a = V / |b x c|), capped at
 * cbrt(2 N) + 1 so small cutoffs do not make mostly empty cells. A displacement d = sum_i t_i v_i
 * satisfies |d| &gt;= |t_i| h_i, so any image closer than the cutoff has |t_i| &lt; 2 / n_i: it
 * lies in one of the 5 x 5 x 5 surrounding cells, reached by an offset of -2 .. +2 cells per
 * axis, and that offset fixes the image (the lattice vector added when the offset wraps around
 * the box). Half-width cells cut the candidate volume to 125 (c/2)^3 from 27 c^3. Because the
 * cutoff is at most half the shortest height, at most one image of a pair is closer than the
 * cutoff, so each pair is found at most once even when offsets -2 and +2 reach the same cell
 * through different images. Each unordered pair is reported once,
 * as (i, j) with i &lt; j; the order of the list depends only on the frame.
 *
 * <p>Pairs excluded by bond hops ({@link CgTopology#exclusions(int)}) and pairs of types not
 * asked for are skipped before the distance is computed. All scratch arrays are kept between
 * frames: a warmed-up search allocates nothing (except the 9-element box matrix). Not
 * thread-safe; use one instance per thread ({@link #copy()} shares the immutable parts).
 */
public final class PairSearch {
    private final CgTopology top;
    private final CgTopology.Exclusions excl;
    private final int types;
    private final boolean[] wanted; // types x types, symmetric
    private final int[] type;

    // scratch
    private double[] wrapped = new double[0];
    private double[] sorted = new double[0];
    private int[] sortedType = new int[0];
    private final double[] shift = new double[3 * STENCIL];
    private int[] cellOf = new int[0];
    private int[] cellStart = new int[0];
    private int[] order = new int[0];
    private int[] stamp = new int[0];
    /** Cells are at least cutoff / REACH wide; the stencil reaches REACH cells each way. */
    private static final int REACH = 2;
    private static final int STENCIL = (2 * REACH + 1) * (2 * REACH + 1) * (2 * REACH + 1);
    private final int[] neighbours = new int[STENCIL];

    // result
    private int pairs;
    private int[] pi = new int[1024];
    private int[] pj = new int[1024];
    private double[] pr2 = new double[1024];

    /**
     * @param top    the particles
     * @param excl   pairs to skip (e.g. {@code top.exclusions(3)})
     * @param wanted types x types flags of the type pairs to report (symmetric), or null for all
     */
    public PairSearch(CgTopology top, CgTopology.Exclusions excl, boolean[] wanted) {
        this.top = top;
        this.excl = excl;
        this.types = top.types();
        this.type = top.type();
        if (wanted == null) {
            wanted = new boolean[types * types];
            Arrays.fill(wanted, true);
        }
        if (wanted.length != types * types) {
            throw new IllegalArgumentException("type-pair flags need " + types * types + " entries, got " + wanted.length);
        }
        this.wanted = wanted.clone();
        for (int a = 0; a < types; a++) {
            for (int b = 0; b < types; b++) {
                this.wanted[a * types + b] = wanted[a * types + b] || wanted[b * types + a];
            }
        }
        if (excl.start().length != top.size() + 1) {
            throw new IllegalArgumentException("exclusions are for " + (excl.start().length - 1) + " particles, topology has " + top.size());
        }
    }

    /** A search over the same particles, exclusions and type pairs with its own scratch memory. */
    public PairSearch copy() {
        return new PairSearch(top, excl, wanted);
    }

    public CgTopology topology() {
        return top;
    }

    public CgTopology.Exclusions exclusions() {
        return excl;
    }

    /** Heights of the box perpendicular to the planes (b, c), (c, a) and (a, b), in nm. */
    public static double[] heights(Box box) {
        double[] m = box.matrix();
        return heights(m[0], m[3], m[4], m[6], m[7], m[8]);
    }

    private static double[] heights(double ax, double bx, double by, double cx, double cy, double cz) {
        double v = ax * by * cz;
        // b x c = (by cz, -bx cz, bx cy - by cx)
        double bc = Math.sqrt(by * cz * by * cz + bx * cz * bx * cz + (bx * cy - by * cx) * (bx * cy - by * cx));
        double ha = v / bc;
        double hb = by * cz / Math.sqrt(cy * cy + cz * cz);
        return new double[] {ha, hb, cz};
    }

    /** Half the shortest box height: the largest cutoff this search accepts for the box. */
    public static double maxCutoff(Box box) {
        double[] h = heights(box);
        return 0.5 * Math.min(h[0], Math.min(h[1], h[2]));
    }

    /**
     * Finds all wanted, non-excluded pairs with distance &lt; cutoff in the frame.
     *
     * @return the number of pairs; read them with {@link #i(int)}, {@link #j(int)}, {@link #r2(int)}
     * @throws IllegalArgumentException naming the frame when it has no box or positions, the
     *     wrong number of particles, or a box too small for the cutoff
     */
    public int search(Frame frame, double cutoff) {
        int n = top.size();
        check(frame, cutoff, n);
        double[] m = frame.box.matrix();
        double ax = m[0], bx = m[3], by = m[4], cx = m[6], cy = m[7], cz = m[8];
        double[] h = heights(ax, bx, by, cx, cy, cz);
        int cap = Math.max(2, (int) Math.cbrt(2.0 * n) + 1);
        int na = Math.max(1, Math.min((int) (REACH * h[0] / cutoff), cap));
        int nb = Math.max(1, Math.min((int) (REACH * h[1] / cutoff), cap));
        int nc = Math.max(1, Math.min((int) (REACH * h[2] / cutoff), cap));
        int cells = na * nb * nc;
        ensureScratch(n, cells);
        double[] x = frame.x;
        double iax = 1 / ax, iby = 1 / by, icz = 1 / cz;
        int[] cellStart = this.cellStart;
        Arrays.fill(cellStart, 0, cells + 1, 0);
        for (int i = 0; i < n; i++) {
            double px = x[3 * i], py = x[3 * i + 1], pz = x[3 * i + 2];
            double sc = pz * icz;
            double sb = (py - sc * cy) * iby;
            double sa = (px - sb * bx - sc * cx) * iax;
            // wrap into the box: subtract the integer lattice vector, keep Cartesian precision
            double fa = Math.floor(sa), fb = Math.floor(sb), fc = Math.floor(sc);
            wrapped[3 * i] = px - (fa * ax + fb * bx + fc * cx);
            wrapped[3 * i + 1] = py - (fb * by + fc * cy);
            wrapped[3 * i + 2] = pz - fc * cz;
            int ka = cellIndex(sa - fa, na);
            int kb = cellIndex(sb - fb, nb);
            int kc = cellIndex(sc - fc, nc);
            int c = (ka * nb + kb) * nc + kc;
            cellOf[i] = c;
            cellStart[c + 1]++;
        }
        for (int c = 0; c < cells; c++) {
            cellStart[c + 1] += cellStart[c];
        }
        // counting sort: particles cell by cell, ascending index inside a cell, positions copied
        // into cell order for locality
        for (int i = 0; i < n; i++) {
            int s = cellStart[cellOf[i]]++;
            order[s] = i;
            sorted[3 * s] = wrapped[3 * i];
            sorted[3 * s + 1] = wrapped[3 * i + 1];
            sorted[3 * s + 2] = wrapped[3 * i + 2];
            sortedType[s] = type[i];
        }
        for (int c = cells; c > 0; c--) {
            cellStart[c] = cellStart[c - 1];
        }
        cellStart[0] = 0;

        double cut2 = cutoff * cutoff;
        int[] exStart = excl.start();
        int[] exPartners = excl.partners();
        int[] order = this.order;
        double[] xs = this.sorted;
        int[] ts = this.sortedType;
        boolean[] wanted = this.wanted;
        int types = this.types;
        int[] stamp = this.stamp;
        double[] shift = this.shift;
        int count = 0;
        for (int ka = 0; ka < na; ka++) {
            for (int kb = 0; kb < nb; kb++) {
                for (int kc = 0; kc < nc; kc++) {
                    int c = (ka * nb + kb) * nc + kc;
                    if (cellStart[c] == cellStart[c + 1]) {
                        continue;
                    }
                    neighbourCells(ka, kb, kc, na, nb, nc, ax, bx, by, cx, cy, cz);
                    for (int p = cellStart[c]; p < cellStart[c + 1]; p++) {
                        int i = order[p];
                        for (int e = exStart[i]; e < exStart[i + 1]; e++) {
                            stamp[exPartners[e]] = i + 1;
                        }
                        int rowType = ts[p] * types;
                        double xi = xs[3 * p], yi = xs[3 * p + 1], zi = xs[3 * p + 2];
                        for (int q = 0; q < STENCIL; q++) {
                            int c2 = neighbours[q];
                            double ox = shift[3 * q] - xi;
                            double oy = shift[3 * q + 1] - yi;
                            double oz = shift[3 * q + 2] - zi;
                            for (int s = cellStart[c2], end = cellStart[c2 + 1]; s < end; s++) {
                                int j = order[s];
                                if (j <= i || !wanted[rowType + ts[s]] || stamp[j] == i + 1) {
                                    continue;
                                }
                                double dx = xs[3 * s] + ox;
                                double dy = xs[3 * s + 1] + oy;
                                double dz = xs[3 * s + 2] + oz;
                                double r2 = dx * dx + dy * dy + dz * dz;
                                if (r2 < cut2) {
                                    if (count == pi.length) {
                                        grow();
                                    }
                                    pi[count] = i;
                                    pj[count] = j;
                                    pr2[count] = r2;
                                    count++;
                                }
                            }
                        }
                        for (int e = exStart[i]; e < exStart[i + 1]; e++) {
                            stamp[exPartners[e]] = 0;
                        }
                    }
                }
            }
        }
        pairs = count;
        return count;
    }

    private void check(Frame frame, double cutoff, int n) {
        if (frame.box == null) {
            throw new IllegalArgumentException("frame " + frame.index + ": no periodic box (pair statistics need one)");
        }
        if (frame.x == null || frame.atoms != n) {
            throw new IllegalArgumentException("frame " + frame.index + ": has " + (frame.x == null ? 0 : frame.atoms)
                    + " positions, the topology has " + n + " particles");
        }
        if (!(cutoff > 0) || !Double.isFinite(cutoff)) {
            throw new IllegalArgumentException("pair cutoff must be positive and finite, got " + cutoff);
        }
        double limit = maxCutoff(frame.box);
        if (cutoff > limit) {
            throw new IllegalArgumentException(String.format("frame %d: distance range %.6g nm exceeds half the shortest box height"
                    + " (%.6g nm) of %s", frame.index, cutoff, limit, frame.box));
        }
    }

    private static int cellIndex(double s, int n) {
        int k = (int) Math.floor((s - Math.floor(s)) * n);
        return k >= n ? n - 1 : (k < 0 ? 0 : k);
    }

    /**
     * The neighbour cells of (ka, kb, kc) within REACH cells along each axis, self included,
     * into neighbours[], with the lattice vector to add to a wrapped position in that cell
     * (non-zero where the offset wraps around the box) into shift[]. With few cells along an
     * axis, different offsets name the same cell through different images; all are visited, and
     * at most one image of a pair can be within the cutoff (it is at most half the shortest box
     * height), so no pair is counted twice.
     */
    private void neighbourCells(int ka, int kb, int kc, int na, int nb, int nc, double ax, double bx, double by, double cx,
            double cy, double cz) {
        int q = 0;
        for (int da = -REACH; da <= REACH; da++) {
            int wa = Math.floorDiv(ka + da, na);
            int a = ka + da - wa * na;
            for (int db = -REACH; db <= REACH; db++) {
                int wb = Math.floorDiv(kb + db, nb);
                int b = kb + db - wb * nb;
                for (int dc = -REACH; dc <= REACH; dc++) {
                    int wc = Math.floorDiv(kc + dc, nc);
                    int c = kc + dc - wc * nc;
                    neighbours[q] = (a * nb + b) * nc + c;
                    shift[3 * q] = wa * ax + wb * bx + wc * cx;
                    shift[3 * q + 1] = wb * by + wc * cy;
                    shift[3 * q + 2] = wc * cz;
                    q++;
                }
            }
        }
    }

    private void ensureScratch(int n, int cells) {
        if (wrapped.length < 3 * n) {
            wrapped = new double[3 * n];
            sorted = new double[3 * n];
            sortedType = new int[n];
            cellOf = new int[n];
            order = new int[n];
            stamp = new int[n];
        }
        if (cellStart.length < cells + 1) {
            cellStart = new int[cells + 1];
        }
    }

    private void grow() {
        int len = pi.length * 2;
        pi = Arrays.copyOf(pi, len);
        pj = Arrays.copyOf(pj, len);
        pr2 = Arrays.copyOf(pr2, len);
    }

    /** Number of pairs found by the last search. */
    public int pairs() {
        return pairs;
    }

    /** First particle of pair p (the smaller index). */
    public int i(int p) {
        return pi[p];
    }

    /** Second particle of pair p. */
    public int j(int p) {
        return pj[p];
    }

    /** Squared distance of pair p (nm^2). */
    public double r2(int p) {
        return pr2[p];
    }

    /** First particles of all pairs (valid up to {@link #pairs()}; do not modify). */
    public int[] firstIndices() {
        return pi;
    }

    /** Second particles of all pairs (do not modify). */
    public int[] secondIndices() {
        return pj;
    }

    /** Squared distances of all pairs (do not modify). */
    public double[] squaredDistances() {
        return pr2;
    }
}
