package org.remcg.observe;

import java.util.SplittableRandom;
import org.remcg.io.Frame;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.system.TestChains;

/** Test systems: random points, rigid dimers, lattices. */
final class Fluids {
    private Fluids() {
    }

    /** nA single beads of type A then nB of type B, one molecule each. */
    static CgTopology atoms(int nA, int nB) {
        CgTopology.Builder b = new CgTopology.Builder();
        for (int i = 0; i < nA; i++) {
            b.molecule();
            b.particle("A", "A", 1);
        }
        for (int i = 0; i < nB; i++) {
            b.molecule();
            b.particle("B", "B", 1);
        }
        return b.build();
    }

    /** n dimers A-B with bond label "A-B". */
    static CgTopology dimers(int n) {
        return TestChains.chains(n, 0, new String[] {"A", "B"}, new String[] {"A", "B"}, new double[] {1, 1});
    }

    /** Points uniform in the box (fractional coordinates uniform). */
    static Frame uniform(int n, Box box, SplittableRandom rnd, long index) {
        Frame f = new Frame();
        f.resize(n, false, false);
        f.box = box;
        f.index = index;
        double[] m = box.matrix();
        for (int i = 0; i < n; i++) {
            double sa = rnd.nextDouble();
            double sb = rnd.nextDouble();
            double sc = rnd.nextDouble();
            f.x[3 * i] = sa * m[0] + sb * m[3] + sc * m[6];
            f.x[3 * i + 1] = sb * m[4] + sc * m[7];
            f.x[3 * i + 2] = sc * m[8];
        }
        return f;
    }

    /** Rigid dimers: centres uniform, orientations uniform on the sphere, bond length b. */
    static Frame dimers(int n, double bond, Box box, SplittableRandom rnd, long index) {
        Frame c = uniform(n, box, rnd, index);
        Frame f = new Frame();
        f.resize(2 * n, false, false);
        f.box = box;
        f.index = index;
        for (int i = 0; i < n; i++) {
            double[] u = unit(rnd);
            for (int d = 0; d < 3; d++) {
                f.x[6 * i + d] = c.x[3 * i + d] - 0.5 * bond * u[d];
                f.x[6 * i + 3 + d] = c.x[3 * i + d] + 0.5 * bond * u[d];
            }
        }
        return f;
    }

    static double[] unit(SplittableRandom rnd) {
        double z = 2 * rnd.nextDouble() - 1;
        double phi = 2 * Math.PI * rnd.nextDouble();
        double s = Math.sqrt(1 - z * z);
        return new double[] {s * Math.cos(phi), s * Math.sin(phi), z};
    }
}
