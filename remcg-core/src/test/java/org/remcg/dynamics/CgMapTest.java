package org.remcg.dynamics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgMapTest {

    /** Gradient and Hessian against central differences (error O(h^2) ~ 1e-8 with h = 1e-4). */
    @Test
    void derivativesMatchFiniteDifferences() {
        double[] x = {0.7, -1.3, 0.4};
        for (String spec : new String[] {"x1", "0.5*x1+0.5*x2", "x1-2*x3", "radius", "angle"}) {
            CgMap map = CgMap.parse(spec);
            int d = 3;
            double[] g = new double[d];
            double[] h = new double[d * d];
            map.gradient(x, g);
            map.hessian(x, h);
            double eps = 1e-4;
            for (int k = 0; k < d; k++) {
                double[] xp = x.clone();
                double[] xm = x.clone();
                xp[k] += eps;
                xm[k] -= eps;
                assertEquals((map.value(xp) - map.value(xm)) / (2 * eps), g[k], 1e-7, spec + " gradient " + k);
                double[] gp = new double[d];
                double[] gm = new double[d];
                map.gradient(xp, gp);
                map.gradient(xm, gm);
                for (int l = 0; l < d; l++) {
                    assertEquals((gp[l] - gm[l]) / (2 * eps), h[l * d + k], 1e-7, spec + " hessian " + l + "," + k);
                }
            }
        }
    }

    @Test
    void parsesCombinationsAndRejectsNonsense() {
        CgMap m = CgMap.parse("0.5*x1+0.5*x2");
        assertEquals(1.5, m.value(new double[] {1, 2}), 1e-15);
        assertEquals(-3.0, CgMap.parse("-x2-x1").value(new double[] {1, 2}), 1e-15);
        assertEquals(2, CgMap.parseAll("x1,angle").length);
        assertThrows(IllegalArgumentException.class, () -> CgMap.parse("y1"));
        assertThrows(IllegalArgumentException.class, () -> CgMap.parse("0*x1"));
        assertThrows(IllegalArgumentException.class, () -> CgMap.parse("a*x1"));
    }

    /** Ito term: for radius with sigma sigma^T = 2 I in 2-D, A = grad r . a + 1/r; Sigma = 2. */
    @Test
    void exactCgDriftHasItoTerm() {
        double[] t = {0, 1};
        double[] x = {0.6, 0.8, 3, 4};
        double[] a = {0, 0, 0, 0};
        Trajectory tr = new Trajectory("t", 2, t, x, a);
        CgData d = CgData.map(tr, new CgMap[] {new CgMap.Radius()}, Diffusion.isotropic(2, 1));
        assertEquals(1.0, d.drift()[0], 1e-14);
        assertEquals(0.2, d.drift()[1], 1e-14);
        assertEquals(2.0, d.sigma()[0], 1e-14);
        // angle: Laplacian of atan2 vanishes, Sigma = 2 / r^2
        CgData e = CgData.map(tr, new CgMap[] {new CgMap.Angle()}, Diffusion.isotropic(2, 1));
        assertEquals(0.0, e.drift()[1], 1e-14);
        assertEquals(2.0 / 25, e.sigma()[1], 1e-14);
    }

    @Test
    void singularGradientIsAnError() {
        Trajectory tr = new Trajectory("t", 2, new double[] {0, 1}, new double[] {1, 0, 0, 0}, new double[4]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CgData.map(tr, new CgMap[] {new CgMap.Radius()}, Diffusion.isotropic(2, 1)));
        assertTrue(e.getMessage().contains("frame 1"), e.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> CgData.map(new Trajectory("t", 2, new double[] {0, 1}, new double[] {1, 2, 3, 4}, new double[4]),
                        new CgMap[] {CgMap.parse("x1"), CgMap.parse("2*x1")}, Diffusion.isotropic(2, 1)));
        assertTrue(p.getMessage().contains("singular"), p.getMessage());
    }

    @Test
    void trajectoryRejectsBadTimesAndValues() {
        assertThrows(IllegalArgumentException.class, () -> new Trajectory("t", 1, new double[] {0, 0}, new double[] {1, 2}, null));
        assertThrows(IllegalArgumentException.class, () -> new Trajectory("t", 1, new double[] {0, 1}, new double[] {1, Double.NaN}, null));
    }
}
