package org.remcg.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
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

/**
 * Golden trajectories: a fixed set of engine runs whose complete outputs (every position, velocity and force, every
 * sampled energy, kinetic energy, temperature, pressure, virial, |F|^2, Laplacian and feature vector, the energies of
 * {@link Engine#evaluate}, list-build counts) are hashed bit for bit (SHA-256 over {@link Double#doubleToLongBits})
 * and compared with {@code engine-golden.txt}, written by the engine as it was when the test was added. Any change of
 * the arithmetic, the summation order, the neighbour order or the random streams changes a hash; a refactoring of the
 * engine must leave every one of them as it is. Each case runs with one and with two threads (the trajectory does not
 * depend on the thread count). The RDF and bonded histograms are not part of the hashes.
 *
 * <p>To rewrite the reference file after a deliberate change of the numbers (say why in the commit), run the test with
 * {@code -Dremcg.golden.write=PATH}.
 */
class EngineGoldenTest {

    /** SHA-256 over the bit patterns of everything fed to it. */
    static final class Digest {
        private final MessageDigest sha;
        private final byte[] buf = new byte[8];

        Digest() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }

        void add(long v) {
            for (int k = 0; k < 8; k++) {
                buf[k] = (byte) (v >>> (8 * k));
            }
            sha.update(buf);
        }

        void add(double v) {
            add(Double.doubleToLongBits(v));
        }

        void add(double[] a) {
            add(a.length);
            for (double v : a) {
                add(v);
            }
        }

        void add(Sample s) {
            add(s.step());
            add(s.potential());
            add(s.kinetic());
            add(s.temperature());
            add(s.pressure());
            add(s.virial());
            add(s.forceSquared());
            add(s.laplacian());
            add(s.features());
        }

        String hex() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    /** A system: force field, topology, box, start positions. */
    record Setup(ForceField ff, CgTopology top, Box box, double[] x) {
    }

    /** Two bead types on a jittered lattice with three pair tables: shifted LJ (A-A), a B-spline (A-B), a table (B-B). */
    static Setup twoTypeFluid(double l, int perEdge) {
        int n = perEdge * perEdge * perEdge;
        CgTopology.Builder b = new CgTopology.Builder();
        for (int i = 0; i < n; i++) {
            b.molecule();
            b.particle("P", i % 3 == 0 ? "B" : "A", i % 3 == 0 ? 30 : 45);
        }
        double[] coef = {4, 2.5, 1.2, 0.3, -0.4, -0.35, -0.1, 0.05, 0.02, 0, 0, 0};
        double[] tx = new double[40];
        double[] tu = new double[40];
        for (int i = 0; i < 40; i++) {
            tx[i] = 0.2 + i * 0.02;
            tu[i] = 2 * Math.exp(-(tx[i] - 0.2) * 8) - 0.5 * Math.exp(-Math.pow((tx[i] - 0.6) / 0.1, 2));
        }
        ForceField ff = ForceField.builder().temperature(300)
                .pair("A", "A", 0.9, true, MiePotential.lennardJones(0.8, 0.3))
                .pair("A", "B", 0.8, false, new SplinePotential(new CubicBSpline(12, 0.15, 0.8), coef))
                .pair("B", "B", 0.95, false, new TablePotential(tx, tu, null, false))
                .build();
        return new Setup(ff, b.build(), Box.orthorhombic(l, l * 1.03, l * 0.98), Systems.lattice(perEdge, l * 0.98, 0.04, 21));
    }

    /** One bead type, one B-spline table: the single-table kernels. */
    static Setup oneTypeFluid(double l, int perEdge) {
        SplinePotential w = new SplinePotential(new CubicBSpline(12, 0.0, 0.9), new double[] {60, 30, 12, 2, -1.2, -0.6, 0.2, 0.1, -0.1, 0, 0, 0});
        ForceField ff = ForceField.builder().temperature(300).pair("W", "W", 0.9, false, w).build();
        return new Setup(ff, Systems.beads(perEdge * perEdge * perEdge, "W", 18), Box.orthorhombic(l, l, l), Systems.lattice(perEdge, l, 0.05, 5));
    }

    /** The chains with B-spline pairs, bonds, angle and dihedral: features of every kind. */
    static Setup splineChains(double l, long seed, Box box) {
        Setup s = ForceConsistencyTest.mixedSystem(seed, l);
        return new Setup(ForceConsistencyTest.splineForceField(0.1, 0.6), s.top(), box, s.x());
    }

    /** Chains and solvent with harmonic bonds and angles and a Fourier dihedral in a triclinic box (all-pairs lists with image shifts). */
    static Setup triclinicChains() {
        Setup s = ForceConsistencyTest.mixedSystem(29, 2.4);
        ForceField ff = ForceField.builder().temperature(300).exclusionHops(3)
                .pair("A", "A", 0.8, true, MiePotential.lennardJones(0.6, 0.3))
                .pair("A", "B", 0.8, true, MiePotential.lennardJones(0.5, 0.32))
                .pair("B", "B", 0.8, true, MiePotential.lennardJones(0.7, 0.31))
                .bond("A", "B", new HarmonicPotential(2000, 0.3))
                .bond("B", "B", new HarmonicPotential(1500, 0.32))
                .angle("A", "B", "B", new HarmonicPotential(40, 2.0))
                .dihedral("A", "B", "B", "A", new FourierDihedral(new double[] {3, 1}, new int[] {1, 3}, new double[] {0.4, Math.PI}))
                .build();
        return new Setup(ff, s.top(), Box.triclinic(2.4, 0.5, 2.3, -0.4, 0.6, 2.5), s.x());
    }

    /** The engine's whole visible state: positions, velocities, forces (topology order), step, list builds, degrees of freedom. */
    static void addState(Digest d, Engine e) {
        d.add(e.positions());
        d.add(e.velocities());
        d.add(e.forces());
        d.add(e.step());
        d.add(e.listBuilds());
        d.add(e.degreesOfFreedom());
    }

    /** Runs an MD case and hashes everything it produces. */
    static String md(Setup s, Engine.Options opt, long steps, int every, boolean verlet, boolean reparametrize) {
        Digest d = new Digest();
        try (Engine e = new Engine(s.ff(), s.top(), s.box(), s.x(), opt)) {
            d.add(e.evaluate());
            e.initializeVelocities(300, 17);
            addState(d, e);
            Integrator in = verlet ? new Integrator.VelocityVerlet(0.002) : new Integrator.Langevin(0.003, 2.0, 300, 23);
            Engine.Observer obs = (eng, sm) -> d.add(sm);
            e.run(in, steps / 2, every, obs);
            addState(d, e);
            d.add(e.evaluate());
            d.add(e.potentialEnergy());
            d.add(e.kineticEnergy());
            if (reparametrize) {
                double[] theta = s.ff().parameters();
                double[] t2 = theta.clone();
                for (int k = 0; k < t2.length; k++) {
                    t2[k] *= 0.9;
                }
                s.ff().setParameters(t2);
                d.add(e.evaluate());
                e.run(in, steps / 4, every, obs);
                s.ff().setParameters(theta);
            }
            // a run cut into followed pieces
            e.run(in, steps - steps / 2 - (reparametrize ? steps / 4 : 0), every, obs, done -> d.add(done));
            addState(d, e);
            Sample last = e.sampleNow();
            d.add(last);
            // the case ran as meant: a finite state, and with the default skin the pruned inner lists were used
            assertTrue(Double.isFinite(last.potential() + last.kinetic() + last.virial()), "state not finite: " + last);
            assertTrue(opt.skin() < 2 * Engine.PRUNE || e.prunings() > 0, "no pruning");
        }
        return d.hex();
    }

    /** Metropolis sweeps recorded through the engine. */
    static String mc(Setup s, Engine.Options opt) {
        Digest d = new Digest();
        try (Engine e = new Engine(s.ff(), s.top(), s.box(), s.x(), opt)) {
            MonteCarlo m = new MonteCarlo(e, 300, 0.03, 41);
            m.run(60, 5, (eng, sm) -> d.add(sm));
            d.add(m.acceptance());
            d.add(e.positions());
            d.add(e.step());
        }
        return d.hex();
    }

    /** Every case, by name: its hash with the given thread count. */
    static Map<String, String> cases(int threads) {
        Engine.Options def = Engine.Options.defaults().withThreads(threads);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("two-types-baoab", md(twoTypeFluid(3.4, 9), def, 400, 10, false, true));
        out.put("two-types-verlet", md(twoTypeFluid(3.4, 9), def, 300, 10, true, false));
        out.put("two-types-noprune", md(twoTypeFluid(3.4, 9), def.withSkin(0.05), 300, 9, false, true));
        out.put("two-types-3blocks", md(twoTypeFluid(3.4, 9), def.withBlocks(3), 200, 10, false, false));
        out.put("one-type-baoab", md(oneTypeFluid(3.3, 10), def, 400, 7, false, true));
        out.put("one-type-verlet", md(oneTypeFluid(3.3, 10), def, 300, 10, true, false));
        out.put("one-type-noprune", md(oneTypeFluid(3.3, 10), def.withSkin(0.05), 300, 10, false, false));
        out.put("chains-small-box", md(ForceConsistencyTest.mixedSystem(17, 2.3), def, 400, 5, false, true));
        out.put("chains-columns", md(ForceConsistencyTest.mixedSystem(13, 3.3), def, 300, 5, false, false));
        out.put("chains-verlet", md(ForceConsistencyTest.mixedSystem(19, 2.3), def, 300, 5, true, false));
        out.put("spline-chains", md(splineChains(2.3, 5, Box.orthorhombic(2.3, 2.3, 2.3)), def, 400, 4, false, true));
        out.put("spline-chains-columns", md(splineChains(3.3, 7, Box.orthorhombic(3.3, 3.3, 3.3)), def, 300, 6, false, true));
        out.put("triclinic-chains", md(triclinicChains(), def, 300, 5, false, false));
        out.put("monte-carlo", mc(ForceConsistencyTest.mixedSystem(31, 2.3), def));
        return out;
    }

    static Map<String, String> reference() throws IOException {
        Map<String, String> ref = new TreeMap<>();
        try (InputStream in = EngineGoldenTest.class.getResourceAsStream("engine-golden.txt")) {
            if (in == null) {
                return ref;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] w = line.split("\\s+");
                ref.put(w[0], w[1]);
            }
        }
        return ref;
    }

    @Test
    void trajectoriesAreBitIdenticalToTheReference() throws IOException {
        Map<String, String> one = cases(1);
        Map<String, String> two = cases(2);
        // the thread count never changes a trajectory
        assertEquals(one, two, "one and two threads");
        String write = java.lang.System.getProperty("remcg.golden.write");
        if (write != null) {
            StringBuilder sb = new StringBuilder("# EngineGoldenTest: SHA-256 of each case's outputs (see the test)\n");
            one.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
            Files.writeString(Path.of(write), sb.toString());
        }
        Map<String, String> ref = reference();
        assertEquals(one.size(), ref.size(), "cases in engine-golden.txt: " + ref.keySet());
        for (Map.Entry<String, String> c : one.entrySet()) {
            assertEquals(ref.get(c.getKey()), c.getValue(), "golden trajectory " + c.getKey());
        }
    }

    @Test
    void theHashSeesOneBit() {
        // the digest is sensitive to the last bit of one coordinate of one start position
        Setup s = oneTypeFluid(3.3, 10);
        String a = md(s, Engine.Options.defaults(), 20, 10, false, false);
        double[] x = s.x().clone();
        x[100] = Math.nextUp(x[100]);
        String b = md(new Setup(s.ff(), s.top(), s.box(), x), Engine.Options.defaults(), 20, 10, false, false);
        assertTrue(!a.equals(b), "a one-ulp change of a start coordinate must change the hash");
    }
}
