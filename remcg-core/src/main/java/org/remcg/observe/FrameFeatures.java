package org.remcg.observe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.remcg.io.Frame;
import org.remcg.model.Basis1D;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * The sufficient statistics of a linear CG force field, frame by frame: for interactions
 * (pair types with a cutoff, bond, angle and dihedral labels), each with a {@link Basis1D}, the
 * per-frame feature vector phi(frame) is the concatenation over interactions (in the order
 * given) of phi_k = sum over the interaction's pairs or terms of basis_k(q). The pairs and terms
 * come from an {@link InteractionIndex} walk (pairs with the same exclusions as the RDF, bond
 * hops); bonded coordinates from {@link BondedGeometry}.
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
    private final InteractionIndex index;
    private final Adder adder = new Adder();
    private final int minBlocks;
    private final boolean keepFrames;
    private final double[] phi;
    private final double[] row;
    private final int[] allIdx;

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
        for (int q = 0; q < n; q++) {
            basis[q] = this.terms.get(q).basis();
            window[q] = new double[basis[q].window()];
            offset[q + 1] = offset[q] + basis[q].size();
        }
        this.m = offset[n];
        this.index = template != null ? template.index.copy() : new InteractionIndex(top, hops, this.terms);
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
        Arrays.fill(out, 0, m, 0.0);
        adder.x = frame.x;
        adder.box = frame.box;
        adder.out = out;
        index.visit(frame, adder);
    }

    /** Adds basis_k(q) of each pair's distance or each term's coordinate to the frame's vector. */
    private final class Adder implements InteractionIndex.Visitor {
        private final double[] scratch = new double[9];
        private double[] x;
        private Box box;
        private double[] out;

        @Override
        public void pair(int q, int i, int j, double r2) {
            add(q, Math.sqrt(r2), out);
        }

        @Override
        public void bond(int q, int i, int j) {
            add(q, BondedGeometry.length(x, i, j, box, scratch), out);
        }

        @Override
        public void angle(int q, int i, int j, int k) {
            add(q, BondedGeometry.angle(x, i, j, k, box, scratch), out);
        }

        @Override
        public void dihedral(int q, int i, int j, int k, int l) {
            add(q, BondedGeometry.dihedral(x, i, j, k, l, box, scratch), out);
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
