package org.remcg.observe;

import java.util.Arrays;
import java.util.List;
import org.remcg.io.Frame;
import org.remcg.system.CgTopology;

/**
 * Which interaction of a linear CG force field each pair and bonded term of a frame belongs to,
 * and the walk over them: for interactions q = 0 .. n-1 given as {@link FeatureTerm}s (pair
 * types with a cutoff, bond, angle and dihedral labels; each type pair or label at most once),
 * {@link #visit} reports every non-bonded pair inside its interaction's cutoff (found by
 * {@link PairSearch}, pairs within {@code hops} bonds excluded), then every bond, angle and
 * dihedral whose label is fitted, in topology order. The feature accumulator
 * ({@link FrameFeatures}) and the force-matching accumulator sum basis values or their
 * derivatives over this one walk. Keeps the search's scratch memory; not thread-safe
 * ({@link #copy} gives an independent walker).
 */
public final class InteractionIndex {

    /** What a walk reports; q is the interaction index, particles are topology indices. */
    public interface Visitor {
        /** A non-bonded pair closer than its interaction's cutoff, at squared distance r2 (minimum image). */
        void pair(int q, int i, int j, double r2);

        void bond(int q, int i, int j);

        void angle(int q, int i, int j, int k);

        void dihedral(int q, int i, int j, int k, int l);
    }

    private final CgTopology top;
    private final int[] pairTermOf;
    private final double[] cut2;
    private final double maxCut;
    private final PairSearch search;
    private final int[] bondTermOf;
    private final int[] angleTermOf;
    private final int[] dihedralTermOf;

    /**
     * @param hops  exclusions: pairs within this many bonds are not pair terms
     * @param terms the interactions in index order
     * @throws IllegalArgumentException for a bead type or label the topology lacks, or an interaction given twice
     */
    public InteractionIndex(CgTopology top, int hops, List<FeatureTerm> terms) {
        this.top = top;
        int n = terms.size();
        int t = top.types();
        cut2 = new double[n];
        pairTermOf = filled(t * t);
        bondTermOf = filled(top.bondLabels().length);
        angleTermOf = filled(top.angleLabels().length);
        dihedralTermOf = filled(top.dihedralLabels().length);
        boolean[] wanted = new boolean[t * t];
        double cmax = 0;
        for (int q = 0; q < n; q++) {
            FeatureTerm term = terms.get(q);
            if (term instanceof FeatureTerm.Pair p) {
                int a = type(p.typeA());
                int b = type(p.typeB());
                claim(pairTermOf, a * t + b, q, term);
                pairTermOf[b * t + a] = q;
                wanted[a * t + b] = wanted[b * t + a] = true;
                cut2[q] = p.cutoff() * p.cutoff();
                cmax = Math.max(cmax, p.cutoff());
            } else if (term instanceof FeatureTerm.Bond b) {
                claim(bondTermOf, label(top.bondLabels(), b.label(), term, "bond"), q, term);
            } else if (term instanceof FeatureTerm.Angle a) {
                claim(angleTermOf, label(top.angleLabels(), a.label(), term, "angle"), q, term);
            } else if (term instanceof FeatureTerm.Dihedral d) {
                claim(dihedralTermOf, label(top.dihedralLabels(), d.label(), term, "dihedral"), q, term);
            }
        }
        maxCut = cmax;
        search = cmax > 0 ? new PairSearch(top, top.exclusions(hops), wanted) : null;
    }

    private InteractionIndex(InteractionIndex o) {
        top = o.top;
        pairTermOf = o.pairTermOf;
        cut2 = o.cut2;
        maxCut = o.maxCut;
        search = o.search != null ? o.search.copy() : null;
        bondTermOf = o.bondTermOf;
        angleTermOf = o.angleTermOf;
        dihedralTermOf = o.dihedralTermOf;
    }

    /** The same index with its own pair-search scratch memory (the tables are shared; they are never written). */
    public InteractionIndex copy() {
        return new InteractionIndex(this);
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }

    private int type(String name) {
        int t = top.typeIndex(name);
        if (t < 0) {
            throw new IllegalArgumentException("unknown bead type " + name + " (the CG topology has " + String.join(", ", top.typeNames()) + ")");
        }
        return t;
    }

    private static int label(String[] labels, String label, FeatureTerm term, String kind) {
        int k = Arrays.asList(labels).indexOf(label);
        if (k < 0) {
            throw new IllegalArgumentException(term.name() + ": the CG topology has no such " + kind + " (it has " + String.join(", ", labels) + ")");
        }
        return k;
    }

    private static void claim(int[] table, int slot, int q, FeatureTerm term) {
        if (table[slot] >= 0) {
            throw new IllegalArgumentException(term.name() + " given twice");
        }
        table[slot] = q;
    }

    /** Whether any interaction is a pair interaction (then frames need a box). */
    public boolean hasPairs() {
        return search != null;
    }

    /**
     * Reports the frame's pairs and bonded terms of the interactions to v: pairs in the order
     * {@link PairSearch#search} lists them, then bonds, angles and dihedrals in topology order.
     *
     * @throws IllegalArgumentException when the frame has no positions or not one per particle
     */
    public void visit(Frame frame, Visitor v) {
        if (frame.x == null || frame.atoms != top.size()) {
            throw new IllegalArgumentException("frame " + frame.index + ": has " + (frame.x == null ? 0 : frame.atoms)
                    + " positions, the CG system has " + top.size() + " beads");
        }
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
                    v.pair(q, pi[p], pj[p], r2[p]);
                }
            }
        }
        int[] b = top.bonds();
        int[] bl = top.bondLabel();
        for (int k = 0; k < bl.length; k++) {
            int q = bondTermOf[bl[k]];
            if (q >= 0) {
                v.bond(q, b[2 * k], b[2 * k + 1]);
            }
        }
        int[] a = top.angles();
        int[] al = top.angleLabel();
        for (int k = 0; k < al.length; k++) {
            int q = angleTermOf[al[k]];
            if (q >= 0) {
                v.angle(q, a[3 * k], a[3 * k + 1], a[3 * k + 2]);
            }
        }
        int[] d = top.dihedrals();
        int[] dl = top.dihedralLabel();
        for (int k = 0; k < dl.length; k++) {
            int q = dihedralTermOf[dl[k]];
            if (q >= 0) {
                v.dihedral(q, d[4 * k], d[4 * k + 1], d[4 * k + 2], d[4 * k + 3]);
            }
        }
    }
}
