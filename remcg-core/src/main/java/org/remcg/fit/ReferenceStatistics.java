package org.remcg.fit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.io.TrajectoryReader;
import org.remcg.observe.MappedAccumulator;
import org.remcg.mapping.Mapper;
import org.remcg.observe.AccumulatorSet;
import org.remcg.observe.BondedDistributions;
import org.remcg.observe.FeatureTerm;
import org.remcg.observe.FrameAccumulator;
import org.remcg.observe.FrameDriver;
import org.remcg.observe.FrameFeatures;
import org.remcg.observe.Rdf;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;

/**
 * What the model must reproduce, measured on a reference trajectory in one parallel pass: the
 * mean per-frame feature vector of every fitted term (with block standard errors), and the
 * distributions used for the Boltzmann-inversion start and the reports (g(r) of every pair term,
 * the bonded distributions of every bonded term).
 *
 * @param mean           target feature means, terms in order (layout: {@link #offsets})
 * @param standardError  block standard errors of the means
 * @param offsets        first feature of each term
 * @param distributions  per term: g(r) for pairs, the raw distribution for bonded terms (angles: p(theta))
 * @param unbinned       per term: fraction of the measured values that fell outside the distribution's
 *                       range (bonded terms; 0 for pairs, whose g(r) starts at 0)
 * @param frames         frames measured
 */
public record ReferenceStatistics(double[] mean, double[] standardError, int[] offsets, List<TargetDistribution> distributions,
                                  double[] unbinned, long frames) {

    /** Bin width of the measured distributions, as a fraction of a basis' knot spacing. */
    static final int BINS_PER_KNOT = 2;

    /**
     * Measures the statistics of {@code terms} on the frames of {@code reader} (fine frames mapped
     * by {@code mapper}, or bead frames when it is null).
     */
    public static ReferenceStatistics measure(List<FitTerm> terms, CgTopology top, int hops, TrajectoryReader reader, Mapper mapper,
            int threads) throws IOException, TrajectoryFormatException {
        Measurement m = new Measurement(terms, top, hops);
        FrameDriver driver = new FrameDriver(threads, FrameDriver.DEFAULT_BATCH);
        long frames = driver.run(reader, new MappedAccumulator<>(mapper, m.accumulator()));
        if (frames == 0) {
            throw new IllegalArgumentException(reader.file() + ": no frames selected");
        }
        return m.result();
    }

    /**
     * The accumulators behind {@link ReferenceStatistics}: feed bead frames to {@link #accumulator()}
     * (directly, through a {@link FrameDriver}, or from a running model simulation), then read
     * {@link #result()}. Model and reference use the same bins, so their distributions compare bin by bin.
     */
    public static final class Measurement {
        private final List<FitTerm> terms;
        private final CgTopology top;
        private final FrameFeatures features;
        private final Rdf rdf;
        private final BondedDistributions bonded;
        /** Per term with a target file: its own accumulator on the target's bins (else null). */
        private final FrameAccumulator<?>[] own;
        private final AccumulatorSet set;

        public Measurement(List<FitTerm> terms, CgTopology top, int hops) {
            this.terms = List.copyOf(terms);
            this.top = top;
            List<FeatureTerm> ft = new ArrayList<>();
            for (FitTerm t : terms) {
                ft.add(t.featureTerm());
            }
            features = new FrameFeatures(top, hops, ft, false);
            List<FrameAccumulator<?>> parts = new ArrayList<>();
            parts.add(features);
            own = new FrameAccumulator<?>[terms.size()];
            // one RDF over the pair terms measured on default bins (largest cutoff, finest bin), one bonded histogram
            List<int[]> pairs = new ArrayList<>();
            double rmax = 0;
            double rbin = Double.POSITIVE_INFINITY;
            double bmin = Double.POSITIVE_INFINITY;
            double bmax = 0;
            double bbin = Double.POSITIVE_INFINITY;
            int angleBins = 180;
            int dihedralBins = 180;
            for (int q = 0; q < terms.size(); q++) {
                FitTerm t = terms.get(q);
                double bin = t.basis().knotSpacing() / BINS_PER_KNOT;
                if (t.kind() == InteractionKind.PAIR) {
                    int a = top.typeIndex(t.beads().get(0));
                    int b = top.typeIndex(t.beads().get(1));
                    if (a < 0 || b < 0) {
                        throw new IllegalArgumentException(t.name() + ": bead type " + (a < 0 ? t.beads().get(0) : t.beads().get(1))
                                + " does not occur in the CG system (types: " + String.join(", ", top.typeNames()) + ")");
                    }
                } else if (!Arrays.asList(t.labels(top)).contains(t.label())) {
                    throw new IllegalArgumentException(t.name() + ": the CG topology has no " + t.kind().key() + " with bead types " + t.label()
                            + " (it has: " + String.join(", ", t.labels(top)) + ")");
                }
                if (t.target() != null) {
                    own[q] = targetAccumulator(t, top, hops);
                    parts.add(own[q]);
                    continue;
                }
                switch (t.kind()) {
                    case PAIR -> {
                        pairs.add(new int[] {top.typeIndex(t.beads().get(0)), top.typeIndex(t.beads().get(1))});
                        rmax = Math.max(rmax, t.cutoff());
                        rbin = Math.min(rbin, bin);
                    }
                    case BOND -> {
                        bmin = Math.min(bmin, t.basis().lower());
                        bmax = Math.max(bmax, t.basis().upper());
                        bbin = Math.min(bbin, bin);
                    }
                    case ANGLE -> angleBins = Math.max(angleBins, (int) Math.ceil(Math.PI / bin));
                    case DIHEDRAL -> dihedralBins = Math.max(dihedralBins, (int) Math.ceil(2 * Math.PI / bin));
                }
            }
            rdf = pairs.isEmpty() ? null : new Rdf(top, rmax, rbin, hops, pairs.toArray(new int[0][]));
            if (rdf != null) {
                parts.add(rdf);
            }
            BondedDistributions b = null;
            if (top.bondCount() + top.angleCount() + top.dihedralCount() > 0) {
                if (!(bmax > bmin)) {
                    bmin = 0;
                    bmax = 1;
                    bbin = 0.005;
                }
                b = new BondedDistributions(top, bmin, bmax, Math.max(1, (int) Math.round((bmax - bmin) / bbin)), angleBins, dihedralBins);
                parts.add(b);
            }
            bonded = b;
            set = new AccumulatorSet(parts);
        }

        /** Sub-bins per target bin when a non-uniform target grid is measured on a fine grid and summed up. */
        static final int FINE = 16;

        /**
         * The bins a term's model distribution is compared on: its target file's bins, for a pair only those
         * that end at or before the cutoff (the model is cut there). Null for a term measured on a trajectory.
         */
        public static TargetDistribution comparisonGrid(FitTerm t) {
            if (t.target() == null) {
                return null;
            }
            return t.kind() == InteractionKind.PAIR ? t.target().truncated(t.cutoff()) : t.target();
        }

        /**
         * An accumulator whose bins are the target's (uniform grids: the same edges, so the model's
         * value of a bin is counted on exactly that bin) or FINE times finer and aligned with the
         * first edge (non-uniform grids: summed up over each target bin, exact where fine edges
         * meet target edges, through the reconstructed cumulative at the others).
         */
        private static FrameAccumulator<?> targetAccumulator(FitTerm t, CgTopology top, int hops) {
            TargetDistribution g = comparisonGrid(t);
            boolean uniform = g.uniform();
            double[] e = g.edges();
            int n = g.bins();
            double w = uniform ? g.gridStep() : minWidth(e) / FINE;
            if (t.kind() == InteractionKind.PAIR) {
                double origin = uniform ? e[n] - n * w : e[0];   // unclipped first edge
                double shift = -origin / w - Math.floor(-origin / w);
                if (shift > 1 - 1e-9) {
                    shift = 0;
                }
                int bins = (int) Math.round(e[n] / w + shift);
                int[][] pair = {{top.typeIndex(t.beads().get(0)), top.typeIndex(t.beads().get(1))}};
                return new Rdf(top, w, shift, bins, hops, pair);
            }
            double[] lo = {0, 0, -Math.PI};
            double[] hi = {1, Math.PI, Math.PI};
            int[] counts = {1, 1, 1};
            int k = t.kind().bondedIndex();
            lo[k] = e[0];
            hi[k] = e[n];
            counts[k] = uniform ? n : (int) Math.ceil((e[n] - e[0]) / w - 1e-9);
            if (!uniform) {
                hi[k] = e[0] + counts[k] * w;
            }
            return new BondedDistributions(top, lo, hi, counts);
        }

        private static double minWidth(double[] e) {
            double m = Double.POSITIVE_INFINITY;
            for (int i = 0; i + 1 < e.length; i++) {
                m = Math.min(m, e[i + 1] - e[i]);
            }
            return m;
        }

        public AccumulatorSet accumulator() {
            return set;
        }

        public ReferenceStatistics result() {
            List<TargetDistribution> dists = new ArrayList<>();
            int[] offsets = new int[terms.size()];
            double[] unbinned = new double[terms.size()];
            for (int q = 0; q < terms.size(); q++) {
                FitTerm t = terms.get(q);
                offsets[q] = features.offset(q);
                Rdf r = own[q] instanceof Rdf o ? o : rdf;
                BondedDistributions bd = own[q] instanceof BondedDistributions o ? o : bonded;
                TargetDistribution d;
                if (t.kind() == InteractionKind.PAIR) {
                    int s = r.slot(top.typeIndex(t.beads().get(0)), top.typeIndex(t.beads().get(1)));
                    d = TargetDistribution.histogram(r.binEdges(), r.g(s), TargetDistribution.Weight.SHELL);
                } else {
                    InteractionKind k = t.kind();
                    int label = Arrays.asList(bd.labels(k)).indexOf(t.label());
                    d = TargetDistribution.histogram(bd.edges(k), bd.density(k, label), TargetDistribution.Weight.FLAT);
                    unbinned[q] = (double) bd.outside(k, label) / bd.total(k, label);
                }
                if (own[q] != null) {
                    d = d.rebin(comparisonGrid(t));
                }
                dists.add(d);
            }
            return new ReferenceStatistics(features.mean(), features.standardErrors(), offsets, dists, unbinned, features.frames());
        }
    }
}
