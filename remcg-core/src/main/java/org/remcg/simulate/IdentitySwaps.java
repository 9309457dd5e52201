package org.remcg.simulate;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.remcg.model.ForceField;
import org.remcg.model.ForceField.Interaction;
import org.remcg.observe.PairSearch;
import org.remcg.system.InteractionKind;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.units.Units;

/**
 * Identity-swap Monte Carlo for mixtures of one-bead molecules: two beads of different types exchange
 * their positions, accepted with probability min(1, exp(-dU/kT)). Each bead keeps its own velocity, so
 * the move acts on the configuration alone and, interleaved with Langevin dynamics, leaves the Boltzmann
 * distribution unchanged. It relaxes composition fluctuations, which diffusion alone relaxes on the scale
 * L^2 / (4 pi^2 D) (tens of picoseconds for a few thousand beads, longer still near demixing), in a few
 * sweeps.
 *
 * <p>Proposal: an unordered pair of swappable types (a, b) uniformly, then a bead of each uniformly, so
 * the proposal of (i, j) and of its reverse have the same probability. Only beads that are alone in their
 * molecule are swappable (no bonded term or exclusion moves with them); the pair (i, j) keeps its own
 * energy (its type pair is unchanged), so dU sums over the other beads within the cutoffs of i and j.
 * Pair energies are those of the force field's potentials, tabulated on a fine grid whenever its parameters change
 * (linear interpolation, 1e-4 nm; shifted where the interaction is). Serial and deterministic for a seed.
 */
public final class IdentitySwaps {
    private static final double TABLE_SPACING = 1e-4;

    private final CgTopology top;
    private final ForceField ff;
    private final int n;
    private final int nt;
    private final int[] type;
    private final double beta;
    /** swappable beads grouped by type: members[t] */
    private final int[][] members;
    /** unordered pairs of swappable types with members on both sides */
    private final int[] pairA;
    private final int[] pairB;
    /** beads alone in their molecule, when there are two such types (else 0): the tries of one sweep */
    private final int swappable;
    private final double maxCut;
    // per type pair (a * nt + b): energy table and squared cutoff
    private final double[][] table;
    private final double[] cut2;
    private long tableVersion = -1;
    // cells
    private int[] cellHead;
    private int[] next;
    private int[] cellOf;
    private final int[] neighbourCells = new int[125];
    private long tried;
    private long accepted;

    public IdentitySwaps(CgTopology top, ForceField ff, double temperature) {
        this.top = top;
        this.ff = ff;
        this.n = top.size();
        this.nt = top.types();
        this.type = top.type();
        this.beta = 1 / (Units.KB * temperature);
        int[] molecule = top.molecule();
        int[] count = new int[nt];
        boolean[] alone = new boolean[n];
        for (int i = 0; i < n; i++) {
            boolean prevSame = i > 0 && molecule[i - 1] == molecule[i];
            boolean nextSame = i + 1 < n && molecule[i + 1] == molecule[i];
            alone[i] = !prevSame && !nextSame;
            if (alone[i]) {
                count[type[i]]++;
            }
        }
        members = new int[nt][];
        for (int t = 0; t < nt; t++) {
            members[t] = new int[count[t]];
        }
        int[] fill = new int[nt];
        for (int i = 0; i < n; i++) {
            if (alone[i]) {
                members[type[i]][fill[type[i]]++] = i;
            }
        }
        table = new double[nt * nt][];
        cut2 = new double[nt * nt];
        double mc = 0;
        for (Interaction in : ff.interactions()) {
            if (in.kind() == InteractionKind.PAIR) {
                mc = Math.max(mc, in.cutoff());
            }
        }
        maxCut = mc;
        maxCut2 = mc * mc;
        int pairs = 0;
        int[] pa = new int[nt * nt];
        int[] pb = new int[nt * nt];
        for (int a = 0; a < nt; a++) {
            for (int b = a + 1; b < nt; b++) {
                if (count[a] > 0 && count[b] > 0) {
                    pa[pairs] = a;
                    pb[pairs] = b;
                    pairs++;
                }
            }
        }
        pairA = Arrays.copyOf(pa, pairs);
        pairB = Arrays.copyOf(pb, pairs);
        int all = 0;
        for (int c : count) {
            all += c;
        }
        swappable = pairs > 0 ? all : 0;
    }

    /** Whether the system has one-bead molecules of at least two types (else a sweep does nothing). */
    public boolean applicable() {
        return pairA.length > 0;
    }

    /** Number of swappable beads (one sweep tries this many swaps). */
    public int swappable() {
        return swappable;
    }

    /** Fraction of tried swaps accepted so far. */
    public double acceptance() {
        return tried == 0 ? Double.NaN : (double) accepted / tried;
    }

    public long tried() {
        return tried;
    }

    public long accepted() {
        return accepted;
    }

    private void tabulate() {
        if (tableVersion == ff.version()) {
            return;
        }
        Interaction[] pairOf = PairTables.byTypePair(ff, top.typeNames());
        for (int ab = 0; ab < nt * nt; ab++) {
            Interaction in = pairOf[ab];
            if (in == null) {
                continue;
            }
            double rc = in.cutoff();
            int m = (int) Math.ceil(rc / TABLE_SPACING) + 2;
            double shift = in.shift() ? in.potential().energy(rc) : 0;
            double[] t = new double[m];
            for (int k = 0; k < m; k++) {
                double r = Math.min(k * TABLE_SPACING, rc);
                t[k] = in.potential().energy(r) - shift;
            }
            table[ab] = t;
            cut2[ab] = rc * rc;
        }
        tableVersion = ff.version();
    }

    /**
     * One sweep: as many swap trials as there are swappable beads, on {@code x} (caller's order, 3 per bead),
     * which is updated in place. Returns the number of accepted swaps.
     */
    public int sweep(double[] x, Box box, SplittableRandom rng) {
        if (pairA.length == 0) {
            return 0;
        }
        tabulate();
        boolean cells = buildCells(x, box);
        int trials = swappable();
        int acc = 0;
        for (int t = 0; t < trials; t++) {
            int p = pairA.length == 1 ? 0 : rng.nextInt(pairA.length);
            int[] ma = members[pairA[p]];
            int[] mb = members[pairB[p]];
            int i = ma[rng.nextInt(ma.length)];
            int j = mb[rng.nextInt(mb.length)];
            double u = rng.nextDouble();
            double du = swapEnergy(x, box, i, j, cells);
            tried++;
            if (du <= 0 || u < Math.exp(-beta * du)) {
                for (int d = 0; d < 3; d++) {
                    double s = x[3 * i + d];
                    x[3 * i + d] = x[3 * j + d];
                    x[3 * j + d] = s;
                }
                if (cells) {
                    moveInCells(i, j);
                }
                accepted++;
                acc++;
            }
        }
        return acc;
    }

    private double[] buffer;

    /**
     * The engine's run with a sweep after every {@code every} steps (and at the end): the same arguments as
     * {@link Engine#run(Integrator, long, int, Engine.Observer, Engine.Progress)}, frames sampled at the same steps.
     */
    public void run(Engine engine, Integrator integrator, long steps, int sampleEvery, Engine.Observer observer, int every,
                    SplittableRandom rng, Engine.Progress progress) {
        if (every <= 0 || !applicable()) {
            engine.run(integrator, steps, sampleEvery, observer, progress);
            return;
        }
        if (buffer == null) {
            buffer = new double[3 * n];
        }
        long done = 0;
        while (done < steps) {
            long chunk = Math.min(every, steps - done);
            engine.run(integrator, chunk, sampleEvery, observer);
            done += chunk;
            engine.positions(buffer);
            if (sweep(buffer, engine.box(), rng) > 0) {
                engine.setPositions(buffer);
            }
            if (progress != null) {
                progress.done(done);
            }
        }
    }

    /** Energy change (kJ/mol) if beads i and j of {@code x} exchanged positions (all-pairs; for tests). */
    double energyChange(double[] x, Box box, int i, int j) {
        tabulate();
        return swapEnergy(x, box, i, j, false);
    }

    /** Energy change when i (at xi) and j (at xj) exchange positions. */
    private double swapEnergy(double[] x, Box box, int i, int j, boolean cells) {
        int ti = type[i];
        int tj = type[j];
        // i moves to j's place as type ti; equivalently, at j's place type tj is replaced by ti and vice versa
        return siteChange(x, box, j, i, tj, ti, cells) + siteChange(x, box, i, j, ti, tj, cells);
    }

    /**
     * Energy change at the site of bead {@code site} when its type changes from {@code from} to {@code to},
     * counting all beads within the cutoffs except {@code site} and {@code other}.
     */
    private double siteChange(double[] x, Box box, int site, int other, int from, int to, boolean cells) {
        double sx = x[3 * site];
        double sy = x[3 * site + 1];
        double sz = x[3 * site + 2];
        double e = 0;
        if (cells) {
            int nc = neighbours(cellOf[site]);
            for (int c = 0; c < nc; c++) {
                for (int k = cellHead[neighbourCells[c]]; k >= 0; k = next[k]) {
                    if (k != site && k != other) {
                        double r2 = PairSearch.minimumImage2(x[3 * k] - sx, x[3 * k + 1] - sy, x[3 * k + 2] - sz, lx, ly, lz, ilx, ily, ilz);
                        if (r2 < maxCut2) {
                            int tk = type[k];
                            e += energy(to * nt + tk, r2) - energy(from * nt + tk, r2);
                        }
                    }
                }
            }
        } else {
            double[] d = this.d;
            for (int k = 0; k < n; k++) {
                if (k != site && k != other) {
                    d[0] = x[3 * k] - sx;
                    d[1] = x[3 * k + 1] - sy;
                    d[2] = x[3 * k + 2] - sz;
                    box.minimumImage(d, 0);
                    double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                    int tk = type[k];
                    e += energy(to * nt + tk, r2) - energy(from * nt + tk, r2);
                }
            }
        }
        return e;
    }

    private final double[] d = new double[3];

    private double energy(int pair, double r2) {
        if (!(r2 < cut2[pair])) {
            return 0;
        }
        double[] t = table[pair];
        if (t == null) {
            return 0;
        }
        double s = Math.sqrt(r2) / TABLE_SPACING;
        int k = (int) s;
        double f = s - k;
        return t[k] + f * (t[k + 1] - t[k]);
    }

    // ---- cells (orthorhombic boxes at least three cutoffs wide; otherwise all pairs). Cells of half the largest
    // cutoff with a 5 x 5 x 5 stencil where the box holds at least five of them per side (fewer candidates than
    // whole-cutoff cells with 27), else whole-cutoff cells.
    private int cx;
    private int cy;
    private int cz;
    private int reach;
    private double lx;
    private double ly;
    private double lz;
    private double ilx;
    private double ily;
    private double ilz;
    private final double maxCut2;

    private boolean buildCells(double[] x, Box box) {
        if (!box.isOrthorhombic()) {
            return false;
        }
        lx = box.lx();
        ly = box.ly();
        lz = box.lz();
        ilx = 1 / lx;
        ily = 1 / ly;
        ilz = 1 / lz;
        reach = 2;
        cx = (int) (lx / (maxCut / reach));
        cy = (int) (ly / (maxCut / reach));
        cz = (int) (lz / (maxCut / reach));
        if (cx < 2 * reach + 1 || cy < 2 * reach + 1 || cz < 2 * reach + 1) {
            reach = 1;
            cx = (int) (lx / maxCut);
            cy = (int) (ly / maxCut);
            cz = (int) (lz / maxCut);
            if (cx < 3 || cy < 3 || cz < 3) {
                return false;
            }
        }
        int cellsTotal = cx * cy * cz;
        if (cellHead == null || cellHead.length != cellsTotal) {
            cellHead = new int[cellsTotal];
        }
        if (next == null) {
            next = new int[n];
            cellOf = new int[n];
        }
        Arrays.fill(cellHead, -1);
        for (int i = n - 1; i >= 0; i--) {
            int c = cellIndex(x, i);
            cellOf[i] = c;
            next[i] = cellHead[c];
            cellHead[c] = i;
        }
        return true;
    }

    private int cellIndex(double[] x, int i) {
        int a = wrap((int) Math.floor(x[3 * i] * ilx * cx), cx);
        int b = wrap((int) Math.floor(x[3 * i + 1] * ily * cy), cy);
        int c = wrap((int) Math.floor(x[3 * i + 2] * ilz * cz), cz);
        return (a * cy + b) * cz + c;
    }

    private static int wrap(int k, int m) {
        int r = k % m;
        return r < 0 ? r + m : r;
    }

    private int neighbours(int cell) {
        int a = cell / (cy * cz);
        int b = (cell / cz) % cy;
        int c = cell % cz;
        int q = 0;
        for (int da = -reach; da <= reach; da++) {
            for (int db = -reach; db <= reach; db++) {
                for (int dc = -reach; dc <= reach; dc++) {
                    neighbourCells[q++] = (wrap(a + da, cx) * cy + wrap(b + db, cy)) * cz + wrap(c + dc, cz);
                }
            }
        }
        return q;
    }

    /** After i and j exchanged positions: each takes the other's place in the cell lists. */
    private void moveInCells(int i, int j) {
        int ci = cellOf[i];
        int cj = cellOf[j];
        if (ci == cj) {
            return;
        }
        unlink(i, ci);
        unlink(j, cj);
        next[i] = cellHead[cj];
        cellHead[cj] = i;
        cellOf[i] = cj;
        next[j] = cellHead[ci];
        cellHead[ci] = j;
        cellOf[j] = ci;
    }

    private void unlink(int i, int c) {
        if (cellHead[c] == i) {
            cellHead[c] = next[i];
            return;
        }
        for (int k = cellHead[c]; k >= 0; k = next[k]) {
            if (next[k] == i) {
                next[k] = next[i];
                return;
            }
        }
    }
}
