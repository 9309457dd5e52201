package org.remcg.simulate;

import java.util.ArrayList;
import java.util.List;
import org.remcg.io.Frame;
import org.remcg.model.ForceField;
import org.remcg.model.ForceField.Interaction;
import org.remcg.system.InteractionKind;
import org.remcg.observe.BondedGeometry;
import org.remcg.observe.Histogram;
import org.remcg.observe.Rdf;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * The structural distributions of an engine run, measured by the {@code observe} accumulators on the frames the run
 * samples: an observer ({@link #frame}) that hands each sampled configuration to an {@link Rdf} and to one
 * {@link Histogram} per bonded interaction.
 *
 * <p>RDFs: one per pair interaction, on one grid of {@code bins} bins over [0, largest cutoff] ({@link Rdf} with its
 * default, exclusion-corrected normalization and the force field's exclusions), NaN in the bins beyond the
 * interaction's own cutoff. Bonded: the probability density (per nm, or per radian) of the variable of every bonded
 * interaction over all the terms it applies to, {@value #BONDED_BINS} bins over [0, min(2 nm, half the smallest box
 * width)] for bonds, [0, pi] for angles and [-pi, pi] for dihedrals (values outside do not count).
 */
public final class SampledDistributions implements Engine.Observer {
    /** RDF bins over [0, largest cutoff] unless told otherwise. */
    public static final int DEFAULT_BINS = 200;
    /** Bins of each bonded histogram. */
    public static final int BONDED_BINS = 360;

    /** One RDF or bonded distribution: bin centres and values. */
    public record Distribution(String name, double[] x, double[] y) {
    }

    private final CgTopology top;
    private final Box box;
    private final Interaction[] pairs;
    /** Per pair interaction: its slot in {@link #rdf}, -1 when none of the topology's types match it. */
    private final int[] slot;
    private final Rdf rdf;
    private final Interaction[] bonded;
    private final Histogram[] hist;
    private final int[][] termInteraction;
    private final Frame frame = new Frame();
    private final double[] scratch = new double[9];
    private long frames;

    /** Distributions of {@code engine}'s system (not yet fed: pass this to a run as its observer). */
    public SampledDistributions(Engine engine, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("RDF needs at least one bin, got " + bins);
        }
        top = engine.topology();
        box = engine.box();
        ForceField ff = engine.forceField();
        String[] names = top.typeNames();
        pairs = ff.interactions().stream().filter(i -> i.kind() == InteractionKind.PAIR).toArray(Interaction[]::new);
        slot = new int[pairs.length];
        List<int[]> typePairs = new ArrayList<>();
        double maxCut = 0;
        for (int t = 0; t < pairs.length; t++) {
            maxCut = Math.max(maxCut, pairs[t].cutoff());
            slot[t] = -1;
            for (int a = 0; a < names.length && slot[t] < 0; a++) {
                for (int b = a; b < names.length && slot[t] < 0; b++) {
                    if (pairs[t].matches(names[a], names[b])) {
                        slot[t] = typePairs.size();
                        typePairs.add(new int[] {a, b});
                    }
                }
            }
        }
        rdf = typePairs.isEmpty() ? null : new Rdf(top, maxCut, maxCut / bins, ff.exclusionHops(), typePairs.toArray(new int[0][]));
        bonded = ff.interactions().stream().filter(i -> i.kind() != InteractionKind.PAIR).toArray(Interaction[]::new);
        hist = new Histogram[bonded.length];
        double bondMax = Math.min(2.0, 0.5 * Engine.minWidth(box));
        for (int b = 0; b < bonded.length; b++) {
            InteractionKind k = bonded[b].kind();
            hist[b] = new Histogram(k == InteractionKind.DIHEDRAL ? -Math.PI : 0, k == InteractionKind.BOND ? bondMax : Math.PI, BONDED_BINS);
        }
        termInteraction = new int[][] {BondedForces.assign(bonded, InteractionKind.BOND, top.bonds(), 2, names, top.type()),
                BondedForces.assign(bonded, InteractionKind.ANGLE, top.angles(), 3, names, top.type()),
                BondedForces.assign(bonded, InteractionKind.DIHEDRAL, top.dihedrals(), 4, names, top.type())};
        frame.resize(top.size(), false, false);
        frame.box = box;
    }

    /** Adds the engine's current configuration. */
    @Override
    public void frame(Engine engine, Sample sample) {
        engine.positions(frame.x);
        frame.step = sample.step();
        frames++;
        if (rdf != null) {
            rdf.accept(frame);
        }
        double[] x = frame.x;
        int[] at = top.bonds();
        int[] in = termInteraction[0];
        for (int q = 0; q < in.length; q++) {
            hist[in[q]].add(BondedGeometry.length(x, at[2 * q], at[2 * q + 1], box, scratch), 0);
        }
        at = top.angles();
        in = termInteraction[1];
        for (int q = 0; q < in.length; q++) {
            hist[in[q]].add(BondedGeometry.angle(x, at[3 * q], at[3 * q + 1], at[3 * q + 2], box, scratch), 0);
        }
        at = top.dihedrals();
        in = termInteraction[2];
        for (int q = 0; q < in.length; q++) {
            hist[in[q]].add(BondedGeometry.dihedral(x, at[4 * q], at[4 * q + 1], at[4 * q + 2], at[4 * q + 3], box, scratch), 0);
        }
    }

    /** Frames added so far. */
    public long frames() {
        return frames;
    }

    /**
     * g(r) of every pair interaction, in the force field's order, at the bin centres (empty before the first frame).
     * Bins that reach beyond the interaction's cutoff are NaN; an interaction none of whose pairs can be counted is 0.
     */
    public List<Distribution> rdfs() {
        List<Distribution> out = new ArrayList<>();
        if (rdf == null || frames == 0) {
            return out;
        }
        double[] r = rdf.binCentres();
        double[] edges = rdf.binEdges();
        for (int t = 0; t < pairs.length; t++) {
            double rc = pairs[t].cutoff();
            double[] g = new double[r.length];
            int s = slot[t];
            double[] counted = s >= 0 && rdf.idealPairs(s, Rdf.Normalization.EXCLUSION_CORRECTED) > 0 ? rdf.g(s) : g;
            for (int b = 0; b < g.length; b++) {
                g[b] = edges[b + 1] > rc * (1 + 1e-12) ? Double.NaN : counted[b];
            }
            out.add(new Distribution(String.join("-", pairs[t].beads()), r, g));
        }
        return out;
    }

    /** Probability densities of the bonded variables of every bonded interaction, in the force field's order (empty before the first frame). */
    public List<Distribution> bondedDistributions() {
        List<Distribution> out = new ArrayList<>();
        if (frames == 0) {
            return out;
        }
        for (int b = 0; b < bonded.length; b++) {
            Histogram h = hist[b];
            int n = h.x().bins();
            double w = (h.x().max() - h.x().min()) / n;
            double[] xs = new double[n];
            double[] ys = new double[n];
            long inside = h.total() - h.outside();
            for (int k = 0; k < n; k++) {
                xs[k] = h.x().center(k);
                ys[k] = inside > 0 ? h.count(k, 0) / (inside * w) : 0;
            }
            out.add(new Distribution(bonded[b].name(), xs, ys));
        }
        return out;
    }
}
