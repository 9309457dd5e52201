package org.remcg.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ForceField;
import org.remcg.model.FourierDihedral;
import org.remcg.model.HarmonicPotential;
import org.remcg.model.MiePotential;
import org.remcg.model.SplinePotential;
import org.remcg.model.TablePotential;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/** Forces are minus the gradient of the energy; the tabulated pair energy matches the exact potential. */
class ForceConsistencyTest {

    /** Chains A-B-B-A in a cubic box of edge boxL with an A-B mixture: every interaction kind at once. */
    static EngineGoldenTest.Setup mixedSystem(long seed, double boxL) {
        SplittableRandom r = new SplittableRandom(seed);
        CgTopology.Builder b = new CgTopology.Builder();
        int chains = 6;
        double[] pos = new double[3 * (chains * 4 + 20)];
        int k = 0;
        for (int c = 0; c < chains; c++) {
            b.molecule();
            double ox = r.nextDouble() * boxL;
            double oy = r.nextDouble() * boxL;
            double oz = r.nextDouble() * boxL;
            int first = -1;
            for (int q = 0; q < 4; q++) {
                String t = q == 0 || q == 3 ? "A" : "B";
                int idx = b.particle(t + q, t, 30 + 10 * q);
                if (q == 0) {
                    first = idx;
                }
                pos[k++] = ox + 0.3 * q + 0.05 * r.nextGaussian();
                pos[k++] = oy + 0.1 * (q % 2) + 0.05 * r.nextGaussian();
                pos[k++] = oz + 0.05 * q * q + 0.05 * r.nextGaussian();
            }
            b.bond(first, first + 1, "A-B").bond(first + 1, first + 2, "B-B").bond(first + 2, first + 3, "A-B");
            b.angle(first, first + 1, first + 2, "A-B-B").angle(first + 1, first + 2, first + 3, "A-B-B");
            b.dihedral(first, first + 1, first + 2, first + 3, "A-B-B-A");
        }
        for (int q = 0; q < 20; q++) {
            b.molecule();
            b.particle("S", q % 2 == 0 ? "A" : "B", 50);
            pos[k++] = r.nextDouble() * boxL;
            pos[k++] = r.nextDouble() * boxL;
            pos[k++] = r.nextDouble() * boxL;
        }
        CgTopology top = b.build();
        double[] coef = new double[12];
        for (int i = 0; i < coef.length; i++) {
            coef[i] = 3 * Math.exp(-i / 2.0) - 0.3 * Math.sin(i);
        }
        double[] tx = new double[40];
        double[] tu = new double[40];
        for (int i = 0; i < 40; i++) {
            tx[i] = 0.2 + i * 0.02;
            tu[i] = 2 * Math.exp(-(tx[i] - 0.2) * 8) - 0.5 * Math.exp(-Math.pow((tx[i] - 0.6) / 0.1, 2));
        }
        ForceField ff = ForceField.builder().temperature(300).exclusionHops(2)
                .pair("A", "A", 0.9, true, MiePotential.lennardJones(1.2, 0.32))
                .pair("A", "B", 0.8, false, new SplinePotential(new CubicBSpline(12, 0.15, 0.8), coef))
                .pair("B", "B", 0.9, false, new TablePotential(tx, tu, null, false))
                .bond("A", "B", new HarmonicPotential(2000, 0.3))
                .bond("B", "B", new SplinePotential(new CubicBSpline(8, 0.1, 0.6), new double[] {9, 4, 1, 0, 0.2, 1, 4, 9}))
                .angle("A", "B", "B", new HarmonicPotential(40, 2.0))
                .dihedral("A", "B", "B", "A", new FourierDihedral(new double[] {3, 1}, new int[] {1, 3}, new double[] {0.4, Math.PI}))
                .build();
        return new EngineGoldenTest.Setup(ff, top, Box.orthorhombic(boxL, boxL, boxL), pos);
    }

    /**
     * The mixed system's interactions, every one a B-spline (pairs, bonds on [bondMin, bondMax], angle, dihedral): a
     * model linear in its parameters with features of every kind.
     */
    static ForceField splineForceField(double bondMin, double bondMax) {
        return ForceField.builder().temperature(300).exclusionHops(1)
                .pair("A", "A", 0.9, false, new SplinePotential(new CubicBSpline(10, 0.0, 0.9), new double[] {40, 20, 9, 3, 0.5, -0.8, -0.3, 0.1, 0, 0}))
                .pair("A", "B", 0.8, false, new SplinePotential(new CubicBSpline(8, 0.0, 0.8), new double[] {30, 12, 4, 1, -0.5, -0.2, 0, 0}))
                .pair("B", "B", 0.9, false, new SplinePotential(new CubicBSpline(10, 0.0, 0.9), new double[] {35, 18, 7, 2, 0.2, -0.6, -0.2, 0.1, 0, 0}))
                .bond("A", "B", new SplinePotential(new CubicBSpline(8, bondMin, bondMax), new double[] {50, 20, 5, 1, 4, 15, 40, 80}))
                .bond("B", "B", new SplinePotential(new CubicBSpline(8, bondMin, bondMax), new double[] {50, 20, 5, 0, 4, 15, 40, 80}))
                .angle("A", "B", "B", new SplinePotential(new CubicBSpline(6, 0.0, Math.PI), new double[] {5, 3, 1, 0, 1, 2}))
                .dihedral("A", "B", "B", "A", new SplinePotential(new CubicBSpline(6, -Math.PI, Math.PI), new double[] {1, 0.5, 0, 0.3, 0.8, 1}))
                .build();
    }

    /** The engine's forces against central differences of its energy for the given coordinates. */
    static void assertForcesAreMinusGradient(Engine e, int[] coords) {
        double[] f = e.forces();
        double[] x0 = e.positions();
        double h = 1e-6;
        double worst = 0;
        double scale = 0;
        for (int c : coords) {
            double[] xp = x0.clone();
            xp[c] += h;
            e.setPositions(xp);
            double up = e.potentialEnergy();
            xp[c] -= 2 * h;
            e.setPositions(xp);
            double um = e.potentialEnergy();
            worst = Math.max(worst, Math.abs(-(up - um) / (2 * h) - f[c]));
            scale = Math.max(scale, Math.abs(f[c]));
        }
        e.setPositions(x0);
        // central differences with h = 1e-6 nm: truncation ~h^2 U''' and rounding ~1e-16 |U| / h
        assertTrue(worst < 1e-5 * Math.max(1, scale), "max |F + dU/dx| = " + worst + " (max |F| = " + scale + ")");
    }

    @Test
    void forcesAreMinusTheEnergyGradient() {
        double l = 2.3;
        EngineGoldenTest.Setup s = mixedSystem(7, l);
        try (Engine e = new Engine(s.ff(), s.top(), Box.orthorhombic(l, l + 0.1, l + 0.2), s.x(), Engine.Options.defaults())) {
            int[] all = new int[3 * s.top().size()];
            for (int c = 0; c < all.length; c++) {
                all[c] = c;
            }
            assertForcesAreMinusGradient(e, all);
        }
    }

    @Test
    void forcesAreMinusTheEnergyGradientWithColumnListsAndSeveralBlocks() {
        // a fluid large enough for the column grid, two or five blocks on two threads: every force sums the blocks'
        // buffers over the ranges the blocks may touch (with five blocks up to three buffers overlap at a particle);
        // spot checks of 60 coordinates by central differences
        double l = 3.3;
        ForceField ff = EngineGoldenTest.oneTypeFluid(l, 10).ff();
        for (int blocks : new int[] {2, 5}) {
            try (Engine e = new Engine(ff, Systems.beads(1000, "W", 18), Box.orthorhombic(l, l, l), Systems.lattice(10, l, 0.08, 9),
                    Engine.Options.defaults().withThreads(2).withBlocks(blocks))) {
                e.initializeVelocities(300, 5);
                e.run(new Integrator.Langevin(0.002, 1.0, 300, 6), 200, 0, null);
                assertForcesAreMinusGradient(e, new SplittableRandom(3).ints(60, 0, 3 * 1000).toArray());
            }
        }
    }

    @Test
    void fastAndSampledForceLoopsAgree() {
        // the MD steps use the force-only loops; the sampled frames use the loop that also accumulates energies and
        // features: both must give the same forces, for the all-pairs list (small box) and the cell list (3x3x3 cells)
        for (double l : new double[] {2.3, 3.3}) {
            for (int threads = 1; threads <= 2; threads++) {
                EngineGoldenTest.Setup s = mixedSystem(13, l);
                try (Engine e = new Engine(s.ff(), s.top(), s.box(), s.x(), Engine.Options.defaults().withThreads(threads))) {
                    double[] fast = e.forces();
                    e.evaluate();
                    double[] sampled = e.forces();
                    double worst = 0;
                    double scale = 0;
                    for (int c = 0; c < fast.length; c++) {
                        worst = Math.max(worst, Math.abs(fast[c] - sampled[c]));
                        scale = Math.max(scale, Math.abs(sampled[c]));
                    }
                    // the loops sum the same pair terms in different orders: rounding only
                    assertTrue(worst < 1e-10 * scale, "L=" + l + " threads=" + threads + ": max |F_fast - F_sampled| = " + worst);
                }
            }
        }
    }

    @Test
    void virialMatchesVolumeDerivative() {
        // W = -3V dU/dV at fixed scaled coordinates, for pair-only and bonded systems alike
        double l = 2.3;
        EngineGoldenTest.Setup s = mixedSystem(11, l);
        ForceField ff = s.ff();
        CgTopology top = s.top();
        double[] pos = s.x();
        double w;
        try (Engine e = new Engine(ff, top, Box.orthorhombic(l, l, l), pos, Engine.Options.defaults())) {
            w = e.evaluate().virial();
        }
        double eps = 1e-6;
        double[] u = new double[2];
        for (int sgn = 0; sgn < 2; sgn++) {
            double scl = 1 + (sgn == 0 ? eps : -eps);
            double[] p = pos.clone();
            for (int i = 0; i < p.length; i++) {
                p[i] *= scl;
            }
            try (Engine e = new Engine(ff, top, Box.orthorhombic(l * scl, l * scl, l * scl), p, Engine.Options.defaults())) {
                u[sgn] = e.potentialEnergy();
            }
        }
        // dU/d(ln L) = -W  (V = L^3, W = -3V dU/dV = -L dU/dL)
        double dudlnl = (u[0] - u[1]) / (2 * eps);
        assertEquals(-w, dudlnl, 1e-5 * Math.max(1, Math.abs(w)));
    }

    @Test
    void pairTableMatchesPotential() {
        double l = 3.0;
        int n = 216;
        double[] pos = Systems.lattice(6, l, 0.2, 3);
        MiePotential lj = MiePotential.lennardJones(0.996, 0.34);
        ForceField ff = ForceField.builder().temperature(120).pair("W", "W", 1.0, false, lj).build();
        try (Engine e = new Engine(ff, Systems.beads(n, "W", 40), Box.orthorhombic(l, l, l), pos, Engine.Options.defaults())) {
            double u = e.potentialEnergy();
            double exact = 0;
            Box box = Box.orthorhombic(l, l, l);
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    double r = box.distance(pos, 3 * i, pos, 3 * j);
                    if (r < 1.0) {
                        exact += lj.energy(r);
                    }
                }
            }
            // Hermite table with 0.002 nm spacing at r* = 0.204 nm (finer beyond): for the r^-12 term the relative error per
            // pair is about 85 (h / r)^4 (the fourth derivative over 384), 3.5e-7 at r = 0.25 nm where the repulsion
            // dominates this energy (measured 2.6e-7 of the total); a wrong interval or coefficient is off by far more
            assertEquals(exact, u, 1e-6 * Math.abs(exact) + 1e-9, "table vs exact");
        }
    }

    @Test
    void neighbourListsFindEveryPairInRange() {
        // a soft, everywhere-positive two-type model in boxes that take each list-build path: the column grid in
        // cubic and elongated boxes (several column counts, wrap-around in x, y and z) and the all-pairs build;
        // the engine's energy, before and after a run with several rebuilds, against a direct sum over all pairs
        // with the exact potentials: a pair missed or counted twice shifts the energy by at least 1e-4 kJ/mol,
        // the table error is ~1e-9 relative per pair
        SplinePotential aa = new SplinePotential(new CubicBSpline(10, 0.0, 0.9), new double[] {9, 7, 5, 4, 3, 2, 1.5, 1, 0.5, 0.2});
        SplinePotential ab = new SplinePotential(new CubicBSpline(8, 0.0, 0.7), new double[] {6, 5, 4, 3, 2, 1.5, 1, 0.4});
        ForceField ff = ForceField.builder().temperature(300).pair("A", "A", 0.9, false, aa).pair("A", "B", 0.7, false, ab)
                .pair("B", "B", 0.9, false, aa).build();
        double[][] boxes = {{4.03, 4.03, 4.03}, {5.3, 2.6, 3.1}, {2.55, 4.4, 2.05}, {2.3, 2.2, 2.4}};
        for (double[] bl : boxes) {
            Box box = Box.orthorhombic(bl[0], bl[1], bl[2]);
            int n = (int) (20 * box.volume());
            SplittableRandom r = new SplittableRandom(n);
            CgTopology.Builder b = new CgTopology.Builder();
            double[] pos = new double[3 * n];
            for (int i = 0; i < n; i++) {
                b.molecule();
                b.particle("P", i % 3 == 0 ? "B" : "A", 40);
                pos[3 * i] = r.nextDouble() * bl[0];
                pos[3 * i + 1] = r.nextDouble() * bl[1];
                pos[3 * i + 2] = r.nextDouble() * bl[2];
            }
            CgTopology top = b.build();
            for (int variant = 0; variant < 3; variant++) {
                // one and two threads with the default skin, and no skin at all (the lists hold only pairs in range)
                int threads = variant == 1 ? 2 : 1;
                double skin = variant == 2 ? 0 : Engine.Options.defaults().skin();
                try (Engine e = new Engine(ff, top, box, pos, Engine.Options.defaults().withThreads(threads).withSkin(skin))) {
                    for (int round = 0; round < 2; round++) {
                        double[] x = e.positions();
                        double exact = 0;
                        for (int i = 0; i < n; i++) {
                            for (int j = i + 1; j < n; j++) {
                                double d = box.distance(x, 3 * i, x, 3 * j);
                                boolean mixed = (i % 3 == 0) != (j % 3 == 0);
                                if (d < (mixed ? 0.7 : 0.9)) {
                                    exact += (mixed ? ab : aa).energy(d);
                                }
                            }
                        }
                        String where = String.format("box %s, %d threads, skin %.2f, round %d", java.util.Arrays.toString(bl), threads, skin, round);
                        assertEquals(exact, e.potentialEnergy(), 1e-8 * Math.abs(exact), where);
                        long builds = e.listBuilds();
                        e.run(new Integrator.Langevin(0.004, 5.0, 300, 11), 300, 0, null);
                        assertTrue(e.listBuilds() > builds + 3, where + ": only " + (e.listBuilds() - builds) + " list builds in the run");
                    }
                }
            }
        }
    }

    @Test
    void prunedListsGiveTheSameTrajectory() {
        // between list builds the force pass loops over inner lists pruned to cutoff + PRUNE every few steps; they
        // hold the same pairs in the same order as the full lists, so the trajectory must not change by a bit: a
        // one-table fluid (the specialised loops) and the mixed system (three tables, bonded terms, exclusions)
        double l = 3.3;
        for (EngineGoldenTest.Setup sys : List.of(EngineGoldenTest.oneTypeFluid(l, 10), mixedSystem(17, l))) {
            double[][] end = new double[2][];
            long[] prunings = new long[2];
            // the sampled frames too (they use the inner lists while these are valid): energy, virial, features
            List<List<Double>> frames = List.of(new ArrayList<>(), new ArrayList<>());
            for (int v = 0; v < 2; v++) {
                try (Engine e = new Engine(sys.ff(), sys.top(), sys.box(), sys.x(), Engine.Options.defaults().withThreads(2))) {
                    e.setPruning(v == 0);
                    e.initializeVelocities(300, 3);
                    List<Double> mine = frames.get(v);
                    e.run(new Integrator.Langevin(0.002, 1.0, 300, 4), 600, 7, (eng, smp) -> {
                        mine.add(smp.potential());
                        mine.add(smp.virial());
                        for (double q : smp.features()) {
                            mine.add(q);
                        }
                    });
                    end[v] = e.positions();
                    prunings[v] = e.prunings();
                    assertTrue(e.listBuilds() > 10, "list builds " + e.listBuilds());
                }
            }
            assertTrue(prunings[0] > 30 && prunings[0] < 400, "prunings in 600 steps: " + prunings[0]);
            assertEquals(0, prunings[1]);
            org.junit.jupiter.api.Assertions.assertArrayEquals(end[1], end[0], "pruned and full lists must give the same trajectory");
            assertTrue(frames.get(0).size() > 80 * 2, "sampled values: " + frames.get(0).size());
            assertEquals(frames.get(1), frames.get(0), "pruned and full lists must give the same sampled energies, virials and features");
        }
    }

    @Test
    void featuresReproduceTheEnergyOfALinearModel() {
        // U = theta . phi exactly when every interaction is a B-spline: the sampled features are the sufficient statistics
        double l = 2.3;
        EngineGoldenTest.Setup sys = mixedSystem(5, l);
        CgTopology top = sys.top();
        double[] pos = sys.x();
        ForceField ff = splineForceField(0.0, 1.0);
        try (Engine e = new Engine(ff, top, Box.orthorhombic(l, l, l), pos, Engine.Options.defaults())) {
            Sample s = e.evaluate();
            double[] theta = ff.parameters();
            double lin = 0;
            for (int k = 0; k < theta.length; k++) {
                lin += theta[k] * s.features()[k];
            }
            assertEquals(s.potential(), lin, 1e-7 * Math.max(1, Math.abs(lin)));
            // new parameters reach the engine without rebuilding it
            double[] t2 = theta.clone();
            for (int k = 0; k < t2.length; k++) {
                t2[k] *= 0.5;
            }
            ff.setParameters(t2);
            assertEquals(0.5 * lin, e.potentialEnergy(), 1e-7 * Math.max(1, Math.abs(lin)));
        }
    }
}
