package org.remcg.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ForceField;
import org.remcg.optimize.IterativeRem;
import org.remcg.optimize.Samples;
import org.remcg.simulate.Engine;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;

/**
 * A fit resumed from a checkpoint holds only the parameters and the configuration the next simulation starts
 * from; its engine is a new one. So a simulation must depend on nothing else: not on the particle order the
 * engine's earlier list builds left (sums over particles), nor on its step counter (which steps are sampled), nor
 * on the number of threads. The system is large enough for the column-sorted list builds (512 beads, 2.5 nm box),
 * and starts on a lattice (ties in the sort).
 */
class EngineSamplerResumeTest {
    static final double T = 300;

    @Test
    void aSimulationDependsOnlyOnItsStartConfiguration() throws IterativeRem.SamplingException {
        check(false);
    }

    /** The same for a two-type mixture with identity swaps between the dynamics (their own seed per simulation). */
    @Test
    void aMixtureWithSwapsDependsOnlyOnItsStartConfiguration() throws IterativeRem.SamplingException {
        check(true);
    }

    private static void check(boolean mixture) throws IterativeRem.SamplingException {
        List<FitTerm> pairs = mixture
                ? List.of(pair("W", "W"), pair("M", "M"), pair("M", "W"))
                : List.of(pair("W", "W"));
        int per1 = pairs.get(0).basis().size();
        int m = per1 * pairs.size();
        double[] theta = new double[m];
        for (int q = 0; q < pairs.size(); q++) {
            for (int j = 0; j < per1 - 3; j++) {
                theta[q * per1 + j] = (3.0 + 0.5 * q) * (1 - (double) j / (per1 - 3));   // soft repulsion, zero at the cutoff
            }
        }
        double[] theta1 = theta.clone();
        theta1[2] += 0.5;
        int per = 8;
        double l = 2.5;
        double[] start = new double[3 * per * per * per];
        CgTopology top = lattice(per, l, start, mixture);
        // equilibration not a multiple of sample_every: which steps are sampled depends on where the counter starts
        EngineSampler.Settings settings = new EngineSampler.Settings(0.004, 5.0, 400, 130, 20, 7);
        double[] handedOn;
        Samples first;
        Samples uninterrupted;
        double[] endUninterrupted;
        try (Engine e = new Engine(RemFit.forceField(pairs, T, 3, theta), top, Box.orthorhombic(l, l, l), start,
                Engine.Options.defaults().withThreads(2))) {
            EngineSampler s = new EngineSampler(e, settings);
            s.setSwaps(mixture ? 10 : 0);
            first = s.sample(theta, 0, 1.0);
            assertTrue(e.listBuilds() > 2, "the particles were re-sorted during the first simulation");
            handedOn = s.positions();
            uninterrupted = s.sample(theta1, 1, 1.0);
            endUninterrupted = s.positions();
            assertEquals(mixture, s.swaps().accepted() > 0, "swaps accepted: " + s.swaps().accepted());
        }
        // a new engine (as after a restart), started elsewhere, with another thread count, given that configuration
        try (Engine e = new Engine(RemFit.forceField(pairs, T, 3, theta), top, Box.orthorhombic(l, l, l), start,
                Engine.Options.defaults().withThreads(1))) {
            EngineSampler s = new EngineSampler(e, settings);
            s.setSwaps(mixture ? 10 : 0);
            s.setPositions(handedOn);
            assertSame(uninterrupted, s.sample(theta1, 1, 1.0), m);
            assertArrayEquals(endUninterrupted, s.positions(), 0.0);
            // and the first simulation again, in this used engine: the lattice has many equal z in a column of the
            // list build, whose order must not come from the order the engine had
            s.setPositions(start);
            assertSame(first, s.sample(theta, 0, 1.0), m);
        }
    }

    private static FitTerm pair(String a, String b) {
        return new FitTerm(InteractionKind.PAIR, List.of(a, b), 0.8, new CubicBSpline(12, 0, 0.8), null);
    }

    /** per^3 one-bead molecules of type W (18 amu) on a simple cubic lattice in a box of side l; positions into start. */
    static CgTopology lattice(int per, double l, double[] start) {
        return lattice(per, l, start, false);
    }

    /** The same, every third site (by i + j + k) a bead of type M (32 amu) when mixture. */
    static CgTopology lattice(int per, double l, double[] start, boolean mixture) {
        CgTopology.Builder b = new CgTopology.Builder();
        int at = 0;
        for (int i = 0; i < per; i++) {
            for (int j = 0; j < per; j++) {
                for (int k = 0; k < per; k++) {
                    b.molecule();
                    boolean methanol = mixture && (i + j + k) % 3 == 0;
                    b.particle(methanol ? "M" : "W", methanol ? "M" : "W", methanol ? 32.0 : 18.0);
                    start[at++] = (i + 0.5) * l / per;
                    start[at++] = (j + 0.5) * l / per;
                    start[at++] = (k + 0.5) * l / per;
                }
            }
        }
        return b.build();
    }

    static void assertSame(Samples expected, Samples actual, int m) {
        assertEquals(expected.frames(), actual.frames());
        for (int t = 0; t < actual.frames(); t++) {
            for (int k = 0; k < m; k++) {
                assertEquals(expected.phi(t, k), actual.phi(t, k), "frame " + t + ", feature " + k);
            }
        }
    }
}
