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
 * c). The box is cut into n_a x n_b x n_c cells along the fractional axes with n_i =
 * floor(h_i / cutoff), h_i the height of the box perpendicular to the other two vectors
 * (h_c = c_z, h_b = b_y c_z / |(c_y, c_z)|, h_a = V / |b x c|), capped at cbrt(2 N) + 1 so small
 * cutoffs do not make mostly empty cells. A displacement d = sum_i t_i v_i satisfies |d| &gt;=
 * |t_i| h_i, so any image closer than the cutoff has |t_i| &lt; 1 / n_i: it lies in one of the 27
 * neighbouring cells (duplicates removed when n_i = 2), and because the cutoff is at most half
 * the shortest height it is the only such image and is obtained by rounding each fractional
 * difference to the nearest integer. The displacement is then the Cartesian difference of the
 * stored positions minus that integer lattice vector. Each unordered pair is reported once, as
 * (i, j) with i &lt; j; the order of the list depends only on the frame.
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
    private double[] frac = new double[0];
    private int[] cellOf = new int[0];
    private int[] cellStart = new int[0];
    private int[] order = new int[0];
    private int[] stamp = new int[0];
    private final int[] neighbours = new int[27];

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
        int na = Math.max(2, Math.min((int) (h[0] / cutoff), cap));
        int nb = Math.max(2, Math.min((int) (h[1] / cutoff), cap));
        int nc = Math.max(2, Math.min((int) (h[2] / cutoff), cap));
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
            frac[3 * i] = sa;
            frac[3 * i + 1] = sb;
            frac[3 * i + 2] = sc;
            int ka = cellIndex(sa, na);
            int kb = cellIndex(sb, nb);
            int kc = cellIndex(sc, nc);
            int c = (ka * nb + kb) * nc + kc;
            cellOf[i] = c;
            cellStart[c + 1]++;
        }
        for (int c = 0; c < cells; c++) {
            cellStart[c + 1] += cellStart[c];
        }
        // counting sort: order[] lists particles cell by cell, ascending index inside a cell
        for (int i = 0; i < n; i++) {
            order[cellStart[cellOf[i]]++] = i;
        }
        for (int c = cells; c > 0; c--) {
            cellStart[c] = cellStart[c - 1];
        }
        cellStart[0] = 0;

        double cut2 = cutoff * cutoff;
        int[] exStart = excl.start();
        int[] exPartners = excl.partners();
        int[] type = this.type;
        boolean[] wanted = this.wanted;
        int types = this.types;
        int count = 0;
        for (int ka = 0; ka < na; ka++) {
            for (int kb = 0; kb < nb; kb++) {
                for (int kc = 0; kc < nc; kc++) {
                    int c = (ka * nb + kb) * nc + kc;
                    if (cellStart[c] == cellStart[c + 1]) {
                        continue;
                    }
                    int nn = neighbourCells(ka, kb, kc, na, nb, nc);
                    for (int p = cellStart[c]; p < cellStart[c + 1]; p++) {
                        int i = order[p];
                        for (int e = exStart[i]; e < exStart[i + 1]; e++) {
                            stamp[exPartners[e]] = i + 1;
                        }
                        int rowType = type[i] * types;
                        double xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2];
                        double sai = frac[3 * i], sbi = frac[3 * i + 1], sci = frac[3 * i + 2];
                        for (int q = 0; q < nn; q++) {
                            int c2 = neighbours[q];
                            for (int s = cellStart[c2], end = cellStart[c2 + 1]; s < end; s++) {
                                int j = order[s];
                                if (j <= i || !wanted[rowType + type[j]] || stamp[j] == i + 1) {
                                    continue;
                                }
                                double ta = Math.rint(frac[3 * j] - sai);
                                double tb = Math.rint(frac[3 * j + 1] - sbi);
                                double tc = Math.rint(frac[3 * j + 2] - sci);
                                double dx = x[3 * j] - xi - (ta * ax + tb * bx + tc * cx);
                                double dy = x[3 * j + 1] - yi - (tb * by + tc * cy);
                                double dz = x[3 * j + 2] - zi - tc * cz;
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

    /** Distinct neighbour cells of (ka, kb, kc), self included, into neighbours[]; returns their number. */
    private int neighbourCells(int ka, int kb, int kc, int na, int nb, int nc) {
        int n = 0;
        int la = na == 2 ? 0 : -1;
        int lb = nb == 2 ? 0 : -1;
        int lc = nc == 2 ? 0 : -1;
        for (int da = la; da <= 1; da++) {
            int a = Math.floorMod(ka + da, na);
            for (int db = lb; db <= 1; db++) {
                int b = Math.floorMod(kb + db, nb);
                for (int dc = lc; dc <= 1; dc++) {
                    int c = Math.floorMod(kc + dc, nc);
                    neighbours[n++] = (a * nb + b) * nc + c;
                }
            }
        }
        return n;
    }

    private void ensureScratch(int n, int cells) {
        if (frac.length < 3 * n) {
            frac = new double[3 * n];
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
