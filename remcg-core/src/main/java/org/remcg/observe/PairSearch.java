package org.remcg.observe;

import java.util.Arrays;
import org.remcg.io.Frame;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * Finds, in one frame, every non-excluded particle pair closer than a cutoff under periodic
 * boundary conditions, with a cell list that works for orthorhombic and triclinic boxes alike.
 * The pairs are either listed ({@link #search}) or counted straight into distance bins
 * ({@link #histogram}, the RDF path, which never stores a pair).
 *
 * <p>Method. Only particles of types that take part in a wanted type pair enter the search.
 * Their positions are converted to fractional coordinates s = x B^-1 (B = box rows a, b, c) and
 * wrapped into the box by subtracting the integer lattice vector (so the wrapped Cartesian
 * positions keep full precision). The box is cut into n_a x n_b x n_c cells along the fractional
 * axes with n_i = floor(2 h_i / cutoff), h_i the height of the box perpendicular to the other two
 * vectors (h_c = c_z, h_b = b_y c_z / |(c_y, c_z)|, h_a = V / |b x c|), capped at cbrt(2 N) + 1 so
 * small cutoffs do not make mostly empty cells. A displacement d = sum_i t_i v_i satisfies
 * |d| &gt;= |t_i| h_i, so any image closer than the cutoff has |t_i| &lt; 2 / n_i: it lies in one
 * of the 5 x 5 x 5 surrounding cells, reached by an offset of -2 .. +2 cells per axis, and that
 * offset fixes the image (the lattice vector added when the offset wraps around the box).
 * Because the cutoff is at most half the shortest height, at most one image of a pair is closer
 * than the cutoff. Each pair is therefore met exactly once by visiting, from every cell, only the
 * "forward" half of the stencil (the 62 offsets that are lexicographically positive) plus the
 * later particles of the cell itself: the image of (i, j) at offset d is the image of (j, i) at
 * -d, and exactly one of d, -d is forward. Forward cells that follow each other along c with
 * the same image are scanned as one contiguous run of particles (13 rows of up to 5 cells). With few cells per axis, different offsets reach the
 * same cell through different images; they are distinct images, so nothing is counted twice.
 * When the grid of an orthorhombic box has fewer than 125 cells (the cutoff is a large part of
 * the box, as for an RDF to half the box), the stencil would reach about all pairs anyway, some
 * cells twice through different images; then all pairs are visited once with a per-axis minimum
 * image (exact for an orthorhombic box) instead. Listed pairs are reported as (i, j) with
 * i &lt; j; the order of the list depends only on the frame.
 *
 * <p>The hot loop runs over positions copied into cell order (flat {@code double[]}), with the
 * image shift of the neighbour cell folded into the reference position; type pairs are checked
 * through a flat table, exclusions by a stamp array in cell order (the stamp is not read when no
 * excluded pair can occur), and the distance is compared as r^2; the histogram takes a square
 * root only for pairs inside the cutoff. The listing pass ({@link #search}) and the counting pass
 * ({@link #histogram}) each have their own loops over cells and candidates, in the cell-list and
 * the all-pairs form: written once with a test of the pass inside, the counting pass of an RDF was
 * 5-9 % slower (docs/BENCHMARKS.md, "The pair-search hot loop"). Pairs excluded by bond
 * hops ({@link CgTopology#exclusions(int)}) and pairs of types not asked for are never
 * reported. All scratch arrays are kept between frames: a warmed-up search allocates nothing
 * (except the 9-element box matrix). Not thread-safe; use one instance per thread
 * ({@link #copy()} shares the immutable parts).
 */
public final class PairSearch {
    private final CgTopology top;
    private final CgTopology.Exclusions excl;
    private final int types;
    private final boolean[] wanted; // types x types, symmetric
    private final int[] type;
    /** Particles of types that occur in a wanted pair, ascending. */
    private final int[] active;
    /** Symmetric exclusion lists among active particles (CSR over all particles). */
    private final int[] exStart;
    private final int[] exPartners;
    private final boolean anyExclusion;

    // scratch
    private double[] sorted = new double[0];
    private int[] sortedType = new int[0];
    private int[] cellOf = new int[0];
    private int[] cellStart = new int[0];
    private int[] order = new int[0];
    private int[] rank = new int[0];
    private int[] stamp = new int[0];
    /** Cells are at least cutoff / REACH wide; the stencil reaches REACH cells each way. */
    private static final int REACH = 2;
    private static final int STENCIL = (2 * REACH + 1) * (2 * REACH + 1) * (2 * REACH + 1);
    /**
     * The forward half of the stencil (offsets lexicographically greater than (0, 0, 0)) as runs
     * of consecutive cells along c with one image shift: 13 rows (da, db), each cut where the
     * offset wraps around the box, at most 2 REACH + 1 runs per row; the cell itself comes first,
     * as run 0 (see {@link #neighbourCells}).
     */
    private static final int MAX_RUNS = ((2 * REACH + 1) * (2 * REACH + 1) - 1) / 2 * (2 * REACH + 1) + (2 * REACH + 1);
    private final int[] runFrom = new int[MAX_RUNS + 1];
    private final int[] runTo = new int[MAX_RUNS + 1];
    private final double[] shift = new double[3 * (MAX_RUNS + 1)];
    private int runs;
    private int na;
    private int nb;
    private int nc;

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
        boolean[] activeType = new boolean[types];
        for (int a = 0; a < types; a++) {
            for (int b = 0; b < types; b++) {
                boolean w = wanted[a * types + b] || wanted[b * types + a];
                this.wanted[a * types + b] = w;
                activeType[a] |= w;
            }
        }
        int n = top.size();
        if (excl.start().length != n + 1) {
            throw new IllegalArgumentException("exclusions are for " + (excl.start().length - 1) + " particles, topology has " + n);
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (activeType[type[i]]) {
                count++;
            }
        }
        this.active = new int[count];
        count = 0;
        for (int i = 0; i < n; i++) {
            if (activeType[type[i]]) {
                active[count++] = i;
            }
        }
        // symmetric exclusion lists, keeping only pairs that could be reported
        int[] start = excl.start();
        int[] partners = excl.partners();
        int[] deg = new int[n + 1];
        for (int i = 0; i < n; i++) {
            for (int e = start[i]; e < start[i + 1]; e++) {
                int j = partners[e];
                if (this.wanted[type[i] * types + type[j]]) {
                    deg[i + 1]++;
                    deg[j + 1]++;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            deg[i + 1] += deg[i];
        }
        this.exStart = deg.clone();
        this.exPartners = new int[deg[n]];
        for (int i = 0; i < n; i++) {
            for (int e = start[i]; e < start[i + 1]; e++) {
                int j = partners[e];
                if (this.wanted[type[i] * types + type[j]]) {
                    exPartners[deg[i]++] = j;
                    exPartners[deg[j]++] = i;
                }
            }
        }
        this.anyExclusion = exPartners.length > 0;
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
        build(frame, cutoff);
        pairs = 0;
        walk(cutoff * cutoff, lister);
        return pairs;
    }

    /** {@link #search}'s part of a walk: lists the wanted, non-excluded pairs of p closer than the cutoff in a run. */
    private void list(int p, int rowType, int s0, int s1, double ox, double oy, double oz) {
        int count = pairs;
        while (count + (s1 - s0) > pi.length) {
            grow();
        }
        int mark = p + 1;
        int[] order = this.order;
        int i = order[p];
        double[] xs = sorted;
        int[] ts = sortedType;
        int[] pi = this.pi;
        int[] pj = this.pj;
        double[] pr2 = this.pr2;
        double cut2 = walkCut2;
        for (int s = s0; s < s1; s++) {
            double r2 = distance2(xs, s, ox, oy, oz);
            if (r2 < cut2 && wanted[rowType + ts[s]] && stamp[s] != mark) {
                int j = order[s];
                pi[count] = Math.min(i, j);
                pj[count] = Math.max(i, j);
                pr2[count] = r2;
                count++;
            }
        }
        pairs = count;
    }

    /**
     * Counts all wanted, non-excluded pairs with distance &lt; cutoff into distance bins, without
     * listing them: pair (i, j) of types (A, B) adds one to
     * {@code counts[slotBase[A * types + B] + k]}, k = (int) (r / width + offset) clipped to
     * {@code bins - 1}. Type pairs with a negative {@code slotBase} are skipped (they need not be
     * the pairs given at construction, but only those can be met).
     *
     * @param slotBase types x types table of offsets into counts (symmetric), or -1
     * @param width    bin width (nm)
     * @param offset   added to r / width before truncation (0, or 1/2 for bins centred on k w)
     * @param bins     number of bins per type pair
     * @param counts   the histogram to add to
     * @return the number of pairs counted
     * @throws IllegalArgumentException as {@link #search}
     */
    public long histogram(Frame frame, double cutoff, int[] slotBase, double width, double offset, int bins, long[] counts) {
        if (slotBase.length != types * types) {
            throw new IllegalArgumentException("type-pair table needs " + types * types + " entries, got " + slotBase.length);
        }
        build(frame, cutoff);
        pairs = 0;
        binSlot = slotBase;
        binInverse = 1 / width;
        binOffset = offset;
        binLast = bins - 1;
        binCounts = counts;
        binned = 0;
        walk(cutoff * cutoff, binner);
        binSlot = null;
        binCounts = null;
        return binned;
    }

    /** {@link #histogram}'s part of a walk: bins the pairs of p closer than the cutoff in a run (counted type pairs, not excluded). */
    private void bin(int p, int rowType, int s0, int s1, double ox, double oy, double oz) {
        int mark = anyExclusion ? p + 1 : -1;
        long count = 0;
        for (int s = s0; s < s1; s++) {
            double r2 = distance2(sorted, s, ox, oy, oz);
            if (r2 < walkCut2) {
                int base = binSlot[rowType + sortedType[s]];
                if (base >= 0 && stamp[s] != mark) {
                    int k = (int) (Math.sqrt(r2) * binInverse + binOffset);
                    binCounts[base + (k > binLast ? binLast : k)]++;
                    count++;
                }
            }
        }
        binned += count;
    }

    /**
     * What a walk does with a run of candidates of particle p: positions s0 .. s1 - 1 in cell order
     * (all after p), seen from p through the image whose offset from p is (ox, oy, oz)
     * ({@link #distance2}). rowType is p's type times the number of types; the excluded partners of
     * p are marked (stamp = p + 1).
     */
    @FunctionalInterface
    private interface RunSink {
        void run(int p, int rowType, int s0, int s1, double ox, double oy, double oz);
    }

    private final RunSink lister = this::list;
    private final RunSink binner = this::bin;
    // the state of a walk: its squared cutoff, whether distances take the per-axis minimum image,
    // and the histogram being filled by bin()
    private double walkCut2;
    private boolean walkImage;
    private int[] binSlot;
    private double binInverse;
    private double binOffset;
    private int binLast;
    private long[] binCounts;
    private long binned;

    /**
     * Hands every particle's runs of candidate partners to {@code sink}, which keeps the pairs
     * closer than sqrt(cut2): in the cell walk, each cell's particles with the runs of
     * {@link #neighbourCells}; in a small orthorhombic box all active particles as one cell whose
     * only run is the particles after p, with the per-axis minimum image. Each pair is met once, in
     * the same order for {@link #search} and {@link #histogram}. The call is per run, not per pair,
     * so each sink keeps its own inner loop with no call in it.
     */
    private void walk(double cut2, RunSink sink) {
        walkCut2 = cut2;
        walkImage = smallOrthorhombic;
        double[] xs = this.sorted;
        int[] ts = this.sortedType;
        int[] cellStart = this.cellStart;
        double[] shift = this.shift;
        int[] runFrom = this.runFrom;
        int[] runTo = this.runTo;
        boolean checkExclusions = anyExclusion;
        int cells = walkImage ? 1 : na * nb * nc;
        for (int c = 0; c < cells; c++) {
            int first = walkImage ? 0 : cellStart[c];
            int last = walkImage ? active.length : cellStart[c + 1];
            if (first == last) {
                continue;
            }
            if (walkImage) {
                runTo[0] = last;
                Arrays.fill(shift, 0, 3, 0);
                runs = 1;
            } else {
                neighbourCells(c);
            }
            for (int p = first; p < last; p++) {
                if (checkExclusions) {
                    markExclusions(order[p], p + 1);
                }
                int rowType = ts[p] * types;
                double xi = xs[3 * p];
                double yi = xs[3 * p + 1];
                double zi = xs[3 * p + 2];
                for (int q = 0, nRuns = runs; q < nRuns; q++) {
                    int s0 = q == 0 ? p + 1 : runFrom[q]; // run 0 is the cell itself: later particles only
                    sink.run(p, rowType, s0, runTo[q], shift[3 * q] - xi, shift[3 * q + 1] - yi, shift[3 * q + 2] - zi);
                }
            }
        }
    }

    /**
     * Squared distance from a particle to the particle at position s of the cell order, (ox, oy, oz)
     * being the offset of the run's image from the first particle; in a small orthorhombic box with
     * the per-axis minimum image.
     */
    private double distance2(double[] xs, int s, double ox, double oy, double oz) {
        double dx = xs[3 * s] + ox;
        double dy = xs[3 * s + 1] + oy;
        double dz = xs[3 * s + 2] + oz;
        if (walkImage) {
            return minimumImage2(dx, dy, dz, boxAx, boxBy, boxCz, inverseAx, inverseBy, inverseCz);
        }
        return dx * dx + dy * dy + dz * dz;
    }

    /**
     * Squared length of the displacement (dx, dy, dz) after the minimum image in an orthorhombic box
     * of edges lx, ly, lz (ilx, ily, ilz their inverses), each component reduced on its own.
     */
    public static double minimumImage2(double dx, double dy, double dz, double lx, double ly, double lz, double ilx, double ily, double ilz) {
        double x = dx - lx * Math.rint(dx * ilx);
        double y = dy - ly * Math.rint(dy * ily);
        double z = dz - lz * Math.rint(dz * ilz);
        return x * x + y * y + z * z;
    }

    /** Sets stamp[rank of each excluded partner of i] = mark (stamps are in cell order, so the inner loop reads them contiguously). */
    private void markExclusions(int i, int mark) {
        for (int e = exStart[i]; e < exStart[i + 1]; e++) {
            int r = rank[exPartners[e]];
            if (r >= 0) {
                stamp[r] = mark;
            }
        }
    }

    /** Wraps the active particles into the box and sorts them by cell (counting sort; ascending index within a cell). */
    private void build(Frame frame, double cutoff) {
        int n = top.size();
        check(frame, cutoff, n);
        double[] m = frame.box.matrix();
        double ax = m[0], bx = m[3], by = m[4], cx = m[6], cy = m[7], cz = m[8];
        double[] h = heights(ax, bx, by, cx, cy, cz);
        int nAct = this.active.length;
        int cap = Math.max(2, (int) Math.cbrt(2.0 * nAct) + 1);
        this.na = Math.max(1, Math.min((int) (REACH * h[0] / cutoff), cap));
        this.nb = Math.max(1, Math.min((int) (REACH * h[1] / cutoff), cap));
        this.nc = Math.max(1, Math.min((int) (REACH * h[2] / cutoff), cap));
        int cells = this.na * this.nb * this.nc;
        this.smallOrthorhombic = bx == 0 && cx == 0 && cy == 0 && cells < SMALL_GRID;
        ensureScratch(n, nAct, cells);
        double[] x = frame.x;
        double iax = 1 / ax, iby = 1 / by, icz = 1 / cz;
        int[] cellStart = this.cellStart;
        Arrays.fill(cellStart, 0, cells + 1, 0);
        int[] active = this.active;
        double[] wrapped = this.sorted; // first pass: wrapped positions in active order
        for (int a = 0; a < nAct; a++) {
            int i = active[a];
            double px = x[3 * i], py = x[3 * i + 1], pz = x[3 * i + 2];
            double sc = pz * icz;
            double sb = (py - sc * cy) * iby;
            double sa = (px - sb * bx - sc * cx) * iax;
            // wrap into the box: subtract the integer lattice vector, keep Cartesian precision
            double fa = Math.floor(sa), fb = Math.floor(sb), fc = Math.floor(sc);
            int ka = cellIndex(sa - fa, this.na);
            int kb = cellIndex(sb - fb, this.nb);
            int kc = cellIndex(sc - fc, this.nc);
            int c = (ka * this.nb + kb) * this.nc + kc;
            cellOf[a] = c;
            cellStart[c + 1]++;
            stageX[3 * a] = px - (fa * ax + fb * bx + fc * cx);
            stageX[3 * a + 1] = py - (fb * by + fc * cy);
            stageX[3 * a + 2] = pz - fc * cz;
        }
        for (int c = 0; c < cells; c++) {
            cellStart[c + 1] += cellStart[c];
        }
        // counting sort: particles cell by cell, ascending index inside a cell, positions copied
        // into cell order for locality
        for (int a = 0; a < nAct; a++) {
            int s = cellStart[cellOf[a]]++;
            int i = active[a];
            order[s] = i;
            rank[i] = s;
            wrapped[3 * s] = stageX[3 * a];
            wrapped[3 * s + 1] = stageX[3 * a + 1];
            wrapped[3 * s + 2] = stageX[3 * a + 2];
            sortedType[s] = type[i];
            stamp[s] = 0;
        }
        for (int c = cells; c > 0; c--) {
            cellStart[c] = cellStart[c - 1];
        }
        cellStart[0] = 0;
        boxAx = ax;
        boxBx = bx;
        boxBy = by;
        boxCx = cx;
        boxCy = cy;
        boxCz = cz;
        inverseAx = 1 / ax;
        inverseBy = 1 / by;
        inverseCz = 1 / cz;
    }

    private double[] stageX = new double[0];
    /**
     * Below this many cells the 62 forward cells of the stencil hold about as many candidates as
     * all pairs (cell-images reached twice through different images included), so an
     * orthorhombic box uses all pairs with a per-axis minimum image instead.
     */
    private static final int SMALL_GRID = 125;
    private boolean smallOrthorhombic;
    private double boxAx, boxBx, boxBy, boxCx, boxCy, boxCz;
    private double inverseAx, inverseBy, inverseCz;

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
     * The candidates of the particles of cell c as runs of cell-ordered positions [runFrom[q],
     * runTo[q]), each with the lattice vector to add to a wrapped position in it (non-zero where the
     * offset wraps around the box) in shift[]: run 0 is the cell itself, the others its forward
     * neighbour cells (offsets within REACH cells per axis that are lexicographically positive),
     * consecutive cells along c in one run until the c offset wraps.
     */
    private void neighbourCells(int cell) {
        int na = this.na, nb = this.nb, nc = this.nc;
        int kc = cell % nc;
        int kb = (cell / nc) % nb;
        int ka = cell / (nb * nc);
        double ax = boxAx, bx = boxBx, by = boxBy, cx = boxCx, cy = boxCy, cz = boxCz;
        int[] cellStart = this.cellStart;
        runFrom[0] = cellStart[cell];
        runTo[0] = cellStart[cell + 1];
        shift[0] = 0;
        shift[1] = 0;
        shift[2] = 0;
        int q = 1;
        for (int da = 0; da <= REACH; da++) {
            int wa = Math.floorDiv(ka + da, na);
            int a = ka + da - wa * na;
            for (int db = da == 0 ? 0 : -REACH; db <= REACH; db++) {
                int wb = Math.floorDiv(kb + db, nb);
                int b = kb + db - wb * nb;
                int rowBase = (a * nb + b) * nc;
                int prevWc = Integer.MIN_VALUE;
                for (int dc = (da == 0 && db == 0) ? 1 : -REACH; dc <= REACH; dc++) {
                    int wc = Math.floorDiv(kc + dc, nc);
                    int c = rowBase + kc + dc - wc * nc;
                    if (wc == prevWc) {
                        runTo[q - 1] = cellStart[c + 1]; // same image, next cell along c
                        continue;
                    }
                    prevWc = wc;
                    runFrom[q] = cellStart[c];
                    runTo[q] = cellStart[c + 1];
                    shift[3 * q] = wa * ax + wb * bx + wc * cx;
                    shift[3 * q + 1] = wb * by + wc * cy;
                    shift[3 * q + 2] = wc * cz;
                    q++;
                }
            }
        }
        runs = q;
    }

    private void ensureScratch(int n, int activeCount, int cells) {
        if (rank.length < n) {
            rank = new int[n];
            Arrays.fill(rank, -1);
        }
        if (sorted.length < 3 * activeCount) {
            sorted = new double[3 * activeCount];
            stageX = new double[3 * activeCount];
            sortedType = new int[activeCount];
            cellOf = new int[activeCount];
            order = new int[activeCount];
            stamp = new int[activeCount];
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

    /** Number of pairs found by the last {@link #search} (0 after {@link #histogram}). */
    public int pairs() {
        return pairs;
    }

    /** First particles of all pairs, each the smaller index of its pair (valid up to {@link #pairs()}; do not modify). */
    public int[] firstIndices() {
        return pi;
    }

    /** Second particles of all pairs (do not modify). */
    public int[] secondIndices() {
        return pj;
    }

    /** Squared distances of all pairs (nm^2; do not modify). */
    public double[] squaredDistances() {
        return pr2;
    }
}
