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
            // one RDF over the pair terms (largest cutoff, finest bin), one bonded histogram
            List<int[]> pairs = new ArrayList<>();
            double rmax = 0;
            double rbin = Double.POSITIVE_INFINITY;
            double bmin = Double.POSITIVE_INFINITY;
            double bmax = 0;
            double bbin = Double.POSITIVE_INFINITY;
            int angleBins = 180;
            int dihedralBins = 180;
            for (FitTerm t : terms) {
                double bin = t.basis().knotSpacing() / BINS_PER_KNOT;
                switch (t.kind()) {
                    case PAIR -> {
                        int a = top.typeIndex(t.beads().get(0));
                        int b = top.typeIndex(t.beads().get(1));
                        if (a < 0 || b < 0) {
                            throw new IllegalArgumentException(t.name() + ": bead type " + (a < 0 ? t.beads().get(0) : t.beads().get(1))
                                    + " does not occur in the CG system (types: " + String.join(", ", top.typeNames()) + ")");
                        }
                        pairs.add(new int[] {a, b});
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
                if (t.kind() != FitTerm.Kind.PAIR && !Arrays.asList(t.labels(top)).contains(t.label())) {
                    throw new IllegalArgumentException(t.name() + ": the CG topology has no " + t.kind().key() + " with bead types " + t.label()
                            + " (it has: " + String.join(", ", t.labels(top)) + ")");
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
                if (t.kind() == FitTerm.Kind.PAIR) {
                    int s = rdf.slot(top.typeIndex(t.beads().get(0)), top.typeIndex(t.beads().get(1)));
                    dists.add(new TargetDistribution(rdf.binCentres(), rdf.g(s)));
                } else {
                    BondedDistributions.Kind k = BondedDistributions.Kind.valueOf(t.kind().name());
                    int label = Arrays.asList(bonded.labels(k)).indexOf(t.label());
                    dists.add(new TargetDistribution(bonded.centres(k), bonded.density(k, label)));
                    unbinned[q] = (double) bonded.outside(k, label) / bonded.total(k, label);
                }
            }
            return new ReferenceStatistics(features.mean(), features.standardErrors(), offsets, dists, unbinned, features.frames());
        }
    }
}
