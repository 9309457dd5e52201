package org.remcg.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run whose progress is followed is cut into pieces: it must be the run in one go, bit for bit (positions,
 * velocities, every sample), for Langevin and velocity Verlet on two threads and for Monte Carlo; and progress is told
 * a bounded number of times, rising to the run's length.
 */
class RunProgressTest {

    /** What a run leaves: final positions and velocities, and the sampled potential energy, kinetic energy and pressure. */
    record Result(double[] x, double[] v, double[] samples) {
    }

    static Result langevin(Integrator in, long steps, List<Long> progress) {
        try (Engine e = DynamicsTest.ljFluid(6, true, 2, 7)) {
            List<Double> s = new ArrayList<>();
            Engine.Observer obs = (eng, sm) -> {
                s.add(sm.potential());
                s.add(sm.kinetic());
                s.add(sm.pressure());
            };
            // an equilibration without samples, then production, as remcg simulate and the fit run them
            e.run(in, 37, 0, null, progress == null ? null : progress::add);
            e.run(in, steps, 10, obs, progress == null ? null : progress::add);
            return new Result(e.positions(), e.velocities(), s.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    @Test
    void langevinInPiecesIsTheRunInOneGo() {
        Integrator in = new Integrator.Langevin(0.005, 1.0, DynamicsTest.T, 11);
        List<Long> told = new ArrayList<>();
        Result whole = langevin(in, 299, null);
        Result pieces = langevin(in, 299, told);
        assertArrayEquals(whole.x(), pieces.x());
        assertArrayEquals(whole.v(), pieces.v());
        assertArrayEquals(whole.samples(), pieces.samples());
        assertEquals(3 * 30, whole.samples().length);   // steps 40, 50, ..., 330
        // 37 steps in pieces of 1 (37 reports), then 299 in pieces of 2 (150 reports)
        assertEquals(37 + 150, told.size());
        assertEquals(37L, told.get(36));
        assertEquals(2L, told.get(37));
        assertEquals(299L, told.get(told.size() - 1));
        for (int i = 38; i < told.size(); i++) {
            assertTrue(told.get(i) > told.get(i - 1), told.toString());
        }
    }

    @Test
    void velocityVerletInPiecesIsTheRunInOneGo() {
        Integrator in = new Integrator.VelocityVerlet(0.005);
        Result whole = langevin(in, 201, null);
        Result pieces = langevin(in, 201, new ArrayList<>());
        assertArrayEquals(whole.x(), pieces.x());
        assertArrayEquals(whole.v(), pieces.v());
        assertArrayEquals(whole.samples(), pieces.samples());
    }

    static Result monteCarlo(long sweeps, List<Long> progress) {
        try (Engine e = DynamicsTest.ljFluid(6, true, 1, 3)) {
            MonteCarlo mc = new MonteCarlo(e, DynamicsTest.T, 0.05, 5);
            List<Double> s = new ArrayList<>();
            mc.run(sweeps, 5, (eng, sm) -> s.add(sm.potential()), progress == null ? null : progress::add);
            s.add(mc.acceptance());
            return new Result(e.positions(), new double[0], s.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    @Test
    void monteCarloInPiecesIsTheRunInOneGo() {
        List<Long> told = new ArrayList<>();
        Result whole = monteCarlo(90, null);
        Result pieces = monteCarlo(90, told);
        assertArrayEquals(whole.x(), pieces.x());
        assertArrayEquals(whole.samples(), pieces.samples());
        assertEquals(List.of(1L, 2L), told.subList(0, 2));
        assertEquals(90, told.size());
        assertEquals(90L, told.get(told.size() - 1));
    }
}
