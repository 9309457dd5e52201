package org.remcg.simulate;

import java.util.SplittableRandom;
import org.remcg.system.CgTopology;

/** Small test systems: particles on a jittered cubic lattice, chains. */
final class Systems {
    private Systems() {
    }

    /** n^3 particles of one type on a cubic lattice filling a cube of edge l, jittered by up to jitter nm. */
    static double[] lattice(int perEdge, double l, double jitter, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = perEdge * perEdge * perEdge;
        double[] x = new double[3 * n];
        double a = l / perEdge;
        int k = 0;
        for (int i = 0; i < perEdge; i++) {
            for (int j = 0; j < perEdge; j++) {
                for (int m = 0; m < perEdge; m++) {
                    x[k++] = (i + 0.5) * a + jitter * (2 * r.nextDouble() - 1);
                    x[k++] = (j + 0.5) * a + jitter * (2 * r.nextDouble() - 1);
                    x[k++] = (m + 0.5) * a + jitter * (2 * r.nextDouble() - 1);
                }
            }
        }
        return x;
    }

    /** n single-bead molecules of type name and mass m. */
    static CgTopology beads(int n, String name, double m) {
        CgTopology.Builder b = new CgTopology.Builder();
        for (int i = 0; i < n; i++) {
            b.molecule();
            b.particle(name, name, m);
        }
        return b.build();
    }
}
