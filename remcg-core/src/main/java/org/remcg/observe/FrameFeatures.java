package org.remcg.observe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.remcg.io.Frame;
import org.remcg.model.Basis1D;
import org.remcg.system.CgTopology;

/**
 * The sufficient statistics of a linear CG force field, frame by frame: for interactions
 * (pair types with a cutoff, bond, angle and dihedral labels), each with a {@link Basis1D}, the
 * per-frame feature vector phi(frame) is the concatenation over interactions (in the order
 * given) of phi_k = sum over the interaction's pairs or terms of basis_k(q). Pairs are found by
 * {@link PairSearch} with the same exclusions as the RDF (bond hops); bonded coordinates by
 * {@link BondedGeometry}.
 *
 * <p>Each frame's vector goes into {@link FeatureBlocks} (mean and block standard errors in
 * constant memory) and, when asked for, into a {@link FrameStore} (every frame's vector, for
 * reweighting). Copies made by {@link #emptyCopy()} are meant for merging: they keep their rows
 * and no blocks, and {@link #merge} replays those rows in order, so a target fed through
 * {@link FrameDriver} holds exactly what feeding it every frame in sequence would give.
 * Not thread-safe.
 */
public final class FrameFeatures implements FrameAccumulator<FrameFeatures> {
    private final CgTopology top;
    private final int hops;
    private final List<FeatureTerm> terms;
    private final int[] offset;
    private final int m;
    private final Basis1D[] basis;
    private final double[][] window;
    private final int[] pairTermOf;
    private final double[] cut2;
    private final double maxCut;
    private final PairSearch search;
    private final int[] bondTermOf;
    private final int[] angleTermOf;
    private final int[] dihedralTermOf;
    private final int minBlocks;
    private final boolean keepFrames;
    private final double[] phi;
    private final double[] row;
    private final int[] allIdx;
    private final double[] scratch = new double[9];

    private FeatureBlocks blocks;
    private final FrameStore rows;
    private long frames;

    /** With {@link FeatureBlocks#DEFAULT_MIN_BLOCKS} blocks. */
    public FrameFeatures(CgTopology top, int hops, List<FeatureTerm> terms, boolean keepFrames) {
        this(top, hops, terms, keepFrames, FeatureBlocks.DEFAULT_MIN_BLOCKS);
    }

    /**
     * @param hops       exclusions: pairs within this many bonds are not pair terms
     * @param terms      the interactions, in parameter order; a type pair or label may appear once
     * @param keepFrames keep every frame's vector ({@link #frameStore()})
     * @param minBlocks  lower bound on blocks kept ({@link FeatureBlocks}); 0 keeps no blocks
     */
    public FrameFeatures(CgTopology top, int hops, List<FeatureTerm> terms, boolean keepFrames, int minBlocks) {
        this(top, hops, terms, keepFrames, minBlocks, null);
    }

    private FrameFeatures(CgTopology top, int hops, List<FeatureTerm> terms, boolean keepFrames, int minBlocks, FrameFeatures template) {
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("no interactions to accumulate features for");
        }
        if (minBlocks < 0) {
            throw new IllegalArgumentException("minBlocks must be >= 0, got " + minBlocks);
        }
        this.top = top;
        this.hops = hops;
        this.terms = List.copyOf(terms);
        int n = this.terms.size();
        this.offset = new int[n + 1];
        this.basis = new Basis1D[n];
        this.window = new double[n][];
        this.cut2 = new double[n];
        int t = top.types();
        this.pairTermOf = filled(t * t);
        this.bondTermOf = filled(top.bondLabels().length);
        this.angleTermOf = filled(top.angleLabels().length);
        this.dihedralTermOf = filled(top.dihedralLabels().length);
        boolean[] wanted = new boolean[t * t];
        double cmax = 0;
        for (int q = 0; q < n; q++) {
            FeatureTerm term = this.terms.get(q);
            basis[q] = term.basis();
            window[q] = new double[basis[q].window()];
            offset[q + 1] = offset[q] + basis[q].size();
            if (term instanceof FeatureTerm.Pair p) {
                int a = type(p.typeA());
                int b = type(p.typeB());
                claim(pairTermOf, a * t + b, q, term);
                pairTermOf[b * t + a] = q;
                wanted[a * t + b] = wanted[b * t + a] = true;
                cut2[q] = p.cutoff() * p.cutoff();
                cmax = Math.max(cmax, p.cutoff());
            } else if (term instanceof FeatureTerm.Bond b) {
                claim(bondTermOf, label(top.bondLabels(), b.label(), "bond"), q, term);
            } else if (term instanceof FeatureTerm.Angle a) {
                claim(angleTermOf, label(top.angleLabels(), a.label(), "angle"), q, term);
            } else if (term instanceof FeatureTerm.Dihedral d) {
                claim(dihedralTermOf, label(top.dihedralLabels(), d.label(), "dihedral"), q, term);
            }
        }
        this.m = offset[n];
        this.maxCut = cmax;
        if (cmax > 0) {
            this.search = template != null ? template.search.copy() : new PairSearch(top, top.exclusions(hops), wanted);
        } else {
            this.search = null;
        }
        this.minBlocks = minBlocks;
        this.keepFrames = keepFrames;
        this.blocks = minBlocks > 0 ? new FeatureBlocks(m, minBlocks) : null;
        this.rows = keepFrames ? new FrameStore(m) : null;
        this.phi = new double[m];
        this.row = new double[m];
        this.allIdx = new int[m];
        for (int i = 0; i < m; i++) {
            allIdx[i] = i;
        }
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }

    private int type(String name) {
        int t = top.typeIndex(name);
        if (t < 0) {
            throw new IllegalArgumentException("unknown bead type " + name + " (topology has " + String.join(", ", top.typeNames()) + ")");
        }
        return t;
    }

    private static int label(String[] labels, String label, String kind) {
        int k = Arrays.asList(labels).indexOf(label);
        if (k < 0) {
            throw new IllegalArgumentException("unknown " + kind + " label " + label + " (topology has " + String.join(", ", labels) + ")");
        }
        return k;
    }

    private static void claim(int[] table, int slot, int q, FeatureTerm term) {
        if (table[slot] >= 0) {
            throw new IllegalArgumentException(term.name() + " given twice");
        }
        table[slot] = q;
    }

    /** Total number of features m. */
    public int features() {
        return m;
    }

    /** The interactions, in parameter order. */
    public List<FeatureTerm> terms() {
        return terms;
    }

    /** Index of the first feature of interaction q; offset(terms().size()) = m. */
    public int offset(int q) {
        return offset[q];
    }

    /** Names "interaction:feature", e.g. {@code pair A-B:B03}. */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>(m);
        for (int q = 0; q < terms.size(); q++) {
            for (int k = 0; k < basis[q].size(); k++) {
                names.add(terms.get(q).name() + ":" + basis[q].featureName(k));
            }
        }
        return names;
    }

    /** Computes the feature vector of one frame into out[0 .. m) without recording it. */
    public void compute(Frame frame, double[] out) {
        if (frame.x == null || frame.atoms != top.size()) {
            throw new IllegalArgumentException("frame " + frame.index + ": has " + (frame.x == null ? 0 : frame.atoms)
                    + " positions, the topology has " + top.size() + " particles");
        }
        Arrays.fill(out, 0, m, 0.0);
        double[] x = frame.x;
        if (search != null) {
            int np = search.search(frame, maxCut);
            int[] pi = search.firstIndices();
            int[] pj = search.secondIndices();
            double[] r2 = search.squaredDistances();
            int[] type = top.type();
            int t = top.types();
            for (int p = 0; p < np; p++) {
                int q = pairTermOf[type[pi[p]] * t + type[pj[p]]];
                if (r2[p] < cut2[q]) {
                    add(q, Math.sqrt(r2[p]), out);
                }
            }
        }
        int[] b = top.bonds();
        int[] bl = top.bondLabel();
        for (int k = 0; k < bl.length; k++) {
            int q = bondTermOf[bl[k]];
            if (q >= 0) {
                add(q, BondedGeometry.length(x, b[2 * k], b[2 * k + 1], frame.box, scratch), out);
            }
        }
        int[] a = top.angles();
        int[] al = top.angleLabel();
        for (int k = 0; k < al.length; k++) {
            int q = angleTermOf[al[k]];
            if (q >= 0) {
                add(q, BondedGeometry.angle(x, a[3 * k], a[3 * k + 1], a[3 * k + 2], frame.box, scratch), out);
            }
        }
        int[] d = top.dihedrals();
        int[] dl = top.dihedralLabel();
        for (int k = 0; k < dl.length; k++) {
            int q = dihedralTermOf[dl[k]];
            if (q >= 0) {
                add(q, BondedGeometry.dihedral(x, d[4 * k], d[4 * k + 1], d[4 * k + 2], d[4 * k + 3], frame.box, scratch), out);
            }
        }
    }

    private void add(int q, double v, double[] out) {
        double[] w = window[q];
        int off = basis[q].evaluate(v, w, null, null);
        int n = Math.min(w.length, basis[q].size() - off);
        int base = offset[q] + off;
        for (int k = 0; k < n; k++) {
            out[base + k] += w[k];
        }
    }

    @Override
    public void accept(Frame frame) {
        compute(frame, phi);
        record(phi);
    }

    private void record(double[] v) {
        if (blocks != null) {
            blocks.add(m, allIdx, v);
        }
        if (rows != null) {
            rows.append(v);
        }
        frames++;
    }

    /**
     * Adds the other accumulator's frames after this one's: row by row when it kept its rows (as
     * copies from {@link #emptyCopy()} do), otherwise by appending its blocks.
     */
    @Override
    public void merge(FrameFeatures other) {
        if (other.top != top || other.hops != hops || !other.terms.equals(terms)) {
            throw new IllegalArgumentException("cannot merge feature accumulators with different interactions");
        }
        if (other.rows != null && other.rows.frames() == other.frames) {
            double[] data = other.rows.data();
            for (int t = 0; t < other.rows.frames(); t++) {
                System.arraycopy(data, t * m, row, 0, m);
                record(row);
            }
            return;
        }
        if (rows != null) {
            throw new IllegalArgumentException("cannot merge an accumulator without per-frame rows into one that keeps them");
        }
        if (other.blocks == null || blocks == null) {
            throw new IllegalArgumentException("cannot merge: one of the accumulators keeps no blocks");
        }
        blocks.append(other.blocks);
        frames += other.frames;
    }

    /** An empty accumulator for merging: same interactions, keeps its rows, no blocks. */
    @Override
    public FrameFeatures emptyCopy() {
        return new FrameFeatures(top, hops, terms, true, 0, this);
    }

    @Override
    public void reset() {
        if (blocks != null) {
            blocks = new FeatureBlocks(m, minBlocks);
        }
        if (rows != null) {
            rows.clear();
        }
        frames = 0;
    }

    public long frames() {
        return frames;
    }

    /** Block sums of the per-frame vectors (null when created with minBlocks = 0). */
    public FeatureBlocks blocks() {
        return blocks;
    }

    /** Every frame's vector, or null when not kept. */
    public FrameStore frameStore() {
        return rows;
    }

    /** Mean feature vector over frames. */
    public double[] mean() {
        if (blocks == null) {
            throw new IllegalStateException("this accumulator keeps no blocks");
        }
        return blocks.mean();
    }

    /** Block standard errors of the mean. */
    public double[] standardErrors() {
        if (blocks == null) {
            throw new IllegalStateException("this accumulator keeps no blocks");
        }
        return blocks.standardErrors();
    }

    public boolean keepsFrames() {
        return keepFrames;
    }
}
