package org.remcg.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.remcg.model.ForceField;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * Every pair kernel variant against the plain reference ({@link ReferencePairForces}: all pairs, minimum image, the
 * potentials themselves): the force-only kernels over the Verlet lists (two passes) and over the pruned inner lists,
 * each in its one-table and its general form where the system allows both, and the sampling kernel over either list.
 * They differ from the reference by the pair table's interpolation error; the force-only variants agree with each
 * other to the bit (same pairs, same order, same arithmetic), the sampling kernel with them up to rounding (it adds
 * each pair's force to the buffers on its own).
 */
class PairKernelsTest {

    /** The engine's parts for one configuration, built as the engine builds them (two blocks). */
    static final class Parts {
        final Particles particles;
        final PairTables tables;
        final PairList lists;
        final InnerLists inner;
        final BlockSums sums;
        final int nb = 2;

        Parts(ForceField ff, CgTopology top, Box box, double[] x, double skin) {
            particles = new Particles(top, x);
            tables = new PairTables(ff, top.typeNames(), skin);
            tables.update(ff);
            int n = particles.n;
            int[] blockStart = {0, n / 2, n};
            lists = new PairList(particles, tables, top.exclusions(ff.exclusionHops()), box, blockStart, tables.maxCut + skin);
            lists.arrange();
            for (int p = 0; p < nb; p++) {
                lists.build(p);
            }
            inner = new InnerLists(particles, tables, lists, skin);
            sums = new BlockSums(nb, ff.parameterCount());
        }

        /** The pair forces of kernel k, block buffers summed in block order, in the topology's order. */
        double[] forces(PairKernel k) {
            int n = particles.n;
            double[][] buf = new double[nb][3 * n];
            for (int p = 0; p < nb; p++) {
                k.run(p, buf[p]);
            }
            double[] f = new double[3 * n];
            for (int o = 0; o < 3 * n; o++) {
                f[o] = 0.0 + buf[0][o] + buf[1][o];
            }
            double[] out = new double[3 * n];
            particles.unsort(f, out);
            return out;
        }

        /** Prunes the inner lists (they are then valid for the force-only and the sampling kernels). */
        void prune() {
            inner.decide(new double[nb], false);
            for (int p = 0; p < nb; p++) {
                inner.prune(p);
            }
            inner.done();
        }
    }

    /**
     * Runs every variant the system allows; checks them against the reference and against each other. Tolerances (measured
     * on these systems: force error at most 5e-5 of the rms force, energy 2e-5 kJ/mol, virial 2e-3 kJ/mol; the
     * sampling kernel 1.5e-14 of the rms force from the force-only ones) are a few times the measured table error; a pair
     * missed or counted twice moves a force by about the rms force and the energy by 0.1 kJ/mol or more.
     */
    static void check(String what, ForceField ff, CgTopology top, Box box, double[] x, double forceTol, double energyTol) {
        ReferencePairForces.Result ref = new ReferencePairForces(ff, top, box).compute(x);
        Parts s = new Parts(ff, top, box, x, 0.1);
        assertTrue(s.inner.on, "pruning applies with a skin of 0.1 nm");
        boolean oneTable = top.types() == 1 && s.tables.ntab == 1;
        Map<String, double[]> fast = new LinkedHashMap<>();
        for (boolean single : oneTable ? new boolean[] {false, true} : new boolean[] {false}) {
            TwoPassKernel two = new TwoPassKernel(s.particles, s.tables, s.lists, s.inner, single, s.nb);
            for (int p = 0; p < s.nb; p++) {
                two.fit(p, s.lists.longestRow(p));
            }
            fast.put("two-pass" + (single ? ", one table" : ""), s.forces(two));
        }
        s.prune();
        for (boolean single : oneTable ? new boolean[] {false, true} : new boolean[] {false}) {
            fast.put("inner" + (single ? ", one table" : ""), s.forces(new InnerKernel(s.particles, s.tables, s.lists, s.inner, single)));
        }
        SampledKernel sampled = new SampledKernel(s.particles, s.tables, s.lists, s.inner, s.sums);
        Map<String, double[]> samp = new LinkedHashMap<>();
        double[][] energies = new double[2][];
        for (int v = 0; v < 2; v++) {
            s.inner.setEnabled(v == 0);
            if (v == 0) {
                s.prune();
            }
            samp.put("sampled over " + (v == 0 ? "inner" : "Verlet") + " lists", s.forces(sampled));
            double e = 0;
            double w = 0;
            double[] phi = new double[ref.features().length];
            for (int p = 0; p < s.nb; p++) {
                e += s.sums.energy[p];
                w += s.sums.virial[p];
                for (int k = 0; k < phi.length; k++) {
                    phi[k] += s.sums.features[p][k];
                }
            }
            energies[v] = new double[] {e, w};
            for (int k = 0; k < phi.length; k++) {
                // the same basis functions at distances rounded differently
                assertEquals(ref.features()[k], phi[k], 1e-9 * Math.max(1, Math.abs(ref.features()[k])), what + ": feature " + k);
            }
            assertEquals(ref.energy(), e, energyTol, what + ": energy");
            assertEquals(ref.virial(), w, 100 * energyTol, what + ": virial");
        }
        double rms = 0;
        for (double q : ref.forces()) {
            rms += q * q;
        }
        rms = Math.sqrt(rms / ref.forces().length);
        double[] first = fast.values().iterator().next();
        for (Map.Entry<String, double[]> e : fast.entrySet()) {
            assertArrayEquals(first, e.getValue(), what + ": " + e.getKey() + " against " + fast.keySet().iterator().next() + ", bit for bit");
        }
        Map<String, double[]> all = new LinkedHashMap<>(fast);
        all.putAll(samp);
        for (Map.Entry<String, double[]> e : all.entrySet()) {
            double worst = 0;
            double againstFast = 0;
            for (int c = 0; c < first.length; c++) {
                worst = Math.max(worst, Math.abs(e.getValue()[c] - ref.forces()[c]));
                againstFast = Math.max(againstFast, Math.abs(e.getValue()[c] - first[c]));
            }
            assertTrue(worst <= forceTol * rms, what + ", " + e.getKey() + ": max |F - F_ref| = " + worst + ", rms F = " + rms);
            // sampling and force-only kernels: the same pair forces, summed in another order
            assertTrue(againstFast <= 1e-12 * rms, what + ", " + e.getKey() + ": " + againstFast + " from the force-only kernels");
        }
        assertEquals(energies[0][0], energies[1][0], 1e-9 * Math.max(1, Math.abs(energies[0][0])), what + ": sampled energy over both lists");
    }

    /** A configuration from a short Langevin run of the system (liquid-like, with pairs in the skin). */
    static double[] relaxed(EngineGoldenTest.Setup s, long steps) {
        try (Engine e = new Engine(s.ff(), s.top(), s.box(), s.x(), Engine.Options.defaults())) {
            e.initializeVelocities(300, 1);
            e.run(new Integrator.Langevin(0.002, 5.0, 300, 2), steps, 0, null);
            return e.positions();
        }
    }

    @Test
    void oneTypeFluidOnTheColumnGrid() {
        // one B-spline table with 0.075 nm knots
        EngineGoldenTest.Setup s = EngineGoldenTest.oneTypeFluid(3.3, 10);
        check("one-type fluid", s.ff(), s.top(), s.box(), relaxed(s, 200), 2e-4, 1e-4);
    }

    @Test
    void threeTablesOnTheColumnGrid() {
        // shifted LJ, B-spline and cubic table: LJ's steep core sets the largest table error
        EngineGoldenTest.Setup s = EngineGoldenTest.twoTypeFluid(3.4, 9);
        check("two-type fluid", s.ff(), s.top(), s.box(), relaxed(s, 200), 2e-4, 1e-4);
    }

    @Test
    void chainsWithExclusionsAllPairsAndTriclinic() {
        // excluded pairs (bond hops), the all-pairs build of a small box, and image shifts of a triclinic one
        EngineGoldenTest.Setup small = ForceConsistencyTest.mixedSystem(17, 2.3);
        check("chains, 2.3 nm box", small.ff(), small.top(), small.box(), relaxed(small, 200), 2e-4, 1e-4);
        EngineGoldenTest.Setup tri = EngineGoldenTest.triclinicChains();
        check("chains, triclinic box", tri.ff(), tri.top(), tri.box(), relaxed(tri, 200), 2e-4, 1e-4);
    }
}
