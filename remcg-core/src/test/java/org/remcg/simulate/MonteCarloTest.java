package org.remcg.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Metropolis Monte Carlo and Langevin dynamics sample the same LJ fluid (216 particles, T* = 1, rho* = 0.8). */
class MonteCarloTest {

    @Test
    void monteCarloAgreesWithLangevin() {
        List<Double> mc = new ArrayList<>();
        List<Double> md = new ArrayList<>();
        double acc;
        try (Engine e = DynamicsTest.ljFluid(6, false, 1, 21)) {
            MonteCarlo m = new MonteCarlo(e, DynamicsTest.T, 0.05, 8);
            m.run(300, 0, null);
            m.run(6000, 5, (eng, s) -> mc.add(s.potential()));
            acc = m.acceptance();
        }
        try (Engine e = DynamicsTest.ljFluid(6, false, 1, 22)) {
            Integrator lang = new Integrator.Langevin(0.01, 1.0, DynamicsTest.T, 9);
            e.run(lang, 2000, 0, null);
            e.run(lang, 20000, 50, (eng, s) -> md.add(s.potential()));
        }
        double[] a = Blocks.meanAndError(mc.stream().mapToDouble(Double::doubleValue).toArray(), 0, mc.size(), 20);
        double[] b = Blocks.meanAndError(md.stream().mapToDouble(Double::doubleValue).toArray(), 0, md.size(), 20);
        double se = Math.hypot(a[1], b[1]);
        System.out.printf(Locale.ROOT, "MC <U> %.2f +- %.2f (acceptance %.2f), Langevin <U> %.2f +- %.2f kJ/mol%n", a[0], a[1], acc, b[0], b[1]);
        assertTrue(acc > 0.2 && acc < 0.8, "acceptance " + acc);
        // 2.5 combined standard errors: ~2% false failures for a correct sampler (fixed seeds)
        assertEquals(b[0], a[0], 2.5 * se);
        assertTrue(se < 0.01 * Math.abs(b[0]), "errors too large for a test");
    }
}
