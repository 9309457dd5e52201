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
        FitTerm pair = new FitTerm(FitTerm.Kind.PAIR, List.of("W", "W"), 0.8, new CubicBSpline(12, 0, 0.8), null);
        int m = pair.basis().size();
        double[] theta = new double[m];
        for (int j = 0; j < m - 3; j++) {
            theta[j] = 3.0 * (1 - (double) j / (m - 3));   // soft repulsion, zero at the cutoff
        }
        double[] theta1 = theta.clone();
        theta1[2] += 0.5;
        int per = 8;
        double l = 2.5;
        double[] start = new double[3 * per * per * per];
        CgTopology top = lattice(per, l, start);
        // equilibration not a multiple of sample_every: which steps are sampled depends on where the counter starts
        EngineSampler.Settings settings = new EngineSampler.Settings(0.004, 5.0, 400, 130, 20, 7);
        double[] handedOn;
        Samples first;
        Samples uninterrupted;
        double[] endUninterrupted;
        try (Engine e = new Engine(RemFit.forceField(List.of(pair), T, 3, theta, null), top, Box.orthorhombic(l, l, l), start,
                Engine.Options.defaults().withThreads(2))) {
            EngineSampler s = new EngineSampler(e, settings);
            first = s.sample(theta, 0, 1.0);
            assertTrue(e.listBuilds() > 2, "the particles were re-sorted during the first simulation");
            handedOn = s.positions();
            uninterrupted = s.sample(theta1, 1, 1.0);
            endUninterrupted = s.positions();
        }
        // a new engine (as after a restart), started elsewhere, with another thread count, given that configuration
        try (Engine e = new Engine(RemFit.forceField(List.of(pair), T, 3, theta, null), top, Box.orthorhombic(l, l, l), start,
                Engine.Options.defaults().withThreads(1))) {
            EngineSampler s = new EngineSampler(e, settings);
            s.setPositions(handedOn);
            assertSame(uninterrupted, s.sample(theta1, 1, 1.0), m);
            assertArrayEquals(endUninterrupted, s.positions(), 0.0);
            // and the first simulation again, in this used engine: the lattice has many equal z in a column of the
            // list build, whose order must not come from the order the engine had
            s.setPositions(start);
            assertSame(first, s.sample(theta, 0, 1.0), m);
        }
    }

    /** per^3 one-bead molecules of type W (18 amu) on a simple cubic lattice in a box of side l; positions into start. */
    static CgTopology lattice(int per, double l, double[] start) {
        CgTopology.Builder b = new CgTopology.Builder();
        int at = 0;
        for (int i = 0; i < per; i++) {
            for (int j = 0; j < per; j++) {
                for (int k = 0; k < per; k++) {
                    b.molecule();
                    b.particle("W", "W", 18.0);
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
