package org.remcg.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.remcg.model.ForceField;
import org.remcg.model.MiePotential;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.units.Units;

/**
 * Identity swaps in binary Lennard-Jones mixtures (A and B of different size, mass and like/unlike attraction): the
 * energy change of a swap is the engine's, swaps sample the Boltzmann distribution of arrangements exactly, and they
 * relax the composition that diffusion leaves wandering.
 */
class IdentitySwapsTest {
    static final double S = DynamicsTest.SIGMA;
    static final double E = DynamicsTest.EPS;
    static final double T = DynamicsTest.T;

    static Engine mixture(int perEdge, long seed) {
        int n = perEdge * perEdge * perEdge;
        double l = Math.cbrt(n / (0.75 / (S * S * S)));
        double rc = 2.5 * 1.1 * S;
        ForceField ff = ForceField.builder().temperature(T)
                .pair("A", "A", rc, true, MiePotential.lennardJones(E, S))
                .pair("B", "B", rc, true, MiePotential.lennardJones(1.2 * E, 1.1 * S))
                .pair("A", "B", rc, true, MiePotential.lennardJones(0.8 * E, 1.05 * S)).build();
        CgTopology.Builder b = new CgTopology.Builder();
        for (int i = 0; i < n; i++) {
            b.molecule();
            if (i % 2 == 0) {
                b.particle("A", "A", DynamicsTest.MASS);
            } else {
                b.particle("B", "B", 2 * DynamicsTest.MASS);
            }
        }
        Engine e = new Engine(ff, b.build(), Box.orthorhombic(l, l, l), Systems.lattice(perEdge, l, 0.02, seed),
                Engine.Options.defaults().withThreads(1));
        e.initializeVelocities(T, seed);
        e.run(new Integrator.Langevin(0.005, 2.0, T, seed), 2000, 0, null);
        return e;
    }

    @Test
    void energyChangeOfASwapIsTheEngines() {
        try (Engine e = mixture(6, 3)) {
            IdentitySwaps sw = new IdentitySwaps(e.topology(), e.forceField(), T);
            assertTrue(sw.applicable());
            int[] type = e.topology().type();
            double[] x = e.positions();
            double u0 = e.potentialEnergy();
            SplittableRandom r = new SplittableRandom(4);
            int checked = 0;
            double worst = 0;
            while (checked < 40) {
                int i = r.nextInt(type.length);
                int j = r.nextInt(type.length);
                if (type[i] == type[j]) {
                    continue;
                }
                double du = sw.energyChange(x, e.box(), i, j);
                double[] y = x.clone();
                for (int d = 0; d < 3; d++) {
                    y[3 * i + d] = x[3 * j + d];
                    y[3 * j + d] = x[3 * i + d];
                }
                e.setPositions(y);
                double exact = e.potentialEnergy() - u0;
                // the swap tables interpolate linearly on 1e-4 nm: errors of order 1e-6 kJ/mol per pair
                assertEquals(exact, du, 1e-4 * Math.max(1, Math.abs(exact)), "swap " + i + " <-> " + j);
                worst = Math.max(worst, Math.abs(exact - du));
                checked++;
            }
            e.setPositions(x);
            System.out.printf(Locale.ROOT, "swap energies: worst difference from the engine %.2e kJ/mol%n", worst);
        }
    }

    /** Number of A-B pairs closer than 1.5 sigma: a composition observable that diffusion relaxes slowly. */
    static double unlikeContacts(Engine e) {
        double[] x = e.positions();
        int[] t = e.topology().type();
        double[] d = new double[3];
        double c2 = 1.5 * S * 1.5 * S;
        int c = 0;
        for (int i = 0; i < t.length; i++) {
            for (int j = i + 1; j < t.length; j++) {
                if (t[i] != t[j]) {
                    for (int k = 0; k < 3; k++) {
                        d[k] = x[3 * j + k] - x[3 * i + k];
                    }
                    e.box().minimumImage(d, 0);
                    if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < c2) {
                        c++;
                    }
                }
            }
        }
        return c;
    }

    /**
     * On frozen sites, swaps alone sample the permutations of the types: 4 A and 4 B beads on 8 fixed sites have 70
     * arrangements, whose Boltzmann probabilities are computed exactly from the engine's energy. The swap chain's
     * frequencies must match them (chi-square over the 70 cells, with the chain's measured statistical inefficiency
     * allowed for).
     */
    @Test
    void swapsAloneSampleTheBoltzmannDistributionOfArrangements() {
        int n = 8;
        double l = 1.6;
        double rc = 0.65;
        ForceField ff = ForceField.builder().temperature(T)
                .pair("A", "A", rc, true, MiePotential.lennardJones(1.0 * E, S))
                .pair("B", "B", rc, true, MiePotential.lennardJones(1.6 * E, 1.1 * S))
                .pair("A", "B", rc, true, MiePotential.lennardJones(0.5 * E, 1.05 * S)).build();
        CgTopology.Builder b = new CgTopology.Builder();
        for (int i = 0; i < n; i++) {
            b.molecule();
            b.particle(i % 2 == 0 ? "A" : "B", i % 2 == 0 ? "A" : "B", DynamicsTest.MASS * (1 + i % 2));
        }
        CgTopology top = b.build();
        // sites at least 1.15 sigma apart, drawn once
        SplittableRandom r = new SplittableRandom(5);
        double[] sites = new double[3 * n];
        Box box = Box.orthorhombic(l, l, l);
        double[] d = new double[3];
        for (int i = 0; i < n; i++) {
            boolean ok = false;
            while (!ok) {
                for (int k = 0; k < 3; k++) {
                    sites[3 * i + k] = l * r.nextDouble();
                }
                ok = true;
                for (int j = 0; j < i && ok; j++) {
                    for (int k = 0; k < 3; k++) {
                        d[k] = sites[3 * j + k] - sites[3 * i + k];
                    }
                    box.minimumImage(d, 0);
                    ok = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) > 1.15 * S;
                }
            }
        }
        // exact probabilities of the arrangements (bit s of a mask set: site s holds an A bead)
        double[] weight = new double[1 << n];
        double z = 0;
        double beta = 1 / (Units.KB * T);
        try (Engine e = new Engine(ff, top, box, sites, Engine.Options.defaults().withThreads(1))) {
            for (int mask = 0; mask < 1 << n; mask++) {
                if (Integer.bitCount(mask) != n / 2) {
                    continue;
                }
                double[] x = new double[3 * n];
                int nextA = 0;
                int nextB = 1;
                for (int s0 = 0; s0 < n; s0++) {
                    boolean a = (mask >> s0 & 1) == 1;
                    System.arraycopy(sites, 3 * s0, x, 3 * (a ? nextA : nextB), 3);
                    if (a) {
                        nextA += 2;
                    } else {
                        nextB += 2;
                    }
                }
                e.setPositions(x);
                weight[mask] = Math.exp(-beta * e.potentialEnergy());
                z += weight[mask];
            }
        }
        IdentitySwaps sw = new IdentitySwaps(top, ff, T);
        double[] x = sites.clone();
        int records = 20000;
        long[] count = new long[1 << n];
        SplittableRandom rng = new SplittableRandom(6);
        int[] series = new int[records];
        for (int k = 0; k < records; k++) {
            for (int s0 = 0; s0 < 10; s0++) {
                sw.sweep(x, box, rng);
            }
            int mask = 0;
            for (int i = 0; i < n; i += 2) {   // A beads have even indices: the site each sits on
                for (int s0 = 0; s0 < n; s0++) {
                    if (x[3 * i] == sites[3 * s0] && x[3 * i + 1] == sites[3 * s0 + 1] && x[3 * i + 2] == sites[3 * s0 + 2]) {
                        mask |= 1 << s0;
                    }
                }
            }
            assertEquals(n / 2, Integer.bitCount(mask), "every A bead sits on a site");
            count[mask]++;
            series[k] = mask;
        }
        double chi2 = 0;
        int cells = 0;
        double pmin = 1;
        int top1 = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) != n / 2) {
                continue;
            }
            double expected = records * weight[mask] / z;
            pmin = Math.min(pmin, weight[mask] / z);
            chi2 += (count[mask] - expected) * (count[mask] - expected) / expected;
            cells++;
            top1 = weight[mask] > weight[top1] ? mask : top1;
        }
        double g = inefficiency(series, top1);
        System.out.printf(Locale.ROOT, "arrangements: chi2 %.1f over %d cells (statistical inefficiency %.2f), acceptance %.3f, "
                + "smallest p %.4f, largest %.4f%n", chi2, cells, g, sw.acceptance(), pmin, weight[top1] / z);
        assertTrue(sw.acceptance() > 0.05 && sw.acceptance() < 0.95, "acceptance " + sw.acceptance());
        assertTrue(pmin * records > 5, "every arrangement expected at least 5 times");
        assertTrue(weight[top1] / z > 3 * pmin, "the energies must make the arrangements unequal for the test to mean anything");
        // chi2 / g over 69 degrees of freedom: mean 69, sd 11.7; 110 is beyond the 0.1% tail
        assertTrue(chi2 / g < 110, "chi2 " + chi2 + " / g " + g);
    }

    /** Statistical inefficiency 1 + 2 sum of autocorrelations of the indicator series == value (until one is <= 0). */
    private static double inefficiency(int[] series, int value) {
        int m = series.length;
        double p = 0;
        for (int v : series) {
            p += v == value ? 1 : 0;
        }
        p /= m;
        double var = p * (1 - p);
        double g = 1;
        for (int lag = 1; lag < 50; lag++) {
            double c = 0;
            for (int k = 0; k + lag < m; k++) {
                c += ((series[k] == value ? 1 : 0) - p) * ((series[k + lag] == value ? 1 : 0) - p);
            }
            c /= (m - lag) * var;
            if (c <= 0) {
                break;
            }
            g += 2 * c;
        }
        return g;
    }

    /**
     * Composition relaxes by swaps, not by diffusion: a 216-bead mixture that mixes at equilibrium starts demixed (A in
     * one half of the box, B in the other). After 3000 steps with a swap sweep every 10 steps the A-B contacts have
     * reached their mixed level (the mean of the next 3000 steps); without swaps, diffusion has covered a few tenths of
     * a nanometre in a 2.2 nm box and the contacts are still far below it.
     */
    @Test
    void swapsMixADemixedStartThatDiffusionLeavesDemixed() {
        double[] with = relax(true);
        double[] without = relax(false);
        System.out.printf(Locale.ROOT, "A-B contacts from a demixed start: with swaps %.0f -> %.0f (mixed level %.0f), without %.0f -> %.0f%n",
                with[0], with[1], with[2], without[0], without[1]);
        assertEquals(with[0], without[0], 0, "same start");
        assertEquals(with[2], with[1], 0.1 * with[2], "with swaps the contacts reach the mixed level");
        assertTrue(without[1] < 0.7 * with[2], "without swaps the contacts stay below the mixed level: " + without[1]);
    }

    /** Contacts at the start, after 3000 steps, and averaged over the next 3000 (every 50). */
    private static double[] relax(boolean swaps) {
        int perEdge = 6;
        int n = perEdge * perEdge * perEdge;
        double l = Math.cbrt(n / (0.75 / (S * S * S)));
        double rc = 2.5 * 1.1 * S;
        ForceField ff = ForceField.builder().temperature(T)
                .pair("A", "A", rc, true, MiePotential.lennardJones(E, S))
                .pair("B", "B", rc, true, MiePotential.lennardJones(E, 1.1 * S))
                .pair("A", "B", rc, true, MiePotential.lennardJones(1.1 * E, 1.05 * S)).build();
        CgTopology.Builder b = new CgTopology.Builder();
        for (int i = 0; i < n; i++) {
            b.molecule();
            boolean a = i / (perEdge * perEdge) < perEdge / 2;   // the lattice's first index runs along x
            b.particle(a ? "A" : "B", a ? "A" : "B", a ? DynamicsTest.MASS : 2 * DynamicsTest.MASS);
        }
        try (Engine e = new Engine(ff, b.build(), Box.orthorhombic(l, l, l), Systems.lattice(perEdge, l, 0.02, 7),
                Engine.Options.defaults().withThreads(1))) {
            e.initializeVelocities(T, 7);
            IdentitySwaps sw = new IdentitySwaps(e.topology(), e.forceField(), T);
            Integrator lang = new Integrator.Langevin(0.005, 2.0, T, 8);
            SplittableRandom r = new SplittableRandom(9);
            double start = unlikeContacts(e);
            int every = swaps ? 10 : 0;
            sw.run(e, lang, 3000, 0, null, every, r, null);
            double after = unlikeContacts(e);
            List<Double> later = new ArrayList<>();
            sw.run(e, lang, 3000, 50, (eng, s) -> later.add(unlikeContacts(eng)), every, r, null);
            return new double[] {start, after, later.stream().mapToDouble(Double::doubleValue).average().orElseThrow()};
        }
    }
}
