package org.remcg.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.remcg.model.ForceField;
import org.remcg.model.ForceField.Interaction;
import org.remcg.system.InteractionKind;
import org.remcg.observe.BondedGeometry;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * The distributions of an engine run, measured from its sampled frames by the observe accumulators, against a direct
 * count over the same frames: every non-excluded pair of each interaction's types by minimum image, normalized by the
 * ideal-gas pair count in each shell (distinct pairs minus excluded ones), NaN beyond the interaction's cutoff; bonded
 * values binned per interaction and normalized to a density.
 */
class SampledDistributionsTest {

    @Test
    void distributionsMatchADirectCountOverTheSampledFrames() {
        double l = 2.3;
        EngineGoldenTest.Setup s = ForceConsistencyTest.mixedSystem(17, l);
        ForceField ff = s.ff();
        CgTopology top = s.top();
        Box box = s.box();
        int bins = 50;
        List<double[]> frames = new ArrayList<>();
        SampledDistributions dist;
        try (Engine e = new Engine(ff, top, box, s.x(), Engine.Options.defaults())) {
            dist = new SampledDistributions(e, bins);
            SampledDistributions d = dist;
            e.initializeVelocities(300, 2);
            assertTrue(dist.rdfs().isEmpty() && dist.bondedDistributions().isEmpty(), "nothing before the first frame");
            e.run(new Integrator.Langevin(0.002, 2.0, 300, 3), 400, 20, (eng, sm) -> {
                d.frame(eng, sm);
                frames.add(eng.positions());
            });
        }
        assertEquals(20, frames.size());
        assertEquals(20, dist.frames());
        Interaction[] pairs = ff.interactions().stream().filter(i -> i.kind() == InteractionKind.PAIR).toArray(Interaction[]::new);
        double maxCut = 0.9;
        double w = maxCut / bins;
        CgTopology.Exclusions ex = top.exclusions(ff.exclusionHops());
        String[] names = top.typeNames();
        List<SampledDistributions.Distribution> rdfs = dist.rdfs();
        assertEquals(pairs.length, rdfs.size());
        int checked = 0;
        for (int t = 0; t < pairs.length; t++) {
            double rc = pairs[t].cutoff();
            long[] counts = new long[bins];
            long ideal = 0;
            int n = top.size();
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    if (!pairs[t].matches(names[top.type()[i]], names[top.type()[j]]) || ex.excluded(i, j)) {
                        continue;
                    }
                    ideal++;
                    for (double[] x : frames) {
                        double r = box.distance(x, 3 * i, x, 3 * j);
                        if (r < maxCut) {
                            counts[(int) (r / w)]++;
                        }
                    }
                }
            }
            SampledDistributions.Distribution g = rdfs.get(t);
            assertEquals(String.join("-", pairs[t].beads()), g.name());
            for (int b = 0; b < bins; b++) {
                double r0 = b * w;
                double r1 = r0 + w;
                assertEquals(r0 + 0.5 * w, g.x()[b], 1e-12);
                if (r1 > rc * (1 + 1e-12)) {
                    assertTrue(Double.isNaN(g.y()[b]), "bin " + b + " beyond the cutoff " + rc);
                    continue;
                }
                double shell = 4.0 / 3.0 * Math.PI * (r1 * r1 * r1 - r0 * r0 * r0);
                double expected = counts[b] / (frames.size() * ideal * shell / box.volume());
                assertEquals(expected, g.y()[b], 1e-12 * Math.max(1, expected), g.name() + " bin " + b);
                checked += counts[b] > 0 ? 1 : 0;
            }
        }
        assertTrue(checked > 40, "bins with pairs: " + checked);

        Interaction[] bonded = ff.interactions().stream().filter(i -> i.kind() != InteractionKind.PAIR).toArray(Interaction[]::new);
        List<SampledDistributions.Distribution> bd = dist.bondedDistributions();
        assertEquals(bonded.length, bd.size());
        double[] sc = new double[9];
        for (int b = 0; b < bonded.length; b++) {
            Interaction in = bonded[b];
            double lo = in.kind() == InteractionKind.DIHEDRAL ? -Math.PI : 0;
            double hi = in.kind() == InteractionKind.BOND ? Math.min(2.0, 0.5 * l) : Math.PI;
            int nb = SampledDistributions.BONDED_BINS;
            double bw = (hi - lo) / nb;
            double[] hist = new double[nb];
            long total = 0;
            int[] at = in.kind() == InteractionKind.BOND ? top.bonds() : in.kind() == InteractionKind.ANGLE ? top.angles() : top.dihedrals();
            int per = in.kind().beads();
            for (int q = 0; q < at.length / per; q++) {
                String[] ts = new String[per];
                for (int k = 0; k < per; k++) {
                    ts[k] = names[top.type()[at[per * q + k]]];
                }
                if (!in.matches(ts)) {
                    continue;
                }
                for (double[] x : frames) {
                    int o = per * q;
                    double v = per == 2 ? BondedGeometry.length(x, at[o], at[o + 1], box, sc)
                            : per == 3 ? BondedGeometry.angle(x, at[o], at[o + 1], at[o + 2], box, sc)
                            : BondedGeometry.dihedral(x, at[o], at[o + 1], at[o + 2], at[o + 3], box, sc);
                    int k = (int) Math.floor((v - lo) / (hi - lo) * nb);
                    if (k >= 0 && k < nb) {
                        hist[k]++;
                        total++;
                    }
                }
            }
            assertTrue(total > 0, in.name());
            SampledDistributions.Distribution d = bd.get(b);
            assertEquals(in.name(), d.name());
            double integral = 0;
            for (int k = 0; k < nb; k++) {
                assertEquals(lo + (k + 0.5) * bw, d.x()[k], 1e-12);
                assertEquals(hist[k] / (total * bw), d.y()[k], 1e-12 * (1 + d.y()[k]), d.name() + " bin " + k);
                integral += d.y()[k] * bw;
            }
            assertEquals(1, integral, 1e-9, d.name());
        }
    }
}
