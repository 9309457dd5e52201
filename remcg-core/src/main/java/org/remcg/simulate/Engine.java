package org.remcg.simulate;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ForceField;
import org.remcg.model.ForceField.Interaction;
import org.remcg.system.InteractionKind;
import org.remcg.model.Potential;
import org.remcg.model.SplinePotential;
import org.remcg.model.Wall;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * The built-in coarse-grained molecular dynamics engine: particles with types and masses, the
 * bonded topology of a {@link CgTopology}, a periodic box, and the interactions of a
 * {@link ForceField}.
 *
 * <p><b>Pair forces.</b> A cell list (orthorhombic boxes with at least three cells per edge; an
 * O(N^2) search otherwise, which also handles triclinic boxes) builds a half Verlet list with
 * cutoff + skin; it is rebuilt when some particle has moved more than half the skin since the last
 * build. Each pair is stored once (a half list: the rest of a particle's own cell and 13 of its 26
 * neighbour cells; by index parity in the O(N^2) search), together with the periodic image it was
 * found in. Pair potentials are
 * evaluated from a cubic Hermite table of U and dU/dq in q = r^2 (no square root or division
 * in the force loop) on a grid uniform in q whose r spacing is {@value #TABLE_SPACING} nm at
 * r* = max(first point, cutoff / 5) and finer beyond (built from the exact potential, rebuilt when the force field's
 * parameters change); the force is the exact derivative of the interpolated energy, so energy
 * and force are consistent. Below a table's first point (the potential's lower bound, or 0.6 sigma
 * for analytic forms) the potential itself is used, with the {@link Wall} continuation for splines
 * and tables.
 *
 * <p><b>Parallelism and determinism.</b> Particles are split into a fixed number of index blocks
 * ({@link Options#blocks}, default 2). Each block has its own neighbour list, force buffer, energy
 * and feature accumulators and random stream; threads take whole blocks, and the buffers are summed
 * in block order. The trajectory therefore depends on the seed and the number of blocks only,
 * never on the number of threads.
 *
 * <p><b>Sampling.</b> Every k steps the force pass also accumulates the potential energy, the
 * virial, the Laplacian of U (for the configurational temperature), the feature vector of every
 * basis-expanded interaction (the sum over its pairs or terms of the basis functions), an RDF of
 * every interacting type pair (pairs within the cutoff that are not excluded) and histograms of the
 * bonded variables; an {@link Observer} receives each frame.
 *
 * <p>Not thread-safe: one engine is driven by one thread at a time. Close it to stop its workers.
 */
public final class Engine implements AutoCloseable {
    /** Boltzmann constant in kJ/mol/K. */
    public static final double KB = 0.0083144626;
    /** kJ/mol/nm^3 to bar. */
    public static final double BAR = 16.6053906717;
    /** Grid spacing of the pair tables (nm). */
    public static final double TABLE_SPACING = 2e-3;

    /**
     * Engine settings.
     *
     * @param skin          Verlet skin (nm)
     * @param threads       worker threads (at most {@code blocks} are used)
     * @param blocks        particle blocks (fixed work partition; the trajectory depends on it)
     * @param rdfBins       RDF bins per interacting type pair over [0, cutoff] (0: no RDF)
     * @param maxMove       largest allowed displacement in one step as a fraction of the smallest box width
     * @param maxEnergy     largest allowed potential energy per particle in units of kT at a sampled frame
     */
    public record Options(double skin, int threads, int blocks, int rdfBins, double maxMove, double maxEnergy) {
        public Options {
            if (!(skin >= 0) || threads < 1 || blocks < 1 || rdfBins < 0 || !(maxMove > 0) || !(maxEnergy > 0)) {
                throw new IllegalArgumentException("bad engine options: skin=" + skin + " threads=" + threads + " blocks=" + blocks);
            }
        }

        public static Options defaults() {
            return new Options(0.1, 1, 2, 200, 0.1, 1e4);
        }

        public Options withThreads(int t) {
            return new Options(skin, t, blocks, rdfBins, maxMove, maxEnergy);
        }

        public Options withSkin(double s) {
            return new Options(s, threads, blocks, rdfBins, maxMove, maxEnergy);
        }

        public Options withRdfBins(int b) {
            return new Options(skin, threads, blocks, b, maxMove, maxEnergy);
        }

        public Options withBlocks(int b) {
            return new Options(skin, threads, b, rdfBins, maxMove, maxEnergy);
        }
    }

    /** Receives sampled frames. */
    @FunctionalInterface
    public interface Observer {
        void frame(Engine engine, Sample sample);
    }

    // ---- system
    private final ForceField ff;
    private final CgTopology top;
    private final Box box;
    private final Options opt;
    private final int n;
    private final int nt;
    // particle arrays in internal (spatially sorted) order; ext[i] is the caller's index of internal particle i
    private int[] type;
    private double[] mass;
    private double[] invMass;
    private double[] x;
    private double[] v;
    private double[] f;
    private int[] ext;
    private final int[] inv;
    private int[] typeAlt;
    private double[] massAlt;
    private double[] invMassAlt;
    private double[] xAlt;
    private double[] vAlt;
    private double[] fAlt;
    private int[] extAlt;
    private final double[] xBuild;
    private final double lx;
    private final double ly;
    private final double lz;
    private final boolean ortho;
    private final double minWidth;
    private final double[] sx = new double[125];
    private final double[] sy = new double[125];
    private final double[] sz = new double[125];
    private long step;
    private int dof;

    // ---- blocks
    private final int nb;
    private final int[] blockStart;
    private final double[][] fbuf;
    private final int[][] nbStart;
    private int[][] nbList;
    private final double[] eBlock;
    private final double[] wBlock;
    private final double[] lapBlock;
    private final double[] kinBlock;
    private final double[] f2Block;
    private final double[] dispBlock;
    /** Per block: largest squared displacement since the last pruning of the inner lists. */
    private final double[] pruneDispBlock;
    private final double[] moveBlock;
    private final int[] moveIdx;
    private final double[][] phiBlock;
    private final double[][] rdfBlock;
    private final double[][][] histBlock;
    private final double[][] scratch;
    // per block, the in-range pairs of one particle found by the first pass of the pair loops:
    // j3 (and table index) and dx, dy, dz, r^2 interleaved; sized to the longest list row at build time
    private final int[][] rowJ;
    private final int[][] rowTab;
    private final double[][] rowD;
    private final double[][] scratch12;
    private final NormalSource[] rng;
    /** Per block: this step's Langevin noise, three deviates per particle. */
    private final double[][] noise;
    private long rngSeed = Long.MIN_VALUE;
    private final Team team;

    // ---- pair tables
    private final int[] tabOf;
    private final int ntab;
    private final Interaction[] tabInt;
    private final double[] tabRmin;
    private final double[] tabQmin;
    private final double[] tabInvH;
    private final int[] tabBase;
    private final double[] tabCut2;
    private final double[] tabList2;
    /** List radius squared per type pair (index type_i * nt + type_j); -1 where no pair table applies. */
    private final double[] list2Of;
    private final double[] tabShift;
    private final int[] tabFeat;
    private final CubicBSpline[] tabBasis;
    private final boolean[] tabWall;
    private final double[] tabUa;
    private final double[] tabDa;
    private double[] table = new double[0];
    /** Force-only form of {@link #table}: per interval A, B, C with (1/r) dU/dr = A + u (B + u C), u in [0, 1). */
    private double[] ftable = new double[0];
    private long tableVersion = -1;
    private final double listCut;
    private final double rdfInvWidth;
    private final long[] rdfPairs;
    private long rdfFrames;

    // ---- bonded terms: atoms per term, interaction per term
    private final int[] bAtoms;
    private final int[] bExt;
    private final int[] bInt;
    private final int[] aAtoms;
    private final int[] aExt;
    private final int[] aInt;
    private final int[] dAtoms;
    private final int[] dExt;
    private final int[] dInt;
    private final Interaction[] bonded;
    private final int[] bondedFeat;
    private final boolean hasAngles;
    private final CgTopology.Exclusions excl;

    // ---- column grid for list builds: columns in x and y, particles sorted by z within a column
    private int ncx;
    private int ncy;
    private int[] colStart = new int[0];
    private int[] order;
    private int[] colOf;
    private boolean allPairs;
    /** The forward columns of the half stencil: offsets (dx, dy) and the z half-window of each. */
    private int[] stDx = new int[0];
    private int[] stDy = new int[0];
    private double[] stH = new double[0];
    /** Per block and stencil column: the moving window [lo, hi) in the column's periodically extended index. */
    private final int[][] winLo;
    private final int[][] winHi;
    /** Per block: the candidate pieces of one particle, (shift code, first, end) triples. */
    private final int[][] pieces;
    /**
     * Per block, carried between the rows of a build: the column of the previous particle, its own-column window end,
     * and the lowest and highest (exclusive) particle index among the candidates so far (the touched range).
     */
    private final int[][] rowState;
    /** Padding (array elements) that keeps small per-block arrays written by different threads off each other's cache lines. */
    private static final int PAD = 8;
    /**
     * Per block: the particles [touchLo, touchHi) whose entries of the block's force buffer the force pass may
     * write (its own particles and every list entry; all particles when there are bonded terms). The buffer is
     * zero outside, so the force pass clears only this range and the sums over blocks skip the rest: less traffic
     * between the cores, whose buffers the other core reads.
     */
    private final int[] touchLo;
    private final int[] touchHi;

    // ---- per-step state shared with the workers
    private boolean reduceNeeded;
    private boolean kickNeeded;
    private boolean forcesValid;

    // ---- dynamic pruning: every few steps the force pass also writes an inner list
    // holding the Verlet-list pairs closer than cutoff + PRUNE; the steps in between loop once over the inner lists
    /** Inner-list buffer beyond the cutoff (nm); pruning is on when the skin is at least twice as wide. */
    static final double PRUNE = 0.03;
    private final boolean pruning;
    private boolean pruningEnabled = true;
    private boolean innerValid;
    private boolean pruneNow;
    private long prunings;
    private final double[] xPrune;
    /** (cutoff + PRUNE)^2 per pair table. */
    private final double[] tabInner2;
    private final int[][] innerStart;
    private final int[][] innerList;
    private boolean sampling;
    private double hdt;
    private double dtStep;
    private boolean langevin;
    private double ouC;
    private double ouKt;
    private final IntConsumer phaseMove = this::move;
    private final IntConsumer phaseBuild = this::buildList;
    private final IntConsumer phaseForce = this::force;
    private final IntConsumer phaseReduce = this::reduce;
    private boolean reduceKick;
    private final double[] phi;
    private long listBuilds;

    /**
     * @param positions 3N coordinates (nm), copied
     */
    public Engine(ForceField ff, CgTopology top, Box box, double[] positions, Options opt) {
        this.ff = ff;
        this.top = top;
        this.box = box;
        this.opt = opt;
        this.n = top.size();
        if (n < 2) {
            throw new IllegalArgumentException("the engine needs at least 2 particles, got " + n);
        }
        if (positions.length != 3 * n) {
            throw new IllegalArgumentException("expected " + (3 * n) + " coordinates for " + n + " particles, got " + positions.length);
        }
        this.nt = top.types();
        this.type = top.type().clone();
        this.mass = top.mass().clone();
        this.invMass = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(mass[i] > 0) || Double.isInfinite(mass[i])) {
                throw new IllegalArgumentException("particle " + (i + 1) + " (" + top.name(i) + ") has no usable mass: " + mass[i]);
            }
            invMass[i] = 1 / mass[i];
        }
        for (int i = 0; i < 3 * n; i++) {
            if (!Double.isFinite(positions[i])) {
                throw new IllegalArgumentException("particle " + (i / 3 + 1) + " has a non-finite coordinate");
            }
        }
        x = positions.clone();
        v = new double[3 * n];
        f = new double[3 * n];
        ext = new int[n];
        inv = new int[n];
        for (int i = 0; i < n; i++) {
            ext[i] = i;
            inv[i] = i;
        }
        typeAlt = new int[n];
        massAlt = new double[n];
        invMassAlt = new double[n];
        xAlt = new double[3 * n];
        vAlt = new double[3 * n];
        fAlt = new double[3 * n];
        extAlt = new int[n];
        xBuild = new double[3 * n];
        double[] m = box.matrix();
        lx = m[0];
        ly = m[4];
        lz = m[8];
        ortho = box.isOrthorhombic();
        minWidth = minWidth(m);
        for (int c = 0; c < 125; c++) {
            int ia = c / 25 - 2;
            int ib = (c / 5) % 5 - 2;
            int ic = c % 5 - 2;
            sx[c] = ia * m[0] + ib * m[3] + ic * m[6];
            sy[c] = ib * m[4] + ic * m[7];
            sz[c] = ic * m[8];
        }
        dof = 3 * n;

        // pair tables
        String[] names = top.typeNames();
        tabOf = new int[nt * nt];
        Arrays.fill(tabOf, -1);
        List<Interaction> all = ff.interactions();
        int[] tabIdx = new int[all.size()];
        int cnt = 0;
        for (int k = 0; k < all.size(); k++) {
            if (all.get(k).kind() == InteractionKind.PAIR) {
                tabIdx[k] = cnt++;
            }
        }
        ntab = cnt;
        tabInt = new Interaction[ntab];
        tabFeat = new int[ntab];
        tabBasis = new CubicBSpline[ntab];
        for (int k = 0; k < all.size(); k++) {
            Interaction in = all.get(k);
            if (in.kind() != InteractionKind.PAIR) {
                continue;
            }
            int t = tabIdx[k];
            tabInt[t] = in;
            tabFeat[t] = ff.parameterOffset(k);
            tabBasis[t] = in.potential() instanceof SplinePotential s ? s.basis() : null;
            for (int a = 0; a < nt; a++) {
                for (int b = 0; b < nt; b++) {
                    if (in.matches(names[a], names[b])) {
                        tabOf[a * nt + b] = t;
                    }
                }
            }
        }
        tabRmin = new double[ntab];
        tabQmin = new double[ntab];
        tabInvH = new double[ntab];
        tabBase = new int[ntab];
        tabCut2 = new double[ntab];
        tabList2 = new double[ntab];
        tabShift = new double[ntab];
        tabWall = new boolean[ntab];
        tabUa = new double[ntab];
        tabDa = new double[ntab];
        double maxCut = 0;
        for (int t = 0; t < ntab; t++) {
            double rc = tabInt[t].cutoff();
            maxCut = Math.max(maxCut, rc);
            tabCut2[t] = rc * rc;
            tabList2[t] = (rc + opt.skin()) * (rc + opt.skin());
        }
        listCut = maxCut + opt.skin();
        list2Of = new double[nt * nt];
        for (int k = 0; k < nt * nt; k++) {
            list2Of[k] = tabOf[k] < 0 ? -1 : tabList2[tabOf[k]];
        }
        rdfInvWidth = opt.rdfBins() / Math.max(maxCut, 1e-300);
        if (ntab > 0 && listCut > 0.5 * minWidth) {
            throw new IllegalArgumentException("cutoff + skin = " + listCut + " nm exceeds half the smallest box width " + (0.5 * minWidth)
                    + " nm");
        }

        // bonded terms
        bonded = all.stream().filter(i -> i.kind() != InteractionKind.PAIR).toArray(Interaction[]::new);
        bondedFeat = new int[bonded.length];
        for (int q = 0, k = 0; k < all.size(); k++) {
            if (all.get(k).kind() != InteractionKind.PAIR) {
                bondedFeat[q++] = ff.parameterOffset(k);
            }
        }
        bExt = top.bonds().clone();
        bAtoms = bExt.clone();
        bInt = assign(InteractionKind.BOND, bAtoms, 2, names);
        aExt = top.angles().clone();
        aAtoms = aExt.clone();
        aInt = assign(InteractionKind.ANGLE, aAtoms, 3, names);
        dExt = top.dihedrals().clone();
        dAtoms = dExt.clone();
        dInt = assign(InteractionKind.DIHEDRAL, dAtoms, 4, names);
        hasAngles = aInt.length > 0 || dInt.length > 0;
        excl = top.exclusions(ff.exclusionHops());

        // blocks
        nb = Math.min(opt.blocks(), n);
        blockStart = new int[nb + 1];
        for (int p = 0; p <= nb; p++) {
            blockStart[p] = (int) ((long) n * p / nb);
        }
        fbuf = new double[nb][3 * n];
        nbStart = new int[nb][];
        nbList = new int[nb][];
        for (int p = 0; p < nb; p++) {
            nbStart[p] = new int[blockStart[p + 1] - blockStart[p] + 1];
            nbList[p] = new int[1024];
        }
        eBlock = new double[nb];
        wBlock = new double[nb];
        lapBlock = new double[nb];
        kinBlock = new double[nb];
        f2Block = new double[nb];
        dispBlock = new double[nb];
        pruneDispBlock = new double[nb];
        moveBlock = new double[nb];
        moveIdx = new int[nb];
        int nf = ff.parameterCount();
        phiBlock = new double[nb][nf];
        phi = new double[nf];
        rdfBlock = new double[nb][ntab * Math.max(opt.rdfBins(), 0)];
        histBlock = new double[nb][bonded.length][HIST_BINS];
        scratch = new double[nb][8];
        rowJ = new int[nb][0];
        rowTab = new int[nb][0];
        rowD = new double[nb][0];
        scratch12 = new double[nb][12];
        winLo = new int[nb][0];
        winHi = new int[nb][0];
        pieces = new int[nb][0];
        rowState = new int[nb][4 + 2 * PAD];
        touchLo = new int[nb];
        touchHi = new int[nb];
        for (int p = 0; p < nb; p++) {
            touchHi[p] = n;
        }
        rng = new NormalSource[nb];
        noise = new double[nb][];
        for (int p = 0; p < nb; p++) {
            // PAD doubles before and after: the blocks' arrays do not share a cache line
            noise[p] = new double[3 * (blockStart[p + 1] - blockStart[p]) + 2 * PAD];
        }
        rdfPairs = countRdfPairs();
        pruning = ntab > 0 && opt.skin() >= 2 * PRUNE;
        tabInner2 = new double[ntab];
        for (int t = 0; t < ntab; t++) {
            double rc = tabInt[t].cutoff();
            tabInner2[t] = (rc + PRUNE) * (rc + PRUNE);
        }
        xPrune = pruning ? new double[3 * n] : null;
        innerStart = new int[nb][];
        innerList = new int[nb][];
        for (int p = 0; p < nb; p++) {
            innerStart[p] = new int[blockStart[p + 1] - blockStart[p] + 1];
            innerList[p] = new int[0];
        }
        team = new Team(opt.threads(), nb);
    }

    static final int HIST_BINS = 360;

    private static double minWidth(double[] m) {
        double[] a = {m[0], m[1], m[2]};
        double[] b = {m[3], m[4], m[5]};
        double[] c = {m[6], m[7], m[8]};
        double vol = m[0] * m[4] * m[8];
        return Math.min(vol / norm(cross(b, c)), Math.min(vol / norm(cross(c, a)), vol / norm(cross(a, b))));
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double norm(double[] a) {
        return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    }

    private int[] assign(InteractionKind kind, int[] atoms, int per, String[] names) {
        int terms = atoms.length / per;
        int[] out = new int[terms];
        String[] ts = new String[per];
        for (int q = 0; q < terms; q++) {
            for (int k = 0; k < per; k++) {
                ts[k] = names[type[atoms[q * per + k]]];
            }
            out[q] = -1;
            for (int b = 0; b < bonded.length; b++) {
                if (bonded[b].kind() == kind && bonded[b].matches(ts)) {
                    out[q] = b;
                }
            }
            if (out[q] < 0) {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < per; k++) {
                    sb.append(k == 0 ? "" : ", ").append(atoms[q * per + k] + 1);
                }
                throw new IllegalArgumentException("the model has no " + kind.key() + " interaction for beads " + String.join("-", ts)
                        + " (particles " + sb + ")");
            }
        }
        return out;
    }

    /** Number of non-excluded particle pairs per pair table (the RDF normalization). */
    private long[] countRdfPairs() {
        long[] c = new long[ntab];
        long[] perType = new long[nt];
        for (int i = 0; i < n; i++) {
            perType[type[i]]++;
        }
        for (int a = 0; a < nt; a++) {
            for (int b = a; b < nt; b++) {
                int t = tabOf[a * nt + b];
                if (t >= 0) {
                    c[t] += a == b ? perType[a] * (perType[a] - 1) / 2 : perType[a] * perType[b];
                }
            }
        }
        int[] st = excl.start();
        int[] pa = excl.partners();
        for (int i = 0; i < n; i++) {
            for (int k = st[i]; k < st[i + 1]; k++) {
                int t = tabOf[type[i] * nt + type[pa[k]]];
                if (t >= 0) {
                    c[t]--;
                }
            }
        }
        return c;
    }

    // =====================================================================================
    // public state access

    public int size() { return n; }
    public Box box() { return box; }
    public ForceField forceField() { return ff; }
    public CgTopology topology() { return top; }
    /** Steps taken so far. */
    public long step() { return step; }
    /** Number of Verlet list builds so far. */
    public long listBuilds() { return listBuilds; }
    /** Threads actually used. */
    public int threads() { return team.threads(); }
    /** Degrees of freedom used for the kinetic temperature (3N, or 3N - 3 after {@link #removeDrift}). */
    public int degreesOfFreedom() { return dof; }

    /** Copies the positions (nm, wrapped into the box at every list build) into out (length 3N), in the topology's order. */
    public void positions(double[] out) {
        unsort(x, out);
    }

    public double[] positions() {
        double[] o = new double[3 * n];
        unsort(x, o);
        return o;
    }

    public double[] velocities() {
        double[] o = new double[3 * n];
        unsort(v, o);
        return o;
    }

    /** Forces (kJ/mol/nm) at the current positions, in the topology's order. */
    public double[] forces() {
        ensureForces();
        double[] o = new double[3 * n];
        unsort(f, o);
        return o;
    }

    private void unsort(double[] internal, double[] out) {
        for (int i = 0; i < n; i++) {
            int e = 3 * ext[i];
            out[e] = internal[3 * i];
            out[e + 1] = internal[3 * i + 1];
            out[e + 2] = internal[3 * i + 2];
        }
    }

    private void sort(double[] external, double[] internal) {
        for (int i = 0; i < n; i++) {
            int e = 3 * ext[i];
            internal[3 * i] = external[e];
            internal[3 * i + 1] = external[e + 1];
            internal[3 * i + 2] = external[e + 2];
        }
    }

    /** Force passes that wrote the inner lists. */
    long prunings() {
        return prunings;
    }

    /** Switches the inner (pruned) lists off or on; the trajectory is the same either way (tested). */
    void setPruning(boolean on) {
        pruningEnabled = on;
        innerValid = false;
    }

    public void setPositions(double[] p) {
        if (p.length != 3 * n) {
            throw new IllegalArgumentException("expected " + 3 * n + " coordinates");
        }
        for (int i = 0; i < 3 * n; i++) {
            if (!Double.isFinite(p[i])) {
                throw new IllegalArgumentException("particle " + (i / 3 + 1) + " has a non-finite coordinate");
            }
        }
        sort(p, x);
        forcesValid = false;
    }

    public void setVelocities(double[] vel) {
        if (vel.length != 3 * n) {
            throw new IllegalArgumentException("expected " + 3 * n + " velocity components");
        }
        sort(vel, v);
    }

    /** Draws Maxwell-Boltzmann velocities at temperature T (K) from the seed, then removes the centre-of-mass motion. */
    public void initializeVelocities(double temperature, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int e = 0; e < n; e++) {
            int i = inv[e];
            double s = Math.sqrt(KB * temperature * invMass[i]);
            for (int d = 0; d < 3; d++) {
                v[3 * i + d] = s * r.nextGaussian();
            }
        }
        removeDrift();
    }

    /** Removes the centre-of-mass velocity; the kinetic temperature then counts 3N - 3 degrees of freedom. */
    public void removeDrift() {
        double[] p = new double[3];
        double mt = 0;
        // summed in the topology's order: the internal order depends on the list builds so far, and the sum's
        // rounding must not (a run from a given state gives the same trajectory whatever ran before it)
        for (int e = 0; e < n; e++) {
            int i = inv[e];
            for (int d = 0; d < 3; d++) {
                p[d] += mass[i] * v[3 * i + d];
            }
            mt += mass[i];
        }
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 3; d++) {
                v[3 * i + d] -= p[d] / mt;
            }
        }
        dof = 3 * n - 3;
    }

    /** Sets the degrees of freedom used for the kinetic temperature. */
    public void setDegreesOfFreedom(int d) {
        dof = d;
    }

    /** Total potential energy (kJ/mol) at the current positions. */
    public double potentialEnergy() {
        return evaluate().potential();
    }

    /** Kinetic energy (kJ/mol) of the current velocities. */
    public double kineticEnergy() {
        double k = 0;
        for (int i = 0; i < n; i++) {
            k += 0.5 * mass[i] * (v[3 * i] * v[3 * i] + v[3 * i + 1] * v[3 * i + 1] + v[3 * i + 2] * v[3 * i + 2]);
        }
        return k;
    }

    /**
     * Evaluates the current state as a sampled frame (energy, virial, pressure, features) without
     * moving the particles and without adding to the RDF or histograms.
     */
    public Sample evaluate() {
        prepare();
        boolean keepRdf = opt.rdfBins() > 0;
        double[][] saveRdf = null;
        double[][][] saveHist = null;
        if (keepRdf) {
            saveRdf = new double[nb][];
            for (int p = 0; p < nb; p++) {
                saveRdf[p] = rdfBlock[p].clone();
            }
        }
        saveHist = new double[nb][][];
        for (int p = 0; p < nb; p++) {
            saveHist[p] = new double[bonded.length][];
            for (int b = 0; b < bonded.length; b++) {
                saveHist[p][b] = histBlock[p][b].clone();
            }
        }
        sampling = true;
        team.run(phaseForce);
        sampling = false;
        reduceKick = false;
        team.run(phaseReduce);
        reduceNeeded = false;
        forcesValid = true;
        Sample s = makeSample();
        for (int p = 0; p < nb; p++) {
            if (keepRdf) {
                System.arraycopy(saveRdf[p], 0, rdfBlock[p], 0, saveRdf[p].length);
            }
            for (int b = 0; b < bonded.length; b++) {
                System.arraycopy(saveHist[p][b], 0, histBlock[p][b], 0, HIST_BINS);
            }
        }
        return s;
    }

    /**
     * Records the current state as a sampled frame at the current step (observables, features, RDF and
     * histograms), as {@link #run} does every k steps; used by samplers that move the particles themselves.
     */
    public Sample sampleNow() {
        prepare();
        sampling = true;
        team.run(phaseForce);
        sampling = false;
        reduceKick = false;
        team.run(phaseReduce);
        reduceNeeded = false;
        kickNeeded = false;
        forcesValid = true;
        if (opt.rdfBins() > 0) {
            rdfFrames++;
        }
        histFrames++;
        return makeSample();
    }

    /**
     * Sets the step counter. {@link #run} samples where the counter is a multiple of sampleEvery, so a series of
     * runs that must not depend on what ran before (each simulation of a fit) starts each at 0.
     */
    public void setStep(long s) {
        step = s;
    }

    /** Advances the step counter (for samplers that move the particles themselves). */
    public void advance(long steps) {
        step += steps;
    }

    // =====================================================================================
    // running

    /**
     * Runs {@code steps} steps; every {@code sampleEvery} steps (0: never) the observer (may be
     * null) receives a frame and the RDF and histograms accumulate. Stops with a
     * {@link BlowUpException} when the run becomes unstable.
     */
    public void run(Integrator integrator, long steps, int sampleEvery, Observer observer) {
        prepare();
        double dt = integrator.dt();
        hdt = 0.5 * dt;
        dtStep = dt;
        langevin = integrator instanceof Integrator.Langevin;
        if (integrator instanceof Integrator.Langevin l) {
            ouC = Math.exp(-l.friction() * dt);
            ouKt = KB * l.temperature();
            if (l.seed() != rngSeed) {
                SplittableRandom root = new SplittableRandom(l.seed());
                for (int p = 0; p < nb; p++) {
                    rng[p] = new NormalSource(root.nextLong());
                }
                rngSeed = l.seed();
            }
            if (dof == 3 * n - 3) {
                dof = 3 * n;
            }
        }
        for (long s = 0; s < steps; s++) {
            team.run(phaseMove);
            reduceNeeded = false;
            kickNeeded = false;
            step++;
            checkMove();
            maybeRebuild();
            sampling = sampleEvery > 0 && step % sampleEvery == 0;
            decidePruning();
            team.run(phaseForce);
            if (pruneNow) {
                innerValid = true;
                pruneNow = false;
                prunings++;
            }
            reduceNeeded = true;
            kickNeeded = true;
            if (sampling) {
                sampling = false;
                reduceKick = true;
                team.run(phaseReduce);
                reduceNeeded = false;
                kickNeeded = false;
                Sample sm = makeSample();
                if (opt.rdfBins() > 0) {
                    rdfFrames++;
                }
                histFrames++;
                if (!(sm.potential() < opt.maxEnergy() * KB * ff.temperature() * n) || !Double.isFinite(sm.kinetic())) {
                    throw new BlowUpException(String.format(java.util.Locale.ROOT,
                            "energy explosion at step %d: potential %.6g kJ/mol, kinetic %.6g kJ/mol for %d particles", step, sm.potential(),
                            sm.kinetic(), n), step, -1);
                }
                if (observer != null) {
                    observer.frame(this, sm);
                }
            }
        }
        if (reduceNeeded || kickNeeded) {
            reduceKick = kickNeeded;
            team.run(phaseReduce);
            reduceNeeded = false;
            kickNeeded = false;
        }
    }

    /** Told how many steps of a run are done; called between pieces of the run, never inside its step loop. */
    @FunctionalInterface
    public interface Progress {
        void done(long steps);
    }

    /** Pieces a run whose progress is followed is cut into (at most). */
    public static final int PROGRESS_PIECES = 200;

    /** Steps (or sweeps) per piece of a run of {@code steps} whose progress is followed. */
    public static long progressPiece(long steps) {
        return Math.max(1, (steps + PROGRESS_PIECES - 1) / PROGRESS_PIECES);
    }

    /**
     * {@link #run(Integrator, long, int, Observer)}, with {@code progress} (null: none) told the steps done after each
     * of up to {@link #PROGRESS_PIECES} pieces. The trajectory is the one of a run in one go, bit for bit: between two
     * pieces the engine gives the last step's second half kick, which the next step would otherwise give first, with the
     * same forces and in the same order of operations.
     */
    public void run(Integrator integrator, long steps, int sampleEvery, Observer observer, Progress progress) {
        if (progress == null) {
            run(integrator, steps, sampleEvery, observer);
            return;
        }
        long piece = progressPiece(steps);
        for (long done = 0; done < steps;) {
            long n = Math.min(piece, steps - done);
            run(integrator, n, sampleEvery, observer);
            done += n;
            progress.done(done);
        }
    }

    private long histFrames;

    /** Rebuilds tables when the parameters changed and computes forces when they are not known. */
    private void prepare() {
        if (tableVersion != ff.version()) {
            buildTables();
            forcesValid = false;
        }
        ensureForces();
    }

    private void ensureForces() {
        if (tableVersion != ff.version()) {
            buildTables();
            forcesValid = false;
        }
        if (forcesValid) {
            return;
        }
        rebuild();
        team.run(phaseForce);
        reduceKick = false;
        team.run(phaseReduce);
        reduceNeeded = false;
        kickNeeded = false;
        forcesValid = true;
    }

    private void checkMove() {
        double limit = opt.maxMove() * minWidth;
        for (int p = 0; p < nb; p++) {
            if (!(moveBlock[p] <= limit * limit)) {
                int i = moveIdx[p];
                throw new BlowUpException(String.format(java.util.Locale.ROOT,
                        "particle %d (%s) moved %.4g nm in step %d, more than %.3g of the box width (%.4g nm)%s", ext[i] + 1, top.name(ext[i]),
                        Math.sqrt(moveBlock[p]), step, opt.maxMove(), minWidth,
                        Double.isFinite(x[3 * i] + x[3 * i + 1] + x[3 * i + 2] + v[3 * i] + v[3 * i + 1] + v[3 * i + 2]) ? ""
                                : "; its position or velocity is not finite"), step, ext[i]);
            }
        }
    }

    /**
     * Whether this step's force pass prunes: the inner lists are stale once a particle has moved more than PRUNE / 2
     * since they were written (a pair beyond cutoff + PRUNE then may have come within the cutoff); sampled steps use
     * the full lists and leave the pruning to the next step.
     */
    private void decidePruning() {
        if (!pruning) {
            return;
        }
        double lim = 0.25 * PRUNE * PRUNE;
        boolean stale = !innerValid;
        for (int p = 0; p < nb; p++) {
            stale |= pruneDispBlock[p] > lim;
        }
        if (stale) {
            innerValid = false;
        }
        pruneNow = pruningEnabled && stale && !sampling;
    }

    private void maybeRebuild() {
        double half = 0.5 * opt.skin();
        boolean need = false;
        for (int p = 0; p < nb; p++) {
            need |= dispBlock[p] > half * half;
        }
        if (need) {
            rebuild();
        }
    }

    private Sample makeSample() {
        double e = 0;
        double w = 0;
        double lap = 0;
        double kin = 0;
        double f2 = 0;
        Arrays.fill(phi, 0);
        for (int p = 0; p < nb; p++) {
            e += eBlock[p];
            w += wBlock[p];
            lap += lapBlock[p];
            kin += kinBlock[p];
            f2 += f2Block[p];
            double[] ph = phiBlock[p];
            for (int k = 0; k < phi.length; k++) {
                phi[k] += ph[k];
            }
        }
        double vol = box.volume();
        double temp = 2 * kin / (dof * KB);
        double press = (2 * kin + w) / (3 * vol) * BAR;
        return new Sample(step, e, kin, temp, press, w, f2, hasAngles ? Double.NaN : lap, phi);
    }

    // =====================================================================================
    // tables

    private void buildTables() {
        int total = 0;
        int[] nint = new int[ntab];
        for (int t = 0; t < ntab; t++) {
            Potential pot = tabInt[t].potential();
            double rc = tabInt[t].cutoff();
            double rmin;
            if (pot.lowerBound() > 0) {
                rmin = pot.lowerBound();
                tabWall[t] = true;
            } else if (pot instanceof org.remcg.model.MiePotential mie) {
                rmin = 0.6 * mie.sigma();
                tabWall[t] = false;
            } else {
                rmin = Math.min(0.05, 0.5 * rc);
                tabWall[t] = false;
            }
            if (rmin >= rc) {
                throw new IllegalArgumentException(tabInt[t].name() + ": the potential starts at " + rmin + " nm, beyond the cutoff " + rc);
            }
            // grid uniform in q = r^2 with spacing dq = 2 r* h: r spacing h at r* = max(rmin, rc / 5), finer beyond
            double dq = 2 * Math.max(rmin, 0.2 * rc) * TABLE_SPACING;
            nint[t] = Math.max(16, (int) Math.ceil((rc * rc - rmin * rmin) / dq));
            tabRmin[t] = rmin;
            tabQmin[t] = rmin * rmin;
            tabInvH[t] = nint[t] / (rc * rc - rmin * rmin);
            tabBase[t] = total;
            // zero intervals beyond the cutoff up to cutoff + 3 PRUNE: an inner-list entry is within cutoff + 2 PRUNE
            // while the inner lists are valid, so the inner loops evaluate every entry without a cutoff test
            double far = rc + 3 * PRUNE;
            total += 4 * (nint[t] + 2 + (int) Math.ceil((far * far - rc * rc) * tabInvH[t]));
        }
        if (table.length != total) {
            table = new double[total];
            ftable = new double[total];
        } else {
            Arrays.fill(table, 0);
            Arrays.fill(ftable, 0);
        }
        for (int t = 0; t < ntab; t++) {
            Potential pot = tabInt[t].potential();
            double rc = tabInt[t].cutoff();
            double h = 1 / tabInvH[t];
            double shift = tabInt[t].shift() ? pot.energy(rc) : 0;
            tabShift[t] = shift;
            tabUa[t] = pot.energy(tabRmin[t]);
            tabDa[t] = pot.derivative(tabRmin[t]);
            double rTop = Math.max(rc, pot.upperBound());
            double u0 = pot.energy(tabRmin[t]);
            double d0 = pot.derivative(tabRmin[t]) / (2 * tabRmin[t]) * h;
            for (int k = 0; k < nint[t]; k++) {
                double r1 = Math.min(rTop, Math.sqrt(tabQmin[t] + (k + 1) * h));
                if (k + 1 == nint[t]) {
                    r1 = rc;
                }
                double u1 = pot.energy(r1);
                double d1 = pot.derivative(r1) / (2 * r1) * h;
                if (!Double.isFinite(u0 + u1 + d0 + d1)) {
                    throw new IllegalArgumentException(tabInt[t].name() + ": the potential is not finite near r = " + r1 + " nm");
                }
                int b = tabBase[t] + 4 * k;
                table[b] = u0 - shift;
                table[b + 1] = d0;
                table[b + 2] = 3 * (u1 - u0) - 2 * d0 - d1;
                table[b + 3] = 2 * (u0 - u1) + d0 + d1;
                // (1/r) dU/dr = 2 dU/dq = 2 (dU/du) / h: the derivative of the cubic above, prescaled
                double ih = tabInvH[t];
                ftable[b] = 2 * ih * table[b + 1];
                ftable[b + 1] = 4 * ih * table[b + 2];
                ftable[b + 2] = 6 * ih * table[b + 3];
                u0 = u1;
                d0 = d1;
            }
        }
        tableVersion = ff.version();
    }

    // =====================================================================================
    // neighbour list

    private void rebuild() {
        // wrap positions into the box
        double[] m = box.matrix();
        for (int i = 0; i < n; i++) {
            int o = 3 * i;
            if (ortho) {
                x[o] = wrapInto(x[o], lx);
                x[o + 1] = wrapInto(x[o + 1], ly);
                x[o + 2] = wrapInto(x[o + 2], lz);
            } else {
                double s = Math.floor(x[o + 2] / m[8]);
                x[o] -= s * m[6];
                x[o + 1] -= s * m[7];
                x[o + 2] -= s * m[8];
                s = Math.floor(x[o + 1] / m[4]);
                x[o] -= s * m[3];
                x[o + 1] -= s * m[4];
                x[o] -= m[0] * Math.floor(x[o] / m[0]);
            }
        }
        if (ntab == 0) {
            System.arraycopy(x, 0, xBuild, 0, 3 * n);
            for (int p = 0; p < nb; p++) {
                Arrays.fill(nbStart[p], 0);
            }
            listBuilds++;
            return;
        }
        allPairs = !ortho || !grid();
        if (!allPairs) {
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
            permute();
        }
        System.arraycopy(x, 0, xBuild, 0, 3 * n);
        team.run(phaseBuild);
        listBuilds++;
        innerValid = false;
    }

    /** a moved into [0, l); unchanged, without a division, when inside (most particles between two builds). */
    private static double wrapInto(double a, double l) {
        if (a >= 0 && a < l) {
            return a;
        }
        a -= l * Math.floor(a / l);
        return a >= l ? a - l : a;
    }

    /** Columns per direction reach beyond the centre one in the list-build stencil. */
    private static final int REACH = 2;

    /**
     * Chooses the column grid: columns at least listCut / REACH wide in x and y, so that a 5 x 5 stencil of
     * columns holds every neighbour; false when the box is narrower than 5 such columns (the all-pairs build is
     * used then). The forward half of the stencil (offsets lexicographically greater than (0, 0)) is kept with,
     * for each column, the largest z distance at which a particle in it can still be within listCut of one in
     * the centre column (the columns' xy gap is subtracted).
     */
    private boolean grid() {
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
        for (int p = 0; p < nb; p++) {
            winLo[p] = new int[k];
            winHi[p] = new int[k];
            pieces[p] = new int[3 * (3 * k + 2)];
        }
        return true;
    }

    /** Reorders the particles into {@link #order} (by column, then z) so that neighbours are close in memory; remaps the bonded terms. */
    private void permute() {
        for (int q = 0; q < n; q++) {
            int i = order[q];
            typeAlt[q] = type[i];
            massAlt[q] = mass[i];
            invMassAlt[q] = invMass[i];
            extAlt[q] = ext[i];
            for (int d = 0; d < 3; d++) {
                xAlt[3 * q + d] = x[3 * i + d];
                vAlt[3 * q + d] = v[3 * i + d];
                fAlt[3 * q + d] = f[3 * i + d];
            }
        }
        for (int c = 0, cols = colStart.length - 1; c < cols; c++) {
            for (int q = colStart[c]; q < colStart[c + 1]; q++) {
                colOf[q] = c;
            }
        }
        int[] ti = type; type = typeAlt; typeAlt = ti;
        double[] td = mass; mass = massAlt; massAlt = td;
        td = invMass; invMass = invMassAlt; invMassAlt = td;
        ti = ext; ext = extAlt; extAlt = ti;
        td = x; x = xAlt; xAlt = td;
        td = v; v = vAlt; vAlt = td;
        td = f; f = fAlt; fAlt = td;
        for (int i = 0; i < n; i++) {
            inv[ext[i]] = i;
        }
        for (int k = 0; k < bExt.length; k++) {
            bAtoms[k] = inv[bExt[k]];
        }
        for (int k = 0; k < aExt.length; k++) {
            aAtoms[k] = inv[aExt[k]];
        }
        for (int k = 0; k < dExt.length; k++) {
            dAtoms[k] = inv[dExt[k]];
        }
    }

    /*
     * Neighbour list layout (one list per block): the entries of particle i (local index i - lo) are
     * list[start[i - lo] .. start[i - lo + 1]), a run of segments. A segment is a header
     * (shift code << 24 | count) followed by count entries 3 j: all j of one segment are seen
     * through the same periodic image, so the pair loops add one hoisted shift per segment and
     * nothing per pair.
     */
    private static final int SEG_BITS = 24;
    private static final int SEG_MASK = (1 << SEG_BITS) - 1;

    private void buildList(int p) {
        int lo = blockStart[p];
        int hi = blockStart[p + 1];
        int[] start = nbStart[p];
        int cnt = 0;
        rowState[p][0] = -1;
        rowState[p][2] = lo;
        rowState[p][3] = hi;
        for (int i = lo; i < hi; i++) {
            start[i - lo] = cnt;
            cnt = allPairs ? allPairsRow(p, i, cnt) : columnRow(p, i, cnt);
        }
        start[hi - lo] = cnt;
        boolean bonded = bInt.length + aInt.length + dInt.length > 0;
        touchLo[p] = allPairs || bonded ? 0 : rowState[p][2];
        touchHi[p] = allPairs || bonded ? n : rowState[p][3];
        // the new range may be narrower than the last: start from a clear buffer
        Arrays.fill(fbuf[p], 0);
        int longest = 0;
        for (int i = lo; i < hi; i++) {
            longest = Math.max(longest, start[i - lo + 1] - start[i - lo]);
        }
        if (rowJ[p].length < longest) {
            rowJ[p] = new int[longest + longest / 4];
            rowTab[p] = new int[rowJ[p].length];
            rowD[p] = new double[4 * rowJ[p].length];
        }
    }

    /** The list entries of particle i from all other particles (small or triclinic boxes), appended at cnt; returns the new count. */
    private int allPairsRow(int p, int i, int cnt) {
        int[] list = nbList[p];
        boolean anyExcl = excl.count() > 0;
        double xi = x[3 * i];
        double yi = x[3 * i + 1];
        double zi = x[3 * i + 2];
        int rowT = type[i] * nt;
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
            if (cnt + 2 > list.length) {
                list = nbList[p] = Arrays.copyOf(list, 2 * list.length);
            }
            if (code != segCode) {
                if (head >= 0) {
                    list[head] = (segCode << SEG_BITS) | (cnt - head - 1);
                }
                head = cnt++;
                segCode = code;
            }
            list[cnt++] = 3 * j;
        }
        if (head >= 0) {
            list[head] = (segCode << SEG_BITS) | (cnt - head - 1);
        }
        return cnt;
    }

    /**
     * The list entries of particle i from the column grid, appended at cnt; returns the new count. A method of its
     * own so that the JIT allocates registers for this loop nest alone (inlined into buildList, the candidate loop
     * kept its counters in memory).
     */
    private int columnRow(int p, int i, int cnt) {
        int[] list = nbList[p];
        boolean anyExcl = excl.count() > 0;
        int[] wLo = winLo[p];
        int[] wHi = winHi[p];
        int[] pc = pieces[p];
        int[] state = rowState[p];
        int curCol = state[0];
        int ownHi = state[1];
        double xi = x[3 * i];
        double yi = x[3 * i + 1];
        double zi = x[3 * i + 2];
        int rowT = type[i] * nt;
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
        while (ownHi < e0 + m0 && zExt(s0, m0, ownHi) < zi + listCut) {
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
            while (wl < 2 * m1 && zExt(s1, m1, wl) < zi - h) {
                wl++;
            }
            wh = Math.max(wh, wl);
            while (wh < 2 * m1 && zExt(s1, m1, wh) < zi + h) {
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
                list = nbList[p] = Arrays.copyOf(list, Math.max(2 * list.length, cnt + 1 + (qe - q)));
            }
            if (code != segCode) {
                if (head >= 0 && cnt == head + 1) {
                    segCode = code; // the open segment is still empty: reuse its header
                } else {
                    if (head >= 0) {
                        list[head] = (segCode << SEG_BITS) | (cnt - head - 1);
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
                list[head] = (segCode << SEG_BITS) | (cnt - head - 1);
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
        final double[] xs = x;
        final int[] ty = type;
        final double[] l2 = list2Of;
        // one bead type: one list radius, no type lookup per candidate (the JIT compiles the loop twice, one copy per
        // value of the test; a build of the benchmark fluid 3.8 -> 3.1 ms)
        final boolean one = nt == 1;
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
    private double zExt(int s, int m, int e) {
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

    // =====================================================================================
    // phases

    private void move(int p) {
        int lo = blockStart[p];
        int hi = blockStart[p + 1];
        if (reduceNeeded) {
            sumForces(lo, hi);
        }
        double maxD = 0;
        double maxP = 0;
        final double[] xp = pruning ? xPrune : null;
        double maxMove = 0;
        int maxI = lo;
        double h = hdt;
        boolean kick = kickNeeded;
        boolean lv = langevin;
        double c = ouC;
        double sq = Math.sqrt(Math.max(0, 1 - c * c) * ouKt);
        // the block's Langevin noise for this step, drawn in one go (i-major, then x, y, z, as the loop uses it)
        double[] nz = noise[p];
        if (lv) {
            rng[p].fill(nz, PAD, 3 * (hi - lo));
        }
        final double[] xs = x;
        final double[] vs = v;
        final double[] fs = f;
        for (int i = lo; i < hi; i++) {
            double im = invMass[i];
            double sd = sq * Math.sqrt(im);
            double mv = 0;
            for (int d = 0; d < 3; d++) {
                int o = 3 * i + d;
                double fo = fs[o];
                double vv = vs[o];
                if (kick) {
                    vv += h * fo * im;
                }
                vv += h * fo * im;
                double xo = xs[o];
                double xn;
                if (lv) {
                    xn = xo + h * vv;
                    vv = c * vv + sd * nz[PAD + 3 * (i - lo) + d];
                    xn += h * vv;
                } else {
                    xn = xo + dtStep * vv;
                }
                vs[o] = vv;
                xs[o] = xn;
                mv += (xn - xo) * (xn - xo);
            }
            int o = 3 * i;
            double ddx = xs[o] - xBuild[o];
            double ddy = xs[o + 1] - xBuild[o + 1];
            double ddz = xs[o + 2] - xBuild[o + 2];
            double d2 = ddx * ddx + ddy * ddy + ddz * ddz;
            if (d2 > maxD) {
                maxD = d2;
            }
            if (xp != null) {
                double px = xs[o] - xp[o];
                double py = xs[o + 1] - xp[o + 1];
                double pz = xs[o + 2] - xp[o + 2];
                maxP = Math.max(maxP, px * px + py * py + pz * pz);
            }
            if (!(mv <= maxMove)) {
                // the first non-finite move wins; otherwise the largest
                if (maxMove == maxMove && (mv != mv || mv > maxMove)) {
                    maxMove = mv;
                    maxI = i;
                }
            }
        }
        dispBlock[p] = maxD;
        pruneDispBlock[p] = maxP;
        moveBlock[p] = maxMove;
        moveIdx[p] = maxI;
    }

    /**
     * f = the sum of the blocks' force buffers for the particles [lo, hi), buffers in block order. The range is cut
     * where a buffer's touched range begins or ends, so that each piece adds a fixed set of buffers without a test
     * per particle (the sums are those of a test per particle, to the bit: 0 + a + b + ...).
     */
    private void sumForces(int lo, int hi) {
        final double[] fs = f;
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
                        a0 = fbuf[b];
                    } else if (k == 1) {
                        a1 = fbuf[b];
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
                        double[] ab = fbuf[b];
                        for (int o = o0; o < o1; o++) {
                            fs[o] += ab[o];
                        }
                    }
                }
            }
            s = e;
        }
    }

    /** Whether block b's force buffer may be nonzero for the particles [s, e) (a piece of {@link #sumForces}). */
    private boolean touches(int b, int s, int e) {
        return touchLo[b] <= s && e <= touchHi[b];
    }

    private void reduce(int p) {
        int lo = blockStart[p];
        int hi = blockStart[p + 1];
        sumForces(lo, hi);
        double kin = 0;
        double f2 = 0;
        boolean kick = reduceKick;
        double h = hdt;
        for (int i = lo; i < hi; i++) {
            double im = invMass[i];
            double vi2 = 0;
            for (int d = 0; d < 3; d++) {
                int o = 3 * i + d;
                double fo = f[o];
                f2 += fo * fo;
                if (kick) {
                    v[o] += h * fo * im;
                }
                vi2 += v[o] * v[o];
            }
            kin += 0.5 * mass[i] * vi2;
        }
        kinBlock[p] = kin;
        f2Block[p] = f2;
    }

    private void force(int p) {
        double[] fb = fbuf[p];
        Arrays.fill(fb, 3 * touchLo[p], 3 * touchHi[p], 0);
        if (sampling) {
            pairSampled(p, fb);
            bondedTerms(p, fb, true);
        } else {
            // with pruning the force loop runs over the inner lists, rewritten first when they are stale
            if (pruneNow) {
                prune(p);
            }
            boolean inner = pruneNow || (innerValid && pruningEnabled);
            boolean single = nt == 1 && ntab == 1;
            if (inner) {
                if (single) {
                    pairInnerSingle(p, fb);
                } else {
                    pairInner(p, fb);
                }
            } else if (single) {
                pairFastSingle(p, fb);
            } else {
                pairFast(p, fb);
            }
            bondedTerms(p, fb, false);
        }
    }

    /*
     * The hot loops, pair forces only. With pruning (skin >= 2 PRUNE, the default) every step runs one pass over the
     * inner lists (pairInner, pairInnerSingle), which prune() rewrites every few steps. Without pruning, pairFast and
     * pairFastSingle work in two passes per particle i: the first computes the distance to every Verlet-list entry
     * and keeps those within the cutoff (a branch-free compaction: about a quarter of the Verlet list lies beyond the
     * cutoff at any step, and an unpredictable branch per pair costs more than the copy); the second evaluates the
     * table for the kept pairs only.
     */

    /**
     * Writes block p's inner lists (dynamic pruning): the Verlet-list entries closer than cutoff + PRUNE, segment by
     * segment in list order (empty segments dropped), and records the block's positions. A branch-free pass over the
     * Verlet list; the force loop then runs over the fresh inner lists (before, the two-pass force loop wrote them on
     * the side, and a pruning step cost ~1.8 inner passes).
     */
    private void prune(int p) {
        int lo = blockStart[p];
        int hi = blockStart[p + 1];
        int[] start = nbStart[p];
        int[] list = nbList[p];
        int[] il = innerList[p];
        if (il.length < list.length) {
            il = innerList[p] = new int[list.length];
        }
        int[] is = innerStart[p];
        final double[] xs = x;
        System.arraycopy(xs, 3 * lo, xPrune, 3 * lo, 3 * (hi - lo));
        final int[] ty = type;
        final int[] tOf = tabOf;
        final double[] in2 = tabInner2;
        // one table: one radius, no type lookup per entry (the JIT compiles the loop once per value of the test)
        final boolean one = ntab == 1;
        final double in2One = in2[0];
        int ic = 0;
        for (int i = lo; i < hi; i++) {
            double xi = xs[3 * i];
            double yi = xs[3 * i + 1];
            double zi = xs[3 * i + 2];
            int row = ty[i] * nt;
            is[i - lo] = ic;
            for (int k = start[i - lo], ke = start[i - lo + 1]; k < ke;) {
                int h = list[k];
                int c = h >>> SEG_BITS;
                double ox = sx[c] - xi;
                double oy = sy[c] - yi;
                double oz = sz[c] - zi;
                int head = ic++;
                for (int end = ++k + (h & SEG_MASK); k < end; k++) {
                    int j3 = list[k];
                    double dx = xs[j3] + ox;
                    double dy = xs[j3 + 1] + oy;
                    double dz = xs[j3 + 2] + oz;
                    double r2 = dx * dx + dy * dy + dz * dz;
                    il[ic] = j3;
                    ic += r2 < (one ? in2One : in2[tOf[row + ty[j3 / 3]]]) ? 1 : 0;
                }
                if (ic == head + 1) {
                    ic = head;
                } else {
                    il[head] = (c << SEG_BITS) | (ic - head - 1);
                }
            }
        }
        is[hi - lo] = ic;
    }

    /** Pair forces over the Verlet lists in two passes (used without pruning), any number of bead types and tables. */
    private void pairFast(int p, double[] fb) {
        int lo = blockStart[p];
        int hi = blockStart[p + 1];
        int[] start = nbStart[p];
        int[] list = nbList[p];
        final double[] xs = x;
        final double[] tab = ftable;
        final int[] ty = type;
        final int[] tOf = tabOf;
        final int ntypes = nt;
        final int[] kj = rowJ[p];
        final int[] kt = rowTab[p];
        final double[] kd = rowD[p];
        for (int i = lo; i < hi; i++) {
            double xi = xs[3 * i];
            double yi = xs[3 * i + 1];
            double zi = xs[3 * i + 2];
            int row = ty[i] * ntypes;
            int m = 0;
            for (int k = start[i - lo], ke = start[i - lo + 1]; k < ke;) {
                int h = list[k];
                int c = h >>> SEG_BITS;
                double ox = sx[c] - xi;
                double oy = sy[c] - yi;
                double oz = sz[c] - zi;
                for (int end = ++k + (h & SEG_MASK); k < end; k++) {
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
                    m += r2 < tabCut2[t] ? 1 : 0;
                }
            }
            double fxi = 0;
            double fyi = 0;
            double fzi = 0;
            for (int q = 0; q < m; q++) {
                int j3 = kj[q];
                int t = kt[q];
                double g = pairForce(t, kd[4 * q + 3], tab);
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

    /** {@link #pairForce} of the only table, its constants passed in (they stay in registers in the loops). */
    private double singleForce(double r2, double[] tab, double qmin, double ih, int base) {
        double s = (r2 - qmin) * ih;
        if (s >= 0) {
            int idx = (int) s;
            double u = s - idx;
            int b = base + 4 * idx;
            return tab[b] + u * (tab[b + 1] + u * tab[b + 2]);
        }
        double r = Math.sqrt(r2);
        return coreDerivative(0, r) / r;
    }

    /** (1/r) dU/dr of table t at r^2 = r2 (within the cutoff). */
    private double pairForce(int t, double r2, double[] tab) {
        double s = (r2 - tabQmin[t]) * tabInvH[t];
        if (s >= 0) {
            int idx = (int) s;
            double u = s - idx;
            int b = tabBase[t] + 4 * idx;
            return tab[b] + u * (tab[b + 1] + u * tab[b + 2]);
        }
        double r = Math.sqrt(r2);
        return coreDerivative(t, r) / r;
    }

    /** {@link #pairFast} between prunings: one pass over the inner lists (see {@link #pairInnerSingle}). */
    private void pairInner(int p, double[] fb) {
        int lo = blockStart[p];
        int[] start = innerStart[p];
        int[] list = innerList[p];
        final double[] xs = x;
        final double[] tab = ftable;
        final int[] ty = type;
        final int[] tOf = tabOf;
        final int ntypes = nt;
        for (int i = lo, hi = blockStart[p + 1]; i < hi; i++) {
            double xi = xs[3 * i];
            double yi = xs[3 * i + 1];
            double zi = xs[3 * i + 2];
            int row = ty[i] * ntypes;
            double fxi = 0;
            double fyi = 0;
            double fzi = 0;
            for (int k = start[i - lo], ke = start[i - lo + 1]; k < ke;) {
                int h = list[k];
                int c = h >>> SEG_BITS;
                double ox = sx[c] - xi;
                double oy = sy[c] - yi;
                double oz = sz[c] - zi;
                for (int end = ++k + (h & SEG_MASK); k < end; k++) {
                    int j3 = list[k];
                    double dx = xs[j3] + ox;
                    double dy = xs[j3 + 1] + oy;
                    double dz = xs[j3 + 2] + oz;
                    double r2 = dx * dx + dy * dy + dz * dz;
                    int t = tOf[row + ty[j3 / 3]];
                    // no cutoff test, as in pairInnerSingle
                    double g = pairForce(t, r2, tab);
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

    /**
     * {@link #pairFast} for one bead type with one pair table: the table constants live in registers
     * (measured on the benchmark fluid: 411 against 319 steps/s for the general loop).
     */
    private void pairFastSingle(int p, double[] fb) {
        int lo = blockStart[p];
        int hi = blockStart[p + 1];
        int[] start = nbStart[p];
        int[] list = nbList[p];
        final double[] xs = x;
        final double[] tab = ftable;
        final double cut2 = tabCut2[0];
        final double qmin = tabQmin[0];
        final double ih = tabInvH[0];
        final int base = tabBase[0];
        final int[] kj = rowJ[p];
        final double[] kd = rowD[p];
        for (int i = lo; i < hi; i++) {
            double xi = xs[3 * i];
            double yi = xs[3 * i + 1];
            double zi = xs[3 * i + 2];
            int m = 0;
            for (int k = start[i - lo], ke = start[i - lo + 1]; k < ke;) {
                int h = list[k];
                int c = h >>> SEG_BITS;
                double ox = sx[c] - xi;
                double oy = sy[c] - yi;
                double oz = sz[c] - zi;
                for (int end = ++k + (h & SEG_MASK); k < end; k++) {
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
                double g = singleForce(kd[4 * q + 3], tab, qmin, ih, base);
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

    /**
     * {@link #pairFastSingle} between prunings: one pass over the inner lists, whose entries lie within the cutoff
     * but for about a tenth. Every entry is evaluated: beyond the cutoff the table holds zeros up to cutoff + 3 PRUNE,
     * and an entry stays within cutoff + 2 PRUNE while the inner lists are valid (each particle moves at most PRUNE / 2
     * between prunings). The pairs within the cutoff and their order are those of the two-pass loop and the others add
     * zero, so the forces are the same to the last bit (in-process A/B against the loop with a cutoff test: 0.925 with
     * one thread, 0.935-0.962 with two).
     */
    private void pairInnerSingle(int p, double[] fb) {
        int lo = blockStart[p];
        int[] start = innerStart[p];
        int[] list = innerList[p];
        final double[] xs = x;
        final double[] tab = ftable;
        final double qmin = tabQmin[0];
        final double ih = tabInvH[0];
        final int base = tabBase[0];
        for (int i = lo, hi = blockStart[p + 1]; i < hi; i++) {
            double xi = xs[3 * i];
            double yi = xs[3 * i + 1];
            double zi = xs[3 * i + 2];
            double fxi = 0;
            double fyi = 0;
            double fzi = 0;
            for (int k = start[i - lo], ke = start[i - lo + 1]; k < ke;) {
                int h = list[k];
                int c = h >>> SEG_BITS;
                double ox = sx[c] - xi;
                double oy = sy[c] - yi;
                double oz = sz[c] - zi;
                for (int end = ++k + (h & SEG_MASK); k < end; k++) {
                    int j3 = list[k];
                    double dx = xs[j3] + ox;
                    double dy = xs[j3 + 1] + oy;
                    double dz = xs[j3 + 2] + oz;
                    double r2 = dx * dx + dy * dy + dz * dz;
                    // no cutoff test: beyond the cutoff the table is zero (an unpredictable branch per pair cost more)
                    double g = singleForce(r2, tab, qmin, ih, base);
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

    private double coreDerivative(int t, double r) {
        if (tabWall[t]) {
            return Wall.belowDerivative(tabDa[t], tabRmin[t], r);
        }
        return tabInt[t].potential().derivative(r);
    }

    private double coreEnergy(int t, double r) {
        if (tabWall[t]) {
            return Wall.belowEnergy(tabUa[t], tabDa[t], tabRmin[t], r) - tabShift[t];
        }
        return tabInt[t].potential().energy(r) - tabShift[t];
    }

    private double coreSecond(int t, double r) {
        if (tabWall[t]) {
            return 2 * Wall.STIFFNESS;
        }
        return tabInt[t].potential().secondDerivative(r);
    }

    /** Pair forces plus energy, virial, Laplacian, features and RDF. */
    private void pairSampled(int p, double[] fb) {
        int lo = blockStart[p];
        // the inner lists, while valid, hold every pair within the cutoff in the order of the full lists (fewer entries
        // beyond the cutoff to skip; the same sums to the bit)
        boolean inner = innerValid && pruningEnabled;
        int[] start = inner ? innerStart[p] : nbStart[p];
        int[] list = inner ? innerList[p] : nbList[p];
        double[] tab = table;
        double[] ph = phiBlock[p];
        Arrays.fill(ph, 0);
        double[] rdf = rdfBlock[p];
        int bins = opt.rdfBins();
        double[] val = scratch[p];
        double en = 0;
        double vir = 0;
        double lap = 0;
        for (int i = lo, hi = blockStart[p + 1]; i < hi; i++) {
            double xi = x[3 * i];
            double yi = x[3 * i + 1];
            double zi = x[3 * i + 2];
            int rowT = type[i] * nt;
            for (int k = start[i - lo], ke = start[i - lo + 1]; k < ke;) {
                int h = list[k];
                int c = h >>> SEG_BITS;
                for (int end = ++k + (h & SEG_MASK); k < end; k++) {
                    int j = list[k] / 3;
                    double dx = x[3 * j] + sx[c] - xi;
                    double dy = x[3 * j + 1] + sy[c] - yi;
                    double dz = x[3 * j + 2] + sz[c] - zi;
                    double r2 = dx * dx + dy * dy + dz * dz;
                    int t = tabOf[rowT + type[j]];
                    if (r2 >= tabCut2[t]) {
                        continue;
                    }
                    double r = Math.sqrt(r2);
                    double s = (r2 - tabQmin[t]) * tabInvH[t];
                    double uu;
                    double dudr;
                    double d2u;
                    double g;
                    if (s >= 0) {
                        int idx = (int) s;
                        double u = s - idx;
                        int b = tabBase[t] + 4 * idx;
                        double ih = tabInvH[t];
                        uu = tab[b] + u * (tab[b + 1] + u * (tab[b + 2] + u * tab[b + 3]));
                        // the same (1/r) dU/dr as the fast loops, so sampling does not change the trajectory
                        g = ftable[b] + u * (ftable[b + 1] + u * ftable[b + 2]);
                        double uqq = (2 * tab[b + 2] + 6 * u * tab[b + 3]) * ih * ih;
                        dudr = r * g;
                        d2u = 4 * r2 * uqq + g;
                    } else {
                        uu = coreEnergy(t, r);
                        dudr = coreDerivative(t, r);
                        d2u = coreSecond(t, r);
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
                    int fo = tabFeat[t];
                    if (fo >= 0) {
                        CubicBSpline bs = tabBasis[t];
                        if (r >= bs.lower() && r <= bs.upper()) {
                            int off = bs.evaluate(r, val, null, null);
                            for (int q = 0; q < 4; q++) {
                                ph[fo + off + q] += val[q];
                            }
                        }
                    }
                    if (bins > 0) {
                        int bin = (int) (r * rdfInvWidth);
                        if (bin < bins) {
                            rdf[t * bins + bin] += 1;
                        }
                    }
                }
            }
        }
        eBlock[p] = en;
        wBlock[p] = vir;
        lapBlock[p] = lap;
    }

    // =====================================================================================
    // bonded terms

    private void image(double[] d, int o) {
        if (ortho) {
            d[o] -= lx * Math.rint(d[o] / lx);
            d[o + 1] -= ly * Math.rint(d[o + 1] / ly);
            d[o + 2] -= lz * Math.rint(d[o + 2] / lz);
        } else {
            box.minimumImage(d, o);
        }
    }

    private void bondedTerms(int p, double[] fb, boolean sample) {
        int nbnd = bInt.length;
        int nang = aInt.length;
        int ndih = dInt.length;
        if (nbnd + nang + ndih == 0) {
            if (sample && ntab == 0) {
                eBlock[p] = 0;
                wBlock[p] = 0;
                lapBlock[p] = 0;
            }
            return;
        }
        double en = 0;
        double vir = 0;
        double lap = 0;
        double[] sc = scratch12[p];
        double[] val = scratch[p];
        double[][] hist = histBlock[p];
        double[] ph = phiBlock[p];
        // bonds
        for (int q = (int) ((long) nbnd * p / nb), qe = (int) ((long) nbnd * (p + 1) / nb); q < qe; q++) {
            int i = bAtoms[2 * q];
            int j = bAtoms[2 * q + 1];
            sc[0] = x[3 * j] - x[3 * i];
            sc[1] = x[3 * j + 1] - x[3 * i + 1];
            sc[2] = x[3 * j + 2] - x[3 * i + 2];
            image(sc, 0);
            double r = Math.sqrt(sc[0] * sc[0] + sc[1] * sc[1] + sc[2] * sc[2]);
            Potential pot = bonded[bInt[q]].potential();
            double dudr = pot.derivative(r);
            double g = dudr / r;
            for (int d = 0; d < 3; d++) {
                fb[3 * i + d] += g * sc[d];
                fb[3 * j + d] -= g * sc[d];
            }
            if (sample) {
                en += pot.energy(r);
                vir -= dudr * r;
                lap += 2 * (pot.secondDerivative(r) + 2 * dudr / r);
                sampleBonded(bInt[q], r, val, ph, hist, 0, Math.min(2.0, 0.5 * minWidth));
            }
        }
        // angles: theta at the middle particle j
        for (int q = (int) ((long) nang * p / nb), qe = (int) ((long) nang * (p + 1) / nb); q < qe; q++) {
            int i = aAtoms[3 * q];
            int j = aAtoms[3 * q + 1];
            int k = aAtoms[3 * q + 2];
            for (int d = 0; d < 3; d++) {
                sc[d] = x[3 * i + d] - x[3 * j + d];
                sc[3 + d] = x[3 * k + d] - x[3 * j + d];
            }
            image(sc, 0);
            image(sc, 3);
            double a2 = sc[0] * sc[0] + sc[1] * sc[1] + sc[2] * sc[2];
            double b2 = sc[3] * sc[3] + sc[4] * sc[4] + sc[5] * sc[5];
            double ab = sc[0] * sc[3] + sc[1] * sc[4] + sc[2] * sc[5];
            double ra = Math.sqrt(a2);
            double rb = Math.sqrt(b2);
            double cos = Math.max(-1, Math.min(1, ab / (ra * rb)));
            double theta = Math.acos(cos);
            Potential pot = bonded[aInt[q]].potential();
            double dudt = pot.derivative(theta);
            double sin = Math.max(1e-8, Math.sqrt(Math.max(0, 1 - cos * cos)));
            // dtheta/dxi = -(1/sin) (b/(|a||b|) - cos a/|a|^2)
            double pre = dudt / sin;
            double wv = 0;
            for (int d = 0; d < 3; d++) {
                double dci = sc[3 + d] / (ra * rb) - cos * sc[d] / a2;
                double dck = sc[d] / (ra * rb) - cos * sc[3 + d] / b2;
                // F = -dU/dtheta * dtheta/dx = dU/dtheta / sin * dcos/dx
                double fi = pre * dci;
                double fk = pre * dck;
                fb[3 * i + d] += fi;
                fb[3 * k + d] += fk;
                fb[3 * j + d] -= fi + fk;
                wv += sc[d] * fi + sc[3 + d] * fk;
            }
            if (sample) {
                en += pot.energy(theta);
                vir += wv;
                sampleBonded(aInt[q], theta, val, ph, hist, 0, Math.PI);
            }
        }
        // dihedrals
        for (int q = (int) ((long) ndih * p / nb), qe = (int) ((long) ndih * (p + 1) / nb); q < qe; q++) {
            int i = dAtoms[4 * q];
            int j = dAtoms[4 * q + 1];
            int k = dAtoms[4 * q + 2];
            int l = dAtoms[4 * q + 3];
            for (int d = 0; d < 3; d++) {
                sc[d] = x[3 * j + d] - x[3 * i + d];
                sc[3 + d] = x[3 * k + d] - x[3 * j + d];
                sc[6 + d] = x[3 * l + d] - x[3 * k + d];
            }
            image(sc, 0);
            image(sc, 3);
            image(sc, 6);
            double b1x = sc[0], b1y = sc[1], b1z = sc[2];
            double b2x = sc[3], b2y = sc[4], b2z = sc[5];
            double b3x = sc[6], b3y = sc[7], b3z = sc[8];
            double mx = b1y * b2z - b1z * b2y;
            double my = b1z * b2x - b1x * b2z;
            double mz = b1x * b2y - b1y * b2x;
            double nx = b2y * b3z - b2z * b3y;
            double ny = b2z * b3x - b2x * b3z;
            double nz = b2x * b3y - b2y * b3x;
            double m2 = mx * mx + my * my + mz * mz;
            double n2 = nx * nx + ny * ny + nz * nz;
            double b2sq = b2x * b2x + b2y * b2y + b2z * b2z;
            double b2n = Math.sqrt(b2sq);
            double phiAng = Math.atan2(b2n * (b1x * nx + b1y * ny + b1z * nz), mx * nx + my * ny + mz * nz);
            Potential pot = bonded[dInt[q]].potential();
            double dudp = pot.derivative(phiAng);
            m2 = Math.max(m2, 1e-300);
            n2 = Math.max(n2, 1e-300);
            // gradients of phi
            double g1 = -b2n / m2;
            double g4 = b2n / n2;
            double p12 = (b1x * b2x + b1y * b2y + b1z * b2z) / b2sq;
            double p32 = (b3x * b2x + b3y * b2y + b3z * b2z) / b2sq;
            sc[9] = mx;
            sc[10] = my;
            sc[11] = mz;
            double wv = 0;
            for (int d = 0; d < 3; d++) {
                double gi = g1 * sc[9 + d];
                double gl = g4 * (d == 0 ? nx : d == 1 ? ny : nz);
                double gj = -(p12 + 1) * gi + p32 * gl;
                double gk = -(p32 + 1) * gl + p12 * gi;
                double fi = -dudp * gi;
                double fj = -dudp * gj;
                double fk = -dudp * gk;
                double fl = -dudp * gl;
                fb[3 * i + d] += fi;
                fb[3 * j + d] += fj;
                fb[3 * k + d] += fk;
                fb[3 * l + d] += fl;
                // positions relative to particle i: j = b1, k = b1 + b2, l = b1 + b2 + b3
                wv += sc[d] * fj + (sc[d] + sc[3 + d]) * fk + (sc[d] + sc[3 + d] + sc[6 + d]) * fl;
            }
            if (sample) {
                en += pot.energy(phiAng);
                vir += wv;
                sampleBonded(dInt[q], phiAng, val, ph, hist, -Math.PI, Math.PI);
            }
        }
        if (sample) {
            if (ntab == 0) {
                eBlock[p] = 0;
                wBlock[p] = 0;
                lapBlock[p] = 0;
            }
            eBlock[p] += en;
            wBlock[p] += vir;
            lapBlock[p] += lap;
        }
    }

    private void sampleBonded(int b, double q, double[] val, double[] ph, double[][] hist, double lo, double hi) {
        int fo = bondedFeat[b];
        if (fo >= 0) {
            CubicBSpline bs = ((SplinePotential) bonded[b].potential()).basis();
            if (q >= bs.lower() && q <= bs.upper()) {
                int off = bs.evaluate(q, val, null, null);
                for (int k = 0; k < 4; k++) {
                    ph[fo + off + k] += val[k];
                }
            }
        }
        int bin = (int) ((q - lo) / (hi - lo) * HIST_BINS);
        if (bin >= 0 && bin < HIST_BINS) {
            hist[b][bin] += 1;
        }
    }

    // =====================================================================================
    // distributions

    /** One RDF or bonded distribution: bin centres and values. */
    public record Distribution(String name, double[] x, double[] y) {
    }

    /**
     * RDFs g(r) of every interacting type pair on one grid over [0, largest cutoff] (NaN in bins beyond a pair's own cutoff),
     * from the frames sampled so far (empty when none). Pairs excluded by the bonded topology are not counted and not in
     * the normalization.
     */
    public List<Distribution> rdfs() {
        int bins = opt.rdfBins();
        java.util.ArrayList<Distribution> out = new java.util.ArrayList<>();
        if (bins == 0 || rdfFrames == 0) {
            return out;
        }
        double vol = box.volume();
        for (int t = 0; t < ntab; t++) {
            double rc = tabInt[t].cutoff();
            double dr = 1 / rdfInvWidth;
            double[] r = new double[bins];
            double[] g = new double[bins];
            for (int b = 0; b < bins; b++) {
                double c = 0;
                for (int p = 0; p < nb; p++) {
                    c += rdfBlock[p][t * bins + b];
                }
                double r0 = b * dr;
                double r1 = r0 + dr;
                double shell = 4.0 / 3.0 * Math.PI * (r1 * r1 * r1 - r0 * r0 * r0);
                r[b] = r0 + 0.5 * dr;
                g[b] = r1 > rc * (1 + 1e-12) ? Double.NaN : rdfPairs[t] == 0 ? 0 : c / (rdfFrames * rdfPairs[t] * shell / vol);
            }
            out.add(new Distribution(String.join("-", tabInt[t].beads()), r, g));
        }
        return out;
    }

    /**
     * Normalized probability densities of the bonded variables (per nm for bonds, per radian for
     * angles and dihedrals) of every bonded interaction, from the frames sampled so far.
     */
    public List<Distribution> bondedDistributions() {
        java.util.ArrayList<Distribution> out = new java.util.ArrayList<>();
        if (histFrames == 0) {
            return out;
        }
        for (int b = 0; b < bonded.length; b++) {
            double lo = bonded[b].kind() == InteractionKind.DIHEDRAL ? -Math.PI : 0;
            double hi = bonded[b].kind() == InteractionKind.BOND ? Math.min(2.0, 0.5 * minWidth) : Math.PI;
            double w = (hi - lo) / HIST_BINS;
            double[] xs = new double[HIST_BINS];
            double[] ys = new double[HIST_BINS];
            double total = 0;
            for (int k = 0; k < HIST_BINS; k++) {
                for (int p = 0; p < nb; p++) {
                    ys[k] += histBlock[p][b][k];
                }
                total += ys[k];
                xs[k] = lo + (k + 0.5) * w;
            }
            if (total > 0) {
                for (int k = 0; k < HIST_BINS; k++) {
                    ys[k] /= total * w;
                }
            }
            out.add(new Distribution(bonded[b].name(), xs, ys));
        }
        return out;
    }

    /** Forgets the RDF and bonded histograms accumulated so far (e.g. after equilibration). */
    public void resetDistributions() {
        for (int p = 0; p < nb; p++) {
            Arrays.fill(rdfBlock[p], 0);
            for (double[] h : histBlock[p]) {
                Arrays.fill(h, 0);
            }
        }
        rdfFrames = 0;
        histFrames = 0;
    }

    @Override
    public void close() {
        team.close();
    }
}
