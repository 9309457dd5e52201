package org.remcg.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.remcg.model.ForceField;
import org.remcg.model.FourierDihedral;
import org.remcg.model.HarmonicPotential;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.units.Units;

/**
 * Free four-bead molecules (no pair forces): the dihedral angle is distributed as
 * exp(-U(phi)/kT) with a flat measure, so <U_dih> = k (1 - I1(k/kT) / I0(k/kT)) for
 * U = k (1 + cos phi), whatever the bonds and angles do.
 */
class BondedSamplingTest {

    @Test
    void freeDihedralFollowsBoltzmann() {
        double t = 119.8;
        double kd = 1.5;
        int mols = 200;
        CgTopology.Builder b = new CgTopology.Builder();
        double l = 6.0;
        double[] x = new double[3 * 4 * mols];
        for (int m = 0; m < mols; m++) {
            b.molecule();
            double ox = (m % 6) * 1.0 + 0.2;
            double oy = ((m / 6) % 6) * 1.0 + 0.2;
            double oz = (m / 36) * 1.0 + 0.2;
            for (int k = 0; k < 4; k++) {
                int i = b.particle("C" + k, "C", 72);
                x[3 * i] = ox + 0.2 * k;
                x[3 * i + 1] = oy + (k % 2 == 0 ? 0.15 : 0);
                x[3 * i + 2] = oz + (k == 3 ? 0.1 : 0);
                if (k > 0) {
                    b.bond(i - 1, i, "C-C");
                }
                if (k > 1) {
                    b.angle(i - 2, i - 1, i, "C-C-C");
                }
                if (k > 2) {
                    b.dihedral(i - 3, i - 2, i - 1, i, "C-C-C-C");
                }
            }
        }
        ForceField ff = ForceField.builder().temperature(t).bond("C", "C", new HarmonicPotential(5000, 0.38))
                .angle("C", "C", "C", new HarmonicPotential(40, 2.2))
                .dihedral("C", "C", "C", "C", new FourierDihedral(new double[] {kd}, new int[] {1}, new double[] {0})).build();
        ForceField dihOnly = ForceField.builder().temperature(t).bond("C", "C", new HarmonicPotential(0, 0.38))
                .angle("C", "C", "C", new HarmonicPotential(0, 2.2))
                .dihedral("C", "C", "C", "C", new FourierDihedral(new double[] {kd}, new int[] {1}, new double[] {0})).build();
        CgTopology top = b.build();
        List<double[]> frames = new ArrayList<>();
        try (Engine e = new Engine(ff, top, Box.orthorhombic(l, l, l), x, Engine.Options.defaults())) {
            e.initializeVelocities(t, 1);
            Integrator lang = new Integrator.Langevin(0.005, 1.0, t, 2);
            e.run(lang, 2000, 0, null);
            e.run(lang, 40000, 100, (eng, s) -> frames.add(eng.positions()));
        }
        double[] u = new double[frames.size()];
        try (Engine e = new Engine(dihOnly, top, Box.orthorhombic(l, l, l), x, Engine.Options.defaults())) {
            for (int k = 0; k < u.length; k++) {
                e.setPositions(frames.get(k));
                u[k] = e.potentialEnergy() / mols;
            }
        }
        double beta = 1 / (Units.KB * t);
        double i0 = 0;
        double i1 = 0;
        for (int k = 0; k < 100000; k++) {
            double p = (k + 0.5) * 2 * Math.PI / 100000;
            i0 += Math.exp(beta * kd * Math.cos(p));
            i1 += Math.cos(p) * Math.exp(beta * kd * Math.cos(p));
        }
        double expect = kd * (1 - i1 / i0);
        double[] m = Blocks.meanAndError(u, 0, u.length, 20);
        System.out.printf(Locale.ROOT, "free dihedral <U> = %.4f +- %.4f kJ/mol, Boltzmann %.4f%n", m[0], m[1], expect);
        assertEquals(expect, m[0], 3 * m[1]);
    }
}
