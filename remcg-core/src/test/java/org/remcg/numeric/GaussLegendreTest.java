package org.remcg.numeric;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GaussLegendreTest {
    @Test
    void exactForPolynomialsUpToDegree2nMinus1() {
        for (int n : new int[] {1, 2, 5, 20, 40}) {
            GaussLegendre g = new GaussLegendre(n);
            for (int k = 0; k <= 2 * n - 1; k++) {
                final int p = k;
                double exact = p % 2 == 1 ? 0 : 2.0 / (p + 1);
                assertEquals(exact, g.integrate(x -> Math.pow(x, p), -1, 1), 1e-14, "n=" + n + " degree " + p);
            }
            for (int i = 1; i < n; i++) {
                assertEquals(true, g.node(i) > g.node(i - 1), "nodes ascend");
            }
        }
        // and converges spectrally for an analytic function: int_0^1 e^x = e - 1
        assertEquals(Math.E - 1, GaussLegendre.standard().integrate(Math::exp, 0, 1), 1e-15);
    }
}
